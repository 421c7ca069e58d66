import { orderByValueDescending } from "../../src/data/modelHelpers";

// The cost view's "by value" order: largest first, equal values by name, blanks last by name.
describe("orderByValueDescending", () => {
    const order = (values: (number | null)[], names = values.map((_, index) => `n${index}`)) =>
        orderByValueDescending(
            Float64Array.from(values, (value) => value ?? 0),
            Uint8Array.from(values, (value) => (value === null ? 0 : 1)),
            (a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0),
        );

    it.each([
        ["positives", [3, 10, 1], [1, 0, 2]],
        ["negatives and zero", [-5, 0, -0.5, 2], [3, 1, 2, 0]],
        ["minus zero as zero, ties by name", [0, -0, 1], [2, 0, 1]],
        ["blanks last", [null, 4, null, -1], [1, 3, 0, 2]],
        ["tiny and huge", [5e-324, -1e300, 1e300, -5e-324], [2, 0, 3, 1]],
        ["fractions that share their high bits", [1.0000000001, 1.0000000002, 1], [1, 0, 2]],
        ["two that share their high bits", [1, 1.0000000001], [1, 0]],
    ])("%s", (_name, values, expected) => {
        expect(order(values)).toEqual(expected);
    });

    it("orders equal values by the tie-break, not by position", () => {
        expect(order([2, 1, 2, 2], ["c", "x", "a", "b"])).toEqual([2, 3, 0, 1]);
        expect(order([null, null], ["b", "a"])).toEqual([1, 0]);
    });

    it("matches a comparison sort on many random values", () => {
        let seed = 7;
        const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
        const values = Array.from({ length: 5000 }, () =>
            random() < 0.05 ? null : Math.round((random() - 0.3) * 1e6) / 100,
        );
        // Expected independently: JavaScript's sort with the rule written as a comparator.
        const expected = values
            .map((_, index) => index)
            .sort((a, b) => {
                const va = values[a];
                const vb = values[b];
                if (va === null || vb === null) return va === null && vb === null ? a - b : va === null ? 1 : -1;
                return vb - va || a - b;
            });
        const names = values.map((_, index) => String(index).padStart(5, "0"));
        expect(order(values, names)).toEqual(expected);
    });
});
