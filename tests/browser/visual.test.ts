/** @jest-environment node */
/**
 * The packaged visual (dist/*.pbiviz) in Debian's Chromium, loaded as Power BI loads it, on the
 * connector's sample data. One browser for the file; a fresh page for each test.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { contrastRatio, leastDifference, MIN_DIFFERENCE } from "../../src/data/colorVision";
import { removeDir } from "./harness/browser";
import { useBrowserSession } from "./harness/jestSession";
import { writePreview } from "./harness/preview";
import {
    costSample,
    expectedFigures,
    sampleFollowUpCells,
    sampleStatewideCostPerUser,
    satisfactionSample,
} from "./harness/sampleData";
import {
    HighContrastPalette,
    UpdateType,
    type DataViewJson,
    type HostOptions,
    type RecordedCall,
    type Viewport,
} from "./harness/types";
import { viewCases, type ViewCase } from "./harness/views";

jest.setTimeout(30_000);

const screenshots = path.join(__dirname, "screenshots");
const viewport: Viewport = { width: 800, height: 600 };
/** Tall enough for every row of the samples: views may draw only the rows in view. */
const tall: Viewport = { width: 800, height: 2400 };
const session = useBrowserSession();

beforeAll(() => {
    fs.mkdirSync(screenshots, { recursive: true });
});

const page = (): Page => session().page;
const calls = (): Promise<RecordedCall[]> => page().evaluate(() => window.aisHarness.calls());
const callsOf = async (service: string, method?: string) =>
    (await calls()).filter((call) => call.service === service && (!method || call.method === method));
const clearCalls = () => page().evaluate(() => window.aisHarness.clearCalls());

async function show(description: DataViewJson | null, host: HostOptions = {}, size = viewport): Promise<void> {
    await session().show(description, host, size);
}

const update = (type: number, size?: Viewport) =>
    page().evaluate(({ type, size }) => window.aisHarness.update(type, size ?? undefined), {
        type,
        size: size ?? null,
    });

async function expectRenderingEvents(types: number[]): Promise<void> {
    const events = (await callsOf("events")).map((call) => `${call.method}:${(call.args[0] as { type: number }).type}`);
    expect(events).toEqual(types.flatMap((type) => [`renderingStarted:${type}`, `renderingFinished:${type}`]));
}

/** The start of a name shortened with an ellipsis ("…", or "..." as formattingutils writes it); null when whole. */
function shortenedStart(shown: string): string | null {
    const match = /^(.*?)(…|\.\.\.)$/s.exec(shown);
    return match ? match[1] : null;
}

async function screenshot(name: string): Promise<void> {
    await page()
        .locator(".visual-container")
        .screenshot({ path: path.join(screenshots, `${name}.png`) });
}

describe.each(viewCases)("the $view view's sample DataView", (view) => {
    it("renders with one start and one finish event per update, and a screenshot for people to look at", async () => {
        await show(view.sample());
        await update(UpdateType.Resize, { width: 640, height: 480 });
        await update(UpdateType.ResizeEnd, { width: 640, height: 480 });
        await expectRenderingEvents([UpdateType.Data, UpdateType.Resize, UpdateType.ResizeEnd]);
        expect(await callsOf("events", "renderingFailed")).toEqual([]);
        await update(UpdateType.Resize, viewport);
        await screenshot(view.view);
        if (view.selectors) {
            // Views may draw only the rows in view: make every row fit.
            await update(UpdateType.Resize, tall);
            const names = await page().locator(`${view.selectors.item} ${view.selectors.name}`).allTextContents();
            if (view.sampleNames) {
                // Long names are shortened with an ellipsis: compare what is shown with the start of the name.
                const expected = view.sampleNames().sort();
                expect(names).toHaveLength(expected.length);
                const unmatched = names.filter(
                    (shown) =>
                        !expected.some(
                            (name) =>
                                name === shown ||
                                (shortenedStart(shown) !== null && name.startsWith(shortenedStart(shown) as string)),
                        ),
                );
                expect(unmatched).toEqual([]);
            } else {
                expect(names.length).toBeGreaterThan(0);
            }
        }
    });
});

describe("the Format pane", () => {
    const allLabels = ["color", "fontSize", "displayUnits", "decimals"];
    /** What an analyst finds in the pane for each view of the sample report: only what does something there. */
    const applicable: Record<ViewCase["view"], { card: string; toggle: boolean; slices: string[] }[]> = {
        cost: [
            { card: "view", toggle: false, slices: ["mode"] },
            { card: "cost", toggle: false, slices: ["measure", "sort", "changeDirection"] },
            { card: "serviceColors", toggle: false, slices: Array(5).fill("fill") },
            { card: "labels", toggle: true, slices: allLabels },
            { card: "referenceLine", toggle: true, slices: ["color", "showLabel"] },
            { card: "trend", toggle: true, slices: [] },
        ],
        goals: [
            { card: "view", toggle: false, slices: ["mode"] },
            // The goal values are data labels too: Show, Color, Display units and Decimal places apply.
            { card: "labels", toggle: true, slices: allLabels },
            {
                card: "goals",
                toggle: false,
                slices: ["onTrackTolerance", "atRiskTolerance", "sort"].concat(
                    ["met", "onTrack", "atRisk", "behind", "missed", "notMet", "noData"].map((name) => `${name}Color`),
                ),
            },
        ],
        satisfaction: [
            { card: "view", toggle: false, slices: ["mode"] },
            // The sample report binds no Period here: no trend, so no Trend card.
            { card: "labels", toggle: true, slices: allLabels },
            {
                card: "satisfaction",
                toggle: false,
                slices: ["lowResponses", "sort", "rating1", "rating2", "rating3", "rating4", "rating5"],
            },
        ],
    };

    it.each(viewCases)("shows only the cards and options that apply to the $view view", async (view) => {
        await show(view.sample());
        const cards = await page().evaluate(() => window.aisHarness.formattingModelCards());
        expect(cards).toEqual(applicable[view.view]);
    });

    it("shows only the View card on the landing page", async () => {
        await show(null);
        const cards = await page().evaluate(() => window.aisHarness.formattingModelCards());
        expect(cards.map((card) => card.card)).toEqual(["view"]);
    });
});

describe("the landing page", () => {
    it("tells the user what to bind when nothing is bound, with balanced rendering events", async () => {
        await show(null);
        const text = await page().locator(".ais-message").innerText();
        expect(text).toContain("Agency IT Scorecard");
        expect(text).toContain("IT cost");
        await expectRenderingEvents([UpdateType.Data]);
        await screenshot("landing");
    });
});

describe("the cost view on the sample data", () => {
    const figures = expectedFigures().costPerUser;
    const cost = viewCases.find((one) => one.view === "cost") as ViewCase;

    /** A label such as "$1.22K" as a number, with half its last digit as the tolerance. */
    function parseLabel(label: string): { value: number; tolerance: number } {
        const match = /^\(?\$?(-?[\d,]*\.?\d+)([KMBT]?)\)?$/.exec(label.trim());
        if (!match) throw new Error(`Not a currency label: "${label}"`);
        const unit = { "": 1, K: 1e3, M: 1e6, B: 1e9, T: 1e12 }[match[2]] as number;
        const decimals = match[1].includes(".") ? match[1].split(".")[1].length : 0;
        const sign = label.trim().startsWith("(") ? -1 : 1;
        return {
            value: sign * Number(match[1].replace(/,/g, "")) * unit,
            tolerance: 0.5 * 10 ** -decimals * unit + 1e-9,
        };
    }

    it("shows every agency of the fiscal year, largest cost per user first, with labels that match expected.json", async () => {
        await show(cost.sample(), {}, tall);
        const rows = await page().$$eval("g.ais-row", (nodes) =>
            nodes.map((node) => ({
                name: node.querySelector("text.ais-name")?.textContent ?? "",
                value: node.querySelector("text.ais-value")?.textContent ?? "",
                label: node.getAttribute("aria-label"),
            })),
        );
        expect(rows.map((row) => row.name).sort()).toEqual(figures.agencies.map((agency) => agency.agencyName).sort());
        const byName = new Map(figures.agencies.map((agency) => [agency.agencyName, agency.costPerUser as number]));
        for (const row of rows) {
            const { value, tolerance } = parseLabel(row.value);
            expect(Math.abs(value - (byName.get(row.name) as number))).toBeLessThanOrEqual(tolerance);
        }
        const expectedOrder = [...figures.agencies]
            .sort((a, b) => (b.costPerUser as number) - (a.costPerUser as number))
            .map((agency) => agency.agencyName);
        expect(rows.map((row) => row.name)).toEqual(expectedOrder);

        const reference = await page().locator(".ais-reference-label").textContent();
        expect(reference).toMatch(/^Statewide /);
        const statewide = parseLabel((reference as string).replace(/^Statewide /, ""));
        expect(Math.abs(statewide.value - (figures.statewide.costPerUser as number))).toBeLessThanOrEqual(
            statewide.tolerance,
        );

        // The legend lists the services as every bar stacks them: largest total cost of the sample first.
        const sample = cost.sample();
        const costIndex = sample.measures.findIndex((measure) => measure.role === "cost");
        const totals = (sample.series?.names ?? []).map((name, series) => ({
            name: String(name),
            total: (sample.values[series][costIndex] ?? []).reduce<number>((sum, cell) => sum + Number(cell ?? 0), 0),
        }));
        const legend = await page().locator(".ais-legend-item").allInnerTexts();
        expect(legend.map((text) => text.trim())).toEqual(
            [...totals].sort((a, b) => b.total - a.total).map((service) => service.name),
        );
    });

    it("draws bars in proportion to cost per user, the statewide line at the statewide figure, and nothing outside the visual", async () => {
        await show(cost.sample(), {}, tall);
        const geometry = await page().evaluate(() => {
            const zero = Number(document.querySelector("line.ais-zero")?.getAttribute("x1"));
            const bars = [...document.querySelectorAll("g.ais-row")].map((row) => ({
                name: row.querySelector("text.ais-name")?.textContent ?? "",
                end: Math.max(
                    ...[...row.querySelectorAll("rect.ais-segment")].map(
                        (rect) => Number(rect.getAttribute("x")) + Number(rect.getAttribute("width")),
                    ),
                ),
            }));
            const line = document.querySelector(".ais-reference line");
            const svg = document.querySelector("svg.ais-chart")?.getBoundingClientRect();
            const texts = [...document.querySelectorAll(".ais-chart text:not(.ais-hidden)")]
                .filter((node) => (node.textContent ?? "") !== "")
                .map((node) => {
                    const box = node.getBoundingClientRect();
                    return { text: node.textContent, left: box.left, right: box.right };
                });
            return {
                zero,
                bars,
                reference: Number(line?.getAttribute("x1")),
                svgLeft: svg?.left ?? 0,
                svgRight: svg?.right ?? 0,
                texts,
            };
        });
        const top = figures.agencies.find((agency) => agency.agencyName === geometry.bars[0].name)!;
        const scale = (geometry.bars[0].end - geometry.zero) / (top.costPerUser as number);
        for (const bar of geometry.bars) {
            const agency = figures.agencies.find((one) => one.agencyName === bar.name)!;
            expect(bar.end - geometry.zero).toBeCloseTo((agency.costPerUser as number) * scale, 0);
        }
        expect(geometry.reference - geometry.zero).toBeCloseTo((figures.statewide.costPerUser as number) * scale, 0);
        // No name, label or change is cut off at the visual's edges.
        for (const text of geometry.texts) {
            expect(text.left).toBeGreaterThanOrEqual(geometry.svgLeft - 0.5);
            expect(text.right).toBeLessThanOrEqual(geometry.svgRight + 0.5);
        }
    });

    it("draws each service in a color told apart from the others in every vision, and the statewide label readable", async () => {
        await show(cost.sample());
        const drawn = await page().evaluate(() => {
            const hex = (rgb: string) =>
                "#" +
                (rgb.match(/\d+/g) ?? [])
                    .slice(0, 3)
                    .map((channel) => Number(channel).toString(16).padStart(2, "0"))
                    .join("");
            return {
                services: [...document.querySelectorAll(".ais-legend-item .ais-swatch rect")].map((rect) =>
                    hex(getComputedStyle(rect).fill),
                ),
                label: hex(getComputedStyle(document.querySelector(".ais-reference-label")!).fill),
            };
        });
        expect(drawn.services).toHaveLength(5);
        for (const [i, color] of drawn.services.entries())
            for (const other of drawn.services.slice(i + 1))
                expect([color, other, leastDifference(color, other) >= MIN_DIFFERENCE]).toEqual([color, other, true]);
        expect(contrastRatio(drawn.label, "#ffffff")).toBeGreaterThanOrEqual(4.5);
        for (const service of drawn.services)
            expect(leastDifference(drawn.label, service)).toBeGreaterThanOrEqual(MIN_DIFFERENCE);
    });

    it("filtered to one agency (State Library), draws the model's statewide figure: $929 on the line, not its own $1,211", async () => {
        // Computed from the CSVs by the stated rule, independently of the visual and of expected.json.
        const statewide = sampleStatewideCostPerUser() as number;
        expect(Math.round(statewide)).toBe(929);
        const library = { service: true, period: true, users: true, reference: true, agencies: ["AG33"] };
        await show(costSample(library), {}, tall);
        expect(await page().$$eval("g.ais-row text.ais-name", (nodes) => nodes.map((n) => n.textContent))).toEqual([
            "State Library",
        ]);
        expect(await page().locator(".ais-reference-label").textContent()).toBe("Statewide $929");
        const own = figures.agencies.find((agency) => agency.agencyId === "AG33")!.costPerUser as number;
        const geometry = await page().evaluate(() => ({
            zero: Number(document.querySelector("line.ais-zero")?.getAttribute("x1")),
            end: Math.max(
                ...[...document.querySelectorAll("g.ais-row rect.ais-segment")].map(
                    (rect) => Number(rect.getAttribute("x")) + Number(rect.getAttribute("width")),
                ),
            ),
            line: Number(document.querySelector(".ais-reference line")?.getAttribute("x1")),
        }));
        expect((geometry.line - geometry.zero) / (geometry.end - geometry.zero)).toBeCloseTo(statewide / own, 3);
        // The tooltip's difference follows the line.
        await page().locator("g.ais-row rect.ais-segment").first().hover();
        const tooltip = (await callsOf("tooltip", "show")).at(-1)?.args[0] as {
            dataItems: { displayName: string; value: string }[];
        };
        const versus = tooltip.dataItems.find((item) => item.displayName === "vs statewide");
        expect(versus?.value).toBe(`+${(((own - statewide) / statewide) * 100).toFixed(1)}%`);

        // Without the Reference well, the same rows can only show their own figure, and say so.
        await show(costSample({ ...library, reference: false }), {}, tall);
        expect(await page().locator(".ais-reference-label").textContent()).toBe(
            `Average of agencies shown $${Math.round(own).toLocaleString("en-US")}`,
        );
        await screenshot("cost-one-agency");
    });

    it("asks for more rows when Power BI has more segments, and shows the warning icon when the host has none to give", async () => {
        await show({ ...cost.sample(), moreSegments: true }, {}, tall);
        expect((await callsOf("host", "fetchMoreData")).map((call) => call.args)).toEqual([[true]]);
        const warnings = await callsOf("host", "displayWarningIcon");
        expect(warnings).toHaveLength(1);
        // Title and detail in the user's language, from the package's strings (not resource keys).
        expect(
            warnings[0].args.every((text) => typeof text === "string" && text.length > 0 && !/^Warning_/.test(text)),
        ).toBe(true);
        expect(await page().locator("g.ais-row").count()).toBe(figures.agencies.length);
    });

    it("shows the whole agency name, its figures and its identity in the tooltip", async () => {
        await show(cost.sample());
        const first = page().locator("g.ais-row").first();
        const name = await first.locator("text.ais-name").textContent();
        await first.locator("rect.ais-segment").first().hover();
        const shown = await callsOf("tooltip", "show");
        expect(shown.length).toBeGreaterThan(0);
        const tooltip = shown[shown.length - 1].args[0] as {
            dataItems: { displayName: string; value: string }[];
            identities: string[];
        };
        expect(tooltip.dataItems[0]).toEqual({ displayName: "Agency", value: name });
        expect(tooltip.identities).toEqual([cost.selectionKey({ name: name as string, group: null })]);
        const agency = figures.agencies.find((one) => one.agencyName === name)!;
        const totalCost = tooltip.dataItems.find((item) => item.displayName === "Total cost");
        expect(totalCost?.value).toBe(`$${Math.round(agency.billedCost).toLocaleString("en-US")}`);
        await page().mouse.move(1, 1);
        await page().mouse.move(1, viewport.height + 50);
        expect((await callsOf("tooltip", "hide")).length).toBeGreaterThan(0);
    });
});

describe("the satisfaction view on the sample data, with the follow-up wells bound", () => {
    const { followUps } = expectedFigures();
    /** The state the row must show for the reference counts (en-US strings). */
    const stateText = (counts: { open: number; overdue: number; state: string | null }) =>
        counts.state === "Overdue"
            ? `▲ ${counts.overdue} overdue`
            : counts.state === "Open"
              ? `● ${counts.open} open`
              : counts.state === "Contacted"
                ? "✓ all contacted"
                : "";

    it("the DataView's follow-up cells, worked out from the CSVs, add up to expected.json's figures for every agency", () => {
        const cells = [...sampleFollowUpCells()].map(([key, cell]) => ({ agency: JSON.parse(key)[0] as string, cell }));
        for (const agency of followUps.agencies) {
            const own = cells.filter((one) => one.agency === agency.agencyName).map((one) => one.cell);
            const sum = (pick: (cell: (typeof own)[number]) => number) => own.reduce((a, cell) => a + pick(cell), 0);
            expect([agency.agencyName, sum((c) => c.open), sum((c) => c.overdue)]).toEqual([
                agency.agencyName,
                agency.open,
                agency.overdue,
            ]);
        }
    });

    it("shows each agency's follow-up state with its counts, as expected.json has them, and every state occurs", async () => {
        await show(satisfactionSample({ followUps: true }), {}, tall);
        const labels = await page().$$eval("g.ais-row.ais-sat-row", (nodes) =>
            nodes.map((node) => node.getAttribute("aria-label") ?? ""),
        );
        const followUpTexts = await page().$$eval("g.ais-row.ais-sat-row text.ais-sat-followup", (nodes) =>
            nodes.map((node) => node.textContent ?? ""),
        );
        expect(followUpTexts).toHaveLength(labels.length);
        const shown = followUps.agencies.filter((agency) => agency.lowRatings > 0);
        expect(shown.length).toBeGreaterThan(0);
        for (const agency of shown) {
            const index = labels.findIndex((label) => label.startsWith(`${agency.agencyName}, `));
            expect([agency.agencyName, index >= 0]).toEqual([agency.agencyName, true]);
            // The share of ratings below 4, then the state: "18% (15) ▲ 4 overdue".
            expect([agency.agencyName, followUpTexts[index].endsWith(` ${stateText(agency)}`)]).toEqual([
                agency.agencyName,
                true,
            ]);
            expect(labels[index].endsWith(stateText(agency))).toBe(true);
        }
        // The sample shows every state.
        expect(new Set(shown.map((agency) => agency.state))).toEqual(new Set(["Overdue", "Open", "Contacted"]));
        // The statewide row adds up all agencies: the statewide figures.
        const statewide = await page().locator("g.ais-sat-statewide text.ais-sat-followup").textContent();
        expect(statewide?.endsWith(` ${stateText(followUps.statewide)}`)).toBe(true);
        await screenshot("satisfaction-follow-ups");

        // Without the wells, the same rows show the share alone, as before.
        await show(satisfactionSample(), {}, tall);
        const plain = await page().$$eval("g.ais-row.ais-sat-row text.ais-sat-followup", (nodes) =>
            nodes.map((node) => node.textContent ?? ""),
        );
        expect(plain.some((text) => /overdue|open|contacted/.test(text))).toBe(false);
    });

    it("lists an agency's open follow-ups by date and service in the tooltip", async () => {
        const cells = sampleFollowUpCells();
        // An agency with open follow-ups, few enough to be listed whole.
        const agency = followUps.agencies.find((one) => one.open > 0 && one.open <= 8)!;
        const expected = [...cells]
            .filter(([key]) => JSON.parse(key)[0] === agency.agencyName)
            .flatMap(([, cell]) => (cell.list ?? "").split("\n").filter(Boolean))
            .sort()
            .map((line) => line.split("\t"))
            // A response about no service is shown as such.
            .map(([day, service]) => ({ displayName: `Open since ${day}`, value: service || "(no service)" }));
        expect(expected).toHaveLength(agency.open);
        await show(satisfactionSample({ followUps: true }), {}, tall);
        const rows = page().locator("g.ais-row.ais-sat-row");
        const labels = await rows.evaluateAll((nodes) => nodes.map((node) => node.getAttribute("aria-label") ?? ""));
        const row = rows.nth(labels.findIndex((label) => label.startsWith(`${agency.agencyName}, `)));
        await row.locator("g.ais-sat-segment rect").first().hover();
        const tooltip = (await callsOf("tooltip", "show")).at(-1)?.args[0] as {
            dataItems: { displayName: string; value: string }[];
        };
        expect(tooltip.dataItems.filter((item) => item.displayName.startsWith("Open since"))).toEqual(expected);
        expect(tooltip.dataItems.find((item) => item.displayName === "Follow-up")?.value).toBe(
            `${agency.open} open, ${agency.overdue} overdue`,
        );
    });
});

const interactive = viewCases.filter((view) => view.selectors !== null);

describe.each(interactive)("the $view view as a user works it", (view) => {
    const selectors = view.selectors!;
    const items = () => page().locator(selectors.item);
    /** The sample name a shown name stands for: itself, or the one it starts with when shortened with an ellipsis. */
    const whole = (shown: string, names: string[] = []) => {
        const start = shortenedStart(shown);
        if (start === null) return shown;
        const matches = [...new Set(names.filter((name) => name.startsWith(start)))];
        if (matches.length !== 1) throw new Error(`"${shown}" matches ${matches.length} sample names`);
        return matches[0];
    };
    /** The selection key of the index-th item: its name, and the header it sits under. */
    const keyOf = async (index: number) => {
        const shown = await items()
            .nth(index)
            .evaluate(
                (node, { name, group }) => {
                    let header: Element | null = null;
                    if (group) {
                        for (
                            let sibling = node.previousElementSibling;
                            sibling && !header;
                            sibling = sibling.previousElementSibling
                        ) {
                            if (sibling.matches(group.header)) header = sibling;
                        }
                    }
                    return {
                        name: node.querySelector(name)?.textContent ?? "",
                        group: header?.querySelector(group!.name)?.textContent ?? null,
                    };
                },
                { name: selectors.name, group: selectors.group ?? null },
            );
        return view.selectionKey({
            name: whole(shown.name, view.sampleNames?.()),
            group: shown.group === null ? null : whole(shown.group, view.sampleGroups?.()),
        });
    };
    const selected = () =>
        page().$$eval(selectors.item, (nodes) => nodes.map((node) => node.getAttribute("aria-selected") === "true"));

    /** A point of the visual that is no item, label or line: the empty strip above the rows. */
    async function emptyPoint(): Promise<{ x: number; y: number }> {
        const find = () =>
            page().evaluate((itemSelector) => {
                // The shown view's chart (the other views' stay in the DOM, hidden).
                const svg = [...document.querySelectorAll(".visual-container svg:not(.ais-swatch)")]
                    .find((node) => !node.closest(".ais-hidden"))!
                    .getBoundingClientRect();
                for (let y = svg.top + 1; y < svg.bottom; y += 2) {
                    for (const x of [svg.left + 2, svg.right - 2]) {
                        const hit = document.elementFromPoint(x, y);
                        if (
                            hit &&
                            !hit.closest(itemSelector) &&
                            hit.closest("svg") &&
                            !hit.closest("g[role]") &&
                            hit.tagName !== "text" &&
                            hit.tagName !== "line"
                        )
                            return { x, y };
                    }
                }
                return null;
            }, selectors.item);
        let point = await find();
        if (!point) {
            // A long list fills the visual: the user scrolls to its end, where the chart's margin is.
            await page().evaluate(() =>
                document.querySelectorAll(".visual-container .ais-scroll").forEach((node) => {
                    node.scrollTop = node.scrollHeight;
                }),
            );
            // Views draw the rows in view on the next frames after a scroll: look once they have.
            await page().evaluate(
                () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
            );
            point = await find();
        }
        if (!point) throw new Error("No empty space in the chart to click, even at the end of the list.");
        return point;
    }

    beforeEach(async () => {
        await show(view.sample());
        await clearCalls();
    });

    it("selects on click with the item's identity, adds with Ctrl-click, and clears on an empty click", async () => {
        const [first, second] = [await keyOf(0), await keyOf(1)];
        await items().nth(0).click();
        expect((await callsOf("selection", "select")).map((call) => call.args)).toEqual([[first, false]]);
        expect((await selected()).slice(0, 2)).toEqual([true, false]);

        await items()
            .nth(1)
            .click({ modifiers: ["Control"] });
        expect((await callsOf("selection", "select")).map((call) => call.args)[1]).toEqual([second, true]);
        expect((await selected()).filter(Boolean)).toHaveLength(2);
        await screenshot(`${view.view}-selected`);

        const empty = await emptyPoint();
        await page().mouse.click(empty.x, empty.y);
        expect(await callsOf("selection", "clear")).toHaveLength(1);
        expect((await selected()).some(Boolean)).toBe(false);
    });

    it("opens the context menu on right-click, with the item's identity or none on empty space", async () => {
        const first = await keyOf(0);
        await items().nth(0).click({ button: "right" });
        const empty = await emptyPoint();
        await page().mouse.click(empty.x, empty.y, { button: "right" });
        const menus = (await callsOf("selection", "showContextMenu")).map((call) => call.args);
        expect(menus).toHaveLength(2);
        expect(menus[0][0]).toBe(first);
        expect(menus[1][0]).toBeNull();
        expect(menus[1][1]).toEqual({ x: Math.round(empty.x * 100) / 100, y: Math.round(empty.y * 100) / 100 });
        expect(await callsOf("selection", "select")).toEqual([]);
    });

    it("is one Tab stop, with the arrows between the items, Enter and Space to select and Escape to clear", async () => {
        const [first, second] = [await keyOf(0), await keyOf(1)];
        const focusIn = () =>
            page().evaluate(
                (selector) => ({
                    inVisual: Boolean(document.activeElement?.closest(".visual-container")),
                    onItem: document.activeElement?.matches(selector) ?? false,
                    stops: document.querySelectorAll('.visual-container [tabindex="0"]').length,
                }),
                selectors.item,
            );
        // Something focusable after the visual, as a report page has: Tab must reach it from any row.
        await page().evaluate(() => {
            const after = document.createElement("button");
            after.id = "after-visual";
            document.querySelector(".visual-container")!.after(after);
        });
        let focus = await focusIn();
        for (let press = 0; press < 5 && !focus.inVisual; press++) {
            await page().keyboard.press("Tab");
            focus = await focusIn();
        }
        expect(focus).toMatchObject({ inVisual: true, stops: 1 });
        // The first stop may be a header row (a team, the statewide row): the arrows go on to the items.
        for (let press = 0; press < 3 && !focus.onItem; press++) {
            await page().keyboard.press("ArrowDown");
            focus = await focusIn();
        }
        expect(focus).toMatchObject({ onItem: true, stops: 1 });
        await page().keyboard.press("Enter");
        await page().keyboard.press("ArrowDown");
        await page().keyboard.press("Space");
        await page().keyboard.press("Escape");
        expect((await callsOf("selection", "select")).map((call) => call.args)).toEqual([
            [first, false],
            [second, false],
        ]);
        expect(await callsOf("selection", "clear")).toHaveLength(1);
        await screenshot(`${view.view}-focused`);
        // The next Tab leaves the view, not the next row; Shift+Tab comes back to the row left.
        const left = await page().evaluate(() => document.activeElement?.getAttribute("aria-label"));
        await page().keyboard.press("Tab");
        expect(await page().evaluate(() => document.activeElement?.id)).toBe("after-visual");
        await page().keyboard.press("Shift+Tab");
        expect(await page().evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(left);
    });

    it("does nothing on click or right-click where the host does not allow interactions", async () => {
        await show(view.sample(), { allowInteractions: false });
        await clearCalls();
        await items().nth(0).click();
        await items().nth(0).click({ button: "right" });
        expect(await callsOf("selection")).toEqual([]);
    });

    it("shows a bookmark's selection again", async () => {
        const second = await keyOf(1);
        await page().evaluate((key) => window.aisHarness.restoreSelection([key]), second);
        expect((await selected()).slice(0, 2)).toEqual([false, true]);
    });

    it("lays out again on resize without recreating a node, and without rebuilding the data", async () => {
        const before = await page().evaluate((selector) => {
            const nodes = [...document.querySelectorAll(".visual-container *")];
            nodes.forEach((node, index) => {
                (node as unknown as { aisMark: number }).aisMark = index;
            });
            const svg = [...document.querySelectorAll(".visual-container svg:not(.ais-swatch)")].find(
                (node) => !node.closest(".ais-hidden"),
            );
            return {
                count: nodes.length,
                items: document.querySelectorAll(selector).length,
                width: svg?.getAttribute("width"),
            };
        }, selectors.item);
        await clearCalls();
        await update(UpdateType.Resize, { width: 420, height: 300 });
        await update(UpdateType.ResizeEnd, { width: 420, height: 300 });
        const after = await page().evaluate(() => {
            const nodes = [...document.querySelectorAll(".visual-container *")];
            return {
                count: nodes.length,
                unmarked: nodes
                    .filter((node) => (node as unknown as { aisMark?: number }).aisMark === undefined)
                    .map((node) => node.outerHTML.slice(0, 80)),
                width: [...document.querySelectorAll(".visual-container svg:not(.ais-swatch)")]
                    .find((node) => !node.closest(".ais-hidden"))
                    ?.getAttribute("width"),
                right: Math.max(
                    ...[...document.querySelectorAll(".visual-container svg *")].map(
                        (node) => node.getBoundingClientRect().right,
                    ),
                ),
                container: document.querySelector(".visual-container")!.getBoundingClientRect().right,
            };
        });
        // Smaller, it may draw fewer rows (views draw the rows in view), but every node left is the one it had.
        expect(after.unmarked).toEqual([]);
        expect(after.count).toBeGreaterThan(0);
        expect(after.count).toBeLessThanOrEqual(before.count);
        expect(after.width).not.toBe(before.width);
        expect(after.right).toBeLessThanOrEqual(after.container + 0.5);
        expect(await callsOf("host", "createSelectionIdBuilder")).toEqual([]);
        await expectRenderingEvents([UpdateType.Resize, UpdateType.ResizeEnd]);
        await screenshot(`${view.view}-small`);
    });

    it("keeps dimmed text at 3:1 contrast or more, computed from the colors and opacities drawn", async () => {
        await items().nth(0).click();
        const texts = await page().evaluate(() => {
            const rgb = (color: string) => (color.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
            /** The element's own opacity times its ancestors', up to the visual. */
            const opacityOf = (node: Element | null) => {
                let opacity = 1;
                for (let at = node; at && !at.classList.contains("visual-container"); at = at.parentElement)
                    opacity *= Number(getComputedStyle(at).opacity);
                return opacity;
            };
            const over = (color: number[], alpha: number, under: number[]) =>
                color.map((channel, index) => alpha * channel + (1 - alpha) * under[index]);
            const white = [255, 255, 255];
            return [...document.querySelectorAll(".visual-container .ais-dimmed text")]
                .filter((node) => (node.textContent ?? "").trim() !== "" && !node.closest(".ais-hidden"))
                .map((node) => {
                    // A badge's and a rating share's text sit on their fill; any other text on the white page.
                    const badge = node.closest(".ais-badge, .ais-sat-segment")?.querySelector("rect") ?? null;
                    const under = badge ? over(rgb(getComputedStyle(badge).fill), opacityOf(badge), white) : white;
                    return {
                        text: node.textContent ?? "",
                        color: over(rgb(getComputedStyle(node).fill), opacityOf(node), under),
                        background: under,
                    };
                });
        });
        const hex = (color: number[]) =>
            "#" + color.map((channel) => Math.round(channel).toString(16).padStart(2, "0")).join("");
        expect(texts.length).toBeGreaterThan(0);
        const low = texts
            .map((text) => ({ text: text.text, ratio: contrastRatio(hex(text.color), hex(text.background)) }))
            .filter((text) => text.ratio < 3);
        expect(low).toEqual([]);
    });

    /** Shows the sample in high contrast; returns how to list the colors painted and those off the palette. */
    async function highContrast() {
        await show(view.sample(), { highContrast: true });
        await page().evaluate(() => {
            document.body.style.background = "#000000";
        });
        const colorsInUse = () =>
            page().evaluate(() => {
                const found = new Map<string, string>();
                const container = document.querySelector(".visual-container")!;
                for (const node of [container, ...container.querySelectorAll("*")]) {
                    if ((node as HTMLElement).closest(".ais-hidden")) continue;
                    const style = getComputedStyle(node);
                    if (style.display === "none" || style.visibility === "hidden") continue;
                    const properties: string[] = ["color", "background-color"];
                    if (node instanceof SVGElement) properties.push("fill", "stroke");
                    if (node instanceof HTMLElement) properties.push("border-top-color");
                    for (const property of properties) {
                        const value = style.getPropertyValue(property);
                        if (property === "border-top-color" && style.borderTopStyle === "none") continue;
                        if (property === "stroke" && (style.strokeWidth === "0px" || value === "none")) continue;
                        // Text color matters where there is text: an SVG text (its fill is currentColor) or an element's own text.
                        const ownText = [...node.childNodes].some(
                            (child) => child.nodeType === Node.TEXT_NODE && (child.textContent ?? "").trim() !== "",
                        );
                        if (property === "color" && !ownText) continue;
                        if (!value || value === "none" || value === "transparent" || value === "rgba(0, 0, 0, 0)")
                            continue;
                        // A pattern fill (the cost view's hatches): the pattern's own shapes are checked as elements.
                        if (value.startsWith("url(")) continue;
                        const label = `${property} ${value}`;
                        if (!found.has(label))
                            found.set(
                                label,
                                `${node.tagName.toLowerCase()}.${(node.getAttribute("class") ?? "").replace(/ /g, ".")}`,
                            );
                    }
                    // Opacity blends the foreground into the background: a color that is not the palette's.
                    if (Number(style.opacity) < 1)
                        found.set(
                            `opacity ${style.opacity}`,
                            `${node.tagName.toLowerCase()}.${(node.getAttribute("class") ?? "").replace(/ /g, ".")}`,
                        );
                }
                return [...found.entries()].map(([color, where]) => `${color} (${where})`);
            });
        const allowed = Object.values(HighContrastPalette).map((hex) => {
            const [r, g, b] = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16));
            return `rgb(${r}, ${g}, ${b})`;
        });
        const offPalette = (found: string[]) =>
            found.filter((entry) => !allowed.some((color) => entry.includes(` ${color} (`)));
        return { colorsInUse, offPalette };
    }

    it("uses only the palette's foreground and background in high-contrast mode, selected or not", async () => {
        const { colorsInUse, offPalette } = await highContrast();
        expect(offPalette(await colorsInUse())).toEqual([]);
        await screenshot(`${view.view}-high-contrast`);
        await items().nth(0).click();
        expect(offPalette(await colorsInUse())).toEqual([]);
        await screenshot(`${view.view}-high-contrast-selected`);
    });
});

describe("the goal view's status badges", () => {
    const goals = viewCases.find((one) => one.view === "goals") as ViewCase;

    it.each([
        { locale: "en-US", textSize: 9 },
        { locale: "en-US", textSize: 16 },
        { locale: "es-ES", textSize: 9 },
        { locale: "es-ES", textSize: 16 },
    ])("keep their bold text inside the badge in $locale at $textSize pt", async ({ locale, textSize }) => {
        await show({ ...goals.sample(), objects: { labels: { fontSize: textSize } } }, { locale });
        const badges = await page().$$eval(".ais-goals:not(.ais-hidden) .ais-badge", (nodes) =>
            nodes.map((node) => {
                const box = node.querySelector("rect")!.getBoundingClientRect();
                const text = node.querySelector("text")!.getBoundingClientRect();
                return { text: node.textContent, overflow: text.right - box.right, inside: text.left >= box.left };
            }),
        );
        expect(badges.length).toBeGreaterThan(0);
        expect(badges.filter((badge) => badge.overflow > 0.5 || !badge.inside)).toEqual([]);
        if (locale === "es-ES") expect(badges.map((badge) => badge.text)).not.toContain("● En curso");
    });
});

describe("the static preview (npm start)", () => {
    it("shows every view of the packaged visual from file://, with no server, no network and no errors", async () => {
        const folder = fs.mkdtempSync(path.join(os.tmpdir(), "ais-preview-"));
        try {
            const result = await writePreview(folder);
            expect(result.views).toEqual(viewCases.map((view) => view.view));
            const html = fs.readFileSync(result.file, "utf8");
            expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="(?!data:)/);
            await session().reload();
            const requests: string[] = [];
            page().on("request", (request) => requests.push(request.url()));
            await page().goto(pathToFileURL(result.file).href);
            await page().waitForSelector("body[data-ready=true]");
            for (const view of viewCases) {
                const section = page().locator(`#ais-view-${view.view} .visual-container`);
                await expect(section.count()).resolves.toBe(1);
                if (view.selectors) expect(await section.locator(view.selectors.item).count()).toBeGreaterThan(0);
            }
            await page().locator("#ais-hc").check();
            await expect(page().locator(".visual-container").count()).resolves.toBe(viewCases.length);
            await page().locator("#ais-hc").uncheck();
            await page().screenshot({ path: path.join(screenshots, "preview.png"), fullPage: true });
            expect(requests.filter((url) => url !== pathToFileURL(result.file).href)).toEqual([]);
        } finally {
            removeDir(folder);
        }
    });
});
