import * as fc from "fast-check";
import powerbi from "powerbi-visuals-api";
import { Cell } from "../support/dataViews";
import { DataViewSpec, dataViewFromSpec } from "../support/genericDataView";
import { mountVisual, UpdateType } from "../support/host";

jest.mock("../../src/textMeasurer", () => jest.requireActual("../support/fakeTextMeasurer"));

// Robustness, proven: the real visual driven with generated DataViews never throws, never logs
// (tests/support/failOnConsole.ts), always balances its rendering events, and renders data text
// as text. `npm run fuzz` runs many more cases (FUZZ_RUNS).
const runs = Number(process.env.FUZZ_RUNS ?? 300);

const groupingRoles = ["agency", "team", "goal", "period", "rating"];
const measureRoles = ["cost", "users", "actual", "target", "baseline", "startDate", "dueDate", "responses", "tooltips"];
const markup = ["<img src=x onerror=alert(1)>", "<script>window.pwned = true</script>", "<b>bold</b>&amp;"];

// Data text never spells NaN or Infinity itself, so finding either in an attribute is the visual's fault.
const text: fc.Arbitrary<Cell> = fc.oneof(
    fc.constantFrom<Cell>(null, "", "Revenue", "Parks", "Revenue", ...markup),
    fc.string({ maxLength: 12 }).filter((value) => !/NaN|Infinity/.test(value)),
    fc.constant("x".repeat(10000)),
    fc.integer({ min: -3, max: 7 }),
    fc.date({ noInvalidDate: false }),
);
const value: fc.Arbitrary<Cell> = fc.oneof(
    fc.constantFrom<Cell>(
        null,
        0,
        -0,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        1e308,
        -1e308,
        Number.MAX_VALUE,
        -Number.MAX_VALUE,
        Number.MAX_VALUE / 2,
        5e-324,
        -5e-324,
        Number.MIN_VALUE * 3,
        2.2e-308,
        "12",
        "abc",
        true,
    ),
    fc.double(),
    fc.integer({ min: -1000, max: 100000 }),
    fc.date({ noInvalidDate: false }),
);
const objects = fc.record(
    {
        view: fc.record({
            mode: fc.constantFrom<unknown>("auto", "cost", "goals", "satisfaction", "nonsense", 3, null),
        }),
        cost: fc.record({
            measure: fc.constantFrom<unknown>("auto", "costPerUser", "totalCost", "x"),
            sort: fc.constantFrom<unknown>("value", "name", "model", 1),
        }),
        labels: fc.record({
            show: fc.constantFrom<unknown>(true, false, "yes"),
            fontSize: fc.constantFrom<unknown>(1, 11, 400, -3, Number.NaN, "big"),
            decimals: fc.constantFrom<unknown>(-2, 0, 3, 40, null),
            displayUnits: fc.constantFrom<unknown>(0, 1, 1000, 1e6, -1, "k"),
        }),
    },
    { requiredKeys: [] },
) as fc.Arbitrary<powerbi.DataViewObjects>;

const spec: fc.Arbitrary<DataViewSpec> = fc
    .record({
        rows: fc.oneof(fc.constantFrom(0, 1, 2), fc.nat({ max: 40 })),
        series: fc.option(fc.array(text, { minLength: 0, maxLength: 4 }), { nil: undefined }),
        grouping: fc.shuffledSubarray(groupingRoles),
        measures: fc.shuffledSubarray(measureRoles),
        objects: fc.option(objects, { nil: undefined }),
    })
    .chain(({ rows, series, grouping, measures, objects }) =>
        fc.record({
            categories: fc.tuple(
                ...grouping.map((role) =>
                    fc.array(text, { minLength: rows, maxLength: rows }).map((values) => ({ role, values })),
                ),
            ),
            measures: fc.tuple(
                ...measures.map((role) =>
                    fc
                        .array(fc.array(value, { minLength: rows, maxLength: rows }), {
                            minLength: series?.length || 1,
                            maxLength: series?.length || 1,
                        })
                        .map((values) => ({ role, format: role === "cost" ? "\\$#,0.00" : undefined, values })),
                ),
            ),
            series: fc.constant(series),
            objects: fc.constant(objects),
        }),
    );
const viewport = fc.record({
    width: fc.constantFrom(0, 1, 40, 150, 600, 1900),
    height: fc.constantFrom(0, 1, 30, 200, 900),
});

/** Every attribute (inline styles included) of every element the visual drew that spells NaN or Infinity. */
function garbageAttributes(root: Element): string[] {
    const found: string[] = [];
    for (const element of [root, ...root.querySelectorAll("*")]) {
        for (const attribute of element.attributes) {
            if (/NaN|Infinity/.test(attribute.value))
                found.push(`<${element.tagName.toLowerCase()} ${attribute.name}="${attribute.value.slice(0, 80)}">`);
        }
    }
    return found;
}

function expectHealthy(mounted: ReturnType<typeof mountVisual>, updates: number) {
    expect(garbageAttributes(mounted.element)).toEqual([]);
    const events = mounted.callsOf("events").map((call) => call.method);
    expect(events).toEqual(Array.from({ length: updates }, () => ["renderingStarted", "renderingFinished"]).flat());
    expect(mounted.element.querySelectorAll("script, img, b")).toHaveLength(0);
    expect((window as unknown as { pwned?: boolean }).pwned).toBeUndefined();
}

describe("the visual under generated DataViews", () => {
    it("never throws, logs, or leaves rendering events unbalanced, and draws data text as text", () => {
        fc.assert(
            fc.property(
                fc.array(fc.tuple(fc.option(spec, { nil: undefined }), viewport, fc.boolean()), {
                    minLength: 1,
                    maxLength: 4,
                }),
                (steps) => {
                    const mounted = mountVisual();
                    try {
                        let dataView: powerbi.DataView | undefined;
                        for (const [stepSpec, size, resizeOnly] of steps) {
                            // A resize-only update keeps the previous DataView, as Power BI does.
                            if (!resizeOnly || !dataView) dataView = stepSpec ? dataViewFromSpec(stepSpec) : undefined;
                            mounted.update(dataView, resizeOnly ? UpdateType.Resize : UpdateType.Data, size);
                            expect(garbageAttributes(mounted.element)).toEqual([]);
                        }
                        expectHealthy(mounted, steps.length);
                    } finally {
                        mounted.unmount();
                    }
                },
            ),
            { numRuns: runs, seed: Number(process.env.FUZZ_SEED ?? 20261121) },
        );
    });

    it.each(["cost", "goals", "satisfaction"])("handles 30,000 rows with random values in the %s view", (view) => {
        const rows = 30000;
        const sample = <T>(arbitrary: fc.Arbitrary<T>, count: number, seed: number) =>
            fc.sample(arbitrary, { numRuns: count, seed });
        const spec: DataViewSpec = {
            categories: [
                { role: "agency", values: Array.from({ length: rows }, (_, i) => `Agency ${i % 250}`) },
                { role: "period", values: Array.from({ length: rows }, (_, i) => new Date(Date.UTC(2025, i % 24, 1))) },
                {
                    role: view === "goals" ? "goal" : "rating",
                    values: Array.from({ length: rows }, (_, i) =>
                        view === "goals" ? `Goal ${i % 300}` : (i % 7) - 1,
                    ),
                },
            ],
            measures: ["cost", "users", "actual", "target", "baseline", "responses"].map((role, index) => ({
                role,
                values: [sample(value, rows, index + 1)],
            })),
            objects: { view: { mode: view } },
        };
        const mounted = mountVisual();
        try {
            mounted.update(dataViewFromSpec(spec));
            mounted.update(dataViewFromSpec(spec), UpdateType.Resize, { width: 300, height: 300 });
            expectHealthy(mounted, 2);
        } finally {
            mounted.unmount();
        }
    });

    const extremes = [Number.MAX_VALUE, -Number.MAX_VALUE, 1e308, 5e-324, -5e-324, 1, 1000];
    it.each(["cost", "goals", "satisfaction"])(
        "draws only finite coordinates with values near the largest and smallest doubles in every numeric role (%s view)",
        (view) => {
            const rows = 40;
            const roleValues = (offset: number) =>
                Array.from({ length: rows }, (_, row) => extremes[(row + offset) % extremes.length]);
            const spec: DataViewSpec = {
                categories: [
                    { role: "agency", values: Array.from({ length: rows }, (_, row) => `Agency ${row % 9}`) },
                    { role: "team", values: Array.from({ length: rows }, (_, row) => `Team ${row % 3}`) },
                    { role: "goal", values: Array.from({ length: rows }, (_, row) => `Goal ${row % 9}`) },
                    {
                        role: "period",
                        values: Array.from({ length: rows }, (_, row) => new Date(Date.UTC(2025, row % 5, 1))),
                    },
                    { role: "rating", values: Array.from({ length: rows }, (_, row) => (row % 5) + 1) },
                ],
                series: ["SaaS", "IaaS"],
                measures: ["cost", "users", "actual", "target", "baseline", "responses", "tooltips"].map(
                    (role, index) => ({
                        role,
                        values: [roleValues(index), roleValues(index + 3)],
                    }),
                ),
                objects: { view: { mode: view } },
            };
            const mounted = mountVisual();
            try {
                mounted.update(dataViewFromSpec(spec));
                expect(garbageAttributes(mounted.element)).toEqual([]);
                mounted.update(dataViewFromSpec(spec), UpdateType.Resize, { width: 300, height: 300 });
                expectHealthy(mounted, 2);
                expect(mounted.element.querySelectorAll("g.ais-row, g.ais-goal-row").length).toBeGreaterThan(0);
            } finally {
                mounted.unmount();
            }
        },
    );

    it("draws the goal view with Period bound at 10,000 rows of distinct periods", () => {
        const rows = 10000;
        const spec: DataViewSpec = {
            categories: [
                { role: "team", values: Array.from({ length: rows }, (_, row) => `Team ${Math.floor(row / 2) % 40}`) },
                { role: "goal", values: Array.from({ length: rows }, (_, row) => `Goal ${Math.floor(row / 2)}`) },
                // A date-time in the Period well: every row its own period.
                {
                    role: "period",
                    values: Array.from({ length: rows }, (_, row) => new Date(Date.UTC(2025, 0, 1) + row * 60_000)),
                },
            ],
            measures: [
                { role: "actual", values: [Array.from({ length: rows }, (_, row) => row % 97)] },
                { role: "target", values: [Array.from({ length: rows }, () => 100)] },
                { role: "baseline", values: [Array.from({ length: rows }, () => 0)] },
            ],
        };
        const mounted = mountVisual();
        try {
            mounted.update(dataViewFromSpec(spec), UpdateType.Data, { width: 900, height: 500 });
            mounted.update(dataViewFromSpec(spec), UpdateType.Resize, { width: 600, height: 400 });
            expectHealthy(mounted, 2);
            // Each goal's history line is drawn from its own two periods.
            const histories = [...mounted.element.querySelectorAll("path.ais-history-line")];
            expect(histories.length).toBeGreaterThan(0);
            for (const history of histories) expect(history.getAttribute("d")).toMatch(/^M[^M]*L[^ML]*$/);
        } finally {
            mounted.unmount();
        }
    });
});
