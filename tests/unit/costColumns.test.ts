import { changeTone, costHeaders, directionalChange, periodGrain, servicesByTotal } from "../../src/data/costColumns";
import { columnDecimals, labelFormatter, percentChangeFormatter } from "../../src/data/format";
import { LabeledPeriod } from "../../src/data/periods";
import { englishLocalize } from "../../src/data/strings";

const DAY = 86_400_000;
/** Periods starting on the given UTC days, as the cost model keys date periods. */
const datedPeriods = (days: number[]): LabeledPeriod[] =>
    days.map((day, index) => ({ key: `d${day * DAY}`, label: String(day), sortValue: day * DAY, firstSeen: index }));
/** Day numbers of the first of each month from January 2026, counted by hand from the month lengths. */
const monthStarts = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

describe("the grain of the trend's periods", () => {
    it.each([
        { periods: monthStarts, areDates: true, grain: "month" },
        { periods: [0, 90, 181, 273], areDates: true, grain: "quarter" },
        { periods: [0, 365, 730, 1096], areDates: true, grain: "year" },
        { periods: [0, 7, 14, 21], areDates: true, grain: "week" },
        { periods: [0, 1, 2, 3], areDates: true, grain: "day" },
        { periods: [0, 45, 90], areDates: true, grain: "period" },
        { periods: [202601, 202602, 202603], areDates: false, grain: "period" },
        { periods: [0], areDates: true, grain: "period" },
    ])("$periods as dates=$areDates is a $grain", ({ periods, areDates, grain }) => {
        expect(periodGrain(datedPeriods(periods), areDates)).toBe(grain);
    });
});

describe("a change's tone", () => {
    it.each([
        { change: 0.1, direction: "neutral", tone: "neutral" },
        { change: -0.1, direction: "neutral", tone: "neutral" },
        { change: 0.1, direction: "upIsGood", tone: "good" },
        { change: -0.1, direction: "upIsGood", tone: "bad" },
        { change: 0.1, direction: "upIsBad", tone: "bad" },
        { change: -0.1, direction: "upIsBad", tone: "good" },
        { change: 0, direction: "upIsBad", tone: "neutral" },
        { change: null, direction: "upIsGood", tone: "neutral" },
    ] as const)("$change with $direction is $tone", ({ change, direction, tone }) => {
        expect(changeTone(change, direction)).toBe(tone);
    });
});

describe("a change shown by its direction", () => {
    const percent = percentChangeFormatter("en-US");
    const unsigned = (value: number | null) => (value === null ? "" : `${(value * 100).toFixed(1)}%`);
    it.each([
        { change: 0.018, text: "▲ 1.8%" },
        { change: -0.02, text: "▼ 2.0%" },
        { change: 0.0001, text: "0.0%" },
        { change: 0, text: "0.0%" },
        { change: null, text: "" },
    ])("$change reads $text", ({ change, text }) => {
        expect(directionalChange(change, unsigned)).toBe(text);
    });
    it("writes the size in the host's locale", () => {
        expect(directionalChange(-0.125, (value) => percent(value).replace("+", ""))).toBe("▼ 12.5%");
    });
});

describe("the header band's words", () => {
    it("name the unit, the trend's length in its grain and the period compared with", () => {
        expect(costHeaders("costPerUser", true, 12, "month", englishLocalize)).toEqual({
            value: "Cost per user (annualised)",
            versus: "vs statewide",
            trend: "Trend, 12 months",
            change: "vs previous month",
        });
        expect(costHeaders("totalCost", false, 4, "quarter", englishLocalize)).toEqual({
            value: "Total cost",
            versus: "vs average shown",
            trend: "Trend, 4 quarters",
            change: "vs previous quarter",
        });
    });
});

describe("services in stacking order", () => {
    it("go largest total first, ties in the model's order", () => {
        const totals: Record<string, number> = { IaaS: 10, PaaS: 300, SaaS: 300, Other: -5 };
        const ordered = servicesByTotal(
            ["IaaS", "PaaS", "SaaS", "Other"].map((name) => ({ name })),
            (name) => totals[name],
        );
        expect(ordered.map((service) => service.name)).toEqual(["PaaS", "SaaS", "IaaS", "Other"]);
    });
});

describe("one precision for a column of scaled labels", () => {
    it.each([
        { largest: 2_330_000, units: 2_330_000, decimals: 2 },
        { largest: 23_300_000, units: 1e6, decimals: 1 },
        { largest: 233_000_000, units: 0.5e9, decimals: 0 },
        { largest: 950_000, units: 1e6, decimals: 2 },
        { largest: 1_222, units: 1, decimals: null },
    ])("$largest in units of $units has $decimals decimals", ({ largest, units, decimals }) => {
        expect(columnDecimals(largest, units)).toBe(decimals);
    });

    it("labels $2.10M next to $2.33M in total cost, not $2.1M", () => {
        const format = labelFormatter(
            { formatString: "\\$#,0", displayUnits: 0, decimals: null, locale: "en-US" },
            2_330_000,
        );
        expect([2_100_000, 2_330_000, 950_000].map(format)).toEqual(["$2.10M", "$2.33M", "$0.95M"]);
    });

    it("keeps the Format pane's decimal places when set", () => {
        const format = labelFormatter(
            { formatString: "\\$#,0", displayUnits: 1e6, decimals: 1, locale: "en-US" },
            2_330_000,
        );
        expect([2_100_000, 2_330_000].map(format)).toEqual(["$2.1M", "$2.3M"]);
    });
});
