import { Formatter } from "./format";
import { fill } from "./modelHelpers";
import { LabeledPeriod } from "./periods";
import { Localize, StringKey } from "./strings";

/** Whether a rise is good news, bad news or neither (the Format pane's choice; cost defaults to neither). */
export type ChangeDirection = "neutral" | "upIsGood" | "upIsBad";
/** How a change is read: colored good or bad only when the report author said which way is good. */
export type ChangeTone = "good" | "bad" | "neutral";

/** The length of the periods on the trend, from the spacing of their dates; "period" when they are no dates. */
export type PeriodGrain = "day" | "week" | "month" | "quarter" | "year" | "period";

const DAY = 86_400_000;

/**
 * The grain of the periods shown: the median gap between consecutive dates, in days, read as a
 * day (1), week (7), month (28 to 31), quarter (89 to 92) or year (365 or 366). Numbers, text and
 * gaps of no such length are "period".
 */
export function periodGrain(periods: readonly LabeledPeriod[], areDates: boolean): PeriodGrain {
    if (!areDates || periods.length < 2) return "period";
    const gaps: number[] = [];
    for (let index = 1; index < periods.length; index++) {
        const [before, after] = [periods[index - 1].sortValue, periods[index].sortValue];
        if (before === null || after === null) return "period";
        gaps.push(Math.round((after - before) / DAY));
    }
    gaps.sort((a, b) => a - b);
    const median = gaps[Math.floor(gaps.length / 2)];
    if (median === 1) return "day";
    if (median === 7) return "week";
    if (median >= 28 && median <= 31) return "month";
    if (median >= 89 && median <= 92) return "quarter";
    if (median === 365 || median === 366) return "year";
    return "period";
}

/** Good, bad or neutral for a change, as the report author reads its direction; no change is neutral. */
export function changeTone(change: number | null, direction: ChangeDirection): ChangeTone {
    if (change === null || change === 0 || direction === "neutral") return "neutral";
    return change > 0 === (direction === "upIsGood") ? "good" : "bad";
}

/**
 * A change with its direction: "▲ 1.8%" up, "▼ 2.0%" down, and no arrow when it rounds to no
 * change at all. The arrow carries the sign, so the number is its size.
 */
export function directionalChange(change: number | null, percent: Formatter): string {
    if (change === null) return "";
    const size = percent(Math.abs(change));
    if (size === percent(0)) return size;
    return `${change > 0 ? "▲" : "▼"} ${size}`;
}

/** The header band's words: what each column is, in its unit and with the trend's length and grain. */
export interface CostHeaders {
    value: string;
    versus: string;
    trend: string;
    change: string;
}

export function costHeaders(
    measure: "costPerUser" | "totalCost",
    referenceIsStatewide: boolean,
    periodCount: number,
    grain: PeriodGrain,
    localize: Localize,
): CostHeaders {
    return {
        value: localize(measure === "costPerUser" ? "Header_CostPerUser" : "Header_TotalCost"),
        versus: localize(referenceIsStatewide ? "Header_VsStatewide" : "Header_VsShown"),
        trend: fill(localize(grainKeys[grain].trend), periodCount),
        change: localize(grainKeys[grain].change),
    };
}

const grainKeys: Record<PeriodGrain, { trend: StringKey; change: StringKey }> = {
    day: { trend: "Header_Trend_Day", change: "Header_Change_Day" },
    week: { trend: "Header_Trend_Week", change: "Header_Change_Week" },
    month: { trend: "Header_Trend_Month", change: "Header_Change_Month" },
    quarter: { trend: "Header_Trend_Quarter", change: "Header_Change_Quarter" },
    year: { trend: "Header_Trend_Year", change: "Header_Change_Year" },
    period: { trend: "Header_Trend_Period", change: "Header_Change_Period" },
};

/**
 * Services in the order they stack, largest first by their cost over all agencies shown (ties by
 * the model's order): every bar stacks them alike, so a service sits at the same place in each,
 * and the one that drives the cost starts at zero, where lengths compare best.
 */
export function servicesByTotal<T extends { name: string }>(services: T[], totalOf: (name: string) => number): T[] {
    return services
        .map((service, index) => ({ service, index, total: totalOf(service.name) }))
        .sort((a, b) => b.total - a.total || a.index - b.index)
        .map((entry) => entry.service);
}
