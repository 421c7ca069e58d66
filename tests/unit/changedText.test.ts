import { select } from "d3-selection";
import { changedText } from "../../src/views/changedText";

describe("changedText", () => {
    it("writes the new texts and leaves a label whose text is unchanged as it was (its text node kept)", () => {
        const root = document.createElement("div");
        const labels = select(root)
            .selectAll("span")
            .data(["Parks", "Roads"])
            .join("span")
            .call(changedText, (name: string) => name);
        const kept = root.children[0].firstChild;
        labels.data(["Parks", "Transit"]).call(changedText, (name: string) => name);
        expect(Array.from(root.children, (span) => span.textContent)).toEqual(["Parks", "Transit"]);
        expect(root.children[0].firstChild).toBe(kept);
        select(root).selectAll("span").call(changedText, "–");
        expect(Array.from(root.children, (span) => span.textContent)).toEqual(["–", "–"]);
    });
});
