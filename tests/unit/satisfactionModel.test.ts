import { readRoleTable } from "../../src/data/roles";
import {
    buildSatisfactionModel,
    parseRating,
    SatisfactionSettings,
    SatisfactionViewModel,
} from "../../src/data/satisfactionModel";
import { englishLocalize } from "../../src/data/strings";
import { satisfactionDataView, SatisfactionBinding, SatisfactionFact } from "../support/satisfactionDataViews";

const colors = ["#c1", "#c2", "#c3", "#c4", "#c5"];
const defaults: SatisfactionSettings = {
    lowResponseThreshold: 10,
    sort: "followUp",
    colors,
    displayUnits: 0,
    decimals: null,
};

function model(
    facts: SatisfactionFact[],
    binding: SatisfactionBinding = {},
    settings: Partial<SatisfactionSettings> = {},
    locale = "en-US",
): SatisfactionViewModel {
    return buildSatisfactionModel(
        readRoleTable(satisfactionDataView(facts, binding)),
        { ...defaults, ...settings },
        { locale, localize: englishLocalize },
    );
}
const row = (m: SatisfactionViewModel, name: string) => m.rows.find((r) => r.name === name)!;

/** An agency's responses as counts per rating 1..5. */
function agency(name: string, counts: number[], extra: Partial<SatisfactionFact> = {}): SatisfactionFact[] {
    return counts
        .map((responses, index) => ({ agency: name, rating: index + 1, responses, ...extra }))
        .filter((fact) => fact.responses !== 0);
}

describe("weighting rules", () => {
    it("averages ratings weighted by their response counts", () => {
        // 2 x 1 + 1 x 3 + 7 x 5 = 40 over 10 responses = 4.0 (the unweighted mean of 1, 3 and 5 is 3).
        const m = model(agency("Revenue", [2, 0, 1, 0, 7]));
        expect(row(m, "Revenue").average).toBe(4);
        expect(row(m, "Revenue").responses).toBe(10);
        expect(row(m, "Revenue").counts).toEqual([2, 0, 1, 0, 7]);
    });

    it("computes the statewide row from all responses together, not the mean of agency averages", () => {
        // Small: 1 response of 1. Large: 99 responses of 5. Statewide (1 + 495) / 100 = 4.96, not (1 + 5) / 2 = 3.
        const m = model([...agency("Small", [1, 0, 0, 0, 0]), ...agency("Large", [0, 0, 0, 0, 99])]);
        expect(m.statewide.average).toBeCloseTo(4.96, 10);
        expect(m.statewide.responses).toBe(100);
        expect(m.statewide.counts).toEqual([1, 0, 0, 0, 99]);
        expect(m.statewide.followUp).toBe(1);
        expect(m.statewide.followUpShare).toBeCloseTo(0.01, 10);
    });

    it("counts ratings below 4 (1, 2 and 3) as needing follow-up", () => {
        const r = row(model(agency("Parks", [1, 2, 3, 4, 10])), "Parks");
        expect(r.followUp).toBe(6);
        expect(r.followUpShare).toBeCloseTo(0.3, 10);
        expect(r.followUpText).toBe("30.0% (6)");
        expect(r.averageText).toBe("4.0");
        expect(r.responsesText).toBe("20");
    });

    it("sums responses across services when Service is bound", () => {
        const m = model(
            [
                { agency: "Revenue", rating: 5, service: "SaaS", responses: 3 },
                { agency: "Revenue", rating: 5, service: "IaaS", responses: 4 },
                { agency: "Revenue", rating: 2, service: "IaaS", responses: 3 },
            ],
            { service: true },
        );
        expect(row(m, "Revenue").counts).toEqual([0, 3, 0, 0, 7]);
        expect(row(m, "Revenue").average).toBeCloseTo(4.1, 10);
    });
});

describe("diverging bars", () => {
    it("puts 1, 2 and 3 left of the center line and 4 and 5 right of it, in order from negative to positive", () => {
        const r = row(model(agency("Parks", [1, 1, 2, 4, 2])), "Parks");
        const segments = r.segments.map((s) => [s.rating, s.start, s.end, s.color]);
        // Left, from the center outward: 3, then 2, then 1 at the far left.
        expect(segments).toEqual(
            [
                [1, -0.4, -0.3, "#c1"],
                [2, -0.3, -0.2, "#c2"],
                [3, -0.2, 0, "#c3"],
                [4, 0, 0.4, "#c4"],
                [5, 0.4, 0.6, "#c5"],
            ].map(([rating, start, end, color]) => [
                rating,
                expect.closeTo(start as number, 10),
                expect.closeTo(end as number, 10),
                color,
            ]),
        );
    });

    it("leaves out ratings with no responses and sets the axis from the widest side of any row", () => {
        const m = model([...agency("A", [0, 0, 0, 1, 1]), ...agency("B", [3, 0, 0, 0, 1])]);
        expect(row(m, "A").segments.map((s) => s.rating)).toEqual([4, 5]);
        expect(m.domain[0]).toBeCloseTo(-0.75, 10);
        expect(m.domain[1]).toBeCloseTo(1, 10);
    });
});

describe("low responses and bad input", () => {
    it("marks agencies under the response threshold, and the threshold comes from the Format pane", () => {
        const facts = [
            ...agency("One", [1, 0, 0, 0, 0]),
            ...agency("Nine", [0, 0, 0, 4, 5]),
            ...agency("Ten", [0, 0, 0, 5, 5]),
        ];
        const m = model(facts);
        expect(row(m, "One").lowResponse).toBe(true);
        expect(row(m, "Nine").lowResponse).toBe(true);
        expect(row(m, "Ten").lowResponse).toBe(false);
        expect(row(m, "One").responsesText).toBe("1 (few)");
        expect(row(m, "One").tooltip).toContainEqual({
            displayName: "Few responses",
            value: "Fewer than 10: not a trend",
        });
        expect(m.statewide.lowResponse).toBe(false);
        expect(m.notes).toContain("(few): fewer than 10 responses, too few to read as a trend.");
        const strict = model(facts, {}, { lowResponseThreshold: 0 });
        expect(strict.rows.some((r) => r.lowResponse)).toBe(false);
        expect(strict.notes).toEqual([]);
    });

    it("reads ratings sent as numeric text and refuses anything but whole numbers 1 to 5", () => {
        expect([1, 5, "3", " 4 ", "2.0"].map(parseRating)).toEqual([1, 5, 3, 4, 2]);
        expect(
            [0, 6, 3.5, "3.5", "", "good", null, undefined, Number.NaN, true, new Date()].map((value) =>
                parseRating(value as never),
            ),
        ).toEqual(Array(11).fill(null));
    });

    it("counts responses with bad ratings, reports them in the tooltip and a warning, and does not draw them", () => {
        const m = model(
            [
                ...agency("Revenue", [0, 0, 0, 2, 2]),
                { agency: "Revenue", rating: "3", responses: 1 },
                { agency: "Revenue", rating: 7, responses: 3 },
                { agency: "Revenue", rating: 4.5, responses: 1 },
                { agency: "Parks", rating: null, responses: 2 },
                { agency: "Parks", rating: 0, responses: 0 },
            ],
            { ratingText: false },
        );
        const revenue = row(m, "Revenue");
        expect(revenue.counts).toEqual([0, 0, 1, 2, 2]);
        expect(revenue.responses).toBe(5);
        expect(revenue.invalidResponses).toBe(4);
        expect(revenue.segments.map((s) => s.rating)).toEqual([3, 4, 5]);
        expect(revenue.tooltip).toContainEqual({ displayName: "Ratings not 1-5 (not drawn)", value: "4" });
        expect(row(m, "Parks").invalidResponses).toBe(2);
        expect(m.statewide.invalidResponses).toBe(6);
        expect(m.warning).toEqual({
            title: "Some ratings are not 1-5",
            detail: "6 responses have a rating that is not a whole number from 1 to 5. They are counted in the tooltip and not drawn.",
        });
        expect(model(agency("Revenue", [1, 1, 1, 1, 1])).warning).toBeNull();
    });

    it("shows an agency with no responses, null counts or negative counts without a bar or an average", () => {
        const m = model([
            ...agency("Revenue", [0, 0, 0, 0, 3]),
            { agency: "Empty", rating: 4, responses: null },
            { agency: "Negative", rating: 2, responses: -5 },
            { agency: "Text", rating: 2, responses: "many" },
        ]);
        for (const name of ["Empty", "Negative", "Text"]) {
            const r = row(m, name);
            expect(r.responses).toBe(0);
            expect(r.average).toBeNull();
            expect(r.followUpShare).toBeNull();
            expect(r.segments).toEqual([]);
            expect(r.averageText).toBe("");
            expect(r.responsesText).toBe("0 (few)");
            expect(r.tooltip).toContainEqual({ displayName: "Responses", value: "No responses" });
        }
        expect(m.statewide.responses).toBe(3);
        expect(m.notes).toContain("Counts left out (negative, not a number or too large to draw): 2");
    });

    it("draws a single response as a whole bar, marked as few", () => {
        const r = row(model(agency("Solo", [0, 1, 0, 0, 0])), "Solo");
        expect(r.segments.map((s) => [s.rating, s.start, s.end])).toEqual([[2, -1, 0]]);
        expect(r.average).toBe(2);
        expect(r.lowResponse).toBe(true);
    });

    it("names blank agencies", () => {
        expect(model(agency(null as unknown as string, [1, 0, 0, 0, 0])).rows[0].name).toBe("(Blank)");
    });
});

describe("sorting", () => {
    const facts = [
        ...agency("Corrections", [0, 0, 5, 5, 10]), // follow-up 25%, average 4.25, 20 responses
        ...agency("Agriculture", [4, 0, 0, 0, 4]), // follow-up 50%, average 3, 8 responses
        ...agency("Banking", [0, 0, 0, 30, 10]), // follow-up 0%, average 4.25, 40 responses
        { agency: "Zoo", rating: 5, responses: null }, // no responses
    ];
    const names = (settings: Partial<SatisfactionSettings>) => model(facts, {}, settings).rows.map((r) => r.name);

    it("sorts by follow-up share, largest first, by default", () => {
        expect(names({})).toEqual(["Agriculture", "Corrections", "Banking", "Zoo"]);
    });

    it("sorts by average rating, lowest first, ties by name", () => {
        expect(names({ sort: "average" })).toEqual(["Agriculture", "Banking", "Corrections", "Zoo"]);
    });

    it("sorts by responses, most first, and by name", () => {
        expect(names({ sort: "responses" })).toEqual(["Banking", "Corrections", "Agriculture", "Zoo"]);
        expect(names({ sort: "name" })).toEqual(["Agriculture", "Banking", "Corrections", "Zoo"]);
    });
});

describe("trend", () => {
    const jan = new Date(Date.UTC(2026, 0, 1));
    const feb = new Date(Date.UTC(2026, 1, 1));

    it("gives each agency and the state an average per period, in time order, and the change against the previous period", () => {
        const m = model(
            [
                { agency: "Revenue", rating: 5, period: feb, responses: 3 },
                { agency: "Revenue", rating: 3, period: feb, responses: 1 },
                { agency: "Revenue", rating: 4, period: jan, responses: 2 },
                { agency: "Revenue", rating: 2, period: jan, responses: 2 },
                { agency: "Parks", rating: 5, period: jan, responses: 1 },
            ],
            { period: true },
        );
        expect(m.hasTrend).toBe(true);
        const revenue = row(m, "Revenue");
        expect(revenue.trend.map((p) => p.value)).toEqual([3, 4.5]);
        expect(revenue.change).toBeCloseTo(1.5, 10);
        expect(revenue.changeText).toBe("+1.5");
        expect(revenue.tooltip).toContainEqual({ displayName: "Change vs previous period", value: "+1.5" });
        expect(row(m, "Parks").trend.map((p) => p.value)).toEqual([5, null]);
        expect(row(m, "Parks").change).toBeNull();
        // Statewide January: (12 + 5) / 5 = 3.4; February 4.5.
        expect(m.statewide.trend.map((p) => p.value)).toEqual([3.4, 4.5]);
    });

    it("has no trend with one period or none", () => {
        expect(model(agency("A", [1, 1, 1, 1, 1])).hasTrend).toBe(false);
    });
});

describe("formatting and tooltips", () => {
    it("formats in the report's locale and the responses measure's format", () => {
        const facts = agency("Revenue", [100, 0, 0, 0, 1134]);
        const r = row(model(facts, {}, {}, "de-DE"), "Revenue");
        expect(r.averageText).toBe("4,7");
        expect(r.responsesText).toBe("1.234");
        expect(r.followUpText).toBe("8,1% (100)");
    });

    it("puts the agency, average, responses, follow-up, each rating's share and the statewide difference in the tooltip", () => {
        const m = model([...agency("Revenue", [1, 0, 1, 3, 5]), ...agency("Parks", [0, 0, 0, 0, 5])]);
        expect(row(m, "Revenue").tooltip).toEqual([
            { displayName: "Agency", value: "Revenue" },
            { displayName: "Average rating", value: "4.1" },
            { displayName: "Responses", value: "10" },
            { displayName: "Needs follow-up (below 4)", value: "20.0% (2)" },
            // 2 of 10 is above the 2 of 15 of both agencies.
            {
                displayName: "Follow-up share vs. statewide",
                value: `Above statewide (${((2 / 15) * 100).toFixed(1)}%)`,
            },
            { displayName: "Rating 1", value: "1 (10.0%)" },
            { displayName: "Rating 2", value: "0 (0.0%)" },
            { displayName: "Rating 3", value: "1 (10.0%)" },
            { displayName: "Rating 4", value: "3 (30.0%)" },
            { displayName: "Rating 5", value: "5 (50.0%)" },
            { displayName: "vs average of agencies shown", value: "-0.3" },
        ]);
        expect(m.statewide.name).toBe("Average of agencies shown");
        expect(m.statewide.tooltip[0]).toEqual({ displayName: "Agency", value: "Average of agencies shown" });
    });
});

describe("with the model's statewide responses bound", () => {
    // One agency left by a slicer or the Agency role; the state's responses by rating from the model.
    const library = agency("State Library", [1, 1, 2, 3, 3]);
    const state = [30, 50, 120, 400, 400];

    it("builds the top row from the bound counts, labelled Statewide, and the tooltip compares with it", () => {
        const m = model(library, { statewide: state });
        expect(m.statewide.name).toBe("Statewide");
        expect(m.statewide.counts).toEqual(state);
        expect(m.statewide.responses).toBe(1000);
        // (30 + 100 + 360 + 1600 + 2000) / 1000 = 4.09; State Library (1 + 2 + 6 + 12 + 15) / 10 = 3.6.
        expect(m.statewide.average).toBeCloseTo(4.09, 10);
        expect(m.statewide.followUp).toBe(200);
        expect(row(m, "State Library").tooltip).toContainEqual({ displayName: "vs statewide average", value: "-0.5" });
    });

    it("takes a rating's count from any row of that rating, also one whose agency has no responses of it", () => {
        // Parks gave no 1s or 2s; its rows of those ratings (blank Responses) still carry the statewide counts.
        const facts = [
            { agency: "Parks", rating: 1, responses: null },
            { agency: "Parks", rating: 2, responses: null },
            ...agency("Parks", [0, 0, 1, 1, 1]),
        ];
        expect(model(facts, { statewide: state }).statewide.counts).toEqual(state);
        expect(model(library, { statewide: [null, null, 120, 400, 400] }).statewide.counts).toEqual([
            0, 0, 120, 400, 400,
        ]);
    });

    it("without it, the same rows label their own total Average of agencies shown", () => {
        const m = model(library);
        expect(m.statewide.name).toBe("Average of agencies shown");
        expect(m.statewide.counts).toEqual([1, 1, 2, 3, 3]);
    });

    it("says why when the model left the statewide counts blank", () => {
        const m = model(library, { statewide: [null, null, null, null, null] });
        expect(m.statewide.name).toBe("Statewide");
        expect(m.statewide.responses).toBe(0);
        expect(m.notes).toContain(englishLocalize("Note_ReferenceBlank"));
        expect(row(m, "State Library").tooltip.map((t) => t.displayName)).not.toContain("vs statewide average");
    });
});

describe("cross-highlighting", () => {
    it("stacks the highlighted responses from the center on the agency's scale and keeps the figures of all responses", () => {
        const dataView = satisfactionDataView(agency("Revenue", [2, 0, 2, 4, 2]));
        const responses = dataView.categorical!.values![0];
        // Another visual highlights half of each rating's responses.
        responses.highlights = responses.values.map((value) => (value as number) / 2);
        const m = buildSatisfactionModel(readRoleTable(dataView), defaults, {
            locale: "en-US",
            localize: englishLocalize,
        });
        const revenue = row(m, "Revenue");
        expect(revenue.average).toBeCloseTo(3.4, 10);
        expect(revenue.highlightedResponses).toBe(5);
        expect(revenue.highlights!.map((s) => [s.rating, s.start, s.end])).toEqual(
            [
                [1, -0.2, -0.1],
                [3, -0.1, 0],
                [4, 0, 0.2],
                [5, 0.2, 0.3],
            ].map(([rating, start, end]) => [rating, expect.closeTo(start, 10), expect.closeTo(end, 10)]),
        );
        expect(revenue.tooltip).toContainEqual({ displayName: "Highlighted responses", value: "5 (50.0%)" });
        expect(model(agency("Revenue", [1, 1, 1, 1, 1])).rows[0].highlights).toBeNull();
    });
});

describe("scale", () => {
    it("handles 200 agencies x 5 ratings x 24 periods", () => {
        const facts: SatisfactionFact[] = [];
        for (let a = 0; a < 200; a++) {
            for (let p = 0; p < 24; p++) {
                for (let rating = 1; rating <= 5; rating++)
                    facts.push({ agency: `Agency ${a}`, rating, period: `2026-${p + 1}`, responses: rating });
            }
        }
        const m = model(facts, { period: true });
        expect(m.rows).toHaveLength(200);
        // Each agency: (1 + 4 + 9 + 16 + 25) / 15 = 55 / 15 in every period.
        expect(m.rows.every((r) => Math.abs(r.average! - 55 / 15) < 1e-9 && r.trend.length === 24)).toBe(true);
        expect(m.statewide.responses).toBe(200 * 24 * 15);
    });
});
