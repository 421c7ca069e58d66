/** @jest-environment node */
/**
 * The goal view read as an agency head reads it, on the packaged visual in Chromium with the
 * sample report's data, at the sizes and in both locales: nothing cut or overlapping,
 * the header band pinned, contrast from the colors as painted, statuses told apart on the bars
 * without color, the keyboard's one Tab stop, and the sample judged on its own as-of day.
 */
import type { Page } from "playwright-core";
import { useBrowserSession } from "./harness/jestSession";
import { expectContrastPlainAndSelected } from "./harness/readabilityExpect";
import {
    drawnTexts,
    nextFrames,
    overflowing,
    overlapping,
    READABILITY_LOCALES,
    READABILITY_SIZES,
    screenshotVisual,
    scrollPositions,
    scrollToBottom,
    walkKeyboard,
    whollyInView,
    type ContainedText,
} from "./harness/readability";
import { expectedFigures } from "./harness/sampleData";
import { HighContrastPalette, type DataViewJson, type HostOptions, type Viewport } from "./harness/types";
import { viewCases } from "./harness/views";

jest.setTimeout(60_000);

const goals = viewCases.find((one) => one.view === "goals")!;
/** A badge's word stays inside its badge. */
const BADGE: ContainedText = { text: ".ais-badge text", group: ".ais-badge", box: "rect" };
const HEADER = "svg.ais-goal-header-svg";
// Scrollbars that take room, as Power BI on Windows draws them.
const session = useBrowserSession({ scrollbars: true });

const page = (): Page => session().page;

async function show(size: Viewport, host: HostOptions = {}, data: DataViewJson = goals.sample()): Promise<void> {
    await session().show(data, host, size);
    await nextFrames(page());
}

/** Each drawn goal row: its accessible name, where its name and bullet are, and its due text when shown. */
function goalRows() {
    return page().$$eval(".ais-goals:not(.ais-hidden) g.ais-goal-goal", (rows) =>
        rows.map((row) => {
            const box = (selector: string) => {
                const node = row.querySelector(selector);
                if (!node || node.closest(".ais-hidden")) return null;
                const rect = node.getBoundingClientRect();
                return { left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom };
            };
            const due = row.querySelector("text.ais-goal-due");
            return {
                label: row.getAttribute("aria-label") ?? "",
                name: row.querySelector("text.ais-goal-name")?.textContent ?? "",
                nameBox: box("text.ais-goal-name"),
                band: box("rect.ais-band"),
                due: due && !due.closest(".ais-hidden") ? (due.textContent ?? "") : null,
            };
        }),
    );
}

const sizeName = (size: Viewport) => `${size.width}x${size.height}`;

describe.each(READABILITY_LOCALES)("the goal view in %s", (locale) => {
    describe.each(READABILITY_SIZES)("at $width × $height", (size) => {
        it("cuts no text and overlaps none, at the top and scrolled to the bottom, with the header band still in view", async () => {
            await show(size, { locale });
            const top = await drawnTexts(page(), [BADGE]);
            expect(top.filter((text) => text.visible !== null).length).toBeGreaterThan(5);
            expect(overflowing(top)).toEqual([]);
            expect(overlapping(top)).toEqual([]);
            await screenshotVisual(page(), `readability-goals-${locale}-${sizeName(size)}`);

            await scrollToBottom(page());
            // The sample's 34 goals in 5 teams do not fit at any of these sizes: the rows did scroll.
            expect((await scrollPositions(page())).some((top) => top > 0)).toBe(true);
            const bottom = await drawnTexts(page(), [BADGE]);
            expect(overflowing(bottom)).toEqual([]);
            expect(overlapping(bottom)).toEqual([]);
            expect(await whollyInView(page(), [HEADER, ".ais-goal-key-target", ".ais-goal-key-expected"])).toEqual({
                [HEADER]: true,
                ".ais-goal-key-target": true,
                ".ais-goal-key-expected": true,
            });
            await screenshotVisual(page(), `readability-goals-${locale}-${sizeName(size)}-bottom`);
        });

        it("keeps text at 4.5:1 against what is painted under it, and dimmed text at 3:1 once a goal is selected", async () => {
            await show(size, { locale });
            await expectContrastPlainAndSelected(page(), ".ais-goals g.ais-goal-goal", 5);
        });

        it(
            size.width < 300
                ? "puts each name above its bar, whole on up to two lines"
                : "keeps the due date of every goal that has one",
            async () => {
                await show(size, { locale });
                const rows = await goalRows();
                expect(rows.length).toBeGreaterThan(0);
                if (size.width < 300) {
                    for (const row of rows) {
                        expect([row.name, row.nameBox!.bottom <= row.band!.top + 0.5]).toEqual([row.name, true]);
                    }
                    // Every sample name reads whole, on up to two lines: none is shortened.
                    expect(rows.filter((row) => !row.label.startsWith(`${row.name}, `)).map((row) => row.name)).toEqual(
                        [],
                    );
                } else {
                    // Every sample goal has a due date: each row shows its wording.
                    expect(rows.filter((row) => !row.due)).toEqual([]);
                }
            },
        );
    });
});

describe("the goal view's key and its selection in high contrast", () => {
    it("draws the key's marks as the rows draw them: a solid target line, a dashed expected line under its triangle", async () => {
        await show({ width: 640, height: 400 });
        const marks = await page().evaluate(() => {
            const drawn = (node: Element | null) => {
                if (!node || node.closest(".ais-hidden")) return null;
                const style = getComputedStyle(node);
                return { dashes: style.strokeDasharray, stroke: style.stroke, width: style.strokeWidth };
            };
            const root = document.querySelector(".ais-goals")!;
            return {
                keyTarget: drawn(root.querySelector(".ais-goal-key-target line")),
                keyExpected: drawn(root.querySelector(".ais-goal-key-expected line")),
                keyTriangle: drawn(root.querySelector(".ais-goal-key-expected path")),
                rowTarget: drawn(root.querySelector("g.ais-goal-goal line.ais-target")),
                rowExpected: drawn(root.querySelector("g.ais-goal-goal line.ais-expected-line:not(.ais-hidden)")),
                rowTriangle: drawn(root.querySelector("g.ais-goal-goal path.ais-expected:not(.ais-hidden)")),
            };
        });
        expect(marks.keyTarget).not.toBeNull();
        expect(marks.keyTarget!.dashes).toBe("none");
        expect(marks.keyExpected!.dashes).not.toBe("none");
        expect(marks.keyTriangle).not.toBeNull();
        expect(marks.keyTarget).toEqual(marks.rowTarget);
        expect(marks.keyExpected).toEqual(marks.rowExpected);
        expect(marks.keyTriangle).toEqual(marks.rowTriangle);
    });

    it("paints a selected goal's bar, not only its text, in the selection color", async () => {
        await show({ width: 640, height: 400 }, { highContrast: true });
        await page().locator(".ais-goals g.ais-goal-goal").first().click();
        await nextFrames(page());
        // Each drawn bar: whether its row is selected, and the colors it is painted in (its pattern's, when hatched).
        const bars = await page().$$eval(".ais-goals:not(.ais-hidden) g.ais-goal-goal", (rows) =>
            rows
                .filter((row) => !row.querySelector("g.ais-bullet")!.closest(".ais-hidden"))
                .map((row) => {
                    const rect = row.querySelector("rect.ais-actual")!;
                    const style = getComputedStyle(rect);
                    const id = /url\("?#([^")]+)"?\)/.exec(style.fill)?.[1];
                    const pattern = id ? document.getElementById(id) : null;
                    const colors = pattern
                        ? [...pattern.querySelectorAll("path")].map((path) => getComputedStyle(path).stroke)
                        : [style.fill];
                    return { selected: row.getAttribute("aria-selected") === "true", colors, stroke: style.stroke };
                }),
        );
        const rgb = (hex: string) => `rgb(${[1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)).join(", ")})`;
        const selected = bars.filter((bar) => bar.selected);
        expect(selected).toHaveLength(1);
        expect(selected[0]).toEqual({
            selected: true,
            colors: selected[0].colors.map(() => rgb(HighContrastPalette.foregroundSelected)),
            stroke: rgb(HighContrastPalette.foregroundSelected),
        });
        expect(selected[0].colors.length).toBeGreaterThan(0);
        const others = bars.filter((bar) => !bar.selected);
        expect(others.length).toBeGreaterThan(3);
        for (const bar of others)
            expect(bar).toEqual({
                selected: false,
                colors: bar.colors.map(() => rgb(HighContrastPalette.foreground)),
                stroke: rgb(HighContrastPalette.foreground),
            });
        await screenshotVisual(page(), "readability-goals-high-contrast-selected");
    });
});

describe("the goal view's statuses without color", () => {
    /** Each bar's status (its badge's word) and its paint without color: the pattern's drawing, or "solid". */
    const barShapes = () =>
        page().$$eval(".ais-goals:not(.ais-hidden) g.ais-goal-goal", (rows) =>
            rows
                .filter((row) => !row.querySelector("g.ais-bullet")!.closest(".ais-hidden"))
                .map((row) => {
                    const fill = getComputedStyle(row.querySelector("rect.ais-actual")!).fill;
                    const id = /url\("?#([^")]+)"?\)/.exec(fill)?.[1];
                    const pattern = id ? document.getElementById(id) : null;
                    const drawing = pattern
                        ? [...pattern.querySelectorAll("path")].map((path) => path.getAttribute("d")).join(" ")
                        : "solid";
                    const word = row.querySelector(".ais-badge text")!.textContent ?? "";
                    return { status: word.replace(/^\S+\s/, ""), drawing };
                }),
        );

    it.each([false, true])(
        "tells every status apart on its bar by its pattern (high contrast: %s)",
        async (highContrast) => {
            await show({ width: 1280, height: 2400 }, { highContrast });
            const bars = await barShapes();
            const byStatus = new Map<string, Set<string>>();
            for (const bar of bars) byStatus.set(bar.status, (byStatus.get(bar.status) ?? new Set()).add(bar.drawing));
            // Met, On track, At risk, Behind, Missed and Not met all have bars in the sample.
            expect(byStatus.size).toBeGreaterThanOrEqual(6);
            // One drawing per status, and no two statuses drawn alike.
            for (const [status, drawings] of byStatus) expect([status, drawings.size]).toEqual([status, 1]);
            const drawings = [...byStatus.values()].map((set) => [...set][0]);
            expect(new Set(drawings).size).toBe(drawings.length);
            await screenshotVisual(page(), `readability-goals-patterns${highContrast ? "-high-contrast" : ""}`);
        },
    );
});

describe("the goal view and the keyboard", () => {
    it.each(READABILITY_SIZES)("has one Tab stop at $width × $height, and the arrows move within it", async (size) => {
        await show(size);
        const walk = await walkKeyboard(page(), 2);
        expect(walk.tabStops).toBe(1);
        expect(walk.tabsToReach).toBeGreaterThan(0);
        expect(walk.arrowsStayed).toBe(true);
        // Down, down, up: three rows, the last the same as the first down.
        expect(walk.arrowFocus).toHaveLength(3);
        expect(new Set(walk.arrowFocus.slice(0, 2)).size).toBe(2);
        expect(walk.arrowFocus[2]).toBe(walk.arrowFocus[0]);
        expect(walk.tabLeaves).toBe(true);
    });
});

describe("the preview's goals", () => {
    it("are judged on the sample's as-of day, as the connector's reference computation judges them", async () => {
        await show({ width: 1280, height: 2400 });
        const rows = await goalRows();
        const { asOf, goals: expected } = expectedFigures().goals;
        expect(rows).toHaveLength(expected.length);
        // The accessible name starts "name, status": the status of each goal, in the sample's order of teams and names.
        const shown = rows.map((row) => row.label.split(", ").slice(0, 2)).sort();
        const wanted = expected.map((goal) => [goal.goal, goal.status]).sort();
        expect(shown).toEqual(wanted);
        // Not today's clock: the tooltip names the model's day.
        await page().locator(".ais-goals g.ais-goal-goal").first().hover();
        const tooltip = await page().evaluate(() =>
            window.aisHarness
                .calls()
                .filter((call) => call.service === "tooltip" && call.method === "show")
                .pop(),
        );
        const items = (tooltip!.args[0] as { dataItems: { displayName: string; value: string }[] }).dataItems;
        const judged = items.find((item) => item.displayName === "Judged on")!.value;
        expect(judged).toBe(
            new Date(`${asOf}T00:00:00`).toLocaleDateString("en-US", {
                year: "numeric",
                month: "short",
                day: "numeric",
            }),
        );
    });
});
