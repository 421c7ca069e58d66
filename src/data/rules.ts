/**
 * Every rule behind a figure, stated once. The visual's data layer (costRules.ts, goalStatus.ts),
 * the model's measures (connector/src/measures.ts builds their DAX from these constants), the
 * validator's messages and the README's "How cost per user is computed" all derive from here.
 * Pure constants and text: no DOM, no Power BI types.
 */

/** Cost per user is annualised: cost over user-months, times the months of a year. */
export const MONTHS_PER_YEAR = 12;

/**
 * Headcount snapshots: one per agency and month counts. Several in one month (a mid-month and a
 * month-end export) are not added or averaged: the largest is taken.
 */
export const HEADCOUNT_SNAPSHOT_RULE = "the largest counts: snapshots are neither added nor averaged";

/** Ratings below this one need a follow-up call. */
export const FOLLOW_UP_BELOW_RATING = 4;

/** Float rounding allowed when progress is compared with a boundary (a boundary counts as the better status). */
export const STATUS_EPSILON = 1e-9;

export interface GoalTolerances {
    /** How far (as a fraction) progress may trail expected progress and still be on track. */
    onTrack: number;
    /** How much further it may trail and be at risk rather than behind. */
    atRisk: number;
}

/** Defaults of the Format pane's tolerances and of the model's tolerance parameters. */
export const DEFAULT_TOLERANCES: GoalTolerances = { onTrack: 0.05, atRisk: 0.15 };

export type GoalDirection = "higher" | "lower";
export const GOAL_DIRECTIONS: readonly GoalDirection[] = ["higher", "lower"];

/** A direction given as data ("higher" or "lower", any case and spacing), or null for anything else. */
export function parseGoalDirection(value: unknown): GoalDirection | null {
    if (typeof value !== "string") return null;
    const text = value.trim().toLowerCase();
    return text === "higher" || text === "lower" ? text : null;
}

export type GoalStatusName = "No data" | "Met" | "Not met" | "Missed" | "On track" | "At risk" | "Behind";

/**
 * How a goal's values are written, by the goals table's Unit (trimmed, any letter case): the
 * model's goal measures carry it as a dynamic format string (connector/src/ruleDax.ts), which
 * Power BI sends with each value and the visual formats with; the README lists this table.
 * Percent goals hold percentage points (58 is 58%), so "%" is a literal, not a scaling.
 */
export const GOAL_UNIT_FORMATS: readonly { unit: string; names: readonly string[]; format: string }[] = [
    { unit: "percent", names: ["%", "percent", "pct"], format: '#,0.0"%"' },
    { unit: "days", names: ["days", "day"], format: '#,0.0" d"' },
    { unit: "hours", names: ["hours", "hour", "h"], format: '#,0.0" h"' },
    { unit: "minutes", names: ["minutes", "minute", "min"], format: '#,0" min"' },
    { unit: "currency", names: ["$", "usd", "dollars", "currency"], format: "\\$#,0" },
    { unit: "count", names: ["count", "tickets", "applications", "data sets", "items", "accounts"], format: "#,0" },
];

/** Any other unit (a score in points, say), or none: up to two decimals, as measured. */
export const GOAL_UNIT_OTHER_FORMAT = "#,0.##";

/** The format string of a goal's values for its Unit, by GOAL_UNIT_FORMATS. */
export function goalUnitFormat(unit: unknown): string {
    const name = typeof unit === "string" ? unit.trim().toLowerCase() : "";
    return GOAL_UNIT_FORMATS.find((row) => row.names.includes(name))?.format ?? GOAL_UNIT_OTHER_FORMAT;
}

/** The statuses that need attention: the team summary and the report's card count both. */
export const ATTENTION_STATUSES: readonly GoalStatusName[] = ["At risk", "Behind"];

export type GoalStatusStep = "noData" | "met" | "noDates" | "missed" | "noPace" | "onTrack" | "atRisk" | "behind";

/**
 * The goal status rule: the first step that applies gives the status. goalStatus() and the DAX
 * of [Goal Status] both evaluate these steps in this order (each keeps a condition per step id);
 * the README lists them.
 */
export const GOAL_STATUS_STEPS: readonly { step: GoalStatusStep; status: GoalStatusName; when: string }[] = [
    { step: "noData", status: "No data", when: "no actual (or no target)" },
    {
        step: "met",
        status: "Met",
        when: "progress ≥ 100%; when progress is undefined (target equal to baseline, or no baseline) the actual is compared with the target in the goal's direction",
    },
    { step: "noDates", status: "Not met", when: "without a start or due date, only Met or Not met can be said" },
    { step: "missed", status: "Missed", when: "the due date is before the as-of day and the goal is not met" },
    { step: "noPace", status: "Not met", when: "progress is undefined, so no pace can be judged" },
    { step: "onTrack", status: "On track", when: "progress ≥ expected progress − the on-track tolerance" },
    { step: "atRisk", status: "At risk", when: "below that by no more than the at-risk tolerance" },
    { step: "behind", status: "Behind", when: "further below" },
];

/**
 * How a part of the period is worded, by the model's [Period Coverage] card and the visual's
 * tooltip alike: "FY2026 to date, 5 of 12 months" ({period}, {covered} of {inPeriod} months).
 * A single fiscal year counts MONTHS_PER_YEAR months; "to date" when the data ends before the
 * period does (a year in progress), else the months are a part of a past period.
 */
export const PERIOD_COVERAGE_WORDING = {
    inProgress: "{0} to date, {1} of {2} months",
    partOrWhole: "{0}, {1} of {2} months",
    noSingleYear: "Selected period",
} as const;

/** The as-of day, in words (the model's [As of Date] computes it; the visual reads it from the As of well). */
export const AS_OF_RULE =
    "the latest day with a goal measurement, but never later than today or the end of the selected period";

/**
 * The cost rules, as the README states them ("How cost per user is computed"); the README block
 * between its markers is rendered from this list and a test keeps it in step.
 */
export const COST_RULES: readonly string[] = [
    "**Users are a headcount per agency and month.** When Service is bound, Power BI repeats the agency's headcount on every service row: it is taken once, never summed across services. When an agency has several headcounts in one month, " +
        `${HEADCOUNT_SNAPSHOT_RULE}.`,
    "**User-months add up.** An agency's user-months are its monthly headcounts summed over the months selected; the state's are the agencies' user-months summed. They add up the same whether or not Period is bound.",
    `**Cost per user is annualised**: the cost of the months with a headcount over the user-months, times ${MONTHS_PER_YEAR}. For a full year with a steady headcount that is the year's cost over the users; for a part of a year, an agency that started or was reorganised mid-year, or a fiscal year in progress, it is the same yearly rate rather than a fraction of it.`,
    "**Cost from months without a headcount is left out of cost per user, and shown**: the tooltip gives the amount, and a note names the agencies. The model's [Cost without Headcount] measure (the Cost without headcount well) gives it without Period bound; with Period bound the visual sees the months itself.",
    "**A part of the period is marked.** The model's [Period Coverage] measure (a card on the report's cost page) says how many of the period's months have charges, e.g. \"FY2026 to date, 5 of 12 months\" for a fiscal year in progress, and the visual's tooltip gives each agency's periods with a headcount (\"5 of 12\") when that is fewer than the periods shown.",
    "**The statewide figure is total cost over total user-months** of the agencies shown (× 12), never the mean of the agencies' ratios. The model's [Statewide Cost per User] applies the same rule to all agencies.",
    "**Credits are negative costs** and net out; an agency whose net is negative draws left of zero.",
    "**No users, zero users or text** leave cost per user blank, never infinite; the tooltip says why.",
];
