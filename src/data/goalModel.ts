import powerbi from "powerbi-visuals-api";
import { valueFormatter } from "powerbi-visuals-utils-formattingutils";
import { comparePeriods, periodSortValue } from "./periods";
import { TooltipFields, TooltipItem } from "./tooltipFields";
import { Formatter, labelFormatterCache } from "./format";
import { isDrawable, isTooLarge } from "./drawable";
import {
    DEFAULT_TOLERANCES,
    GOAL_STATUSES,
    GoalDirection,
    GoalStatusName,
    GoalStatusResult,
    GoalTolerances,
    expectedProgress,
    goalDirection,
    goalProgress,
    statusNumber,
} from "./goalStatus";
import {
    daysBetween,
    fill,
    formatterCache,
    memoDates,
    nameCollator,
    sharedIntl,
    startOfDay,
    toDate,
} from "./modelHelpers";
import { parseGoalDirection } from "./rules";
import { Role, RoleName, RoleTable, toLabel, toNumber } from "./roles";
import { Localize, roleNameKeys, StringKey } from "./strings";
import DataViewValueColumn = powerbi.DataViewValueColumn;
import PrimitiveValue = powerbi.PrimitiveValue;

export type GoalSort = "team" | "status" | "progress";

export interface GoalSettings {
    tolerances: GoalTolerances;
    sort: GoalSort;
    /** The Format pane's Data labels units and decimals, for the row's values (the tooltip keeps the full format). */
    labels?: GoalLabelSettings;
}

export interface GoalLabelSettings {
    /** 0 = auto, 1 = none, 1e3, 1e6, 1e9, 1e12 (Power BI's labelDisplayUnits values). */
    displayUnits: number;
    /** Decimal places; null keeps the format string's own. */
    decimals: number | null;
}

const defaultLabels: GoalLabelSettings = { displayUnits: 0, decimals: null };

export interface GoalContext {
    locale: string;
    localize: Localize;
    /** The day statuses are judged on (the visual's clock); only its calendar date counts. */
    today: Date;
}

/**
 * The bullet's axis, in progress units: 0 is the baseline and 1 the target, whatever the
 * direction. Values beyond the axis are drawn at its end with an overflow mark.
 */
export const GOAL_AXIS: readonly [number, number] = [-0.2, 1.2];

export interface GoalBar {
    /** Where the actual's bar ends, clamped to the axis. */
    end: number;
    /** Set when the true progress lies beyond the axis. */
    overflow: "low" | "high" | null;
}

export interface HistoryPoint {
    period: string;
    value: number | null;
}

export interface GoalItem {
    kind: "goal";
    /** Team and goal: goals with the same name in different teams are different goals. */
    key: string;
    teamKey: string;
    team: string;
    name: string;
    /** A category row of this goal (its latest period), for its selection identity. */
    row: number;
    /** Under another visual's cross-highlight: whether this goal is highlighted (null without one). */
    highlighted: boolean | null;
    actual: number | null;
    target: number | null;
    baseline: number | null;
    startDate: Date | null;
    dueDate: Date | null;
    direction: GoalDirection;
    status: GoalStatusName;
    statusText: string;
    statusIcon: string;
    /** The model says the goal is behind or at risk without a current improvement plan (Improvement plan missing well). */
    planMissing: boolean;
    /** The row's mark for it ("⚑ No plan"), "" when the plan is not missing or the well is not bound. */
    planMark: string;
    /** 0 is worst: the order of the "by status" sort. */
    statusRank: number;
    progress: number | null;
    expectedProgress: number | null;
    progressText: string;
    actualText: string;
    targetText: string;
    baselineText: string;
    /** The row's label: "actual / target". */
    valueText: string;
    /** "due in 45 days", "overdue by 12 days" or "due Jun 30, 2026". */
    dueText: string;
    bar: GoalBar | null;
    /** Expected progress for today, on the axis (always within 0..1). */
    expectedTick: number | null;
    /** Actuals by period, oldest first (empty without Period). */
    history: HistoryPoint[];
    /** The history chart's value range, including the target and baseline. */
    historyDomain: [number, number] | null;
    /** Why the row cannot be drawn or judged in full ("" when nothing is wrong). */
    note: string;
    explanation: string;
    tooltip: TooltipItem[];
}

export interface GoalTeam {
    kind: "team";
    key: string;
    name: string;
    /** A category row of this team, for its selection identity (-1 without Team bound). */
    row: number;
    goals: GoalItem[];
    counts: Partial<Record<GoalStatusName, number>>;
    /** "3 of 4 met or on track, 1 at risk". */
    summary: string;
    tooltip: TooltipItem[];
}

export interface GoalViewModel {
    kind: "goals";
    teams: GoalTeam[];
    goalCount: number;
    axis: readonly [number, number];
    hasHistory: boolean;
    /** Another visual cross-highlights: goals it does not highlight are dimmed. */
    hasHighlights: boolean;
    /** The plan-missing mark when any goal carries it, else "": one text for all, so its column is sized once per data change. */
    planMark: string;
    notes: string[];
}

const statusKeys: Record<GoalStatusName, StringKey> = {
    Met: "Status_Met",
    "On track": "Status_OnTrack",
    "At risk": "Status_AtRisk",
    Behind: "Status_Behind",
    Missed: "Status_Missed",
    "Not met": "Status_NotMet",
    "No data": "Status_NoData",
};

/** A glyph per status, so a badge never carries its meaning by color alone. */
export const statusIcons: Record<GoalStatusName, string> = {
    Met: "✓",
    "On track": "●",
    "At risk": "▲",
    Behind: "▼",
    Missed: "✕",
    "Not met": "○",
    "No data": "–",
};

/** The glyph of the "no plan" mark, with its text so it never relies on the glyph or color alone. */
export const planMissingIcon = "⚑";

/** Worst first: missed, behind, at risk, not met, no data, on track, met. */
const statusRanks: Record<GoalStatusName, number> = {
    Missed: 0,
    Behind: 1,
    "At risk": 2,
    "Not met": 3,
    "No data": 4,
    "On track": 5,
    Met: 6,
};

/** Statuses a team summary lists after "n of m met or on track", in that order. */
const summaryStatuses: GoalStatusName[] = ["At risk", "Behind", "Missed", "Not met", "No data"];
/** How a team summary counts each of them, in the singular and the plural. */
const summaryKeys = {
    "At risk": { one: "Summary_AtRisk_One", other: "Summary_AtRisk" },
    Behind: { one: "Summary_Behind_One", other: "Summary_Behind" },
    Missed: { one: "Summary_Missed_One", other: "Summary_Missed" },
    "Not met": { one: "Summary_NotMet_One", other: "Summary_NotMet" },
    "No data": { one: "Summary_NoData_One", other: "Summary_NoData" },
} as const satisfies Partial<Record<GoalStatusName, { one: StringKey; other: StringKey }>>;
function pluralRules(locale: string): Intl.PluralRules {
    return sharedIntl(`plural ${locale}`, () => new Intl.PluralRules(locale));
}

export { daysBetween, fill, toDate } from "./modelHelpers";

export interface TeamRows {
    key: string;
    name: string;
    /** A category row of this team, for its selection identity (-1 without Team bound). */
    row: number;
    firstSeen: number;
    /** The team's goals, by number (see GroupedGoals), in first-seen order. */
    goals: number[];
}

/**
 * The DataView's rows by team and goal. Goals are numbered in first-seen order, and each goal's
 * figures are columns by that number, not an object and two lists per goal: 30,000 goals of one
 * row each would make 90,000 objects that live until the next update.
 */
export interface GroupedGoals {
    /** In first-seen order: a team's number is its place here. */
    teams: TeamRows[];
    goalCount: number;
    /** Each goal's name. */
    goalNames: string[];
    /** Each goal's team, by number. */
    goalTeams: Int32Array;
    /** Goal g's rows are rows[rowStart[g]] up to (not including) rows[rowStart[g + 1]]. */
    rowStart: Int32Array;
    /** Every goal's rows, goal after goal, each goal's in period order (the model's order without Period). */
    rows: Int32Array;
    /** Each of those rows' period, as its place in time order (0 without Period). */
    periods: Int32Array;
    /** More than one distinct period: each goal gets a history. */
    hasHistory: boolean;
    /** A period's label by its place in time order, formatted when first asked for. */
    periodLabel(order: number): string;
}

/** A goal's rows in period order and their periods: views of the grouped columns, no copies. */
export function rowsOfGoal(grouped: GroupedGoals, goal: number): { rows: Int32Array; periods: Int32Array } {
    const from = grouped.rowStart[goal];
    const to = grouped.rowStart[goal + 1];
    return { rows: grouped.rows.subarray(from, to), periods: grouped.periods.subarray(from, to) };
}

/** A goal's key: team and goal, since goals with the same name in different teams are different goals. */
export const goalKey = (team: string, name: string): string => `${team}\u001f${name}`;

interface PeriodInfo {
    raw: PrimitiveValue | null | undefined;
    sortValue: number | null;
    firstSeen: number;
    order: number;
}

/**
 * Groups the DataView's rows into teams and goals, and each goal's rows into time order. Linear in
 * the rows: raw values repeat, so labels are made once per distinct value; goals are found by name
 * in one map of numbers, and a goal's rows are counted, then placed, in flat arrays.
 */
export function groupGoalRows(table: RoleTable, localize: Localize, locale: string): GroupedGoals {
    const blank = localize("Blank");
    const teamColumn = table.category(Role.team);
    const goalColumn = table.category(Role.goal);
    const periodColumn = table.category(Role.period);
    const periodFormat = periodColumn?.source.format;
    const rowCount = table.rowCount;
    const teams: TeamRows[] = [];
    const teamsByName = new Map<string, number>();
    const teamsByValue = new Map<PrimitiveValue | null | undefined, number>();
    const goalNames: string[] = [];
    // At most one goal per row.
    const goalTeamList = new Int32Array(rowCount);
    // A goal by its name: the first goal of that name, then the next of the same name in another
    // team. The DataView's own strings are the keys (their hashes are kept), not a key text per row.
    const goalsByName = new Map<string, number>();
    const sameNameNext = new Int32Array(rowCount);
    const rowGoal = new Int32Array(rowCount);
    const rowPeriod = new Int32Array(rowCount);
    const periods: PeriodInfo[] = [];
    // Periods by value, dates by their time: as periodKeyOf tells them apart, without a key text per period.
    const periodByTime = new Map<number, number>();
    const periodByValue = new Map<PrimitiveValue | null, number>();
    for (let row = 0; row < rowCount; row++) {
        const teamValue = teamColumn?.values[row];
        let team = teamsByValue.get(teamValue);
        if (team === undefined) {
            const name = teamColumn ? toLabel(teamValue, blank) : localize("Goals_AllGoals");
            team = teamsByName.get(name);
            if (team === undefined) {
                team = teams.length;
                teams.push({ key: name, name, row: teamColumn ? row : -1, firstSeen: team, goals: [] });
                teamsByName.set(name, team);
            }
            teamsByValue.set(teamValue, team);
        }
        if (periodColumn) {
            const raw = periodColumn.values[row];
            const byValue = raw instanceof Date ? periodByTime : periodByValue;
            const value = raw instanceof Date ? raw.getTime() : (raw ?? null);
            let period = (byValue as Map<PrimitiveValue | null, number>).get(value) ?? -1;
            if (period < 0) {
                period = periods.length;
                periods.push({ raw, sortValue: periodSortValue(raw), firstSeen: period, order: 0 });
                (byValue as Map<PrimitiveValue | null, number>).set(value, period);
            }
            rowPeriod[row] = period;
        }
        const name = toLabel(goalColumn?.values[row], blank);
        const first = goalsByName.get(name);
        let goal = first ?? -1;
        while (goal >= 0 && goalTeamList[goal] !== team) goal = sameNameNext[goal];
        if (goal < 0) {
            goal = goalNames.length;
            if (first === undefined) goalsByName.set(name, goal);
            else {
                // Chained after the last goal of that name.
                let last = first;
                while (sameNameNext[last] >= 0) last = sameNameNext[last];
                sameNameNext[last] = goal;
            }
            sameNameNext[goal] = -1;
            goalNames.push(name);
            goalTeamList[goal] = team;
            teams[team].goals.push(goal);
        }
        rowGoal[row] = goal;
    }
    const goalCount = goalNames.length;
    // Each goal's rows in one flat array: counted, then placed in the model's row order.
    const rowStart = new Int32Array(goalCount + 1);
    for (let row = 0; row < rowCount; row++) rowStart[rowGoal[row] + 1]++;
    for (let goal = 0; goal < goalCount; goal++) rowStart[goal + 1] += rowStart[goal];
    const rows = new Int32Array(rowCount);
    const placed = rowStart.slice(0, goalCount);
    for (let row = 0; row < rowCount; row++) rows[placed[rowGoal[row]]++] = row;

    const inOrder = [...periods].sort(comparePeriods);
    inOrder.forEach((info, order) => {
        info.order = order;
    });
    // Without Period every row's period is 0, as the array starts.
    const rowPeriods = new Int32Array(rowCount);
    if (periodColumn) {
        const orderOf = new Int32Array(periods.length);
        for (let period = 0; period < periods.length; period++) orderOf[period] = periods[period].order;
        for (let at = 0; at < rowCount; at++) rowPeriods[at] = orderOf[rowPeriod[rows[at]]];
        for (let goal = 0; goal < goalCount; goal++) sortByPeriod(rows, rowPeriods, rowStart[goal], rowStart[goal + 1]);
    }
    const labels: (string | undefined)[] = [];
    const periodLabel = (order: number): string => {
        let label = labels[order];
        if (label === undefined) {
            const raw = inOrder[order]?.raw;
            label = raw === null || raw === undefined ? blank : valueFormatter.format(raw, periodFormat, false, locale);
            labels[order] = label;
        }
        return label;
    };
    return {
        teams,
        goalCount,
        goalNames,
        goalTeams: goalTeamList.subarray(0, goalCount),
        rowStart,
        rows,
        periods: rowPeriods,
        hasHistory: periods.length > 1,
        periodLabel,
    };
}

/** Sorts rows[from..to) by their periods, keeping the model's order within a period (a stable sort). */
function sortByPeriod(rows: Int32Array, periods: Int32Array, from: number, to: number): void {
    let sorted = true;
    for (let at = from + 1; at < to && sorted; at++) sorted = periods[at - 1] <= periods[at];
    if (sorted) return;
    const order = Array.from({ length: to - from }, (_, index) => from + index).sort((a, b) => periods[a] - periods[b]);
    const sortedRows = order.map((at) => rows[at]);
    const sortedPeriods = order.map((at) => periods[at]);
    rows.set(sortedRows, from);
    periods.set(sortedPeriods, from);
}

/** The measure columns of the goal roles (one per series; goals are rarely split by service). */
export interface GoalColumns {
    actual: DataViewValueColumn[];
    target: DataViewValueColumn[];
    baseline: DataViewValueColumn[];
    startDate: DataViewValueColumn[];
    dueDate: DataViewValueColumn[];
    direction: DataViewValueColumn[];
    asOf: DataViewValueColumn[];
    planMissing: DataViewValueColumn[];
}

export function goalColumnsOf(table: RoleTable): GoalColumns {
    const measures = (role: RoleName) =>
        table.series
            .map((series) => series.measure(role))
            .filter((column): column is DataViewValueColumn => Boolean(column));
    return {
        actual: measures(Role.actual),
        target: measures(Role.target),
        baseline: measures(Role.baseline),
        startDate: measures(Role.startDate),
        dueDate: measures(Role.dueDate),
        direction: measures(Role.direction),
        asOf: measures(Role.asOf),
        planMissing: measures(Role.planMissing),
    };
}

/** The model's as-of day: the latest valid date of the As of well, at midnight, or null. */
export function modelAsOf(columns: GoalColumns, rowCount: number): Date | null {
    let latest: Date | null = null;
    for (const column of columns.asOf)
        for (let row = 0; row < rowCount; row++) {
            const date = toDate(column.values[row]);
            if (date && (!latest || date.getTime() > latest.getTime())) latest = date;
        }
    return latest ? startOfDay(latest) : null;
}

/** A measure's value in a row: the first series that has one. */
function cell(columns: DataViewValueColumn[], row: number): PrimitiveValue | null {
    let text: PrimitiveValue | null = null;
    for (const column of columns) {
        const value = column.values[row];
        if (value === null || value === undefined || value === "") continue;
        if (typeof value === "number" || value instanceof Date) return value;
        text ??= value;
    }
    return text;
}

/** The measure's format string for a row: a dynamic format string when the model has one. */
function formatStringOf(columns: DataViewValueColumn[], row: number): string | undefined {
    for (const column of columns) {
        const dynamic = (column.objects?.[row] as { general?: { formatString?: unknown } } | undefined)?.general
            ?.formatString;
        if (typeof dynamic === "string" && dynamic !== "") return dynamic;
    }
    return columns[0]?.source.format;
}

const isText = (value: PrimitiveValue | null): boolean => typeof value === "string" && value.trim() !== "";

type ValueRole = typeof Role.actual | typeof Role.target | typeof Role.baseline;

/**
 * How the Improvement Plan Missing measure's value is read: the model decides (its own Goal Status,
 * check-ins and as-of day), the visual only reads its flag. 1 (any non-zero number) or true is
 * missing, 0 or false is not; blanks, text and NaN say nothing.
 */
export function readPlanMissing(value: PrimitiveValue | null | undefined): boolean | null {
    if (typeof value === "boolean") return value;
    const number = toNumber(value ?? undefined);
    return number === null ? null : number !== 0;
}

/** What one goal's rows say: its latest values, and what keeps them from being drawn. */
export interface GoalValues {
    actual: number | null;
    target: number | null;
    baseline: number | null;
    startDate: Date | null;
    dueDate: Date | null;
    /** The Direction well's value, or null to infer it. */
    direction: GoalDirection | null;
    /** The Improvement plan missing well's latest value: true, false, or null (not bound, blank or not a flag). */
    planMissing: boolean | null;
    /** The row the actual came from (the latest with one), else the goal's last row. */
    row: number;
    /** Format strings of the actual, target and baseline (target and baseline fall back to the actual's). */
    formats: Record<ValueRole, string | undefined>;
    /** Roles whose latest value is text. */
    notNumber: ValueRole[];
    /** Roles whose latest value is a number too large to draw. */
    tooLarge: ValueRole[];
    /** Under another visual's cross-highlight: whether any of the goal's rows is highlighted (null without one). */
    highlighted: boolean | null;
}

/**
 * Reads one goal's values from its rows (in period order): the latest row with a value gives
 * each figure; text counts only when no row has a number (it is then named in a note). A number
 * too large to draw is no value (drawable.ts) and is named too.
 */
export function readGoalValues(
    rows: ArrayLike<number>,
    columns: GoalColumns,
    hasHighlights: boolean,
    readDate: (value: PrimitiveValue | null) => Date | null = toDate,
): GoalValues {
    const figures = new GoalFigures(1);
    readGoalFigures(figures, rows, [0, rows.length], columns, hasHighlights, new LatestValue(readDate));
    return figures.values(0);
}

const DIRECTIONS: readonly GoalDirection[] = ["higher", "lower"];

/** A number column's value for "none": no drawable figure is NaN. */
const none = (value: number): number | null => (Number.isNaN(value) ? null : value);
/** -1, 0, 1 as no flag, false, true. */
const flagOf = (value: number): boolean | null => (value < 0 ? null : value === 1);
const flagCode = (flag: boolean | null): number => (flag === null ? -1 : flag ? 1 : 0);

/**
 * Every goal's values and status, by goal number: columns rather than two objects per goal, so
 * 30,000 goals leave a few arrays, not 60,000 objects and their boxed numbers, from one update to
 * the next. Written once, by readGoalFigures and judgeGoal, while the model is built.
 */
export class GoalFigures {
    readonly actual: Float64Array;
    readonly target: Float64Array;
    readonly baseline: Float64Array;
    readonly startDate: (Date | null)[];
    readonly dueDate: (Date | null)[];
    /** The Direction well's value: -1 none (inferred), else its place in DIRECTIONS. */
    readonly givenDirection: Int8Array;
    /** -1 no flag, 0 not missing, 1 missing. */
    readonly planMissing: Int8Array;
    readonly row: Int32Array;
    readonly formats: ValueFormats[];
    readonly notNumber: ValueRole[][];
    readonly tooLarge: ValueRole[][];
    /** -1 without a cross-highlight, else 0 or 1. */
    readonly highlighted: Int8Array;
    /** The status, as its place in GOAL_STATUSES. */
    readonly status: Uint8Array;
    readonly progress: Float64Array;
    readonly expectedProgress: Float64Array;
    /** The direction judged by, as its place in DIRECTIONS. */
    readonly direction: Uint8Array;

    constructor(goalCount: number) {
        this.actual = new Float64Array(goalCount);
        this.target = new Float64Array(goalCount);
        this.baseline = new Float64Array(goalCount);
        this.startDate = new Array<Date | null>(goalCount);
        this.dueDate = new Array<Date | null>(goalCount);
        this.givenDirection = new Int8Array(goalCount);
        this.planMissing = new Int8Array(goalCount);
        this.row = new Int32Array(goalCount);
        this.formats = new Array<ValueFormats>(goalCount);
        this.notNumber = new Array<ValueRole[]>(goalCount);
        this.tooLarge = new Array<ValueRole[]>(goalCount);
        this.highlighted = new Int8Array(goalCount);
        this.status = new Uint8Array(goalCount);
        this.progress = new Float64Array(goalCount);
        this.expectedProgress = new Float64Array(goalCount);
        this.direction = new Uint8Array(goalCount);
    }

    /** One goal's values as a record (for its note, explanation and tests). */
    values(goal: number): GoalValues {
        const given = this.givenDirection[goal];
        return {
            actual: none(this.actual[goal]),
            target: none(this.target[goal]),
            baseline: none(this.baseline[goal]),
            startDate: this.startDate[goal],
            dueDate: this.dueDate[goal],
            direction: given < 0 ? null : DIRECTIONS[given],
            planMissing: flagOf(this.planMissing[goal]),
            row: this.row[goal],
            formats: this.formats[goal],
            notNumber: this.notNumber[goal],
            tooLarge: this.tooLarge[goal],
            highlighted: flagOf(this.highlighted[goal]),
        };
    }

    /** One goal's status as a record. */
    result(goal: number): GoalStatusResult {
        return {
            status: GOAL_STATUSES[this.status[goal]],
            progress: none(this.progress[goal]),
            expectedProgress: none(this.expectedProgress[goal]),
            direction: DIRECTIONS[this.direction[goal]],
        };
    }
}

/**
 * Reads every goal's values from its rows (rows[rowStart[g]] up to rows[rowStart[g + 1]], in
 * period order) into the figures, role by role: each loop reads one role's columns for all goals,
 * and a role that is not bound is not read at all.
 */
function readGoalFigures(
    figures: GoalFigures,
    rows: ArrayLike<number>,
    rowStart: ArrayLike<number>,
    columns: GoalColumns,
    hasHighlights: boolean,
    latest: LatestValue,
): void {
    const goalCount = figures.row.length;
    const { readDate } = latest;
    const valueRoles: [DataViewValueColumn[], Float64Array][] = [
        [columns.actual, figures.actual],
        [columns.target, figures.target],
        [columns.baseline, figures.baseline],
    ];
    // Per value role (in VALUE_ROLES' order): the row each goal's value came from (-1: none), and
    // a bit per role whose value is text or too large to draw.
    const valueRows = valueRoles.map(() => new Int32Array(goalCount));
    const textRoles = new Uint8Array(goalCount);
    const largeRoles = new Uint8Array(goalCount);
    for (let role = 0; role < valueRoles.length; role++) {
        const [roleColumns, numbers] = valueRoles[role];
        const found = valueRows[role];
        const bit = 1 << role;
        for (let goal = 0; goal < goalCount; goal++) {
            const value = latest.find(roleColumns, rows, rowStart[goal], rowStart[goal + 1]);
            found[goal] = latest.row;
            numbers[goal] = drawableNumber(value) ?? NaN;
            if (isText(value)) textRoles[goal] |= bit;
            if (isTooLarge(value)) largeRoles[goal] |= bit;
        }
    }
    const dates: [DataViewValueColumn[], (Date | null)[]][] = [
        [columns.startDate, figures.startDate],
        [columns.dueDate, figures.dueDate],
    ];
    for (const [dateColumns, read] of dates) {
        if (dateColumns.length === 0) read.fill(null);
        else
            for (let goal = 0; goal < goalCount; goal++)
                read[goal] = readDate(latest.find(dateColumns, rows, rowStart[goal], rowStart[goal + 1]));
    }
    if (columns.direction.length === 0) figures.givenDirection.fill(-1);
    else
        for (let goal = 0; goal < goalCount; goal++) {
            const direction = parseGoalDirection(
                latest.find(columns.direction, rows, rowStart[goal], rowStart[goal + 1]),
            );
            figures.givenDirection[goal] = direction === null ? -1 : DIRECTIONS.indexOf(direction);
        }
    if (columns.planMissing.length === 0) figures.planMissing.fill(-1);
    else
        for (let goal = 0; goal < goalCount; goal++)
            figures.planMissing[goal] = flagCode(
                readPlanMissing(latest.find(columns.planMissing, rows, rowStart[goal], rowStart[goal + 1])),
            );
    if (!hasHighlights) figures.highlighted.fill(-1);
    else
        for (let goal = 0; goal < goalCount; goal++)
            figures.highlighted[goal] = flagCode(
                isHighlighted(rows, rowStart[goal], rowStart[goal + 1], columns.actual),
            );
    const [actualRows, targetRows, baselineRows] = valueRows;
    for (let goal = 0; goal < goalCount; goal++) {
        const from = rowStart[goal];
        const to = rowStart[goal + 1];
        // Without a value, a role's format string is its column's at the goal's last row.
        const lastRow = to > from ? rows[to - 1] : 0;
        const actualAt = actualRows[goal] >= 0 ? actualRows[goal] : lastRow;
        const actualFormat = formatStringOf(columns.actual, actualAt);
        figures.row[goal] = actualAt;
        figures.formats[goal] = valueFormats(
            actualFormat,
            formatStringOf(columns.target, targetRows[goal] >= 0 ? targetRows[goal] : lastRow) ?? actualFormat,
            formatStringOf(columns.baseline, baselineRows[goal] >= 0 ? baselineRows[goal] : lastRow) ?? actualFormat,
        );
        figures.notNumber[goal] = ROLES_BY_BITS[textRoles[goal]];
        figures.tooLarge[goal] = ROLES_BY_BITS[largeRoles[goal]];
    }
}

/** Judges one goal whose values are read: its status, progress and direction into its figures (goalStatus's rule). */
function judgeGoal(figures: GoalFigures, goal: number, today: Date, tolerances: GoalTolerances): void {
    const given = figures.givenDirection[goal];
    const actual = none(figures.actual[goal]);
    const target = none(figures.target[goal]);
    const baseline = none(figures.baseline[goal]);
    const dueDate = figures.dueDate[goal];
    const direction = goalDirection(target, baseline, given < 0 ? null : DIRECTIONS[given]);
    const progress = goalProgress(actual, target, baseline);
    const expected = expectedProgress(figures.startDate[goal], dueDate, today);
    figures.status[goal] = statusNumber(actual, target, dueDate, direction, progress, expected, today, tolerances);
    figures.progress[goal] = progress ?? NaN;
    figures.expectedProgress[goal] = expected ?? NaN;
    figures.direction[goal] = direction === "lower" ? 1 : 0;
}

type ValueFormats = Record<ValueRole, string | undefined>;
/** Goals whose values share one format string share one formats record (read, never changed). */
const sameFormats = new Map<string | undefined, ValueFormats>();

function valueFormats(
    actual: string | undefined,
    target: string | undefined,
    baseline: string | undefined,
): ValueFormats {
    if (target !== actual || baseline !== actual) return { actual, target, baseline };
    let shared = sameFormats.get(actual);
    if (!shared) {
        shared = { actual, target, baseline };
        // Dynamic format strings may be many: only the first few are kept.
        if (sameFormats.size < 100) sameFormats.set(actual, shared);
    }
    return shared;
}

/**
 * A role's value of a goal's rows in period order: the latest with a number or a date; a text
 * only when no row has one; null when no row has a value. `find` gives the value and leaves the
 * row it came from in `row` (-1 without one). One per model, for every role of every goal: plain
 * loops, no closures, each cell read once (it runs eight times for each of 30,000 goals).
 */
class LatestValue {
    row = -1;

    constructor(readonly readDate: (value: PrimitiveValue | null) => Date | null) {}

    find(columns: DataViewValueColumn[], rows: ArrayLike<number>, from: number, to: number): PrimitiveValue | null {
        this.row = -1;
        if (columns.length === 0) return null;
        if (to - from === 1 && columns.length === 1) {
            // One row, one series (a goal register without Period): its value, whatever it is.
            const value = columns[0].values[rows[from]];
            if (value === null || value === undefined || value === "") return null;
            this.row = rows[from];
            return value;
        }
        let text: PrimitiveValue | null = null;
        for (let index = to - 1; index >= from; index--) {
            const value = cell(columns, rows[index]);
            if (value === null) continue;
            if (!isText(value) || this.readDate(value)) {
                this.row = rows[index];
                return value;
            }
            if (text === null) {
                text = value;
                this.row = rows[index];
            }
        }
        return text;
    }
}

function drawableNumber(value: PrimitiveValue | null): number | null {
    const number = toNumber(value ?? undefined);
    return isDrawable(number) ? number : null;
}

const VALUE_ROLES: readonly ValueRole[] = [Role.actual, Role.target, Role.baseline];

/**
 * The value roles named by each set of bits (bit i: VALUE_ROLES[i]), made once and shared by every
 * goal, read, never changed: most goals have none, and share the empty list.
 */
const ROLES_BY_BITS: ValueRole[][] = Array.from({ length: 1 << VALUE_ROLES.length }, (_, bits) =>
    VALUE_ROLES.filter((_, role) => bits & (1 << role)),
);

/** Under another visual's cross-highlight: whether any of the goal's rows is highlighted. */
function isHighlighted(
    rows: ArrayLike<number>,
    from: number,
    to: number,
    actualColumns: DataViewValueColumn[],
): boolean {
    for (let index = from; index < to; index++)
        for (const column of actualColumns) {
            const value = column.highlights?.[rows[index]];
            if (value !== null && value !== undefined) return true;
        }
    return false;
}

/** The first thing that keeps a goal's row from being drawn or judged in full ("" when nothing does). */
export function goalNote(values: GoalValues, datesBound: boolean, localize: Localize): string {
    const names = (roles: ValueRole[]): string => roles.map((role) => localize(roleNameKeys[role])).join(", ");
    if (values.notNumber.length > 0) return `${localize("Note_GoalNotNumber")} ${names(values.notNumber)}`;
    if (values.tooLarge.length > 0) return `${localize("Note_GoalTooLarge")} ${names(values.tooLarge)}`;
    if (values.actual === null) return localize("Note_GoalNoActual");
    if (values.target === null) return localize("Note_GoalNoTarget");
    if (values.baseline === null) return localize("Note_GoalNoBaseline");
    if (values.target === values.baseline) return localize("Note_GoalZeroSpan");
    const { startDate, dueDate } = values;
    if (startDate && dueDate && dueDate.getTime() < startDate.getTime()) return localize("Note_GoalDueBeforeStart");
    if (datesBound && (!startDate || !dueDate)) return localize("Note_GoalNoDates");
    return "";
}

/** Locale-bound formats a goal's texts use; made once per model. */
export interface GoalFormats {
    locale: string;
    localize: Localize;
    /** The day statuses are judged on, at midnight. */
    today: Date;
    /** Whether that day is the model's (the As of well) rather than the viewer's today. */
    modelDay: boolean;
    blank: string;
    formatterFor(format: string | undefined): Formatter;
    /** A row label's formatter: the value's format string with the Data labels units and decimals. */
    labelFor(format: string | undefined, largestAbsValue: number): Formatter;
    percent: Formatter;
    percentExact: Formatter;
    plural: Intl.PluralRules;
    dateText(date: Date, withYear: boolean): string;
}

export function goalFormats(
    locale: string,
    localize: Localize,
    today: Date,
    modelDay = false,
    labels: GoalLabelSettings = defaultLabels,
): GoalFormats {
    // Percents through Intl: thousands of them per update, and the locale's own percent style.
    const percentFormat = (digits: number): Formatter => {
        const format = sharedIntl(
            `percent ${digits} ${locale}`,
            () =>
                new Intl.NumberFormat(locale, {
                    style: "percent",
                    minimumFractionDigits: digits,
                    maximumFractionDigits: digits,
                }),
        );
        return (value) => (value === null || !Number.isFinite(value) ? "" : format.format(value));
    };
    const longDate = sharedIntl(
        `long date ${locale}`,
        () => new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric" }),
    );
    const shortDate = sharedIntl(
        `short date ${locale}`,
        () => new Intl.DateTimeFormat(locale, { month: "short", day: "numeric" }),
    );
    // Each status and note text is looked up once, not once per goal.
    const texts = new Map<StringKey, string>();
    const cachedLocalize: Localize = (key) => {
        let text = texts.get(key);
        if (text === undefined) texts.set(key, (text = localize(key)));
        return text;
    };
    return {
        locale,
        localize: cachedLocalize,
        today: startOfDay(today),
        modelDay,
        blank: localize("Blank"),
        formatterFor: formatterCache(locale),
        labelFor: labelFormatterCache({ ...labels, locale }),
        percent: percentFormat(0),
        percentExact: percentFormat(1),
        plural: pluralRules(locale),
        dateText: (date, withYear) => (withYear ? longDate : shortDate).format(date),
    };
}

/** The due date: a countdown while it matters ("due in 45 days", "overdue by 12 days", "due today"), else the date. */
export function dueWording(dueDate: Date | null, status: GoalStatusName, formats: GoalFormats): string {
    if (!dueDate) return "";
    const { localize, plural, today } = formats;
    const days = daysBetween(today, dueDate);
    if (status === "Met" || days > 90) return fill(localize("Due_On"), formats.dateText(dueDate, true));
    if (days < 0) return fill(localize(plural.select(-days) === "one" ? "Due_Overdue_One" : "Due_Overdue"), -days);
    if (days === 0) return localize("Due_Today");
    return fill(localize(plural.select(days) === "one" ? "Due_InDays_One" : "Due_InDays"), days);
}

/** One sentence that explains the status ("Needs 1.6 days less by Jun 30 to meet the target; 68% done, 75% expected by today."). */
export function explainStatus(
    values: GoalValues,
    result: GoalStatusResult,
    note: string,
    formats: GoalFormats,
): string {
    const { localize } = formats;
    const { actual, target, dueDate } = values;
    const { status, progress, expectedProgress: expected, direction } = result;
    const formatActual = formats.formatterFor(values.formats[Role.actual]);
    const gap = actual !== null && target !== null ? drawableDifference(target, actual) : null;
    const gapText =
        gap === null ? "" : fill(localize(direction === "lower" ? "Gap_Less" : "Gap_More"), formatActual(gap));
    if (values.notNumber.length > 0 || values.tooLarge.length > 0) return note;
    if (actual === null) return localize("Explain_NoActual");
    if (target === null) return localize("Explain_NoTarget");
    if (status === "Met")
        return fill(
            localize("Explain_Met"),
            formatActual(actual),
            formats.formatterFor(values.formats[Role.target])(target),
        );
    if (status === "Missed" && dueDate)
        return fill(localize("Explain_Missed"), formats.dateText(dueDate, true), gapText);
    if (status === "Not met" || progress === null || expected === null || !dueDate)
        return fill(localize("Explain_Needs"), gapText);
    return fill(
        localize("Explain_NeedsBy"),
        gapText,
        // Always with the year: "Jan 31" alone does not say which January.
        formats.dateText(dueDate, true),
        formats.percent(progress),
        formats.percent(expected),
    );
}

/** |a - b|, or null when it is too large to draw. */
function drawableDifference(a: number, b: number): number | null {
    const difference = Math.abs(a - b);
    return isDrawable(difference) ? difference : null;
}

export interface GoalHistory {
    points: HistoryPoint[];
    /** The value range, including the target and baseline; null without values. */
    domain: [number, number] | null;
}

/**
 * A goal's history: one point per period of its own (rows in period order), the latest drawable
 * actual of each; a period without one breaks the line. Linear in the goal's rows.
 */
export function goalHistory(
    rows: ArrayLike<number>,
    periods: ArrayLike<number>,
    periodLabel: (period: number) => string,
    actualColumns: DataViewValueColumn[],
    target: number | null,
    baseline: number | null,
): GoalHistory {
    const points: HistoryPoint[] = [];
    let low = Infinity;
    let high = -Infinity;
    const include = (value: number | null) => {
        if (value === null) return;
        low = Math.min(low, value);
        high = Math.max(high, value);
    };
    for (let index = 0; index < rows.length; index++) {
        const number = toNumber(cell(actualColumns, rows[index]) ?? undefined);
        const value = isDrawable(number) ? number : null;
        if (index > 0 && periods[index] === periods[index - 1]) {
            if (value !== null) points[points.length - 1].value = value;
        } else points.push({ period: periodLabel(periods[index]), value });
    }
    for (const point of points) include(point.value);
    include(target);
    include(baseline);
    return { points, domain: low <= high ? [low, high] : null };
}

/** "3 of 4 met or on track, 1 at risk", and the counts behind it. */
export function teamSummary(
    goals: readonly { status: GoalStatusName }[],
    localize: Localize,
    locale: string,
): { counts: Partial<Record<GoalStatusName, number>>; summary: string } {
    const counts: Partial<Record<GoalStatusName, number>> = {};
    for (const goal of goals) counts[goal.status] = (counts[goal.status] ?? 0) + 1;
    const good = (counts["Met"] ?? 0) + (counts["On track"] ?? 0);
    const parts = [fill(localize("Goal_Summary"), good, goals.length)];
    for (const status of summaryStatuses) {
        const count = counts[status];
        // "1 incumplido", "2 incumplidos": each language's own plural.
        const keys = summaryKeys[status as keyof typeof summaryKeys];
        if (count)
            parts.push(fill(localize(pluralRules(locale).select(count) === "one" ? keys.one : keys.other), count));
    }
    return { counts, summary: parts.join(", ") };
}

/** What every goal row of one model reads: made once per model, shared by its goals. */
interface GoalSource {
    grouped: GroupedGoals;
    figures: GoalFigures;
    /** The period labels when goals have a history, else null. */
    periodLabel: ((period: number) => string) | null;
    datesBound: boolean;
    formats: GoalFormats;
    extraTooltips: TooltipFields;
    actualColumns: DataViewValueColumn[];
}

/** A goal row's texts and records, made when first read: for the rows drawn, not for 30,000 goals. */
interface GoalLazy {
    values?: GoalValues;
    result?: GoalStatusResult;
    note?: string;
    history?: GoalHistory;
    texts?: { actual: string; target: string; baseline: string; due: string };
    explanation?: string;
    tooltip?: TooltipItem[];
}

/**
 * A goal's row: its figures are the model's columns at its number, read through getters; texts
 * (values, due date, note, tooltip) are made only when first read, so a full update of 30,000
 * goals formats only the rows drawn. One class with three fields, so 30,000 goals are 30,000
 * small objects and the lazy fields are prototype getters rather than closures per goal.
 */
class Goal implements GoalItem {
    private lazy: GoalLazy | null = null;

    constructor(
        private readonly source: GoalSource,
        private readonly number: number,
    ) {}

    private get made(): GoalLazy {
        return (this.lazy ??= {});
    }
    private get values(): GoalValues {
        return (this.made.values ??= this.source.figures.values(this.number));
    }
    private get result(): GoalStatusResult {
        return (this.made.result ??= this.source.figures.result(this.number));
    }

    get kind(): "goal" {
        return "goal";
    }
    get key(): string {
        return goalKey(this.team, this.name);
    }
    get teamKey(): string {
        const { grouped } = this.source;
        return grouped.teams[grouped.goalTeams[this.number]].key;
    }
    get team(): string {
        const { grouped } = this.source;
        return grouped.teams[grouped.goalTeams[this.number]].name;
    }
    get name(): string {
        return this.source.grouped.goalNames[this.number];
    }
    get row(): number {
        return this.source.figures.row[this.number];
    }
    get highlighted(): boolean | null {
        return flagOf(this.source.figures.highlighted[this.number]);
    }
    get actual(): number | null {
        return none(this.source.figures.actual[this.number]);
    }
    get target(): number | null {
        return none(this.source.figures.target[this.number]);
    }
    get baseline(): number | null {
        return none(this.source.figures.baseline[this.number]);
    }
    get startDate(): Date | null {
        return this.source.figures.startDate[this.number];
    }
    get dueDate(): Date | null {
        return this.source.figures.dueDate[this.number];
    }
    get direction(): GoalDirection {
        return DIRECTIONS[this.source.figures.direction[this.number]];
    }
    get status(): GoalStatusName {
        return GOAL_STATUSES[this.source.figures.status[this.number]];
    }
    get statusText(): string {
        return this.source.formats.localize(statusKeys[this.status]);
    }
    get statusIcon(): string {
        return statusIcons[this.status];
    }
    get planMissing(): boolean {
        return this.source.figures.planMissing[this.number] === 1;
    }
    get planMark(): string {
        return this.planMissing ? planMarkText(this.source.formats.localize) : "";
    }
    get statusRank(): number {
        return statusRanks[this.status];
    }
    get progress(): number | null {
        return none(this.source.figures.progress[this.number]);
    }
    get expectedProgress(): number | null {
        return none(this.source.figures.expectedProgress[this.number]);
    }
    get bar(): GoalBar | null {
        const progress = this.progress;
        return progress === null
            ? null
            : {
                  end: Math.min(GOAL_AXIS[1], Math.max(GOAL_AXIS[0], progress)),
                  overflow: progress > GOAL_AXIS[1] ? "high" : progress < GOAL_AXIS[0] ? "low" : null,
              };
    }
    get expectedTick(): number | null {
        return this.progress === null ? null : this.expectedProgress;
    }
    get note(): string {
        const { datesBound, formats } = this.source;
        return (this.made.note ??= goalNote(this.values, datesBound, formats.localize));
    }

    /** Actuals by period, oldest first (empty without Period): made when first drawn. */
    get history(): HistoryPoint[] {
        return this.historyOf().points;
    }
    get historyDomain(): [number, number] | null {
        return this.historyOf().domain;
    }
    private historyOf(): GoalHistory {
        const { periodLabel, actualColumns, grouped } = this.source;
        if (!periodLabel) return NO_HISTORY;
        const made = this.made;
        if (!made.history) {
            const { rows, periods } = rowsOfGoal(grouped, this.number);
            made.history = goalHistory(rows, periods, periodLabel, actualColumns, this.target, this.baseline);
        }
        return made.history;
    }

    private get text() {
        const made = this.made;
        if (!made.texts) {
            const { labelFor } = this.source.formats;
            const { formats } = this.values;
            // One scale for the row's values, so "1.2M / 900K" never mixes with "1,200,000".
            const largest = Math.max(...[this.actual, this.target, this.baseline].map((value) => Math.abs(value ?? 0)));
            made.texts = {
                actual: labelFor(formats[Role.actual], largest)(this.actual),
                target: labelFor(formats[Role.target], largest)(this.target),
                baseline: labelFor(formats[Role.baseline], largest)(this.baseline),
                due: dueWording(this.dueDate, this.status, this.source.formats),
            };
        }
        return made.texts;
    }

    get actualText(): string {
        return this.text.actual;
    }
    get targetText(): string {
        return this.text.target;
    }
    get baselineText(): string {
        return this.text.baseline;
    }
    get valueText(): string {
        const { actual, target } = this.text;
        return actual && target ? `${actual} / ${target}` : actual || target;
    }
    get dueText(): string {
        return this.text.due;
    }
    get progressText(): string {
        return this.progress === null ? "" : this.source.formats.percent(this.progress);
    }
    get explanation(): string {
        return (this.made.explanation ??= explainStatus(this.values, this.result, this.note, this.source.formats));
    }
    get tooltip(): TooltipItem[] {
        return (this.made.tooltip ??= this.describe());
    }

    private describe(): TooltipItem[] {
        const { localize, blank, percentExact, dateText, formatterFor, modelDay, today } = this.source.formats;
        // The tooltip gives each value in its full format, without the labels' units and decimals.
        const exact = (role: ValueRole, value: number | null) =>
            formatterFor(this.values.formats[role])(value) || blank;
        const explanation = this.explanation;
        const { dueDate, dueText, note } = this;
        const dueOn = dueDate ? dateText(dueDate, true) : "";
        return [
            { displayName: localize("Role_Team"), value: this.team },
            { displayName: localize("Role_Goal"), value: this.name },
            { displayName: localize("Role_Baseline"), value: exact(Role.baseline, this.baseline) },
            { displayName: localize("Role_Target"), value: exact(Role.target, this.target) },
            { displayName: localize("Role_Actual"), value: exact(Role.actual, this.actual) },
            {
                displayName: localize("Tooltip_Progress"),
                value: this.progress === null ? blank : percentExact(this.progress),
            },
            {
                displayName: localize("Tooltip_ExpectedProgress"),
                value: this.expectedProgress === null ? blank : percentExact(this.expectedProgress),
            },
            {
                displayName: localize("Role_DueDate"),
                value: dueDate ? `${dueOn}${dueText && !dueText.includes(dueOn) ? ` (${dueText})` : ""}` : blank,
            },
            {
                displayName: this.statusText,
                value: note && note !== explanation ? `${explanation} ${note}` : explanation,
            },
            ...(this.planMissing
                ? [{ displayName: localize("Tooltip_ImprovementPlan"), value: localize("Tooltip_PlanMissing") }]
                : []),
            {
                displayName: localize("Tooltip_AsOf"),
                value: modelDay ? dateText(today, true) : fill(localize("Tooltip_AsOfToday"), dateText(today, true)),
            },
            ...this.source.extraTooltips.itemsFor(this.key, localize("Tooltip_Varies")),
        ];
    }
}

/** Shared by every goal without a history, never changed. */
const NO_HISTORY: GoalHistory = { points: [], domain: null };

/** The row's mark for a goal whose plan is missing: "⚑ No plan". */
const planMarkText = (localize: Localize): string => `${planMissingIcon} ${localize("Goal_PlanMissingMark")}`;

export function buildGoalModel(table: RoleTable, settings: GoalSettings, context: GoalContext): GoalViewModel {
    const { localize, locale } = context;
    const tolerances = sanitizeTolerances(settings.tolerances);
    const columns = goalColumnsOf(table);
    // One as-of day: the model's (the As of well) when bound, else the viewer's today.
    const asOf = modelAsOf(columns, table.rowCount);
    const formats = goalFormats(locale, localize, asOf ?? context.today, asOf !== null, settings.labels);
    const hasHighlights = columns.actual.some((column) => Array.isArray(column.highlights));
    const extraTooltips = new TooltipFields(table, locale);
    const datesBound = table.bound.has(Role.startDate) && table.bound.has(Role.dueDate);
    const notes = datesBound ? [] : [localize("Note_BindDates")];
    const grouped = groupGoalRows(table, localize, locale);
    const latest = new LatestValue(memoDates());
    const figures = new GoalFigures(grouped.goalCount);
    const { rows, rowStart } = grouped;
    if (extraTooltips.hasFields)
        for (let goal = 0; goal < grouped.goalCount; goal++) {
            const team = grouped.teams[grouped.goalTeams[goal]];
            const key = goalKey(team.name, grouped.goalNames[goal]);
            for (let at = rowStart[goal]; at < rowStart[goal + 1]; at++) extraTooltips.read(key, rows[at]);
        }
    readGoalFigures(figures, rows, rowStart, columns, hasHighlights, latest);
    for (let goal = 0; goal < grouped.goalCount; goal++) judgeGoal(figures, goal, formats.today, tolerances);
    const source: GoalSource = {
        grouped,
        figures,
        periodLabel: grouped.hasHistory ? grouped.periodLabel : null,
        datesBound,
        formats,
        extraTooltips,
        actualColumns: columns.actual,
    };

    const teams: GoalTeam[] = grouped.teams.map((team) => {
        const goals: GoalItem[] = new Array<GoalItem>(team.goals.length);
        for (let index = 0; index < team.goals.length; index++) goals[index] = new Goal(source, team.goals[index]);
        const { counts, summary } = teamSummary(goals, localize, locale);
        return {
            kind: "team" as const,
            key: team.key,
            name: team.name,
            row: team.row,
            goals,
            counts,
            summary,
            tooltip: [
                { displayName: localize("Role_Team"), value: team.name },
                { displayName: localize("View_Goals"), value: summary },
            ],
        };
    });

    sortTeams(teams, settings.sort, locale, new Map(grouped.teams.map((team) => [team.key, team])));

    return {
        kind: "goals",
        teams,
        goalCount: grouped.goalCount,
        axis: GOAL_AXIS,
        hasHistory: grouped.hasHistory,
        hasHighlights,
        // Every marked goal carries the same mark.
        planMark: figures.planMissing.includes(1) ? planMarkText(formats.localize) : "",
        notes,
    };
}

/** Tolerances from the Format pane: finite, not negative; anything else falls back to the default. */
function sanitizeTolerances(tolerances: GoalTolerances): GoalTolerances {
    const clean = (value: number, fallback: number) => (Number.isFinite(value) && value >= 0 ? value : fallback);
    return {
        onTrack: clean(tolerances.onTrack, DEFAULT_TOLERANCES.onTrack),
        atRisk: clean(tolerances.atRisk, DEFAULT_TOLERANCES.atRisk),
    };
}

/**
 * Teams stay together; the sort orders the teams and the goals within each:
 * - team: teams by name, goals in the model's order;
 * - status: the team with the worst goal first, goals worst first (then lowest progress);
 * - progress: the team with the lowest progress first, goals lowest progress first (no progress last).
 */
function sortTeams(teams: GoalTeam[], sort: GoalSort, locale: string, order: Map<string, { firstSeen: number }>): void {
    const collator = nameCollator(locale);
    const byName = (a: { name: string }, b: { name: string }) => collator.compare(a.name, b.name);
    const progressOf = (goal: GoalItem) => goal.progress ?? Number.POSITIVE_INFINITY;
    const byProgress = (a: GoalItem, b: GoalItem) => {
        const pa = progressOf(a);
        const pb = progressOf(b);
        return pa === pb ? 0 : pa < pb ? -1 : 1;
    };
    if (sort === "team") {
        teams.sort(byName);
        return;
    }
    if (sort === "status") {
        for (const team of teams)
            team.goals.sort((a, b) => a.statusRank - b.statusRank || byProgress(a, b) || byName(a, b));
        const worst = (team: GoalTeam) => team.goals[0]?.statusRank ?? Number.POSITIVE_INFINITY;
        const worstCount = (team: GoalTeam) => team.goals.filter((goal) => goal.statusRank === worst(team)).length;
        teams.sort((a, b) => worst(a) - worst(b) || worstCount(b) - worstCount(a) || byName(a, b));
        return;
    }
    for (const team of teams) team.goals.sort((a, b) => byProgress(a, b) || byName(a, b));
    teams.sort((a, b) => {
        const first = a.goals[0];
        const second = b.goals[0];
        if (!first || !second) return (order.get(a.key)?.firstSeen ?? 0) - (order.get(b.key)?.firstSeen ?? 0);
        return byProgress(first, second) || byName(a, b);
    });
}
