import { widestText } from "../../src/views/widestText";

describe("the widest of many labels", () => {
    it("measures only the longest few texts and returns the widest of them", () => {
        const measured: string[] = [];
        const measure = (text: string) => {
            measured.push(text);
            return text.length * 7 + (text.includes("W") ? 5 : 0);
        };
        const texts = Array.from({ length: 500 }, (_, i) => `Agency ${i}`).concat([
            "Department of Wildlife",
            "Department of Revenue1",
        ]);
        expect(widestText(texts, measure, 4)).toBe("Department of Wildlife".length * 7 + 5);
        expect(measured).toHaveLength(4);
    });

    it("is zero for no texts", () => {
        expect(widestText([], () => 10)).toBe(0);
    });
});
