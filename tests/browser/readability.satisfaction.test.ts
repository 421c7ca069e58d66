/** @jest-environment node */
/**
 * The satisfaction view as an agency head reads it, on the packaged visual and the connector's
 * sample (follow-up wells bound, as the sample report binds them), at the sizes and in the locales
 * of the issue: nothing cut or overlapping, the header band and the Statewide row kept in view
 * while the rows scroll, contrast from the colors drawn, a pattern per rating in high contrast,
 * few-responses rows that keep their ratings' colors, one Tab stop. Screenshots go to
 * tests/browser/screenshots for a person to look at.
 */
import { useBrowserSession } from "./harness/jestSession";
import { expectContrastPlainAndSelected } from "./harness/readabilityExpect";
import {
    drawnTexts,
    legendPaints,
    lowContrast,
    nextFrames,
    overflowing,
    overlapping,
    READABILITY_LOCALES,
    READABILITY_SIZES,
    screenshotVisual,
    scrollPositions,
    scrollToBottom,
    textContrasts,
    walkKeyboard,
    whollyInView,
} from "./harness/readability";
import { satisfactionSample } from "./harness/sampleData";
import { HighContrastPalette, type DataViewJson, type HostOptions, type Viewport } from "./harness/types";

jest.setTimeout(60_000);

const session = useBrowserSession({ scrollbars: true });

const sample = (): DataViewJson => satisfactionSample({ followUps: true });

async function show(size: Viewport, host: HostOptions, data: DataViewJson = sample()): Promise<void> {
    await session().show(data, host, size);
}

const pinned = [".ais-sat-header", ".ais-sat-statewide"];
/** The ratings the sample has responses for (it has no rating 1), from the DataView's cells. */
function sampleRatings(): string[] {
    const data = sample();
    const ratings = data.categories.find((column) => column.role === "rating")!.values;
    const responses = data.values[0][data.measures.findIndex((measure) => measure.role === "responses")];
    return [...new Set(ratings.filter((_, row) => Number(responses[row]) > 0).map(String))].sort();
}
const matrix = READABILITY_LOCALES.flatMap((locale) => READABILITY_SIZES.map((size) => ({ locale, ...size })));
/** The ratings' words, as the legend must give them (stringResources). */
const ratingWords: Record<string, string[]> = {
    "en-US": ["Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"],
    "es-ES": ["Muy insatisfecho", "Insatisfecho", "Neutral", "Satisfecho", "Muy satisfecho"],
};

describe.each(matrix)("the satisfaction view at $width×$height in $locale", ({ locale, width, height }) => {
    const size = { width, height };
    const name = `satisfaction-${width}x${height}-${locale}`;

    beforeEach(async () => {
        await show(size, { locale });
    });

    it("cuts no text and overlaps none, at the top and scrolled to the bottom", async () => {
        await screenshotVisual(session().page, name);
        const top = await drawnTexts(session().page);
        expect(top.length).toBeGreaterThan(5);
        expect(overflowing(top)).toEqual([]);
        expect(overlapping(top)).toEqual([]);
        await scrollToBottom(session().page);
        const bottom = await drawnTexts(session().page);
        expect(overflowing(bottom)).toEqual([]);
        expect(overlapping(bottom)).toEqual([]);
    });

    it("draws each follow-up share and state whole, never shortened with an ellipsis", async () => {
        // A row's follow-up share and state, on one line or (narrow) two.
        const followUps = () =>
            session()
                .page.locator(".visual-container g.ais-sat-row")
                .evaluateAll((rows) =>
                    rows.map((row) =>
                        [...row.querySelectorAll("text.ais-sat-followup, text.ais-sat-followup-state")]
                            .filter((node) => !node.classList.contains("ais-hidden"))
                            .map((node) => node.textContent ?? "")
                            .join(" "),
                    ),
                );
        const top = await followUps();
        await scrollToBottom(session().page);
        const drawn = [...top, ...(await followUps())];
        expect(drawn.length).toBeGreaterThan(3);
        expect(drawn.filter((shown) => shown.includes("…") || shown.includes("..."))).toEqual([]);
        // Each gives a share and, with the follow-up wells bound, a state word.
        const states = locale === "es-ES" ? /vencidos|abiertos|contactados/ : /overdue|open|contacted/;
        expect(drawn.filter((shown) => !/\d\s?%/.test(shown) || !states.test(shown))).toEqual([]);
    });

    it("keeps the header band and the Statewide row in view after scrolling to the bottom", async () => {
        const before = await whollyInView(session().page, pinned);
        await scrollToBottom(session().page);
        const positions = await scrollPositions(session().page);
        // The sample's agencies do not all fit in these sizes: the rows did scroll.
        expect(Math.max(...positions)).toBeGreaterThan(0);
        await screenshotVisual(session().page, `${name}-scrolled`);
        const after = await whollyInView(session().page, pinned);
        const all = Object.fromEntries(pinned.map((selector) => [selector, true]));
        expect(before).toEqual(all);
        expect(after).toEqual(all);
        // The follow-up column's header is drawn whole, with the low side's label.
        const headers = await session()
            .page.locator(".ais-sat-header text:not(.ais-hidden)")
            .evaluateAll((nodes) => nodes.map((node) => node.textContent ?? ""));
        const words = locale === "es-ES" ? ["Seguimiento", "◂ 1-3"] : ["Follow-up", "◂ 1-3"];
        for (const word of words) expect(headers.some((header) => header.includes(word))).toBe(true);
    });

    it("names every rating in words in the legend", async () => {
        const legend = await session()
            .page.locator(".ais-sat .ais-legend-rating .ais-legend-text")
            .evaluateAll((nodes) => nodes.map((node) => node.textContent ?? ""));
        expect(legend).toEqual(ratingWords[locale].map((words, index) => `${index + 1} ${words}`));
    });

    it("keeps text at 4.5:1 and dimmed text at 3:1 against what is drawn under it", async () => {
        await expectContrastPlainAndSelected(session().page, "g.ais-row", 5);
        await screenshotVisual(session().page, `${name}-selected`);
    });

    it("is reached by Tab once, and the arrows move from row to row within it", async () => {
        const walk = await walkKeyboard(session().page);
        expect(walk.tabStops).toBe(1);
        expect(walk.tabsToReach).toBeGreaterThan(0);
        expect(walk.arrowsStayed).toBe(true);
        // Down, down, up: three rows named, the second twice.
        expect(walk.arrowFocus).toHaveLength(3);
        expect(new Set(walk.arrowFocus).size).toBeGreaterThan(1);
        expect(walk.arrowFocus[2]).toBe(walk.arrowFocus[0]);
        expect(walk.tabLeaves).toBe(true);
    });
});

/** Each drawn segment's rating, its row's few-responses mark and its paint as composited over white. */
function segmentPaints() {
    return session().page.evaluate(() => {
        const rgb = (color: string) => (color.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
        const opacityOf = (node: Element) => {
            let opacity = 1;
            for (let at: Element | null = node; at; at = at.parentElement)
                opacity *= Number(getComputedStyle(at).opacity);
            return opacity;
        };
        return [...document.querySelectorAll(".visual-container g.ais-sat-row g.ais-sat-segment")].map((piece) => {
            const rect = piece.querySelector("rect")!;
            const alpha = opacityOf(rect);
            const painted = rgb(getComputedStyle(rect).fill).map((channel) =>
                Math.round(alpha * channel + (1 - alpha) * 255),
            );
            return {
                rating: piece.getAttribute("data-rating") ?? "",
                few: Boolean(piece.closest(".ais-sat-low")),
                paint: painted.join(","),
            };
        });
    });
}

describe("few responses", () => {
    it("marks rows with few responses, and draws each rating in the same color in them as in the others", async () => {
        // The sample's agencies have 19 to 54 responses: a threshold of 35 makes some of them few.
        const data = sample();
        data.objects = { satisfaction: { lowResponses: 35 } };
        await show({ width: 640, height: 720 }, { locale: "en-US" }, data);
        const segments = await segmentPaints();
        expect(segments.some((one) => one.few)).toBe(true);
        expect(segments.some((one) => !one.few)).toBe(true);
        const paints = new Map<string, Set<string>>();
        for (const one of segments)
            (paints.get(one.rating) ?? paints.set(one.rating, new Set()).get(one.rating)!).add(one.paint);
        const ratings = sampleRatings();
        expect([...paints.keys()].sort()).toEqual(ratings);
        for (const [rating, colors] of paints) expect([rating, colors.size]).toEqual([rating, 1]);
        expect(new Set([...paints.values()].map((colors) => [...colors][0])).size).toBe(ratings.length);
        // Each few row is marked: "(few)" beside its count and a dashed outline round its bar.
        const marks = await session().page.evaluate(() =>
            [...document.querySelectorAll(".visual-container g.ais-row.ais-sat-low")].map((row) => ({
                responses: row.querySelector("text.ais-sat-responses")?.textContent ?? "",
                outlined: getComputedStyle(row.querySelector("rect.ais-sat-few")!).strokeDasharray !== "none",
            })),
        );
        expect(marks.length).toBeGreaterThan(0);
        expect(marks.every((mark) => mark.responses.endsWith("(few)") && mark.outlined)).toBe(true);
        await screenshotVisual(session().page, "satisfaction-few-responses");
    });
});

describe.each(READABILITY_LOCALES)("the satisfaction view in high contrast, in %s", (locale) => {
    it.each(READABILITY_SIZES)(
        "tells every rating apart by its pattern, in the legend and the bars, at $width×$height",
        async (size) => {
            await show(size, { locale, highContrast: true });
            await session().page.evaluate((background) => {
                document.body.style.background = background;
            }, HighContrastPalette.background);
            await nextFrames(session().page);
            const legend = await legendPaints(session().page, {
                item: ".ais-sat .ais-legend-rating",
                swatch: ".ais-swatch rect",
                name: ".ais-legend-text",
            });
            expect(legend.map((item) => item.name)).toEqual(
                ratingWords[locale].map((words, index) => `${index + 1} ${words}`),
            );
            expect(legend.every((item) => item.isPattern)).toBe(true);
            expect(new Set(legend.map((item) => item.paint)).size).toBe(5);
            // A segment wears its rating's pattern, as the legend shows it.
            const fills = await session().page.evaluate(() => {
                const bars: Record<string, string[]> = {};
                document.querySelectorAll(".visual-container g.ais-sat-segment").forEach((piece) => {
                    (bars[piece.getAttribute("data-rating") ?? ""] ??= []).push(
                        piece.querySelector("rect")?.getAttribute("fill") ?? "",
                    );
                });
                const swatches = [
                    ...document.querySelectorAll(".visual-container .ais-legend-rating .ais-swatch rect"),
                ].map((rect) => rect.getAttribute("fill") ?? "");
                return { bars, swatches };
            });
            expect(Object.keys(fills.bars).sort()).toEqual(sampleRatings());
            for (const [rating, used] of Object.entries(fills.bars))
                expect([rating, [...new Set(used)]]).toEqual([rating, [fills.swatches[Number(rating) - 1]]]);
            const texts = await textContrasts(session().page);
            expect(lowContrast(texts)).toEqual([]);
            const drawn = await drawnTexts(session().page);
            expect(overflowing(drawn)).toEqual([]);
            expect(overlapping(drawn)).toEqual([]);
            await screenshotVisual(session().page, `satisfaction-high-contrast-${size.width}x${size.height}-${locale}`);
        },
    );
});
