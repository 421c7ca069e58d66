import { contrastRatio, distinctColors, leastDifference, MIN_DIFFERENCE } from "../../src/data/colorVision";
import { defaultReferenceColor } from "../../src/settings";
import { DEFAULT_THEME_COLORS } from "../support/themeColors";

const theme = DEFAULT_THEME_COLORS;

describe("telling two colors apart, with the common color vision deficiencies", () => {
    it.each([
        { first: "#000000", second: "#FFFFFF", apart: true, why: "black and white" },
        { first: "#118DFF", second: "#E66C37", apart: true, why: "the theme's blue and orange" },
        { first: "#12239E", second: "#6B007B", apart: false, why: "dark blue and dark purple: one dark color" },
        { first: "#FF0000", second: "#00A000", apart: false, why: "red and green: one color with deuteranopia" },
        { first: "#E66C37", second: "#D64550", apart: false, why: "orange and red: one color with tritanopia" },
        { first: "#B35806", second: "#542788", apart: true, why: "the rating scale's ends" },
        { first: "#118DFF", second: "not a color", apart: true, why: "a color that cannot be read: never merged" },
    ])("$why", ({ first, second, apart }) => {
        expect(leastDifference(first, second) >= MIN_DIFFERENCE).toBe(apart);
        expect(leastDifference(second, first)).toBe(leastDifference(first, second));
    });
});

describe("one color per service, told apart", () => {
    const pairsApart = (colors: string[]) =>
        colors.every((color, i) =>
            colors.every((other, j) => i === j || leastDifference(color, other) >= MIN_DIFFERENCE),
        );

    it("replaces a theme color too close to an earlier service's with the spare furthest from all of them", () => {
        const colors = distinctColors(
            theme.slice(0, 5).map((preferred) => ({ preferred, chosen: false })),
            theme.slice(5),
        );
        expect(colors.slice(0, 3)).toEqual(theme.slice(0, 3));
        expect(colors).not.toContain("#6B007B");
        expect(new Set(colors).size).toBe(5);
        // Each replaced service's color is further from the others than the theme's own was.
        const kept = colors.slice(0, 3);
        expect(Math.min(...kept.map((color) => leastDifference(color, colors[3])))).toBeGreaterThan(
            Math.min(...kept.map((color) => leastDifference(color, "#6B007B"))),
        );
    });

    it.each([
        {
            why: "colors already apart are kept",
            items: [
                { preferred: "#118DFF", chosen: false },
                { preferred: "#E66C37", chosen: false },
            ],
            spares: ["#12239E"],
            expected: ["#118DFF", "#E66C37"],
        },
        {
            why: "a color a user chose is never changed, even when close",
            items: [
                { preferred: "#12239E", chosen: false },
                { preferred: "#6B007B", chosen: true },
            ],
            spares: ["#D9B300"],
            expected: ["#12239E", "#6B007B"],
        },
        {
            why: "without a spare that is further, the theme's color stays",
            items: [
                { preferred: "#12239E", chosen: false },
                { preferred: "#6B007B", chosen: false },
            ],
            spares: ["#12239E"],
            expected: ["#12239E", "#6B007B"],
        },
    ])("$why", ({ items, spares, expected }) => {
        expect(distinctColors(items, spares)).toEqual(expected);
    });

    it("gives the sample's five services colors that are all told apart", () => {
        const colors = distinctColors(
            theme.slice(0, 5).map((preferred) => ({ preferred, chosen: false })),
            theme.slice(5),
        );
        // The theme's first five are not; what the visual draws is, but for the closest pair the theme allows.
        expect(pairsApart(theme.slice(0, 5))).toBe(false);
        const least = Math.min(...colors.flatMap((a, i) => colors.slice(i + 1).map((b) => leastDifference(a, b))));
        const themeLeast = Math.min(
            ...theme.slice(0, 5).flatMap((a, i) => theme.slice(i + 1, 5).map((b) => leastDifference(a, b))),
        );
        expect(least).toBeGreaterThan(themeLeast);
    });
});

describe("the statewide line's default color", () => {
    it("is no theme color, and its label reads at 4.5:1 or more on white", () => {
        for (const color of theme)
            expect([color, leastDifference(defaultReferenceColor, color) >= MIN_DIFFERENCE]).toEqual([color, true]);
        expect(contrastRatio(defaultReferenceColor, "#FFFFFF")).toBeGreaterThanOrEqual(4.5);
    });
});

describe("contrast ratio", () => {
    it.each([
        { first: "#000000", second: "#FFFFFF", ratio: 21 },
        { first: "#FFFFFF", second: "#FFFFFF", ratio: 1 },
        // WCAG's own example: #767676 on white is the lightest grey at 4.5:1.
        { first: "#767676", second: "#FFFFFF", ratio: 4.54 },
    ])("$first on $second is $ratio:1", ({ first, second, ratio }) => {
        expect(contrastRatio(first, second)).toBeCloseTo(ratio, 2);
        expect(contrastRatio(second, first)).toBeCloseTo(ratio, 2);
    });
});
