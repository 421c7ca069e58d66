/** @jest-environment node */
import { drawableRatio, isDrawable, isTooLarge, LARGEST_DRAWABLE } from "../../src/data/drawable";

describe("drawable figures", () => {
    const values: Array<[string, unknown, boolean, boolean]> = [
        // name, value, drawable, too large
        ["zero", 0, true, false],
        ["a cost", 1234.5, true, false],
        ["a credit", -80, true, false],
        ["the smallest double", 5e-324, true, false],
        ["the limit itself", LARGEST_DRAWABLE, true, false],
        ["just past the limit", 1.0000001e300, false, true],
        ["near the largest double", 1e308, false, true],
        ["the largest double, negative", -Number.MAX_VALUE, false, true],
        ["Infinity (not finite, so no number at all)", Number.POSITIVE_INFINITY, false, false],
        ["NaN", Number.NaN, false, false],
        ["null", null, false, false],
        ["text", "12", false, false],
    ];
    it.each(values)("%s", (_name, value, drawable, tooLarge) => {
        expect(isDrawable(value as number)).toBe(drawable);
        expect(isTooLarge(value)).toBe(tooLarge);
    });

    const ratios: Array<[string, number, number, number | null]> = [
        ["cost over users", 5000, 200, 25],
        ["no users", 5000, 0, null],
        ["a headcount too small to divide by", 5000, 5e-324, null],
        ["a tiny cost over a tiny headcount", 5e-324, 5e-324, 1],
        ["a numerator too large to draw", 1e308, 2, null],
        ["a quotient that would overflow", 1e300, 1e-10, null],
        ["a credit", -300, 3, -100],
    ];
    it.each(ratios)("ratio: %s", (_name, numerator, divisor, expected) => {
        expect(drawableRatio(numerator, divisor)).toBe(expected);
    });

    it("keeps sums of 30,000 rows x 10 services of the largest drawable value finite, and their spread too", () => {
        let total = 0;
        for (let cell = 0; cell < 300000; cell++) total += LARGEST_DRAWABLE;
        expect(Number.isFinite(total)).toBe(true);
        expect(Number.isFinite(total - -total)).toBe(true);
    });
});
