import { tabStopKey } from "../../src/views/rowKeys";

describe("the view's one Tab stop", () => {
    it.each([
        { drawn: ["a", "b", "c"], lastFocused: null, stop: "a", why: "nothing focused yet: the first row drawn" },
        { drawn: ["a", "b", "c"], lastFocused: "b", stop: "b", why: "the row last focused, while it is drawn" },
        { drawn: ["d", "e"], lastFocused: "b", stop: "d", why: "the row last focused scrolled away: the first drawn" },
        { drawn: [], lastFocused: "b", stop: null, why: "no rows drawn: no stop" },
    ])("$why", ({ drawn, lastFocused, stop }) => {
        expect(tabStopKey(drawn, lastFocused)).toBe(stop);
    });
});
