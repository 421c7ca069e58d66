import powerbi from "powerbi-visuals-api";
import { mountVisual, UpdateType, withObjects } from "../support/host";
import { satisfactionDataView, SatisfactionFact } from "../support/satisfactionDataViews";

jest.mock("../../src/textMeasurer", () => jest.requireActual("../support/fakeTextMeasurer"));

/** An agency's responses as counts per rating 1..5. */
function agency(name: string, counts: number[], extra: Partial<SatisfactionFact> = {}): SatisfactionFact[] {
    return counts
        .map((responses, index) => ({ agency: name, rating: index + 1, responses, ...extra }))
        .filter((fact) => fact.responses !== 0);
}

const facts: SatisfactionFact[] = [
    ...agency("Revenue", [2, 2, 4, 8, 4]), // 20 responses, follow-up 40%
    ...agency("Parks", [0, 0, 2, 10, 8]), // 20 responses, follow-up 10%
    ...agency("Transportation", [1, 0, 0, 0, 2]), // 3 responses: few
];
/** The state's own view: every agency shown, so the model's statewide counts are their sums, bound as the report binds them. */
const everyAgency = {
    statewide: [1, 2, 3, 4, 5].map((rating) =>
        facts.filter((f) => f.rating === rating).reduce((sum, f) => sum + (f.responses as number), 0),
    ),
};

let mounted: ReturnType<typeof mountVisual>;
beforeEach(() => {
    mounted = mountVisual();
});
afterEach(() => mounted.unmount());

const rows = () => [...mounted.element.querySelectorAll<SVGGElement>("g.ais-sat-row")];
const agencyRows = () => [...mounted.element.querySelectorAll<SVGGElement>("g.ais-rows g.ais-sat-row")];
const text = (node: Element, selector: string) => node.querySelector(selector)!.textContent;
const names = () => rows().map((node) => text(node, "text.ais-name"));
const row = (name: string) => rows().find((node) => text(node, "text.ais-name") === name)!;
const statewide = () => mounted.element.querySelector<SVGGElement>("g.ais-sat-statewide")!;
const num = (element: Element | null, attribute: string) => Number(element!.getAttribute(attribute));
const message = () =>
    [...mounted.element.querySelectorAll(".ais-message h2, .ais-message p")].map((node) => node.textContent);
const click = (target: Element, init: MouseEventInit = {}) =>
    target.dispatchEvent(new MouseEvent("click", { bubbles: true, ...init }));
const segments = (node: Element) =>
    [...node.querySelectorAll("g.ais-sat-segment")].map((piece) => {
        const rect = piece.querySelector("rect")!;
        return {
            rating: Number(piece.getAttribute("data-rating")),
            x: num(rect, "x"),
            width: num(rect, "width"),
            fill: rect.getAttribute("fill"),
        };
    });
const center = () => num(mounted.element.querySelector("line.ais-sat-center"), "x1");

function expectBalancedRenderingEvents(updates: number) {
    const events = mounted.callsOf("events").map((call) => call.method);
    const expected: string[] = [];
    for (let i = 0; i < updates; i++) expected.push("renderingStarted", "renderingFinished");
    expect(events).toEqual(expected);
}

describe("the satisfaction view as a user sees it", () => {
    it("is chosen when Rating or Responses is bound, and names the missing fields", () => {
        const full = satisfactionDataView(facts, everyAgency);
        const only = (...roles: string[]): powerbi.DataView => {
            const columns = full.metadata.columns.filter((c) => roles.some((role) => c.roles?.[role]));
            return {
                metadata: { columns },
                categorical: {
                    categories: full.categorical!.categories!.filter((c) =>
                        roles.some((role) => c.source.roles?.[role]),
                    ),
                    values: roles.includes("responses") ? full.categorical!.values : undefined,
                },
            };
        };
        mounted.update(only("rating"));
        expect(message()).toEqual([
            "Agency satisfaction",
            "To show this view, add these fields: Agency, Responses",
            "Agency satisfaction: bind Agency, Rating and Responses.",
        ]);
        mounted.update(only("agency", "responses"));
        expect(message()).toContain("To show this view, add these fields: Rating");
        mounted.update(full);
        expect(agencyRows()).toHaveLength(3);
        expect(mounted.element.querySelector(".ais-message")!.classList.contains("ais-hidden")).toBe(true);
        mounted.update(undefined);
        expect(mounted.element.querySelector(".ais-sat")!.classList.contains("ais-hidden")).toBe(true);
        expect(message()[0]).toBe("Agency IT Scorecard");
        expectBalancedRenderingEvents(4);
    });

    it("shows a statewide row on top, then agencies by follow-up share, with average, responses and follow-up", () => {
        mounted.update(satisfactionDataView(facts, everyAgency));
        expect(names()).toEqual(["Statewide", "Revenue", "Transportation", "Parks"]);
        const columns = (node: Element) =>
            ["text.ais-sat-average", "text.ais-sat-responses", "text.ais-sat-followup"].map((selector) =>
                text(node, selector),
            );
        // Statewide from all 43 responses: (3 + 4 + 18 + 72 + 70) / 43 = 3.88..., follow-up 11 of 43 (25.6%):
        // Revenue's 8 of 20 and Transportation's 1 of 3 are above it and marked, Parks' 2 of 20 is not.
        expect(columns(row("Revenue"))).toEqual(["3.5", "20", "↑ 40.0% (8)"]);
        expect(columns(row("Transportation"))).toEqual(["3.7", "3 (few)", "↑ 33.3% (1)"]);
        expect(columns(row("Parks"))[2]).toBe("10.0% (2)");
        expect(columns(statewide())).toEqual(["3.9", "43", "25.6% (11)"]);
        expect(row("Revenue").getAttribute("aria-label")).toContain("follow-up share above statewide");
        expect(row("Parks").getAttribute("aria-label")).not.toContain("above statewide");
        const legend = mounted.element.querySelector(".ais-sat .ais-legend")!.textContent;
        expect(legend).toContain("↑ follow-up share above statewide");
        expect(row("Transportation").classList.contains("ais-sat-low")).toBe(true);
        expect(row("Revenue").classList.contains("ais-sat-low")).toBe(false);
        const notes = [...mounted.element.querySelectorAll(".ais-sat .ais-notes p")].map((p) => p.textContent);
        expect(notes).toEqual(["(few): fewer than 10 responses, too few to read as a trend."]);
    });

    it("shows each agency's follow-up state beside its share when the follow-up wells are bound, and none without", () => {
        const withFollowUps: SatisfactionFact[] = [
            {
                agency: "Revenue",
                rating: 1,
                responses: 2,
                open: 2,
                overdue: 1,
                openList: "2025-06-02\tSaaS\n2025-06-25\t",
            },
            { agency: "Revenue", rating: 5, responses: 3, open: 0, overdue: 0 },
            { agency: "Parks", rating: 3, responses: 1, open: 0, overdue: 0 },
            { agency: "Parks", rating: 4, responses: 9, open: 0, overdue: 0 },
        ];
        mounted.update(satisfactionDataView(withFollowUps, { followUps: ["open", "overdue", "list"] }));
        // Revenue's 2 of 5 is above the statewide 3 of 15.
        expect(text(row("Revenue"), "text.ais-sat-followup")).toBe("↑ 40.0% (2) ▲ 1 overdue");
        expect(text(row("Parks"), "text.ais-sat-followup")).toBe("10.0% (1) ✓ all contacted");
        expect(text(statewide(), "text.ais-sat-followup")).toBe("20.0% (3) ▲ 1 overdue");
        expect(mounted.element.textContent).not.toMatch(/NaN|undefined/);
        // Unbound: the view as before, the same rows updated in place.
        const node = row("Revenue");
        mounted.update(satisfactionDataView(withFollowUps));
        expect(row("Revenue")).toBe(node);
        expect(text(row("Revenue"), "text.ais-sat-followup")).toBe("↑ 40.0% (2)");
        expect(text(row("Parks"), "text.ais-sat-followup")).toBe("10.0% (1)");
        expectBalancedRenderingEvents(2);
    });

    it("drops the follow-up count, then puts the state on a line under the share, rather than shortening either", () => {
        const overdue: SatisfactionFact[] = [
            { agency: "Revenue", rating: 1, responses: 2, open: 2, overdue: 2 },
            { agency: "Revenue", rating: 5, responses: 3, open: 0, overdue: 0 },
            { agency: "Parks", rating: 3, responses: 1, open: 0, overdue: 0 },
            { agency: "Parks", rating: 4, responses: 9, open: 0, overdue: 0 },
        ];
        const followUp = (width: number) => {
            mounted.update(satisfactionDataView(overdue, { followUps: ["open", "overdue"] }), UpdateType.Resize, {
                width,
                height: 400,
            });
            const state = row("Revenue").querySelector("text.ais-sat-followup-state")!;
            const bar = row("Revenue").querySelector("g.ais-sat-segment rect")!;
            return {
                share: text(row("Revenue"), "text.ais-sat-followup"),
                state: state.classList.contains("ais-hidden") ? null : state.textContent,
                stateBelowBar: num(state, "y") > num(bar, "y") + num(bar, "height"),
            };
        };
        // Revenue: 2 of 5 below 4 (40.0%), above the statewide 3 of 15, both overdue.
        expect(followUp(640)).toMatchObject({ share: "↑ 40.0% (2) ▲ 2 overdue", state: null });
        // The test font is 0.6 em a character at 12 px (9 pt): 7.2 px. At 240 px, less 2 × 8 px padding and
        // a 10 px gap, the whole text (23 characters, 165.6 px) leaves the bars under 60 px; without its
        // count (19, 136.8 px) it leaves them 77 px. At 180 px neither leaves 60: two lines.
        expect(followUp(240)).toMatchObject({ share: "↑ 40.0% ▲ 2 overdue", state: null });
        expect(followUp(180)).toEqual({ share: "↑ 40.0%", state: "▲ 2 overdue", stateBelowBar: true });
        const followUps = [...mounted.element.querySelectorAll(".ais-sat-followup, .ais-sat-followup-state")];
        expect(followUps.map((node) => node.textContent).filter((shown) => shown!.includes("…"))).toEqual([]);
    });

    it("draws ratings 1-3 left of the center line and 4-5 right of it, widths in proportion to their shares", () => {
        mounted.update(satisfactionDataView(facts, everyAgency));
        const zero = center();
        const revenue = segments(row("Revenue"));
        expect(revenue.map((s) => s.rating)).toEqual([1, 2, 3, 4, 5]);
        const left = revenue.filter((s) => s.rating <= 3);
        const right = revenue.filter((s) => s.rating >= 4);
        // Left pieces end at the center, rating 1 outermost; right pieces start at the center.
        expect(left[2].x + left[2].width).toBeCloseTo(zero, 6);
        expect(left[0].x + left[0].width).toBeCloseTo(left[1].x, 6);
        expect(right[0].x).toBeCloseTo(zero, 6);
        expect(right[1].x).toBeCloseTo(right[0].x + right[0].width, 6);
        const leftWidth = left.reduce((sum, s) => sum + s.width, 0);
        const rightWidth = right.reduce((sum, s) => sum + s.width, 0);
        expect(leftWidth / rightWidth).toBeCloseTo(8 / 12, 6);
        expect(left[0].width / right[0].width).toBeCloseTo(2 / 8, 6);
        // Same scale for every row: Parks' 50% of rating 4 is as wide as Revenue's 40% x 5/4.
        const parksFour = segments(row("Parks")).find((s) => s.rating === 4)!;
        expect(parksFour.width / right[0].width).toBeCloseTo(0.5 / 0.4, 6);
        // Colors run from negative to positive and the header says which side is which.
        expect(new Set(revenue.map((s) => s.fill)).size).toBe(5);
        const lowLabel = mounted.element.querySelector(".ais-sat-side-low")!;
        const highLabel = mounted.element.querySelector(".ais-sat-side-high")!;
        expect(lowLabel.textContent).toBe("◂ 1-3 needs follow-up");
        expect(lowLabel.getAttribute("text-anchor")).toBe("end");
        expect(num(lowLabel, "x")).toBeLessThan(zero);
        expect(highLabel.textContent).toBe("4-5 ▸");
        expect(num(highLabel, "x")).toBeGreaterThan(zero);
        expect([...mounted.element.querySelectorAll(".ais-sat .ais-legend-text")].map((n) => n.textContent)).toEqual([
            "1 Very dissatisfied",
            "2 Dissatisfied",
            "3 Neutral",
            "4 Satisfied",
            "5 Very satisfied",
        ]);
    });

    it("labels each rating's share inside its segment where it fits", () => {
        mounted.update(satisfactionDataView(facts, everyAgency), UpdateType.Data, { width: 900, height: 400 });
        const shares = [...row("Parks").querySelectorAll("text.ais-sat-share")].map((n) => n.textContent);
        expect(shares).toEqual(["10.0%", "50.0%", "40.0%"]);
        mounted.update(
            withObjects(satisfactionDataView(facts, everyAgency), { labels: { show: false } }),
            UpdateType.Data,
            {
                width: 900,
                height: 400,
            },
        );
        expect([...row("Parks").querySelectorAll("text.ais-sat-share")].every((n) => n.textContent === "")).toBe(true);
    });

    it("puts names above their bars below 300 px, whole where they fit, and beside them in a wider visual", () => {
        const nameAndBar = (name: string) => {
            const node = row(name);
            const label = node.querySelector("text.ais-name tspan")!;
            const bar = node.querySelector("g.ais-sat-segment rect")!;
            return {
                anchor: node.querySelector("text.ais-name")!.getAttribute("text-anchor"),
                y: num(label, "y"),
                barTop: num(bar, "y"),
                text: label.textContent,
            };
        };
        mounted.update(satisfactionDataView(facts, everyAgency), UpdateType.Data, { width: 250, height: 400 });
        for (const name of ["Statewide", "Revenue", "Transportation", "Parks"]) {
            const shown = nameAndBar(name);
            expect([name, shown.anchor, shown.y < shown.barTop]).toEqual([name, "start", true]);
        }
        // Stacked, each row draws the center line on its bar only, so it crosses no name.
        const agencyCenter = row("Revenue").querySelector("line.ais-sat-center")!;
        expect(agencyCenter.classList.contains("ais-hidden")).toBe(false);
        expect(num(agencyCenter, "y1")).toBeGreaterThan(nameAndBar("Revenue").y);
        expect(
            mounted.element.querySelector("svg.ais-sat-chart > line.ais-sat-center")!.classList.contains("ais-hidden"),
        ).toBe(true);
        // A name too long for one line above its bar takes two, whole.
        const long = "Department of Environmental Quality and Natural Resources";
        mounted.update(satisfactionDataView([...facts, ...agency(long, [1, 1, 2, 3, 3])]), UpdateType.Data, {
            width: 250,
            height: 400,
        });
        const longName = row(long).querySelectorAll("text.ais-name tspan");
        expect([...longName].map((line) => line.textContent!.trim() !== "")).toEqual([true, true]);
        expect(num(longName[1], "y")).toBeGreaterThan(num(longName[0], "y"));
        mounted.update(satisfactionDataView(facts, everyAgency), UpdateType.Data, { width: 640, height: 400 });
        const beside = nameAndBar("Transportation");
        expect([beside.anchor, beside.y > beside.barTop]).toEqual(["end", true]);
        expect(row("Revenue").querySelector("line.ais-sat-center")!.classList.contains("ais-hidden")).toBe(true);
    });

    it("recolors the share labels with Data labels' Color, and leaves the headers and columns in the text color", () => {
        const size = { width: 900, height: 400 };
        const shareFills = () =>
            [...row("Parks").querySelectorAll("text.ais-sat-share")].map((n) => n.getAttribute("fill"));
        const others = () =>
            [
                ...mounted.element.querySelectorAll(".ais-sat-header text"),
                ...row("Parks").querySelectorAll("text.ais-name, text.ais-sat-average, text.ais-sat-followup"),
            ].map((n) => n.getAttribute("fill"));
        mounted.update(
            withObjects(satisfactionDataView(facts, everyAgency), {
                labels: { color: { solid: { color: "#A4262C" } } },
            }),
            UpdateType.Data,
            size,
        );
        expect(new Set(shareFills())).toEqual(new Set(["#A4262C"]));
        expect(new Set(others())).toEqual(new Set(["currentColor"]));
        // As the card comes, each share is black or white, whichever its segment needs (rating 3's light orange: black).
        mounted.update(satisfactionDataView(facts, everyAgency), UpdateType.Data, size);
        const byRating = new Map(
            [...row("Parks").querySelectorAll("g.ais-sat-segment")].map((piece) => [
                piece.getAttribute("data-rating"),
                piece.querySelector("text")!.getAttribute("fill"),
            ]),
        );
        expect(byRating.get("3")).toBe("#000000");
        expect(byRating.get("5")).toBe("#ffffff");
        expect(new Set(others())).toEqual(new Set(["currentColor"]));
    });

    it("marks few-responses rows with a dashed outline, keeping each rating's own color at full strength", () => {
        mounted.update(satisfactionDataView(facts, everyAgency));
        const outline = (name: string) => row(name).querySelector("rect.ais-sat-few")!;
        expect(outline("Transportation").classList.contains("ais-hidden")).toBe(false);
        expect(outline("Revenue").classList.contains("ais-hidden")).toBe(true);
        const transportation = segments(row("Transportation"));
        expect(transportation.map((segment) => segment.fill)).toEqual(
            segments(row("Revenue"))
                .filter((segment) => segment.rating === 1 || segment.rating === 5)
                .map((segment) => segment.fill),
        );
        const opacities = [...row("Transportation").querySelectorAll<SVGRectElement>("g.ais-sat-segment rect")].map(
            (rect) => rect.style.opacity,
        );
        expect(new Set(opacities)).toEqual(new Set([""]));
        // The outline spans the bar, from its first segment's start to its last one's end.
        const first = transportation[0];
        const last = transportation[transportation.length - 1];
        expect(num(outline("Transportation"), "x")).toBeLessThanOrEqual(first.x);
        expect(num(outline("Transportation"), "x") + num(outline("Transportation"), "width")).toBeGreaterThanOrEqual(
            last.x + last.width,
        );
    });

    it("reports bad ratings with Power BI's warning icon and a note, and draws an agency without responses as such", () => {
        mounted.update(
            satisfactionDataView([
                ...facts,
                { agency: "Revenue", rating: 9, responses: 2 },
                { agency: "Silent", rating: 3, responses: null },
            ]),
        );
        expect(mounted.callsOf("host", "displayWarningIcon")[0].args).toEqual([
            "Some ratings are not 1-5",
            "2 responses have a rating that is not a whole number from 1 to 5. They are counted in the tooltip and not drawn.",
        ]);
        expect(mounted.element.querySelector(".ais-sat .ais-notes")!.textContent).toContain(
            "2 responses have a rating",
        );
        expect(segments(row("Silent"))).toEqual([]);
        expect(text(row("Silent"), "text.ais-sat-empty")).toBe("No responses");
        expect(segments(row("Revenue")).map((s) => s.rating)).toEqual([1, 2, 3, 4, 5]);
    });

    it("shows a trend of the average rating and the change against the previous period", () => {
        const jan = new Date(Date.UTC(2026, 0, 1));
        const feb = new Date(Date.UTC(2026, 1, 1));
        mounted.update(
            satisfactionDataView(
                [
                    ...agency("Revenue", [0, 10, 0, 0, 0], { period: jan }),
                    ...agency("Revenue", [0, 0, 0, 10, 0], { period: feb }),
                ],
                { period: true },
            ),
            UpdateType.Data,
            { width: 900, height: 400 },
        );
        expect(text(row("Revenue"), "text.ais-change")).toBe("+2.0");
        expect(row("Revenue").querySelector("path.ais-trend")!.getAttribute("d")).toMatch(/^M.+L/);
        expect(row("Revenue").querySelector("path.ais-trend")!.classList.contains("ais-hidden")).toBe(false);
    });

    it("updates rows in place when data changes or the visual is resized", () => {
        mounted.update(satisfactionDataView(facts, everyAgency));
        const before = row("Parks");
        const beforeState = statewide();
        const changed = facts.map((fact) =>
            fact.agency === "Parks" && fact.rating === 3 ? { ...fact, responses: 60 } : fact,
        );
        mounted.update(satisfactionDataView(changed));
        expect(row("Parks")).toBe(before);
        expect(statewide()).toBe(beforeState);
        expect(names()[1]).toBe("Parks");
        mounted.update(satisfactionDataView(changed), UpdateType.Resize, { width: 300, height: 200 });
        expect(row("Parks")).toBe(before);
        expect(num(mounted.element.querySelector("svg.ais-sat-chart"), "width")).toBe(300);
    });

    it("draws thousands of agencies in a scrolling list, keeping only the rows near the window in the DOM", () => {
        const many: SatisfactionFact[] = [];
        for (let i = 0; i < 2000; i++)
            many.push(...agency(`Agency ${String(i).padStart(4, "0")}`, [i % 3, 1, 0, 2, 5]));
        mounted.update(withObjects(satisfactionDataView(many), { satisfaction: { sort: "name" } }));
        const scroller = mounted.element.querySelector<HTMLElement>(".ais-sat .ais-scroll")!;
        // The header band and the statewide row stay above the scrolling rows: together they fill the 400 px.
        const head = num(mounted.element.querySelector("svg.ais-sat-head"), "height");
        expect(head).toBeGreaterThan(0);
        expect(parseFloat(scroller.style.height) + head).toBe(400);
        const height = num(mounted.element.querySelector("svg.ais-sat-chart"), "height");
        expect(height).toBeGreaterThan(2000 * 20); // the whole list scrolls
        expect(agencyRows().length).toBeLessThan(50);
        expect(text(agencyRows()[0], "text.ais-name")).toBe("Agency 0000");
        expect(agencyRows()[0].getAttribute("aria-setsize")).toBe("2000");

        scroller.scrollTop = height - 400;
        scroller.dispatchEvent(new Event("scroll"));
        expect(agencyRows().length).toBeLessThan(50);
        const last = row("Agency 1999");
        expect(last.getAttribute("aria-posinset")).toBe("2000");
        const y = Number(/translate\(0,([\d.]+)\)/.exec(last.getAttribute("transform")!)![1]);
        expect(y).toBeGreaterThan(height - 400);
        expect(y).toBeLessThan(height);
    });

    it("moves the keyboard focus past the drawn rows, scrolling them into view", () => {
        const many: SatisfactionFact[] = [];
        for (let i = 0; i < 300; i++) many.push(...agency(`Agency ${String(i).padStart(3, "0")}`, [0, 0, 0, 1, 1]));
        mounted.update(withObjects(satisfactionDataView(many), { satisfaction: { sort: "name" } }));
        const scroller = mounted.element.querySelector<HTMLElement>(".ais-sat .ais-scroll")!;
        row("Agency 000").focus();
        for (let i = 0; i < 40; i++)
            (document.activeElement as Element).dispatchEvent(
                new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }),
            );
        expect(text(document.activeElement!, "text.ais-name")).toBe("Agency 040");
        expect(scroller.scrollTop).toBeGreaterThan(0);
        (document.activeElement as Element).dispatchEvent(
            new KeyboardEvent("keydown", { key: "ArrowUp", bubbles: true }),
        );
        expect(text(document.activeElement!, "text.ais-name")).toBe("Agency 039");
    });

    it("renders 200 agencies x 5 ratings x 24 periods (24,000 rows) in one update (timed as a sanity check)", () => {
        const big: SatisfactionFact[] = [];
        for (let a = 0; a < 200; a++) {
            for (let p = 0; p < 24; p++) {
                for (let rating = 1; rating <= 5; rating++)
                    big.push({
                        agency: `Agency ${a}`,
                        rating,
                        period: new Date(Date.UTC(2025, p, 1)),
                        responses: (a + p + rating) % 7,
                    });
            }
        }
        const dataView = satisfactionDataView(big, { period: true });
        expect(dataView.categorical!.categories![0].values).toHaveLength(24000);
        const started = performance.now();
        mounted.update(dataView, UpdateType.Data, { width: 1000, height: 600 });
        const elapsed = performance.now() - started;
        if (process.env.PRINT_TIMINGS)
            process.stdout.write(`satisfaction full update, jsdom: ${elapsed.toFixed(1)} ms\n`);
        expect(agencyRows()[0].getAttribute("aria-setsize")).toBe("200");
        expect(agencyRows().length).toBeLessThan(60); // the rows near the window
        expect(elapsed).toBeLessThan(5000); // jsdom is far slower than Chromium; this only catches runaway work
    });
});

describe("cross-highlighting", () => {
    it("dims the full bars and draws the highlighted responses over them", () => {
        const dataView = satisfactionDataView(facts, everyAgency);
        const responses = dataView.categorical!.values![0];
        const agencies = dataView.categorical!.categories![0].values;
        responses.highlights = responses.values.map((value, index) =>
            agencies[index] === "Parks" ? value : null,
        ) as powerbi.PrimitiveValue[];
        mounted.update(dataView);
        const opacities = (node: Element) =>
            [...node.querySelectorAll<SVGRectElement>("g.ais-sat-segment rect")].map((rect) => rect.style.opacity);
        expect(new Set(opacities(row("Revenue")))).toEqual(new Set(["0.4"]));
        expect(row("Revenue").querySelectorAll("rect.ais-sat-highlight")).toHaveLength(0);
        const full = segments(row("Parks"));
        const highlighted = [...row("Parks").querySelectorAll("rect.ais-sat-highlight")].map((rect) => ({
            x: num(rect, "x"),
            width: num(rect, "width"),
        }));
        expect(highlighted).toEqual(full.map(({ x, width }) => ({ x, width })));
        mounted.update(satisfactionDataView(facts, everyAgency));
        expect(new Set(opacities(row("Revenue")))).toEqual(new Set([""]));
        expect(mounted.element.querySelectorAll("rect.ais-sat-highlight")).toHaveLength(0);
    });
});

describe("selection", () => {
    beforeEach(() => mounted.update(satisfactionDataView(facts, everyAgency)));
    const selections = () => mounted.callsOf("selection").map((call) => [call.method, ...call.args]);

    it("selects the clicked agency by its identity, adds with Ctrl, and clears on empty space", () => {
        click(row("Revenue"));
        expect(row("Parks").classList.contains("ais-dimmed")).toBe(true);
        expect(row("Revenue").getAttribute("aria-selected")).toBe("true");
        click(row("Parks"), { ctrlKey: true });
        click(mounted.element.querySelector(".ais-sat rect.ais-background")!);
        expect(selections()).toEqual([
            ["select", "agency=Revenue", false],
            ["select", "agency=Parks", true],
            ["clear"],
        ]);
        expect(rows().some((node) => node.classList.contains("ais-dimmed"))).toBe(false);
    });

    it("does not select the statewide row: clicking it clears the selection", () => {
        click(row("Parks"));
        click(statewide());
        expect(selections()).toEqual([["select", "agency=Parks", false], ["clear"]]);
        expect(statewide().hasAttribute("aria-selected")).toBe(false);
    });

    it("is one Tab stop, at the statewide row first; the arrows move to the agencies and back", () => {
        // rows(): the statewide row, then the agencies.
        const tabIndexes = () => rows().map((node) => node.getAttribute("tabindex"));
        expect(tabIndexes()).toEqual(["0", "-1", "-1", "-1"]);
        statewide().focus();
        // Focused, the statewide row shows its tooltip, which the keyboard could not reach before.
        expect(mounted.callsOf("tooltip", "show")).toHaveLength(1);
        statewide().dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
        expect(document.activeElement).toBe(rows()[1]);
        expect(tabIndexes()).toEqual(["-1", "0", "-1", "-1"]);
        rows()[1].dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowUp", bubbles: true }));
        expect(document.activeElement).toBe(statewide());
        statewide().dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
        expect(selections()).toEqual([["clear"]]);
    });

    it("selects with the keyboard and opens the context menu with the agency's identity", () => {
        row("Transportation").dispatchEvent(new KeyboardEvent("keydown", { key: " ", bubbles: true }));
        row("Revenue").dispatchEvent(
            new MouseEvent("contextmenu", { bubbles: true, cancelable: true, clientX: 5, clientY: 6 }),
        );
        statewide().dispatchEvent(
            new MouseEvent("contextmenu", { bubbles: true, cancelable: true, clientX: 7, clientY: 8 }),
        );
        expect(selections()).toEqual([
            ["select", "agency=Transportation", false],
            ["showContextMenu", "agency=Revenue", { x: 5, y: 6 }],
            ["showContextMenu", null, { x: 7, y: 8 }],
        ]);
    });

    it("shows tooltips with the agency's identity, and the statewide tooltip with none", () => {
        row("Revenue").dispatchEvent(new MouseEvent("mousemove", { bubbles: true, clientX: 10, clientY: 10 }));
        statewide().dispatchEvent(new MouseEvent("mousemove", { bubbles: true, clientX: 10, clientY: 10 }));
        const [agencyTip, stateTip] = mounted
            .callsOf("tooltip", "show")
            .map((call) => call.args[0] as powerbi.extensibility.TooltipShowOptions);
        expect((agencyTip.identities[0] as unknown as { key: string }).key).toBe("agency=Revenue");
        expect(agencyTip.dataItems!.slice(0, 4)).toEqual([
            { displayName: "Agency", value: "Revenue" },
            { displayName: "Average rating", value: "3.5" },
            { displayName: "Responses", value: "20" },
            { displayName: "Needs follow-up (below 4)", value: "40.0% (8)" },
        ]);
        expect(stateTip.identities).toEqual([]);
        expect(stateTip.dataItems![0]).toEqual({ displayName: "Agency", value: "Statewide" });
    });

    it("without the Statewide responses well, labels the top row Average of agencies shown", () => {
        mounted.update(satisfactionDataView(agency("Parks", [0, 0, 2, 10, 8])));
        expect(names()).toEqual(["Average of agencies shown", "Parks"]);
        // Rating comes from the Ratings dimension: Power BI sends Parks' rows of ratings 1 and 2 too (blank
        // Responses, the statewide count non-blank).
        const parksEveryRating = [
            { agency: "Parks", rating: 1, responses: null },
            { agency: "Parks", rating: 2, responses: null },
            ...agency("Parks", [0, 0, 2, 10, 8]),
        ];
        mounted.update(satisfactionDataView(parksEveryRating, everyAgency));
        expect(names()).toEqual(["Statewide", "Parks"]);
        // The model's counts of all three agencies, not Parks' own 20.
        expect(text(statewide(), "text.ais-sat-responses")).toBe("43");
    });

    it("shows a bookmark's selection", () => {
        mounted.restoreSelection(["agency=Parks"]);
        expect(row("Parks").getAttribute("aria-selected")).toBe("true");
        expect(row("Revenue").classList.contains("ais-dimmed")).toBe(true);
    });

    it("does not select when the host does not allow interactions", () => {
        mounted.unmount();
        mounted = mountVisual({ allowInteractions: false });
        mounted.update(satisfactionDataView(facts, everyAgency));
        click(row("Parks"));
        expect(mounted.callsOf("selection")).toEqual([]);
    });
});

describe("Format pane", () => {
    const slicesOf = (card: powerbi.visuals.FormattingCard) =>
        card.groups.flatMap((group) =>
            "slices" in group ? (group.slices ?? []) : [],
        ) as powerbi.visuals.FormattingSlice[];

    it("offers only the cards that do something in the satisfaction view", () => {
        mounted.update(satisfactionDataView(facts, everyAgency));
        const cards = mounted.visual.getFormattingModel().cards as powerbi.visuals.FormattingCard[];
        expect(cards.map((card) => card.uid)).toEqual(["view-card", "labels-card", "satisfaction-card"]);
    });

    it("has a satisfaction card grouped into rows (few responses, sort) and a color per rating", () => {
        mounted.update(satisfactionDataView(facts, everyAgency));
        const cards = mounted.visual.getFormattingModel().cards as powerbi.visuals.FormattingCard[];
        const card = cards.find((c) => c.uid.startsWith("satisfaction"))!;
        expect((card.groups as powerbi.visuals.FormattingGroup[]).map((group) => group.displayName)).toEqual([
            "Group_Rows",
            "Group_RatingColors",
        ]);
        // The test host's localization manager returns keys.
        expect(slicesOf(card).map((slice) => slice.displayName)).toEqual([
            "Property_Satisfaction_LowResponses",
            "Property_Satisfaction_Sort",
            ...[1, 2, 3, 4, 5].map((rating) => `Property_Satisfaction_Rating${rating}`),
        ]);
    });

    it("applies saved settings: threshold, sort, rating colors and text size", () => {
        mounted.update(
            withObjects(satisfactionDataView(facts, everyAgency), {
                satisfaction: { lowResponses: 2, sort: "name", rating1: { solid: { color: "#112233" } } },
                labels: { fontSize: 12 },
            }),
        );
        expect(names()).toEqual(["Statewide", "Parks", "Revenue", "Transportation"]);
        expect(row("Transportation").classList.contains("ais-sat-low")).toBe(false);
        expect(segments(row("Revenue"))[0].fill).toBe("#112233");
        // Text size is in points, as in Power BI: 12 pt is 16 CSS pixels.
        expect(mounted.element.querySelector<HTMLElement>(".ais-sat")!.style.fontSize).toBe("16px");
    });

    it("can be forced from the View card", () => {
        mounted.update(withObjects(satisfactionDataView(facts, everyAgency), { view: { mode: "satisfaction" } }));
        expect(agencyRows()).toHaveLength(3);
    });
});

describe("high contrast", () => {
    it("uses only the palette's foreground and background, and text still tells the sides apart", () => {
        mounted.unmount();
        mounted = mountVisual({ highContrast: true });
        mounted.update(satisfactionDataView(facts, everyAgency));
        // Every rating its own hatch, the same in the bars and the legend, drawn in the palette's two colors.
        const pieces = [...mounted.element.querySelectorAll(".ais-sat-segment")];
        const fillByRating = new Map<string, Set<string>>();
        for (const piece of pieces) {
            const rating = piece.getAttribute("data-rating")!;
            const fills = fillByRating.get(rating) ?? new Set<string>();
            fills.add(piece.querySelector("rect")!.getAttribute("fill")!);
            fillByRating.set(rating, fills);
        }
        expect([...fillByRating.keys()].sort()).toEqual(["1", "2", "3", "4", "5"]);
        const fills = [...fillByRating.values()].map((set) => [...set]);
        expect(fills.every((one) => one.length === 1 && /^url\(#.+\)$/.test(one[0]))).toBe(true);
        expect(new Set(fills.flat()).size).toBe(5);
        const swatches = [...mounted.element.querySelectorAll(".ais-sat .ais-swatch rect")];
        expect(swatches.map((rect) => rect.getAttribute("fill"))).toEqual(
            ["1", "2", "3", "4", "5"].map((rating) => [...fillByRating.get(rating)!][0]),
        );
        const patterns = fills.flat().map((fill) => mounted.element.querySelector(fill.slice(4, -1))!);
        const painted = patterns.flatMap((pattern) =>
            [...pattern.querySelectorAll("rect, path")].flatMap((shape) =>
                [shape.getAttribute("fill"), shape.getAttribute("stroke")].filter((color) => color !== null),
            ),
        );
        expect(new Set(painted)).toEqual(new Set(["#000000", "#FFFF00"]));
        expect(new Set(pieces.map((piece) => piece.querySelector("rect")!.getAttribute("stroke")))).toEqual(
            new Set(["#FFFF00"]),
        );
        expect(mounted.element.querySelector("line.ais-sat-center")!.getAttribute("stroke")).toBe("#FFFF00");
        expect(mounted.element.querySelector(".ais-sat-side-low")!.getAttribute("fill")).toBe("#FFFF00");
        // The statewide band and the lighter few-responses bars are off in high contrast (CSS keys on ais-hc).
        expect(mounted.element.querySelector(".ais-sat")!.classList.contains("ais-hc")).toBe(true);
    });

    it("outlines selected rows in the selection color instead of dimming the others", () => {
        mounted.unmount();
        mounted = mountVisual({ highContrast: true });
        mounted.update(satisfactionDataView(facts, everyAgency));
        click(row("Parks"));
        expect(rows().some((node) => node.classList.contains("ais-dimmed"))).toBe(false);
        expect(row("Parks").querySelector("rect.ais-hit")!.getAttribute("stroke")).toBe("#00FFFF");
        expect(row("Parks").querySelector("text.ais-name")!.getAttribute("fill")).toBe("#00FFFF");
        expect(row("Revenue").querySelector("rect.ais-hit")!.hasAttribute("stroke")).toBe(false);
        expect(row("Parks").getAttribute("aria-selected")).toBe("true");
    });
});
