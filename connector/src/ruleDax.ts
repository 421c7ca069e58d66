/**
 * The DAX of every measure that applies a rule, generated from the rules module
 * (src/data/rules.ts) that the visual's data layer follows too: the months of a year, the
 * headcount snapshot rule, the follow-up threshold, the rounding allowance and the order of the
 * goal status steps. schema.ts puts these expressions on its measures; tests check the text.
 */
import {
    ATTENTION_STATUSES,
    FOLLOW_UP_BELOW_RATING,
    GOAL_STATUS_STEPS,
    GOAL_UNIT_FORMATS,
    GOAL_UNIT_OTHER_FORMAT,
    GoalStatusStep,
    MONTHS_PER_YEAR,
    PERIOD_COVERAGE_WORDING,
    STATUS_EPSILON,
} from "../../src/data/rules";

/** A DAX text literal: quotes doubled. */
const daxText = (text: string): string => `"${text.replace(/"/g, '""')}"`;

/**
 * The dynamic format string of the goal value measures (baseline, target, actual): the format of
 * the goal's Unit by GOAL_UNIT_FORMATS, evaluated per goal. On one line, as TMDL writes a format
 * string definition.
 */
export function goalUnitFormatDax(): string {
    const cases = GOAL_UNIT_FORMATS.map(
        (row) => `Unit IN { ${row.names.map(daxText).join(", ")} }, ${daxText(row.format)}`,
    );
    return `VAR Unit = LOWER ( TRIM ( SELECTEDVALUE ( Goals[Unit] ) ) ) RETURN SWITCH ( TRUE (), ${cases.join(", ")}, ${daxText(GOAL_UNIT_OTHER_FORMAT)} )`;
}

const EPSILON = STATUS_EPSILON.toExponential().toUpperCase(); // 1E-9

/**
 * Per agency and month, the headcount taken once: the largest snapshot of the month (MAX), never a
 * sum across snapshots or services. Evaluated inside an iteration of 'Date'[Month] and
 * Agencies[SubAccountId]: CALCULATE turns both rows into filters.
 */
const AGENCY_MONTH_USERS = "CALCULATE ( MAX ( Headcount[Users] ) )";

/** Iterates the Date table's months and the agencies, the grain every headcount rule is stated at. */
const overAgencyMonths = (body: string): string =>
    `SUMX (\n    VALUES ( 'Date'[Month] ),\n    SUMX ( VALUES ( Agencies[SubAccountId] ), ${body} )\n)`;

/**
 * A year's cost per user from a cost (of agency-months with a headcount) and user-months, both
 * DAX expressions: the rule for an agency's figure and the statewide one; blank without users.
 */
export function annualCostPerUserDax(cost: string, userMonths: string): string {
    return `VAR UserMonths = ${userMonths}\nRETURN IF ( UserMonths > 0, DIVIDE ( ${cost}, UserMonths ) * ${MONTHS_PER_YEAR} )`;
}

export const COST_DAX = {
    /** User-months: additive across months and agencies. */
    userMonths: overAgencyMonths(AGENCY_MONTH_USERS),
    /** Users averaged over the months with a headcount (each month: the agencies' headcounts summed). */
    averageUsers: `AVERAGEX (\n    VALUES ( 'Date'[Month] ),\n    SUMX ( VALUES ( Agencies[SubAccountId] ), ${AGENCY_MONTH_USERS} )\n)`,
    /** Cost of the agency-months with a positive headcount: what cost per user divides. */
    costWithHeadcount: overAgencyMonths(`IF ( ${AGENCY_MONTH_USERS} > 0, CALCULATE ( SUM ( Charges[BilledCost] ) ) )`),
    costWithoutHeadcount: "[Billed Cost] - [Cost with Headcount]",
    costPerUser: annualCostPerUserDax("[Cost with Headcount]", "[User Months]"),
} as const;

/** A wording of PERIOD_COVERAGE_WORDING as a DAX concatenation of the given DAX values for {0}, {1}, {2}. */
const daxWording = (wording: string, values: readonly string[]): string =>
    wording
        .split(/(\{\d\})/)
        .filter((part) => part !== "")
        .map((part) => {
            const slot = /^\{(\d)\}$/.exec(part);
            return slot ? values[Number(slot[1])] : `"${part.replace(/"/g, '""')}"`;
        })
        .join(" & ");

/**
 * How much of the selected period has data: the months of the Date table in the filter with a
 * charge, of the period's months (a fiscal year's MONTHS_PER_YEAR, else the months selected).
 * "To date" when the latest charge (under every filter but the Date table's) is before the
 * period's last month. Blank without charges.
 */
export const PERIOD_COVERAGE_DAX = [
    "VAR Covered = COUNTROWS ( FILTER ( VALUES ( 'Date'[Month] ), CALCULATE ( NOT ISEMPTY ( Charges ) ) ) )",
    "VAR OneYear = HASONEVALUE ( 'Date'[Fiscal Year] )",
    `VAR InPeriod = IF ( OneYear, ${MONTHS_PER_YEAR}, COUNTROWS ( VALUES ( 'Date'[Month] ) ) )`,
    `VAR Period = IF ( OneYear, VALUES ( 'Date'[Fiscal Year] ), "${PERIOD_COVERAGE_WORDING.noSingleYear}" )`,
    "VAR LatestCharge = CALCULATE ( MAX ( Charges[ChargePeriodStart] ), ALL ( 'Date' ) )",
    "VAR InProgress = Covered < InPeriod && LatestCharge < MAX ( 'Date'[Month] )",
    "RETURN",
    `    IF ( Covered > 0, IF ( InProgress, ${daxWording(PERIOD_COVERAGE_WORDING.inProgress, ["Period", "Covered", "InPeriod"])}, ${daxWording(PERIOD_COVERAGE_WORDING.partOrWhole, ["Period", "Covered", "InPeriod"])} ) )`,
].join("\n");

/** Responses needing a follow-up; KEEPFILTERS so a filter on Rating narrows it, never widens it. */
export const RATINGS_BELOW_DAX = `CALCULATE ( COUNTROWS ( 'Survey Responses' ), KEEPFILTERS ( 'Survey Responses'[Rating] < ${FOLLOW_UP_BELOW_RATING} ) )`;

/** The condition of each status step, in DAX over the variables [Goal Status] declares. */
const STEP_CONDITIONS: Record<GoalStatusStep, string> = {
    noData: "ISBLANK ( Actual ) || ISBLANK ( Target )",
    met: "IsMet",
    noDates: "ISBLANK ( Expected ) || ISBLANK ( DueDate )",
    missed: "AsOf > DueDate",
    noPace: "ISBLANK ( Progress )",
    onTrack: `Progress >= Expected - OnTrack - ${EPSILON}`,
    atRisk: `Progress >= Expected - OnTrack - AtRisk - ${EPSILON}`,
    behind: "TRUE ()",
};

/**
 * [Goal Status]: the steps of GOAL_STATUS_STEPS in order, as one SWITCH. `tolerances` are DAX
 * expressions of the on-track and at-risk tolerances as fractions (the model's parameters).
 */
export function goalStatusDax(tolerances: { onTrack: string; atRisk: string }): string {
    const steps = GOAL_STATUS_STEPS.filter((step) => step.step !== "behind").map(
        (step) => `        ${STEP_CONDITIONS[step.step]}, "${step.status}",`,
    );
    const last = GOAL_STATUS_STEPS[GOAL_STATUS_STEPS.length - 1];
    return [
        "VAR Actual = [Goal Actual]",
        "VAR Target = [Goal Target]",
        "VAR Progress = [Goal Progress %]",
        "VAR Expected = [Expected Progress %]",
        "VAR DueDate = [Goal Due Date]",
        "VAR AsOf = [As of Date]",
        `VAR OnTrack = ${tolerances.onTrack}`,
        `VAR AtRisk = ${tolerances.atRisk}`,
        'VAR LowerIsBetter = [Goal Direction] = "lower"',
        `VAR IsMet = IF ( ISBLANK ( Progress ), IF ( LowerIsBetter, Actual <= Target, Actual >= Target ), Progress >= 1 - ${EPSILON} )`,
        "RETURN",
        "    SWITCH (",
        "        TRUE (),",
        "        NOT HASONEVALUE ( Goals[GoalId] ), BLANK (),",
        ...steps,
        `        "${last.status}"`,
        "    )",
    ].join("\n");
}

/** Goals whose status needs attention (ATTENTION_STATUSES), counted goal by goal; 0 rather than blank. */
export function goalsNeedingAttentionDax(): string {
    const statuses = ATTENTION_STATUSES.map((status) => `"${status}"`).join(", ");
    return `VAR Needing = FILTER ( VALUES ( Goals[GoalId] ), [Goal Status] IN { ${statuses} } )\nRETURN COUNTROWS ( Needing ) + 0`;
}
