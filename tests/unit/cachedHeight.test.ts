import { CachedHeight } from "../../src/views/rowWindow";

describe("CachedHeight", () => {
    it("reads the DOM once per key, so resizing back and forth between two widths reads nothing again", () => {
        const heights = new CachedHeight();
        const reads: string[] = [];
        const read = (key: string, height: number) =>
            heights.read(key, () => {
                reads.push(key);
                return height;
            });
        expect([read("960", 40), read("940", 60), read("960", 0), read("940", 0)]).toEqual([40, 60, 40, 60]);
        expect(reads).toEqual(["960", "940"]);
    });

    it("keeps only the most recently used keys", () => {
        const heights = new CachedHeight(2);
        let reads = 0;
        const read = (key: string) =>
            heights.read(key, () => {
                reads++;
                return key.length;
            });
        read("a");
        read("bb");
        read("a"); // used last: kept when a third key comes
        read("ccc");
        expect(reads).toBe(3);
        read("a");
        expect(reads).toBe(3);
        read("bb");
        expect(reads).toBe(4);
    });
});
