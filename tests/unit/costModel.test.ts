import powerbi from "powerbi-visuals-api";
import { buildCostModel, CostSettings, CostViewModel } from "../../src/data/costModel";
import { readRoleTable } from "../../src/data/roles";
import { englishLocalize } from "../../src/data/strings";
import { costDataView, CostBinding, CostFact } from "../support/dataViews";
import { dataViewFromSpec } from "../support/genericDataView";

const defaults: CostSettings = { measure: "auto", sort: "value", displayUnits: 1, decimals: null };
const palette = (service: string) => `palette:${service}`;

function model(
    facts: CostFact[],
    binding: CostBinding = {},
    settings: Partial<CostSettings> = {},
    locale = "en-US",
): CostViewModel {
    return buildCostModel(
        readRoleTable(costDataView(facts, binding)),
        { ...defaults, ...settings },
        { locale, localize: englishLocalize, paletteColor: palette },
    );
}
const bar = (m: CostViewModel, name: string) => m.bars.find((b) => b.name === name)!;

describe("cost view model", () => {
    it("divides each agency's cost by its users once, not by users summed across service rows", () => {
        const m = model(
            [
                { agency: "Revenue", service: "SaaS", cost: 6000, users: 200 },
                { agency: "Revenue", service: "IaaS", cost: 4000, users: 200 },
                { agency: "Parks", service: "SaaS", cost: 1000, users: 50 },
            ],
            { service: true, users: true },
        );
        expect(m.measure).toBe("costPerUser");
        expect(bar(m, "Revenue").value).toBe(600); // 10,000 / 200 user-months x 12
        expect(bar(m, "Parks").value).toBe(240); // 1,000 / 50 x 12
        // Segments add up to the bar: each service's cost over the agency's user-months, x 12.
        expect(bar(m, "Revenue").segments.map((s) => [s.service, s.value])).toEqual([
            ["SaaS", 360],
            ["IaaS", 240],
        ]);
    });

    it("adds user-months over the months of the period shown", () => {
        const m = model(
            [
                { agency: "Revenue", period: "2026-01", service: "SaaS", cost: 3000, users: 90 },
                { agency: "Revenue", period: "2026-02", service: "SaaS", cost: 3000, users: 110 },
                { agency: "Revenue", period: "2026-02", service: "IaaS", cost: 1000, users: 110 },
            ],
            { service: true, users: true, period: true },
        );
        expect(bar(m, "Revenue").value).toBe(420); // 7,000 over 90 + 110 = 200 user-months, x 12
    });

    it("without a Reference, draws the line at the agencies' total cost over total users, labelled as theirs", () => {
        const m = model(
            [
                { agency: "Small", cost: 1000, users: 10 },
                { agency: "Large", cost: 9000, users: 990 },
            ],
            { users: true },
        );
        expect(m.reference.value).toBe(120); // 10,000 / 1,000 user-months x 12
        expect(m.reference.label).toBe("Average of agencies shown $120.00");
    });

    it("leaves out and names the cost of months without a headcount, and marks a part of the period", () => {
        const month = (m: number) => new Date(Date.UTC(2026, m, 1));
        const m = model(
            [
                { agency: "Revenue", period: month(0), cost: 1000, users: 100 },
                { agency: "Revenue", period: month(1), cost: 1000, users: null },
                { agency: "Parks", period: month(0), cost: 100, users: 10 },
                { agency: "Parks", period: month(1), cost: 100, users: 10 },
            ],
            { users: true, period: true },
        );
        // Revenue: 1,000 over 100 user-months x 12 = 120; the 1,000 of February is left out.
        expect(bar(m, "Revenue").value).toBe(120);
        expect(bar(m, "Revenue").tooltip).toContainEqual({
            displayName: "Cost without headcount",
            value: "$1,000.00, left out of cost per user",
        });
        expect(bar(m, "Revenue").tooltip).toContainEqual({ displayName: "Periods with a headcount", value: "1 of 2" });
        expect(m.notes).toEqual([
            "Cost from months without a headcount is left out of cost per user: Revenue $1,000.00.",
        ]);
        // Statewide: 1,000 + 200 over 100 + 20 = 120 user-months, x 12 = 120.
        expect(m.reference.value).toBe(120);
    });

    it("takes the cost without headcount from its well when Period is not bound", () => {
        const dataView = dataViewFromSpec({
            categories: [{ role: "agency", values: ["Revenue", "Parks"] }],
            measures: [
                { role: "cost", values: [[2000, 200]] },
                { role: "users", values: [[100, 20]] },
                { role: "uncoveredCost", values: [[1000, 0]] },
            ],
        });
        const m = buildCostModel(readRoleTable(dataView), defaults, {
            locale: "en-US",
            localize: englishLocalize,
            paletteColor: palette,
        });
        expect(bar(m, "Revenue").value).toBe(120); // (2,000 - 1,000) / 100 x 12
        expect(m.reference.value).toBe(120); // (1,000 + 200) / 120 x 12
        expect(m.notes).toHaveLength(1);
    });

    describe("with the model's statewide figure in the Reference well", () => {
        // One agency, as an agency head's role or an agency slicer leaves the rows: $90,825 over 900
        // user-months x 12 = $1,211 per user.
        const stateLibrary: CostFact[] = [
            { agency: "State Library", service: "SaaS", cost: 90825, users: 900 },
            { agency: "State Library", service: "IaaS", cost: 0, users: 900 },
        ];

        it("draws the line at the bound value and labels it Statewide", () => {
            const m = model(stateLibrary, { service: true, users: true, reference: 928.69 });
            expect(bar(m, "State Library").value).toBe(1211);
            expect(m.reference.value).toBe(928.69);
            expect(m.reference.label).toBe("Statewide $928.69");
        });

        it("without it, the same rows label their own figure Average of agencies shown", () => {
            const m = model(stateLibrary, { service: true, users: true });
            expect(m.reference.value).toBe(1211);
            expect(m.reference.label).toBe("Average of agencies shown $1,211.00");
        });

        it("the tooltip's difference follows the line: vs statewide when bound, vs the agencies shown when not", () => {
            const bound = bar(model(stateLibrary, { service: true, users: true, reference: 1000 }), "State Library");
            expect(bound.tooltip).toContainEqual({ displayName: "vs statewide", value: "+21.1%" });
            const unbound = bar(model(stateLibrary, { service: true, users: true }), "State Library");
            expect(unbound.tooltip).toContainEqual({ displayName: "vs average of agencies shown", value: "0.0%" });
            expect(unbound.tooltip.map((t) => t.displayName)).not.toContain("vs statewide");
        });

        it("uses the first non-blank value, and says why when the model left it blank", () => {
            const dataView = costDataView(
                [
                    { agency: "Parks", cost: 100, users: 1 },
                    { agency: "Revenue", cost: 200, users: 1 },
                ],
                { users: true, reference: 500 },
            );
            const values = dataView.categorical!.values!;
            values[values.length - 1].values[0] = null as unknown as powerbi.PrimitiveValue;
            const m = buildCostModel(readRoleTable(dataView), defaults, {
                locale: "en-US",
                localize: englishLocalize,
                paletteColor: palette,
            });
            expect(m.reference.value).toBe(500);

            const withheld = model(stateLibrary, { service: true, users: true, reference: null });
            expect(withheld.reference).toMatchObject({ value: null, label: "", isStatewide: true, tooltip: [] });
            expect(withheld.notes).toContain(englishLocalize("Note_ReferenceBlank"));
            expect(bar(withheld, "State Library").tooltip.map((t) => t.displayName)).not.toContain("vs statewide");
        });
    });

    it("shows total cost when Users is not bound, with an agency average as reference", () => {
        const m = model([
            { agency: "Revenue", cost: 900 },
            { agency: "Parks", cost: 300 },
        ]);
        expect(m.measure).toBe("totalCost");
        expect(m.bars.map((b) => b.value)).toEqual([900, 300]);
        expect(m.reference.value).toBe(600);
    });

    it("falls back to total cost with a note when cost per user is forced but Users is not bound", () => {
        const m = model([{ agency: "Revenue", cost: 900 }], {}, { measure: "costPerUser" });
        expect(m.measure).toBe("totalCost");
        expect(m.notes).toEqual(["Bind Users to show cost per user."]);
    });

    it("switches to total cost when the Format pane asks for it even with Users bound", () => {
        const m = model([{ agency: "Revenue", cost: 900, users: 9 }], { users: true }, { measure: "totalCost" });
        expect(bar(m, "Revenue").value).toBe(900);
    });

    it("nets credits and draws an agency with a negative net left of zero", () => {
        const m = model(
            [
                { agency: "Parks", service: "SaaS", cost: 500 },
                { agency: "Parks", service: "Credit", cost: -800 },
            ],
            { service: true },
        );
        const parks = bar(m, "Parks");
        expect(parks.value).toBe(-300);
        expect(parks.segments.map((s) => [s.start, s.end])).toEqual([
            [0, 500],
            [0, -800],
        ]);
        expect(m.domain).toEqual([-800, 500]);
    });

    it("leaves cost per user blank for zero or missing users and says why in the tooltip", () => {
        const m = model(
            [
                { agency: "Zero", cost: 500, users: 0 },
                { agency: "Missing", cost: 500, users: null },
                { agency: "Ok", cost: 500, users: 5 },
            ],
            { users: true },
        );
        for (const name of ["Zero", "Missing"]) {
            expect(bar(m, name).value).toBeNull();
            expect(bar(m, name).valueText).toBe("");
            expect(bar(m, name).segments).toEqual([]);
            expect(bar(m, name).tooltip).toContainEqual({
                displayName: "Cost per user (a year)",
                value: "No users: cost per user is blank",
            });
            expect(bar(m, name).tooltip).toContainEqual({
                displayName: "Cost without headcount",
                value: "$500.00, left out of cost per user",
            });
        }
        expect(m.bars.map((b) => b.name)).toEqual(["Ok", "Missing", "Zero"]); // blanks last
    });

    it("ignores text, NaN and Infinity in numeric roles instead of failing", () => {
        const m = model(
            [
                { agency: "A", cost: "12" as unknown as number, users: 1 },
                { agency: "B", cost: Number.NaN, users: 1 },
                { agency: "C", cost: Number.POSITIVE_INFINITY, users: Number.NEGATIVE_INFINITY },
                { agency: "D", cost: 10, users: 2 },
            ],
            { users: true },
        );
        expect(bar(m, "D").value).toBe(60); // 10 / 2 x 12
        expect(bar(m, "A").value).toBe(0);
        expect(bar(m, "C").value).toBeNull();
        expect(m.bars.every((b) => b.value === null || Number.isFinite(b.value))).toBe(true);
    });

    it("names blank agencies instead of drawing an empty label", () => {
        const m = model([{ agency: null, cost: 5 }]);
        expect(m.bars[0].name).toBe("(Blank)");
    });

    it("sorts by value, by name, or keeps the model's order", () => {
        const facts: CostFact[] = [
            { agency: "Corrections", cost: 200 },
            { agency: "Agriculture", cost: 100 },
            { agency: "Banking", cost: 300 },
        ];
        expect(model(facts).bars.map((b) => b.name)).toEqual(["Banking", "Corrections", "Agriculture"]);
        expect(model(facts, {}, { sort: "name" }).bars.map((b) => b.name)).toEqual([
            "Agriculture",
            "Banking",
            "Corrections",
        ]);
        expect(model(facts, {}, { sort: "model" }).bars.map((b) => b.name)).toEqual([
            "Corrections",
            "Agriculture",
            "Banking",
        ]);
    });

    it("formats labels with the measure's format string, the locale, display units and decimals", () => {
        const facts: CostFact[] = [{ agency: "Revenue", cost: 1234567.891 }];
        expect(model(facts).bars[0].valueText).toBe("$1,234,567.89");
        expect(model(facts, {}, {}, "de-DE").bars[0].valueText).toBe("$1.234.567,89");
        expect(model(facts, {}, { displayUnits: 1e6, decimals: 1 }).bars[0].valueText).toBe("$1.2M");
        expect(model(facts, {}, { displayUnits: 0, decimals: 0 }).bars[0].valueText).toBe("$1M");
        expect(model(facts, { costFormat: "#,0" }).bars[0].valueText).toBe("1,234,568");
        // Auto units keep values under 100,000 whole, so a column never mixes "$0.97K" with "$1.1K".
        const perUser: CostFact[] = [
            { agency: "Revenue", cost: 1219 },
            { agency: "Parks", cost: 970 },
        ];
        expect(model(perUser, {}, { displayUnits: 0 }).bars.map((b) => b.valueText)).toEqual(["$1,219.00", "$970.00"]);
    });

    it("keeps one color per service: the palette's, or the one set in the Format pane", () => {
        const facts: CostFact[] = [
            { agency: "Revenue", service: "SaaS", cost: 1 },
            { agency: "Parks", service: "IaaS", cost: 1 },
        ];
        const m = model(facts, { service: true });
        expect(m.services).toEqual([
            { name: "SaaS", color: "palette:SaaS", seriesIndex: 0 },
            { name: "IaaS", color: "palette:IaaS", seriesIndex: 1 },
        ]);
        expect(bar(m, "Parks").segments.map((s) => s.color)).toEqual(["palette:IaaS"]); // no empty SaaS piece

        const dataView = costDataView(facts, { service: true });
        const groups = dataView.categorical!.values!.grouped();
        groups[1].objects = { serviceColors: { fill: { solid: { color: "#123456" } } } };
        dataView.categorical!.values!.grouped = () => groups;
        const overridden = buildCostModel(readRoleTable(dataView), defaults, {
            locale: "en-US",
            localize: englishLocalize,
            paletteColor: palette,
        });
        expect(overridden.services[1].color).toBe("#123456");
    });

    it("gives each agency a monthly trend of cost per user and the change of the latest month", () => {
        const m = model(
            [
                { agency: "Revenue", period: new Date(Date.UTC(2026, 1, 1)), cost: 1100, users: 100 },
                { agency: "Revenue", period: new Date(Date.UTC(2026, 0, 1)), cost: 1000, users: 100 },
                { agency: "Parks", period: new Date(Date.UTC(2026, 0, 1)), cost: 500, users: 10 },
            ],
            { users: true, period: true },
        );
        expect(m.hasTrend).toBe(true);
        const revenue = bar(m, "Revenue");
        // 1,000 / 100 x 12 and 1,100 / 100 x 12, in time order, not model order
        expect(revenue.trend.map((p) => p.value)).toEqual([120, 132]);
        expect(revenue.change).toBeCloseTo(0.1, 10);
        expect(revenue.changeText).toBe("▲ 10.0%");
        expect(bar(m, "Parks").trend.map((p) => p.value)).toEqual([600, null]); // 500 / 10 x 12
        expect(bar(m, "Parks").change).toBeNull();
    });

    it("puts every sparkline on one scale of each agency's own average, so equal swings look equal", () => {
        const month = (m: number) => new Date(Date.UTC(2026, m, 1));
        const m = model(
            [
                { agency: "Small", period: month(0), cost: 90 },
                { agency: "Small", period: month(1), cost: 110 },
                { agency: "Large", period: month(0), cost: 9000 },
                { agency: "Large", period: month(1), cost: 11000 },
            ],
            { period: true },
        );
        expect(bar(m, "Small").trend.map((p) => p.relative)).toEqual([0.9, 1.1]);
        expect(bar(m, "Large").trend.map((p) => p.relative)).toEqual([0.9, 1.1]);
        expect(m.trendDomain).toEqual([0.9, 1.1]);
    });

    it("puts agency, cost, users, cost per user, each service's share and the statewide difference in the tooltip", () => {
        const m = model(
            [
                { agency: "Revenue", service: "SaaS", cost: 750, users: 10 },
                { agency: "Revenue", service: "IaaS", cost: 250, users: 10 },
                { agency: "Parks", service: "SaaS", cost: 1000, users: 40 },
            ],
            { service: true, users: true },
        );
        // Statewide: 2,000 / 50 user-months x 12 = 480 a year; Revenue 1,000 / 10 x 12 = 1,200, +150%.
        expect(bar(m, "Revenue").tooltip).toEqual([
            { displayName: "Agency", value: "Revenue" },
            { displayName: "Total cost", value: "$1,000.00" },
            { displayName: "User-months", value: "10" },
            { displayName: "Cost per user (a year)", value: "$1,200.00" },
            { displayName: "SaaS", value: "$750.00 (75.0%)" },
            { displayName: "IaaS", value: "$250.00 (25.0%)" },
            { displayName: "vs average of agencies shown", value: "+150.0%" },
        ]);
    });

    it("handles thirty thousand rows", () => {
        const facts: CostFact[] = [];
        for (let agency = 0; agency < 250; agency++) {
            for (let service = 0; service < 10; service++) {
                for (let month = 0; month < 12; month++) {
                    facts.push({
                        agency: `Agency ${agency}`,
                        service: `Service ${service}`,
                        period: `2026-${month + 1}`,
                        cost: 10,
                        users: 4,
                    });
                }
            }
        }
        const m = model(facts, { service: true, users: true, period: true });
        expect(m.bars).toHaveLength(250);
        // Each agency: 10 services x 12 months x 10 = 1,200 over an average of 4 users (not 4 x 120 rows).
        expect(m.bars.every((b) => b.value === 300)).toBe(true);
        expect(m.reference.value).toBe(300); // 300,000 over 250 agencies x 4 users
    });
});

describe("cross-highlighting from another visual", () => {
    it("draws the highlighted part of each bar, divided by the agency's full headcount", () => {
        const dataView = costDataView(
            [
                { agency: "Revenue", service: "SaaS", cost: 600, users: 10 },
                { agency: "Revenue", service: "IaaS", cost: 400, users: 10 },
                { agency: "Parks", service: "IaaS", cost: 200, users: 4 },
            ],
            { service: true, users: true },
        );
        // Another visual highlights SaaS: Power BI sends highlights beside the full values.
        for (const group of dataView.categorical!.values!.grouped()) {
            for (const column of group.values) {
                if (column.source.roles?.cost)
                    column.highlights = column.values.map((value) =>
                        group.name === "SaaS" ? value : null,
                    ) as powerbi.PrimitiveValue[];
            }
        }
        const m = buildCostModel(readRoleTable(dataView), defaults, {
            locale: "en-US",
            localize: englishLocalize,
            paletteColor: palette,
        });
        expect(m.hasHighlights).toBe(true);
        expect(bar(m, "Revenue").value).toBe(1200); // the full bar stays: 1,000 / 10 x 12
        // SaaS: 600 / 10 x 12
        expect(bar(m, "Revenue").highlights!.map((s) => [s.service, s.start, s.end])).toEqual([["SaaS", 0, 720]]);
        expect(bar(m, "Parks").highlights).toEqual([]);
    });

    it("has no highlight layer when nothing is highlighted", () => {
        const m = model([{ agency: "Revenue", cost: 1 }]);
        expect(m.hasHighlights).toBe(false);
        expect(m.bars[0].highlights).toBeNull();
    });
});

describe("fields in the Tooltips well", () => {
    it("shows an agency-level value, formatted, and says when a field varies within the agency", () => {
        const dataView = dataViewFromSpec({
            categories: [
                { role: "agency", values: ["Revenue", "Revenue", "Parks"] },
                { role: "period", values: ["2026-01", "2026-02", "2026-01"] },
            ],
            measures: [
                { role: "cost", values: [[10, 20, 5]] },
                { role: "tooltips", format: "0.0%", values: [[0.25, 0.25, 0.5]] },
                { role: "tooltips", values: [[1, 2, 3]] },
            ],
        });
        const m = buildCostModel(readRoleTable(dataView), defaults, {
            locale: "en-US",
            localize: englishLocalize,
            paletteColor: palette,
        });
        const tooltip = (name: string) =>
            bar(m, name)
                .tooltip.filter((item) => item.displayName === "tooltips")
                .map((item) => item.value);
        expect(tooltip("Revenue")).toEqual(["25.0%", "varies by service or period"]);
        expect(tooltip("Parks")).toEqual(["50.0%", "3"]);
    });
});

describe("cost view model: values too large to draw and headcounts too small to divide by", () => {
    it("leaves a headcount of 5e-324 out of the scale, with a note and a tooltip naming it", () => {
        const m = model(
            [
                { agency: "Revenue", cost: 5000, users: 200 },
                { agency: "Parks", cost: 1000, users: 5e-324 },
            ],
            { users: true },
        );
        expect(bar(m, "Parks").value).toBeNull();
        expect(bar(m, "Parks").segments).toEqual([]);
        expect(m.domain.every(Number.isFinite)).toBe(true);
        // Revenue's bar (5,000 / 200 x 12 = 300) and the statewide line: 6,000 over 200 user-months
        // (the tiny headcount adds nothing), x 12 = 360.
        expect(m.domain).toEqual([0, 360]);
        expect(m.notes).toContain("Headcount too small to divide by, cost per user left blank: Parks");
        const tooltip = bar(m, "Parks").tooltip;
        expect(tooltip.find((item) => item.displayName === "Cost per user (a year)")?.value).toBe(
            "Headcount too small to divide by",
        );
    });

    it("leaves costs near the largest double out of every sum, so the statewide line stays finite", () => {
        const m = model(
            [
                { agency: "Revenue", cost: 5000, users: 100 },
                { agency: "Parks", cost: Number.MAX_VALUE, users: 10 },
                { agency: "Health", cost: 1e308, users: 10 },
                { agency: "Roads", cost: 3000, users: 100 },
            ],
            { users: true },
        );
        // Statewide: (5000 + 3000) over 220 user-months, x 12; the two costs too large to draw are left out.
        expect(m.reference.value).toBeCloseTo((8000 / 220) * 12, 10);
        expect(m.domain.every(Number.isFinite)).toBe(true);
        expect(m.notes).toContain("Values too large to draw, left out of the scale: Parks, Health");
        expect(bar(m, "Parks").tooltip.find((item) => item.displayName === "Left out (too large to draw)")?.value).toBe(
            "1",
        );
    });

    it("names at most three agencies in the note, then how many more", () => {
        const m = model(
            ["A", "B", "C", "D", "E"].map((agency) => ({ agency, cost: 1e308, users: 1 })),
            { users: true },
        );
        expect(m.notes).toContain("Values too large to draw, left out of the scale: A, B, C and 2 more");
    });
});

describe("cost view model: the columns an agency head reads", () => {
    const facts: CostFact[] = [
        { agency: "Revenue", service: "IaaS", cost: 1000, users: 100 },
        { agency: "Revenue", service: "SaaS", cost: 5000, users: 100 },
        { agency: "Parks", service: "IaaS", cost: 300, users: 10 },
        { agency: "Parks", service: "SaaS", cost: 100, users: 10 },
    ];

    it("stacks every bar's services in one order, largest overall first, and lists them so", () => {
        // SaaS 5,100 in all, IaaS 1,300: SaaS starts at zero in both bars, although Parks has more IaaS.
        const m = model(facts, { service: true, users: true });
        expect(m.services.map((service) => service.name)).toEqual(["SaaS", "IaaS"]);
        expect(bar(m, "Parks").segments.map((segment) => [segment.service, segment.start])).toEqual([
            ["SaaS", 0],
            ["IaaS", 120], // 100 / 10 user-months x 12
        ]);
    });

    it("compares each bar with the statewide figure from the model, signed", () => {
        // Revenue 6,000 / 100 x 12 = 720; Parks 400 / 10 x 12 = 480; the model's statewide figure is 600.
        const m = model(facts, { service: true, users: true, reference: 600 });
        expect(bar(m, "Revenue").versus).toBeCloseTo(0.2, 10);
        expect(bar(m, "Revenue").versusText).toBe("+20.0%");
        expect(bar(m, "Parks").versusText).toBe("-20.0%");
        expect(m.versusExtent).toBeCloseTo(0.2, 10);
        expect(m.headers.versus).toBe("vs statewide");
    });

    it("without a Reference, compares with the agencies shown's own figure and says so", () => {
        // 6,400 over 110 user-months x 12 = 698.18...; Revenue 720 is 3.125% above it.
        const m = model(facts, { service: true, users: true });
        expect(bar(m, "Revenue").versus).toBeCloseTo(720 / ((6400 / 110) * 12) - 1, 10);
        expect(m.headers.versus).toBe("vs average shown");
    });

    it("colors a change good or bad only as the Format pane says which way is good", () => {
        const month = (m: number) => new Date(Date.UTC(2026, m, 1));
        const rising: CostFact[] = [
            { agency: "Revenue", period: month(0), cost: 1000, users: 100 },
            { agency: "Revenue", period: month(1), cost: 1200, users: 100 },
        ];
        const tone = (changeDirection?: CostSettings["changeDirection"]) =>
            bar(model(rising, { users: true, period: true }, { changeDirection }), "Revenue").changeTone;
        expect([tone(), tone("neutral"), tone("upIsGood"), tone("upIsBad")]).toEqual([
            "neutral",
            "neutral",
            "good",
            "bad",
        ]);
        const m = model(rising, { users: true, period: true });
        expect(bar(m, "Revenue").changeText).toBe("▲ 20.0%");
        expect(m.headers.trend).toBe("Trend, 2 months");
        expect(m.headers.change).toBe("vs previous month");
    });

    it("labels total cost with one precision for the whole column", () => {
        const m = model(
            [
                { agency: "Revenue", cost: 2_330_000 },
                { agency: "Parks", cost: 2_100_000 },
                { agency: "Library", cost: 950_000 },
            ],
            { costFormat: "\\$#,0" },
            { displayUnits: 0 },
        );
        expect(m.measure).toBe("totalCost");
        expect(m.bars.map((b) => b.valueText)).toEqual(["$2.33M", "$2.10M", "$0.95M"]);
        expect(m.formatValue(1_500_000)).toBe("$1.50M");
        expect(m.headers.value).toBe("Total cost");
    });
});
