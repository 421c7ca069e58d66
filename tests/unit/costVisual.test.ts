import powerbi from "powerbi-visuals-api";
import { costDataView, CostFact } from "../support/dataViews";
import { mountVisual, UpdateType, withObjects } from "../support/host";

jest.mock("../../src/textMeasurer", () => jest.requireActual("../support/fakeTextMeasurer"));

const facts: CostFact[] = [
    { agency: "Revenue", service: "SaaS", cost: 6000, users: 100 },
    { agency: "Revenue", service: "IaaS", cost: 2000, users: 100 },
    { agency: "Parks", service: "SaaS", cost: 1000, users: 50 },
    { agency: "Parks", service: "Credit", cost: -500, users: 50 },
    { agency: "Transportation", service: "IaaS", cost: 3000, users: 100 },
];
const bound = { service: true, users: true };

let mounted: ReturnType<typeof mountVisual>;
beforeEach(() => {
    mounted = mountVisual();
});
afterEach(() => mounted.unmount());

const rows = () => [...mounted.element.querySelectorAll<SVGGElement>("g.ais-row")];
const statewide = () => mounted.element.querySelector<SVGGElement>("g.ais-cost-statewide")!;
const names = () => rows().map((row) => row.querySelector("text.ais-name")!.textContent);
const row = (name: string) => rows().find((node) => node.querySelector("text.ais-name")!.textContent === name)!;
const num = (element: Element | null, attribute: string) => Number(element!.getAttribute(attribute));
const message = () =>
    [...mounted.element.querySelectorAll(".ais-message h2, .ais-message p")].map((node) => node.textContent);
const click = (target: Element, init: MouseEventInit = {}) =>
    target.dispatchEvent(new MouseEvent("click", { bubbles: true, ...init }));

function expectBalancedRenderingEvents(updates: number) {
    const events = mounted.callsOf("events").map((call) => call.method);
    const expected: string[] = [];
    for (let i = 0; i < updates; i++) expected.push("renderingStarted", "renderingFinished");
    expect(events).toEqual(expected);
}

describe("the cost view as a user sees it", () => {
    it("shows the landing page, naming the fields for each view, when nothing is bound", () => {
        mounted.update(undefined);
        expect(message()[0]).toBe("Agency IT Scorecard");
        expect(message().join(" ")).toContain("IT cost: bind Agency and Cost");
        expect(message().join(" ")).toContain("Team goals: bind Team, Goal");
        expect(rows()).toHaveLength(0);
        expectBalancedRenderingEvents(1);
    });

    it("says which fields are missing when only some are bound, in any order of removal", () => {
        const full = costDataView(facts, { ...bound, period: false });
        const withoutAgency: powerbi.DataView = {
            ...full,
            categorical: { values: full.categorical!.values },
            metadata: { columns: full.metadata.columns.filter((c) => !c.roles?.agency) },
        };
        mounted.update(withoutAgency);
        expect(message()).toContain("To show this view, add these fields: Agency");
        const onlyAgency: powerbi.DataView = {
            metadata: { columns: full.metadata.columns.filter((c) => c.roles?.agency) },
            categorical: { categories: full.categorical!.categories },
        };
        mounted.update(onlyAgency);
        expect(message()).toContain("To show this view, add these fields: Cost");
        mounted.update(full);
        expect(rows()).toHaveLength(3);
        mounted.update(undefined);
        expect(rows().every((node) => node.closest(".ais-hidden"))).toBe(true);
        expectBalancedRenderingEvents(4);
    });

    it("draws one bar per agency, largest cost per user first, with formatted labels", () => {
        mounted.update(costDataView(facts, bound));
        expect(names()).toEqual(["Revenue", "Transportation", "Parks"]);
        expect(rows().map((node) => node.querySelector("text.ais-value")!.textContent)).toEqual([
            "$960.00", // 80 a month per user, x 12
            "$360.00",
            "$120.00",
        ]);
    });

    it("sizes bars in proportion to their values and, without a Reference, places the line at the agencies' cost per user", () => {
        mounted.update(costDataView(facts, bound));
        const zero = num(mounted.element.querySelector("line.ais-zero"), "x1");
        const barEnd = (name: string) =>
            Math.max(
                ...[...row(name).querySelectorAll("rect.ais-segment")].map(
                    (rect) => num(rect, "x") + num(rect, "width"),
                ),
            );
        const revenue = barEnd("Revenue") - zero;
        const transportation = barEnd("Transportation") - zero;
        expect(transportation / revenue).toBeCloseTo(30 / 80, 5);
        // Statewide: 11,500 over 250 user-months = 46, x 12 = 552 a year (not the mean of the agencies).
        const line = mounted.element.querySelector(".ais-reference line");
        expect((num(line, "x1") - zero) / revenue).toBeCloseTo(46 / 80, 5);
        expect(mounted.element.querySelector(".ais-reference-label")!.textContent).toBe(
            "Average of agencies shown $552.00",
        );
    });

    it("with the model's statewide figure bound, one agency's rows draw the line at it, labelled Statewide", () => {
        const library = [{ agency: "State Library", service: "SaaS", cost: 90825, users: 900 }];
        mounted.update(costDataView(library, { ...bound, reference: 928.69 }));
        const zero = num(mounted.element.querySelector("line.ais-zero"), "x1");
        const barEnd = Math.max(
            ...[...row("State Library").querySelectorAll("rect.ais-segment")].map(
                (rect) => num(rect, "x") + num(rect, "width"),
            ),
        );
        const line = mounted.element.querySelector(".ais-reference line");
        expect((num(line, "x1") - zero) / (barEnd - zero)).toBeCloseTo(928.69 / 1211, 5);
        expect(mounted.element.querySelector(".ais-reference-label")!.textContent).toBe("Statewide $928.69");
        mounted.update(costDataView(library, bound));
        expect(mounted.element.querySelector(".ais-reference-label")!.textContent).toBe(
            "Average of agencies shown $1,211.00",
        );
    });

    it("stacks services in the legend's order, and draws credits left of zero", () => {
        mounted.update(costDataView(facts, bound));
        const legend = [...mounted.element.querySelectorAll(".ais-legend-text")].map((node) => node.textContent);
        expect(legend).toEqual(["SaaS", "IaaS", "Credit"]);
        const zero = num(mounted.element.querySelector("line.ais-zero"), "x1");
        const [saas, iaas] = [...row("Revenue").querySelectorAll("rect.ais-segment")];
        expect(num(saas, "x")).toBeCloseTo(zero, 5);
        expect(num(iaas, "x")).toBeCloseTo(num(saas, "x") + num(saas, "width"), 5);
        const credit = [...row("Parks").querySelectorAll("rect.ais-segment")][1];
        expect(num(credit, "x") + num(credit, "width")).toBeCloseTo(zero, 5);
        expect(credit.getAttribute("fill")).not.toBe(saas.getAttribute("fill"));
    });

    it("updates rows in place when data changes or the visual is resized", () => {
        mounted.update(costDataView(facts, bound));
        const before = row("Parks");
        const changed = facts.map((fact) =>
            fact.agency === "Parks" ? { ...fact, cost: (fact.cost as number) * 100 } : fact,
        );
        mounted.update(costDataView(changed, bound));
        expect(row("Parks")).toBe(before);
        expect(names()[0]).toBe("Parks");
        mounted.update(costDataView(changed, bound), UpdateType.Resize, { width: 300, height: 200 });
        expect(row("Parks")).toBe(before);
        // Drawn 300 wide: the empty chart space and every row's area (the svg's own box keeps its
        // widest width, clipped by the scroll area, so a resize does not lay out its texts again).
        expect(num(mounted.element.querySelector("rect.ais-background"), "width")).toBe(300);
        expect(rows().map((node) => num(node.querySelector("rect.ais-hit"), "width"))).toEqual(rows().map(() => 300));
        expect(num(mounted.element.querySelector("svg.ais-chart"), "width")).toBeGreaterThanOrEqual(300);
    });

    it("shortens long agency names with an ellipsis and keeps the whole name in the tooltip", () => {
        const long = "Department of Health and Human Services, Office of the Inspector General";
        mounted.update(
            costDataView([
                { agency: long, cost: 10 },
                { agency: "Parks", cost: 5 },
            ]),
        );
        const shown = row(names()[0]!).querySelector("text.ais-name")!.textContent!;
        expect(shown.endsWith("…")).toBe(true);
        expect(shown.length).toBeLessThan(long.length);
        rows()[0].dispatchEvent(new MouseEvent("mousemove", { bubbles: true, clientX: 10, clientY: 10 }));
        const tooltip = mounted.callsOf("tooltip", "show")[0].args[0] as powerbi.extensibility.TooltipShowOptions;
        expect(tooltip.dataItems![0]).toEqual({ displayName: "Agency", value: long });
        expect((tooltip.identities[0] as unknown as { key: string }).key).toBe(`agency=${long}`);
    });

    it("scrolls when the agencies do not fit, drawing only the rows in view", async () => {
        const many: CostFact[] = Array.from({ length: 200 }, (_, i) => ({
            agency: `Agency ${String(i).padStart(3, "0")}`,
            cost: 1000 - i,
        }));
        mounted.update(costDataView(many));
        const chartHeight = num(mounted.element.querySelector("svg.ais-chart"), "height");
        expect(chartHeight).toBeGreaterThan(200 * 18); // room for every agency, at 18 px a row or more
        const scroller = mounted.element.querySelector<HTMLElement>(".ais-scroll")!;
        // The visual's height less the pinned band of headers and the statewide row above the rows.
        const band = num(mounted.element.querySelector("svg.ais-cost-pinned"), "height");
        expect(band).toBeGreaterThan(0);
        expect(scroller.style.height).toBe(`${400 - band}px`);
        const drawn = names();
        expect(drawn[0]).toBe("Agency 000");
        expect(drawn.length).toBeGreaterThan(400 / 24); // the visible rows...
        expect(drawn.length).toBeLessThan(60); // ...and a few more, not all 200
        const ys = () =>
            rows().map((node) => Number(/translate\(0,([\d.]+)\)/.exec(node.getAttribute("transform")!)![1]));
        expect(ys().every((y, i, all) => i === 0 || y > all[i - 1])).toBe(true); // labels never overlap

        scroller.scrollTop = chartHeight - 400;
        scroller.dispatchEvent(new Event("scroll"));
        await new Promise((resolve) => requestAnimationFrame(resolve));
        expect(names()).toContain("Agency 199");
        expect(names()).not.toContain("Agency 000");
        expect(ys().every((y, i, all) => i === 0 || y > all[i - 1])).toBe(true);
    });
});

describe("selection", () => {
    beforeEach(() => mounted.update(costDataView(facts, bound)));
    const selections = () => mounted.callsOf("selection").map((call) => [call.method, ...call.args]);

    it("selects the clicked agency, adds with Ctrl, and clears on empty space", () => {
        click(row("Parks"));
        expect(row("Revenue").classList.contains("ais-dimmed")).toBe(true);
        expect(row("Parks").classList.contains("ais-dimmed")).toBe(false);
        click(row("Revenue"), { ctrlKey: true });
        click(mounted.element.querySelector("rect.ais-background")!);
        expect(selections()).toEqual([
            ["select", "agency=Parks", false],
            ["select", "agency=Revenue", true],
            ["clear"],
        ]);
        expect(rows().some((node) => node.classList.contains("ais-dimmed"))).toBe(false);
    });

    it("clears on a click anywhere that is not a bar: the legend, or the space under a short list", () => {
        click(row("Parks"));
        click(mounted.element.querySelector(".ais-legend")!);
        click(mounted.element.querySelector(".ais-scroll")!);
        expect(selections()).toEqual([["select", "agency=Parks", false], ["clear"], ["clear"]]);
    });

    it("selects with the keyboard", () => {
        row("Transportation").dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
        expect(selections()).toEqual([["select", "agency=Transportation", false]]);
    });

    it("is one Tab stop: the statewide item until a row is focused, which then keeps it", () => {
        const tabIndexes = () => [statewide(), ...rows()].map((node) => node.getAttribute("tabindex"));
        expect(tabIndexes()).toEqual(["0", "-1", "-1", "-1"]);
        rows()[0].focus();
        rows()[0].dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
        expect(document.activeElement).toBe(rows()[1]);
        expect(tabIndexes()).toEqual(["-1", "-1", "0", "-1"]);
        // A new update keeps the stop where the user left it.
        mounted.update(costDataView(facts, bound));
        expect(tabIndexes()).toEqual(["-1", "-1", "0", "-1"]);
    });

    it("reaches the statewide item by the arrows: up from the first agency, down back to it", () => {
        const key = (target: Element, name: string) =>
            target.dispatchEvent(new KeyboardEvent("keydown", { key: name, bubbles: true, cancelable: true }));
        rows()[0].focus();
        key(rows()[0], "ArrowUp");
        expect(document.activeElement).toBe(statewide());
        // Up again stays: nothing is above it.
        key(statewide(), "ArrowUp");
        expect(document.activeElement).toBe(statewide());
        key(statewide(), "ArrowDown");
        expect(document.activeElement).toBe(rows()[0]);
        expect(rows()[0].querySelector("text.ais-name")!.textContent).toBe("Revenue");
        // Enter on it selects no agency: it clears the selection, as a click on empty space does.
        statewide().focus();
        key(statewide(), "Enter");
        expect(selections()).toEqual([["clear"]]);
    });

    it("names the statewide item with its figure and unit, and whether it is the model's or the agencies shown's", () => {
        // The agencies shown: $11,500 over 250 user-months, x 12 = $552 a year per user.
        expect(statewide().getAttribute("aria-label")).toBe("Average of agencies shown: $552.00 per user");
        mounted.update(costDataView(facts, { ...bound, reference: 480 }));
        expect(statewide().getAttribute("aria-label")).toBe("Statewide: $480.00 per user");
        mounted.update(costDataView(facts, { service: true }));
        // Total cost: $11,500 over three agencies.
        expect(statewide().getAttribute("aria-label")).toBe("Average of agencies shown: $3,833.33 total cost");
    });

    it("shows the statewide item's tooltip when it takes the focus, and hides it on leaving", () => {
        mounted.update(costDataView(facts, { ...bound, reference: 480 }));
        statewide().focus();
        const tooltip = mounted.callsOf("tooltip", "show").at(-1)?.args[0] as powerbi.extensibility.TooltipShowOptions;
        expect(tooltip.dataItems).toEqual([{ displayName: "Statewide", value: "$480.00 per user" }]);
        // Not an agency: no identity.
        expect(tooltip.identities).toEqual([]);
        rows()[0].focus();
        expect(mounted.callsOf("tooltip", "hide").length).toBeGreaterThan(0);
    });

    it("names no segment where the statewide line would cross its name", () => {
        // Revenue's largest segment: SaaS, $6,000 over 100 user-months x 12 = $720 a year per user.
        const saas = () => {
            const label = row("Revenue").querySelector<SVGTextElement>("text.ais-segment-label")!;
            const rect = row("Revenue").querySelector<SVGRectElement>('rect.ais-segment[data-service="SaaS"]')!;
            const font = parseFloat(label.getAttribute("font-size")!);
            // The name's box where it would be drawn, in the test's fixed-width font (0.6 em a character).
            const left = num(rect, "x") + 3;
            const line = num(mounted.element.querySelector("svg.ais-chart .ais-reference line"), "x1");
            const hidden = label.classList.contains("ais-hidden") || label.textContent === "";
            return { line, left, right: left + "SaaS".length * font * 0.6, hidden, text: label.textContent };
        };
        mounted.update(costDataView(facts, { ...bound, reference: 900 }));
        const clear = saas();
        expect(clear.line).toBeGreaterThan(clear.right);
        expect(clear).toMatchObject({ hidden: false, text: "SaaS" });
        mounted.update(costDataView(facts, { ...bound, reference: 60 }));
        const crossed = saas();
        expect(crossed.line).toBeGreaterThan(crossed.left);
        expect(crossed.line).toBeLessThan(crossed.right);
        expect(crossed.hidden).toBe(true);
    });

    it("is no Tab stop while the statewide line is off", () => {
        mounted.update(withObjects(costDataView(facts, bound), { referenceLine: { show: false } }));
        expect(statewide().hasAttribute("tabindex")).toBe(false);
        expect(rows().map((node) => node.getAttribute("tabindex"))).toEqual(["0", "-1", "-1"]);
        rows()[0].focus();
        rows()[0].dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowUp", bubbles: true }));
        expect(document.activeElement).toBe(rows()[0]);
    });

    it("names each row with its unit, its distance from the line and its change", () => {
        // Revenue: $8,000 over 100 user-months x 12 = $960; Parks: $500 net over 50 x 12 = $120;
        // the agencies shown: $11,500 over 250 user-months x 12 = $552.
        expect(row("Revenue").getAttribute("aria-label")).toBe(
            "Revenue: $960.00 per user, 73.9% above the average of agencies shown",
        );
        expect(row("Parks").getAttribute("aria-label")).toBe(
            "Parks: $120.00 per user, 78.3% below the average of agencies shown",
        );
        // With the model's statewide figure bound, the distance is from it.
        mounted.update(costDataView(facts, { ...bound, reference: 480 }));
        expect(row("Revenue").getAttribute("aria-label")).toBe("Revenue: $960.00 per user, 100.0% above statewide");
    });

    it("opens the context menu with the agency's identity, or none on empty space", () => {
        row("Revenue").dispatchEvent(
            new MouseEvent("contextmenu", { bubbles: true, cancelable: true, clientX: 5, clientY: 6 }),
        );
        mounted.element
            .querySelector("rect.ais-background")!
            .dispatchEvent(new MouseEvent("contextmenu", { bubbles: true, cancelable: true, clientX: 7, clientY: 8 }));
        expect(selections()).toEqual([
            ["showContextMenu", "agency=Revenue", { x: 5, y: 6 }],
            ["showContextMenu", null, { x: 7, y: 8 }],
        ]);
    });

    it("shows a bookmark's selection", () => {
        mounted.restoreSelection(["agency=Transportation"]);
        expect(row("Transportation").getAttribute("aria-selected")).toBe("true");
        expect(row("Parks").classList.contains("ais-dimmed")).toBe(true);
    });

    it("does not select when the host does not allow interactions", () => {
        mounted.unmount();
        mounted = mountVisual({ allowInteractions: false });
        mounted.update(costDataView(facts, bound));
        click(row("Parks"));
        expect(mounted.callsOf("selection")).toEqual([]);
        expect(row("Revenue").classList.contains("ais-dimmed")).toBe(false);
    });
});

describe("Format pane", () => {
    const cardNames = () =>
        (mounted.visual.getFormattingModel().cards as powerbi.visuals.FormattingCard[]).map((card) =>
            card.uid.replace(/-card$/, ""),
        );

    it("offers only the cards that do something in the cost view: service colors with Service, the trend with Period", () => {
        mounted.update(undefined);
        expect(cardNames()).toEqual(["view"]);
        mounted.update(costDataView(facts, { users: true }));
        expect(cardNames()).toEqual(["view", "cost", "labels", "referenceLine"]);
        const monthly = facts.flatMap((fact) =>
            [new Date(2026, 0, 1), new Date(2026, 1, 1)].map((period) => ({ ...fact, period })),
        );
        mounted.update(costDataView(monthly, { ...bound, period: true }));
        expect(cardNames()).toEqual(["view", "cost", "serviceColors", "labels", "referenceLine", "trend"]);
        const labels = (mounted.visual.getFormattingModel().cards as powerbi.visuals.FormattingCard[]).find(
            (card) => card.uid === "labels-card",
        )!;
        expect(labels.topLevelToggle).toBeDefined();
        expect(
            (labels.groups as powerbi.visuals.FormattingGroup[])
                .flatMap((group) => (group.slices ?? []) as powerbi.visuals.FormattingSlice[])
                .map((slice) => slice.displayName),
        ).toEqual(["Property_Color", "Property_FontSize", "Property_DisplayUnits", "Property_Decimals"]);
    });

    it("lists a color per service bound to that service", () => {
        mounted.update(costDataView(facts, bound));
        const cards = mounted.visual.getFormattingModel().cards as powerbi.visuals.FormattingCard[];
        expect(cardNames()).toEqual(["view", "cost", "serviceColors", "labels", "referenceLine"]);
        const colors = cards.find((card) => card.uid.startsWith("serviceColors"))!;
        const slices = colors.groups.flatMap((group) =>
            "slices" in group ? (group.slices ?? []) : [],
        ) as powerbi.visuals.FormattingSlice[];
        expect(slices.map((slice) => slice.displayName)).toEqual(["SaaS", "IaaS", "Credit"]);
        const selectors = slices.map(
            (slice) =>
                (
                    slice as powerbi.visuals.FormattingSlice & {
                        control: { properties: { descriptor: { selector: unknown } } };
                    }
                ).control.properties.descriptor.selector,
        );
        expect(selectors).toEqual([
            { data: [{ key: "service=SaaS" }] },
            { data: [{ key: "service=IaaS" }] },
            { data: [{ key: "service=Credit" }] },
        ]);
    });

    it("applies saved settings: sort, bar value, labels, statewide line and text size", () => {
        const dataView = withObjects(costDataView(facts, bound), {
            cost: { sort: "name", measure: "totalCost" },
            labels: { show: false, fontSize: 12 },
            referenceLine: { show: false },
        });
        mounted.update(dataView);
        expect(names()).toEqual(["Parks", "Revenue", "Transportation"]);
        expect(rows()[0].querySelector("text.ais-value")!.classList.contains("ais-hidden")).toBe(true);
        expect(mounted.element.querySelector(".ais-reference")!.classList.contains("ais-hidden")).toBe(true);
        // Text size is in points, as in Power BI: 12 pt is 16 CSS pixels.
        expect(mounted.element.querySelector<HTMLElement>(".ais-cost")!.style.fontSize).toBe("16px");
        const cards = mounted.visual.getFormattingModel().cards as powerbi.visuals.FormattingCard[];
        const costCard = cards.find((card) => card.uid.startsWith("cost"))!;
        const sortSlice = (
            costCard.groups.flatMap((group) =>
                "slices" in group ? (group.slices ?? []) : [],
            ) as powerbi.visuals.FormattingSlice[]
        ).find((slice) => slice.uid.includes("sort"));
        expect(
            (sortSlice as unknown as { control: { properties: { value: { value: string } } } }).control.properties.value
                .value,
        ).toBe("name");
    });

    it("can force another view, which names the fields it needs", () => {
        mounted.update(withObjects(costDataView(facts, bound), { view: { mode: "goals" } }));
        expect(message()).toEqual([
            "Team goals",
            "To show this view, add these fields: Goal, Actual, Target",
            "Team goals: bind Team, Goal, Actual, Target and Baseline, with Start date and Due date.",
        ]);
    });
});

describe("high contrast", () => {
    it("uses only the palette's foreground and background", () => {
        mounted.unmount();
        mounted = mountVisual({ highContrast: true });
        mounted.update(costDataView(facts, bound));
        // Services differ by hatch pattern, drawn only in the palette's colors.
        const fills = [
            ...new Set(
                [...mounted.element.querySelectorAll("rect.ais-segment")].map((rect) => rect.getAttribute("fill")),
            ),
        ];
        expect(fills).toHaveLength(3);
        for (const fill of fills) expect(fill).toMatch(/^url\(#ais-hatch-\d+-fg-\d\)$/);
        const patternColors = new Set(
            [...mounted.element.querySelectorAll("pattern *")]
                .flatMap((node) => [node.getAttribute("fill"), node.getAttribute("stroke")])
                .filter(Boolean),
        );
        expect([...patternColors].sort()).toEqual(["#000000", "#00FFFF", "#FFFF00"]);
        const strokes = new Set(
            [...mounted.element.querySelectorAll("rect.ais-segment")].map((rect) => rect.getAttribute("stroke")),
        );
        expect([...strokes]).toEqual(["#FFFF00"]);
        const swatches = [...mounted.element.querySelectorAll(".ais-swatch rect")].map((rect) =>
            rect.getAttribute("fill"),
        );
        expect(new Set(swatches).size).toBe(3); // the legend tells services apart too
        expect(mounted.element.querySelector(".ais-reference line")!.getAttribute("stroke")).toBe("#FFFF00");
        expect(mounted.element.querySelector("line.ais-zero")!.getAttribute("stroke")).toBe("#FFFF00");
    });

    it("keeps its patterns and rows on a resize", () => {
        mounted.unmount();
        mounted = mountVisual({ highContrast: true });
        mounted.update(costDataView(facts, bound));
        const before = [...mounted.element.querySelectorAll("pattern, pattern *, g.ais-row")];
        mounted.update(costDataView(facts, bound), UpdateType.Resize, { width: 320, height: 240 });
        const after = [...mounted.element.querySelectorAll("pattern, pattern *, g.ais-row")];
        expect(after).toHaveLength(before.length);
        expect(after.every((node, index) => node === before[index])).toBe(true);
    });

    it("marks the selection with foregroundSelected instead of dimming the other rows", () => {
        mounted.unmount();
        mounted = mountVisual({ highContrast: true });
        mounted.update(costDataView(facts, bound));
        click(row("Parks"));
        expect(rows().some((node) => node.classList.contains("ais-dimmed"))).toBe(false);
        const fills = (name: string) => [
            ...new Set([...row(name).querySelectorAll("rect.ais-segment")].map((rect) => rect.getAttribute("fill"))),
        ];
        expect(fills("Parks").every((fill) => /-sel-\d\)$/.test(fill!))).toBe(true);
        expect(fills("Revenue").every((fill) => /-fg-\d\)$/.test(fill!))).toBe(true);
    });
});

describe("cross-highlighting", () => {
    it("dims each bar and draws the highlighted part over it", () => {
        const dataView = costDataView(facts, bound);
        for (const group of dataView.categorical!.values!.grouped()) {
            for (const column of group.values) {
                if (column.source.roles?.cost)
                    column.highlights = column.values.map((value) =>
                        group.name === "IaaS" ? value : null,
                    ) as powerbi.PrimitiveValue[];
            }
        }
        mounted.update(dataView);
        const revenue = row("Revenue");
        expect(revenue.querySelector("g.ais-segments")!.classList.contains("ais-faded")).toBe(true);
        const highlight = revenue.querySelectorAll("rect.ais-highlight");
        expect(highlight).toHaveLength(1);
        const full = [...revenue.querySelectorAll("rect.ais-segment")].reduce(
            (sum, rect) => sum + num(rect, "width"),
            0,
        );
        expect(num(highlight[0], "width") / full).toBeCloseTo(2000 / 8000, 5); // IaaS is a quarter of Revenue's cost
        expect(row("Parks").querySelectorAll("rect.ais-highlight")).toHaveLength(0);
    });
});

describe("data limits", () => {
    const segmented = () => {
        const dataView = costDataView(facts, bound);
        dataView.metadata.segment = {};
        return dataView;
    };

    it("asks Power BI for the next segment when there are more rows", () => {
        mounted.host.fetchMoreData = jest.fn(() => true);
        mounted.update(segmented());
        expect(mounted.host.fetchMoreData).toHaveBeenCalledWith(true);
        expect(mounted.callsOf("host", "displayWarningIcon")).toEqual([]);
        expect(rows()).toHaveLength(3); // what arrived so far is drawn meanwhile
    });

    it("tells the user the data was cut when no more can be fetched", () => {
        mounted.update(segmented());
        expect(mounted.callsOf("host", "fetchMoreData")).toHaveLength(1);
        expect(mounted.callsOf("host", "displayWarningIcon")[0].args[0]).toBe("Not all data is shown");
    });
});

describe("the cost view's columns and header band", () => {
    const month = (m: number) => new Date(Date.UTC(2026, m, 1));
    // Revenue 1,000 then 1,200 over 100 users a month: 120 then 144 a year, up 20%; Parks 600 then 540 over 10: down 10%.
    const monthly: CostFact[] = [
        { agency: "Revenue", period: month(0), cost: 1000, users: 100 },
        { agency: "Revenue", period: month(1), cost: 1200, users: 100 },
        { agency: "Parks", period: month(0), cost: 600, users: 10 },
        { agency: "Parks", period: month(1), cost: 540, users: 10 },
    ];
    const monthlyBound = { users: true, period: true, reference: 500 };
    const text = (node: Element | null) => node?.textContent?.replace(/\s+/g, " ").trim() ?? "";
    const headers = () =>
        [...mounted.element.querySelectorAll(".ais-cost-header text.ais-header")].map((node) => text(node));

    it("names each column with its unit, the months of the trend and the period compared with, above the rows", () => {
        mounted.update(costDataView(monthly, monthlyBound), UpdateType.Data, { width: 1000, height: 400 });
        expect(headers()).toEqual([
            "Cost per user (annualised)",
            "vs statewide",
            "Trend, 2 months",
            "vs previous month",
        ]);
        // The band is outside the scroll area, so it stays while the rows scroll.
        const band = mounted.element.querySelector(".ais-cost-header")!;
        expect(band.closest(".ais-scroll")).toBeNull();
        expect(mounted.element.querySelector(".ais-reference-label")!.closest(".ais-scroll")).toBeNull();
    });

    it("keeps the trend and the change under their headers when a resize moves them", () => {
        const translateX = (node: Element | null) =>
            Number(/translate\(([-\d.]+)/.exec(node?.getAttribute("transform") ?? "")?.[1] ?? NaN);
        // Where a row's column starts in the chart: its group's place plus its own.
        const placed = (name: string) => {
            const group = translateX(row(name).querySelector("g.ais-columns"));
            return {
                trend: group + translateX(row(name).querySelector("path.ais-trend")),
                change: group + num(row(name).querySelector("text.ais-change"), "x"),
            };
        };
        const headerX = (key: string) =>
            num(mounted.element.querySelector(`.ais-cost-header text.ais-header-${key} tspan`), "x");
        const seen: number[] = [];
        for (const [type, width] of [
            [UpdateType.Data, 1000],
            [UpdateType.Resize, 760],
        ] as const) {
            mounted.update(costDataView(monthly, monthlyBound), type, { width, height: 400 });
            for (const name of ["Revenue", "Parks"]) {
                expect(placed(name).trend).toBeCloseTo(headerX("trend"), 5);
                expect(placed(name).change).toBeCloseTo(headerX("change"), 5);
                expect(placed(name).change).toBeLessThan(width);
            }
            seen.push(headerX("change"));
        }
        expect(seen[1]).toBeLessThan(seen[0]);
    });

    it("shows the difference from the statewide figure, signed, and the change with its arrow", () => {
        mounted.update(costDataView(monthly, monthlyBound), UpdateType.Data, { width: 1000, height: 400 });
        // Revenue: 2,200 over 200 user-months x 12 = 132, 500 statewide: -73.6%; Parks: 1,140 over 20 x 12 = 684: +36.8%.
        expect(text(row("Revenue").querySelector("text.ais-versus"))).toBe("-73.6%");
        expect(text(row("Parks").querySelector("text.ais-versus"))).toBe("+36.8%");
        expect(text(row("Revenue").querySelector("text.ais-change"))).toBe("▲ 20.0%");
        expect(text(row("Parks").querySelector("text.ais-change"))).toBe("▼ 10.0%");
        // The difference's bars: Parks's right of their center, Revenue's left, Revenue's the longer.
        const bar = (name: string) => row(name).querySelector("rect.ais-versus-bar")!;
        const center = num(row("Parks").querySelector("line.ais-versus-center"), "x1");
        expect(num(bar("Parks"), "x")).toBeCloseTo(center, 5);
        expect(num(bar("Revenue"), "x") + num(bar("Revenue"), "width")).toBeCloseTo(center, 5);
        expect(num(bar("Revenue"), "width") / num(bar("Parks"), "width")).toBeCloseTo(0.736 / 0.368, 5);
    });

    it("colors the change only when the Format pane says which way is good", () => {
        const fillOf = (name: string) => row(name).querySelector("text.ais-change")!.getAttribute("fill");
        const labelColor = () => row("Revenue").querySelector("text.ais-value")!.getAttribute("fill");
        mounted.update(costDataView(monthly, monthlyBound), UpdateType.Data, { width: 1000, height: 400 });
        expect([fillOf("Revenue"), fillOf("Parks")]).toEqual([labelColor(), labelColor()]);
        mounted.update(
            withObjects(costDataView(monthly, monthlyBound), { cost: { changeDirection: "upIsBad" } }),
            UpdateType.Data,
            { width: 1000, height: 400 },
        );
        expect([fillOf("Revenue"), fillOf("Parks")]).toEqual(["#A4262C", "#0E5A0E"]);
    });

    it("draws an axis when data labels are off, and none when they are on", () => {
        const ticks = () => [...mounted.element.querySelectorAll(".ais-axis text.ais-tick")].map((node) => text(node));
        mounted.update(costDataView(facts, bound));
        expect(ticks()).toEqual([]);
        mounted.update(withObjects(costDataView(facts, bound), { labels: { show: false } }));
        expect(ticks().length).toBeGreaterThanOrEqual(2);
        expect(ticks()[0]).toBe("$0.00");
    });

    it("puts names above the bars in a narrow visual, whole on up to two lines", () => {
        const long = [{ agency: "Department of Natural Resources", cost: 1000, users: 10 }];
        mounted.update(costDataView(long, { users: true }), UpdateType.Data, { width: 200, height: 400 });
        const name = rows()[0].querySelector("text.ais-name")!;
        expect(name.getAttribute("text-anchor")).toBe("start");
        expect(text(name)).toBe("Department of Natural Resources");
        expect([...name.querySelectorAll("tspan")].filter((tspan) => tspan.textContent !== "").length).toBe(2);
    });
});

describe("a cost row's accessible name", () => {
    it("gives the change against the period compared with, in its grain", () => {
        const month = (m: number) => new Date(Date.UTC(2026, m, 1));
        const monthly: CostFact[] = [
            { agency: "Revenue", period: month(0), cost: 1000, users: 100 },
            { agency: "Revenue", period: month(1), cost: 1200, users: 100 },
        ];
        mounted.update(costDataView(monthly, { users: true, period: true }));
        expect(rows()[0].getAttribute("aria-label")).toBe(
            "Revenue: $132.00 per user, 0.0% above the average of agencies shown, up 20.0% vs previous month",
        );
    });
});
