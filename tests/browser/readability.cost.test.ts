/** @jest-environment node */
/**
 * The cost view as an agency head reads it, on the packaged visual and the connector's sample, at
 * the sizes and in the locales of the issue: nothing cut or overlapping, the header band and the
 * statewide row kept in view while the rows scroll, contrast from the colors drawn, patterns in
 * high contrast, one Tab stop. Screenshots go to tests/browser/screenshots for a person to look at.
 */
import { useBrowserSession } from "./harness/jestSession";
import { expectContrastPlainAndSelected } from "./harness/readabilityExpect";
import {
    legendPaints,
    lowContrast,
    overflowing,
    overlapping,
    drawnTexts,
    READABILITY_LOCALES,
    READABILITY_SIZES,
    screenshotVisual,
    scrollPositions,
    scrollToBottom,
    textContrasts,
    walkKeyboard,
    whollyInView,
} from "./harness/readability";
import { costSample, sampleStatewideCostPerUser } from "./harness/sampleData";
import { HighContrastPalette, type DataViewJson, type HostOptions, type Viewport } from "./harness/types";

jest.setTimeout(60_000);

const session = useBrowserSession({ scrollbars: true });

async function show(size: Viewport, host: HostOptions, data: DataViewJson = costSample()): Promise<void> {
    await session().show(data, host, size);
}

const pinned = [".ais-cost-header", ".ais-cost-statewide", ".ais-cost-statewide .ais-reference-label"];
const matrix = READABILITY_LOCALES.flatMap((locale) => READABILITY_SIZES.map((size) => ({ locale, ...size })));

describe.each(matrix)("the cost view at $width×$height in $locale", ({ locale, width, height }) => {
    const size = { width, height };
    const name = `cost-${width}x${height}-${locale}`;

    beforeEach(async () => {
        await show(size, { locale });
    });

    it("cuts no text and overlaps none, at the top and scrolled to the bottom", async () => {
        await screenshotVisual(session().page, name);
        const top = await drawnTexts(session().page);
        expect(top.length).toBeGreaterThan(3);
        expect(overflowing(top)).toEqual([]);
        expect(overlapping(top)).toEqual([]);
        await scrollToBottom(session().page);
        const bottom = await drawnTexts(session().page);
        expect(overflowing(bottom)).toEqual([]);
        expect(overlapping(bottom)).toEqual([]);
    });

    // Only a narrow visual puts names above the bars.
    if (width < 300)
        it("puts names above the bars, whole, in a narrow visual", async () => {
            const agencies = new Set(costSample().categories[0].values.map(String));
            const rows = await session()
                .page.locator("g.ais-row")
                .evaluateAll((nodes) =>
                    nodes.map((row) => {
                        const name = row.querySelector("text.ais-name")!;
                        const bar = row.querySelector("rect.ais-segment");
                        return {
                            name: name.textContent ?? "",
                            nameBottom: name.getBoundingClientRect().bottom,
                            barTop: bar ? bar.getBoundingClientRect().top : Infinity,
                        };
                    }),
                );
            expect(rows.length).toBeGreaterThan(3);
            expect(rows.filter((row) => !agencies.has(row.name)).map((row) => row.name)).toEqual([]);
            expect(rows.filter((row) => row.nameBottom > row.barTop + 0.5).map((row) => row.name)).toEqual([]);
        });

    it("keeps the header band, the statewide row and its label in view after scrolling to the bottom", async () => {
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
    });

    it("says what the numbers are: the unit, the months of the trend and the period compared with", async () => {
        const headers = await session()
            .page.locator(".ais-cost-header text")
            .evaluateAll((nodes) => nodes.map((node) => node.textContent?.replace(/\s+/g, " ").trim() ?? ""));
        const months = new Set(costSample().categories[1].values).size;
        const words =
            locale === "es-ES"
                ? { unit: "por usuario (anualizado)", trend: `${months} meses`, change: "mes anterior" }
                : { unit: "per user (annualised)", trend: `${months} months`, change: "previous month" };
        const joined = headers.join(" | ");
        expect(joined).toContain(words.unit);
        // At the narrowest sizes the trend may go; what is drawn is named with its figures.
        const trendShown = await session().page.locator("path.ais-trend:not(.ais-hidden)").count();
        if (trendShown > 0) expect(joined).toContain(words.trend);
        const changeShown = await session().page.locator("text.ais-change:not(.ais-hidden)").count();
        if (changeShown > 0) expect(joined).toContain(words.change);
    });

    it("keeps text at 4.5:1 and dimmed text at 3:1 against what is drawn under it", async () => {
        await expectContrastPlainAndSelected(session().page, "g.ais-row", 3);
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

describe.each(READABILITY_LOCALES)("the cost view in high contrast, in %s", (locale) => {
    it("tells every service apart by its pattern, in the legend and the bars", async () => {
        await show({ width: 640, height: 400 }, { locale, highContrast: true });
        await session().page.evaluate((background) => {
            document.body.style.background = background;
        }, HighContrastPalette.background);
        const services = new Set(costSample().series?.names.map(String));
        const legend = await legendPaints(session().page, {
            item: ".ais-legend-item",
            swatch: ".ais-swatch rect",
            name: ".ais-legend-text",
        });
        expect(legend.map((item) => item.name).sort()).toEqual([...services].sort());
        expect(legend.every((item) => item.isPattern)).toBe(true);
        expect(new Set(legend.map((item) => item.paint)).size).toBe(legend.length);
        // A bar's segment wears its service's pattern, as the legend shows it.
        const byService = await session().page.evaluate(() => {
            const paints: Record<string, string[]> = {};
            document.querySelectorAll<SVGRectElement>(".visual-container .ais-segment").forEach((rect) => {
                const service = rect.getAttribute("data-service") ?? "";
                (paints[service] ??= []).push(rect.getAttribute("fill") ?? "");
            });
            const legend: Record<string, string> = {};
            document.querySelectorAll(".visual-container .ais-legend-item").forEach((item) => {
                legend[item.querySelector(".ais-legend-text")?.textContent ?? ""] =
                    item.querySelector(".ais-swatch rect")?.getAttribute("fill") ?? "";
            });
            return { paints, legend };
        });
        for (const [service, fills] of Object.entries(byService.paints))
            expect(new Set(fills)).toEqual(new Set([byService.legend[service]]));
        const texts = await textContrasts(session().page);
        expect(lowContrast(texts)).toEqual([]);
        await screenshotVisual(session().page, `cost-high-contrast-${locale}`);
    });
});

describe("the cost view's figures, read off what is drawn", () => {
    const withObjects = (objects: Record<string, Record<string, unknown>>): DataViewJson => ({
        ...costSample(),
        objects,
    });
    /** "$1,222", "$2.10M", "(1,2)" as a number, its decimals and its unit suffix. */
    const parse = (label: string) => {
        const match = /^\(?\$?(-?[\d.,]*\d)([KMBT]?)\)?$/.exec(label.trim());
        if (!match) throw new Error(`Not a currency label: "${label}"`);
        const unit = { "": 1, K: 1e3, M: 1e6, B: 1e9, T: 1e12 }[match[2]] as number;
        const [whole, decimals = ""] = match[1].split(".");
        return {
            value: Number(`${whole.replace(/,/g, "")}.${decimals || 0}`) * unit,
            decimals: decimals.length,
            suffix: match[2],
        };
    };

    it("with data labels off, draws an axis whose ticks read the bars' lengths", async () => {
        await show({ width: 640, height: 400 }, {}, withObjects({ labels: { show: false } }));
        const drawn = await session().page.evaluate(() => ({
            ticks: [...document.querySelectorAll<SVGTextElement>(".visual-container .ais-axis text.ais-tick")].map(
                (tick) => ({ text: tick.textContent ?? "", x: Number(tick.getAttribute("x")) }),
            ),
            values: [...document.querySelectorAll(".visual-container text.ais-value:not(.ais-hidden)")].length,
            rows: [...document.querySelectorAll(".visual-container g.ais-row")].map((row) => ({
                label: row.getAttribute("aria-label") ?? "",
                end: Math.max(
                    ...[...row.querySelectorAll("rect.ais-segment")].map(
                        (rect) => Number(rect.getAttribute("x")) + Number(rect.getAttribute("width")),
                    ),
                ),
            })),
        }));
        await screenshotVisual(session().page, "cost-640x400-labels-off");
        expect(drawn.values).toBe(0);
        expect(drawn.ticks.length).toBeGreaterThanOrEqual(2);
        // The scale through the first and last tick puts the top bar's end at its figure, as its accessible name says it.
        const [first, last] = [drawn.ticks[0], drawn.ticks[drawn.ticks.length - 1]];
        const [low, high] = [parse(first.text).value, parse(last.text).value];
        const top = drawn.rows[0];
        const figure = parse(/\$[\d.,]+/.exec(top.label)?.[0] ?? "").value;
        const predicted = first.x + ((figure - low) / (high - low)) * (last.x - first.x);
        expect(Math.abs(predicted - top.end)).toBeLessThanOrEqual(1);
        const texts = await drawnTexts(session().page);
        expect(overflowing(texts)).toEqual([]);
        expect(overlapping(texts)).toEqual([]);
    });

    it("labels total cost with one precision and one unit for the whole column", async () => {
        await show({ width: 640, height: 2400 }, {}, withObjects({ cost: { measure: "totalCost" } }));
        const labels = await session()
            .page.locator("g.ais-row text.ais-value")
            .evaluateAll((nodes) => nodes.map((node) => node.textContent ?? ""));
        expect(labels.length).toBeGreaterThan(10);
        const parsed = labels.map(parse);
        expect(new Set(parsed.map((label) => label.decimals)).size).toBe(1);
        expect(new Set(parsed.map((label) => label.suffix)).size).toBe(1);
        const header = await session().page.locator(".ais-header-value").textContent();
        expect(header?.replace(/\s+/g, " ").trim()).toBe("Total cost");
    });

    it.each([
        { direction: "upIsBad", rise: "#a4262c", fall: "#0e5a0e" },
        { direction: "upIsGood", rise: "#0e5a0e", fall: "#a4262c" },
        { direction: "neutral", rise: null, fall: null },
    ])(
        "colors the change as the Format pane's $direction says, arrows either way",
        async ({ direction, rise, fall }) => {
            await show({ width: 1280, height: 2400 }, {}, withObjects({ cost: { changeDirection: direction } }));
            const changes = await session().page.evaluate(() =>
                [...document.querySelectorAll<SVGTextElement>(".visual-container text.ais-change")].map((node) => ({
                    text: node.textContent ?? "",
                    fill: (node.getAttribute("fill") ?? "").toLowerCase(),
                    label: node
                        .closest("g.ais-row")
                        ?.querySelector("text.ais-value")
                        ?.getAttribute("fill")
                        ?.toLowerCase(),
                })),
            );
            const up = changes.filter((change) => change.text.startsWith("▲"));
            const down = changes.filter((change) => change.text.startsWith("▼"));
            expect(up.length).toBeGreaterThan(0);
            expect(down.length).toBeGreaterThan(0);
            // Neutral: the change is in the labels' own color, neither green nor red.
            for (const change of up) expect(change.fill).toBe(rise ?? change.label);
            for (const change of down) expect(change.fill).toBe(fall ?? change.label);
            expect(lowContrast(await textContrasts(session().page))).toEqual([]);
        },
    );
});

describe("the cost view's statewide item, by keyboard", () => {
    /** "$1,193.42" as a number. */
    const money = (text: string) => Number((/\$([\d,]+(?:\.\d+)?)/.exec(text)?.[1] ?? "NaN").replace(/,/g, ""));
    const focused = () =>
        session().page.evaluate(() => {
            const active = document.activeElement;
            const hit = active?.querySelector(".ais-hit");
            return {
                name: active?.getAttribute("aria-label") ?? "",
                isStatewide: active?.classList.contains("ais-cost-statewide") ?? false,
                isRow: active?.classList.contains("ais-row") ?? false,
                focusBox: hit ? getComputedStyle(hit).stroke : "none",
                stops: document.querySelectorAll('.visual-container [tabindex="0"]').length,
            };
        });
    const lastTooltip = () =>
        session().page.evaluate(() => {
            const shown = window.aisHarness.calls().filter((call) => call.service === "tooltip");
            const last = shown[shown.length - 1];
            return last?.method === "show"
                ? (last.args[0] as { dataItems: { displayName: string; value: string }[] }).dataItems
                : null;
        });

    it.each([
        { binding: "the Reference well bound", reference: true, name: "Statewide" },
        { binding: "no Reference", reference: false, name: "Average of agencies shown" },
    ])("with $binding, is reached in the one Tab stop by the arrows, named, and shows its tooltip", async (one) => {
        await show(
            { width: 640, height: 400 },
            {},
            costSample({ service: true, period: true, users: true, reference: one.reference }),
        );
        // Tab reaches the view once: on the first press that enters it, at the statewide item.
        const walk = await walkKeyboard(session().page, 1);
        expect(walk.tabStops).toBe(1);
        expect(walk.tabLeaves).toBe(true);
        // Down from it to the first agency, up back to it.
        expect(walk.arrowFocus).toHaveLength(2);
        expect(walk.arrowFocus[0]).not.toBe(walk.arrowFocus[1]);
        expect(walk.arrowFocus[1].startsWith(`${one.name}: `)).toBe(true);
        await session().page.locator("g.ais-row").first().focus();
        expect((await focused()).isRow).toBe(true);
        await session().page.keyboard.press("ArrowUp");
        const item = await focused();
        expect(item.isStatewide).toBe(true);
        expect(item.stops).toBe(1);
        // The keyboard's focus box is drawn around it.
        expect(item.focusBox).not.toBe("none");
        // Named as drawn beside the line, with the unit: "Statewide: $929 per user".
        const label = (await session().page.locator(".ais-cost-statewide .ais-reference-label").textContent()) ?? "";
        expect(item.name).toBe(`${one.name}: ${label.replace(`${one.name} `, "")} per user`);
        if (one.reference) {
            const statewide = sampleStatewideCostPerUser() as number;
            expect(Math.abs(money(item.name) - statewide)).toBeLessThan(1);
        }
        // Its tooltip shows while it has the focus, with the exact figure and its unit.
        const tooltip = await lastTooltip();
        expect(tooltip).toHaveLength(1);
        expect(tooltip?.[0].displayName).toBe(one.name);
        expect(tooltip?.[0].value).toMatch(/ per user$/);
        expect(Math.abs(money(tooltip?.[0].value ?? "") - money(label))).toBeLessThan(1);
        // Down leaves it for the first agency, whose tooltip then shows.
        await session().page.keyboard.press("ArrowDown");
        const first = await focused();
        expect(first.isRow).toBe(true);
        const firstName = await session().page.locator("g.ais-row").first().getAttribute("aria-label");
        expect(first.name).toBe(firstName);
        expect((await lastTooltip())?.[0].value).toBe(first.name.split(": ")[0]);
        await screenshotVisual(session().page, `cost-statewide-focused-${one.reference ? "bound" : "shown"}`);
    });
});
