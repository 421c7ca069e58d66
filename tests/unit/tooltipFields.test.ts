import powerbi from "powerbi-visuals-api";
import { dataViewFromSpec } from "../support/genericDataView";
import { mountVisual } from "../support/host";

jest.mock("../../src/textMeasurer", () => jest.requireActual("../support/fakeTextMeasurer"));

// A field in the Tooltips well appears in every view's tooltip, formatted with its own format string.
const tooltipField = { role: "tooltips", format: "\\$#,0", values: [[1200, 1200, 800]] };

const cases: [string, Parameters<typeof dataViewFromSpec>[0], string][] = [
    [
        "cost",
        {
            categories: [
                { role: "agency", values: ["Revenue", "Revenue", "Parks"] },
                { role: "period", values: ["Jan", "Feb", "Jan"] },
            ],
            measures: [{ role: "cost", values: [[10, 20, 5]] }, tooltipField],
        },
        "g.ais-row",
    ],
    [
        "goals",
        {
            categories: [
                { role: "team", values: ["Desk", "Desk", "Cloud"] },
                { role: "goal", values: ["Resolution", "Resolution", "Adoption"] },
                { role: "period", values: ["Jan", "Feb", "Jan"] },
            ],
            measures: [
                { role: "actual", values: [[8, 7, 50]] },
                { role: "target", values: [[5, 5, 95]] },
                { role: "baseline", values: [[10, 10, 20]] },
                tooltipField,
            ],
        },
        "g.ais-goal-goal",
    ],
    [
        "satisfaction",
        {
            categories: [
                { role: "agency", values: ["Revenue", "Revenue", "Parks"] },
                { role: "rating", values: [4, 5, 2] },
            ],
            measures: [{ role: "responses", values: [[3, 4, 1]] }, tooltipField],
        },
        "g.ais-sat-row",
    ],
];

describe.each(cases)("Tooltips well in the %s view", (_view, spec, rowSelector) => {
    it("shows the field's value for the item the pointer is on", () => {
        const mounted = mountVisual();
        try {
            mounted.update(dataViewFromSpec(spec));
            const rows = [...mounted.element.querySelectorAll(rowSelector)];
            expect(rows.length).toBeGreaterThan(0);
            const values: string[] = [];
            for (const row of rows) {
                row.dispatchEvent(new MouseEvent("mousemove", { bubbles: true, clientX: 5, clientY: 5 }));
                const shown = mounted.callsOf("tooltip", "show").pop()
                    ?.args[0] as powerbi.extensibility.TooltipShowOptions;
                values.push(
                    ...(shown.dataItems ?? [])
                        .filter((item) => item.displayName === "tooltips")
                        .map((item) => String(item.value)),
                );
            }
            expect(values.sort()).toEqual(["$1,200", "$800"]);
        } finally {
            mounted.unmount();
        }
    });
});
