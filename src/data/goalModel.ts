import powerbi from "powerbi-visuals-api";
import { valueFormatter } from "powerbi-visuals-utils-formattingutils";
import { comparePeriods, periodKeyOf } from "./periods";
import { TooltipFields, TooltipItem } from "./tooltipFields";
import { exactFormatter, Formatter } from "./format";
import { DEFAULT_TOLERANCES, GoalDirection, GoalStatusName, GoalTolerances, goalStatus } from "./goalStatus";
import { Role, RoleName, RoleTable, toLabel, toNumber } from "./roles";
import { Localize, roleNameKeys, StringKey } from "./strings";
import DataViewValueColumn = powerbi.DataViewValueColumn;
import PrimitiveValue = powerbi.PrimitiveValue;

export type GoalSort = "team" | "status" | "progress";

export interface GoalSettings {
    tolerances: GoalTolerances;
    sort: GoalSort;
}

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

const DAY = 86_400_000;

/** Fills "{0}", "{1}"... in a localized template. */
export function fill(template: string, ...values: (string | number)[]): string {
    return template.replace(/\{(\d)\}/g, (match, index: string) => {
        const value = values[Number(index)];
        return value === undefined ? match : String(value);
    });
}

/**
 * A date from a date role: a Date, an ISO string or epoch milliseconds, as hosts send them.
 * An ISO date without a time is that day at local midnight. Anything else is no date.
 */
export function toDate(value: PrimitiveValue | undefined | null): Date | null {
    let date: Date | null = null;
    if (value instanceof Date) date = new Date(value.getTime());
    else if (typeof value === "number" && Number.isFinite(value)) date = new Date(value);
    else if (typeof value === "string") {
        const text = value.trim();
        const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
        if (dateOnly) {
            const [year, month, day] = [Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3])];
            date = new Date(year, month, day);
            if (date.getMonth() !== month || date.getDate() !== day) date = null; // 2026-02-30 is no date
        } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) date = new Date(text);
    }
    return date && !Number.isNaN(date.getTime()) ? date : null;
}

function startOfDay(date: Date): Date {
    return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

/** Whole calendar days from a to b (negative when b is earlier); DST days count as one. */
export function daysBetween(a: Date, b: Date): number {
    return Math.round((startOfDay(b).getTime() - startOfDay(a).getTime()) / DAY);
}

interface PeriodInfo {
    label: string;
    sortValue: number | null;
    firstSeen: number;
    order: number;
}

interface GoalAccumulator {
    key: string;
    teamKey: string;
    team: string;
    name: string;
    firstSeen: number;
    /** The goal's rows, with their period's key. */
    rows: { period: string; row: number; order: number }[];
}

interface TeamAccumulator {
    key: string;
    name: string;
    row: number;
    firstSeen: number;
    goals: GoalAccumulator[];
    /** The team's goals by the Goal column's raw value, so each row costs a lookup, not a label. */
    goalsByValue: Map<PrimitiveValue | null | undefined, GoalAccumulator>;
}

/** A measure's value in a row: the first series that has one (goals are rarely split by service). */
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

export function buildGoalModel(table: RoleTable, settings: GoalSettings, context: GoalContext): GoalViewModel {
    const { localize, locale } = context;
    const blank = localize("Blank");
    const today = startOfDay(context.today);
    const tolerances = sanitizeTolerances(settings.tolerances);
    const teamColumn = table.category(Role.team);
    const goalColumn = table.category(Role.goal);
    const periodColumn = table.category(Role.period);
    const measures = (role: RoleName) =>
        table.series
            .map((series) => series.measure(role))
            .filter((column): column is DataViewValueColumn => Boolean(column));
    const columns = {
        actual: measures(Role.actual),
        target: measures(Role.target),
        baseline: measures(Role.baseline),
        startDate: measures(Role.startDate),
        dueDate: measures(Role.dueDate),
    };
    const notes: string[] = [];
    const hasHighlights = columns.actual.some((column) => Array.isArray(column.highlights));
    const extraTooltips = new TooltipFields(table, locale);
    const datesBound = table.bound.has(Role.startDate) && table.bound.has(Role.dueDate);
    if (!datesBound) notes.push(localize("Note_BindDates"));

    // Group rows by team and goal, and collect the periods in time order.
    const teams = new Map<string, TeamAccumulator>();
    const goals = new Map<string, GoalAccumulator>();
    const periods = new Map<string, PeriodInfo>();
    const periodFormat = periodColumn?.source.format;
    // Raw values repeat on every row: look them up, and make labels and keys once per value.
    const teamsByValue = new Map<PrimitiveValue | null | undefined, TeamAccumulator>();
    const periodsByValue = new Map<PrimitiveValue | null | undefined, string>();
    for (let row = 0; row < table.rowCount; row++) {
        const teamValue = teamColumn?.values[row];
        let teamEntry = teamsByValue.get(teamValue);
        if (!teamEntry) {
            const team = teamColumn ? toLabel(teamValue, blank) : localize("Goals_AllGoals");
            teamEntry = teams.get(team);
            if (!teamEntry) {
                teamEntry = {
                    key: team,
                    name: team,
                    row: teamColumn ? row : -1,
                    firstSeen: teams.size,
                    goals: [],
                    goalsByValue: new Map(),
                };
                teams.set(team, teamEntry);
            }
            teamsByValue.set(teamValue, teamEntry);
        }
        const goalValue = goalColumn?.values[row];
        let goal = teamEntry.goalsByValue.get(goalValue);
        if (!goal) {
            const name = toLabel(goalValue, blank);
            const key = `${teamEntry.name}\u001f${name}`;
            goal = goals.get(key);
            if (!goal) {
                goal = { key, teamKey: teamEntry.key, team: teamEntry.name, name, firstSeen: goals.size, rows: [] };
                goals.set(key, goal);
                teamEntry.goals.push(goal);
            }
            teamEntry.goalsByValue.set(goalValue, goal);
        }
        let period = "";
        if (periodColumn) {
            const raw = periodColumn.values[row];
            const rawKey = raw instanceof Date ? raw.getTime() : raw;
            let periodKey = periodsByValue.get(rawKey);
            if (periodKey === undefined) {
                const { key, sortValue } = periodKeyOf(raw);
                periodKey = key;
                if (!periods.has(key)) {
                    const label =
                        raw === null || raw === undefined
                            ? blank
                            : valueFormatter.format(raw, periodFormat, false, locale);
                    periods.set(key, { label, sortValue, firstSeen: periods.size, order: 0 });
                }
                periodsByValue.set(rawKey, key);
            }
            period = periodKey;
        }
        goal.rows.push({ period, row, order: 0 });
    }
    const orderedPeriods = [...periods.entries()].sort(([, a], [, b]) => comparePeriods(a, b));
    orderedPeriods.forEach(([, info], index) => {
        info.order = index;
    });
    if (periodColumn) {
        for (const goal of goals.values()) {
            for (const entry of goal.rows) entry.order = periods.get(entry.period)?.order ?? 0;
        }
    }
    const hasHistory = orderedPeriods.length > 1;

    const formatters = new Map<string, Formatter>();
    const formatterFor = (format: string | undefined): Formatter => {
        const cacheKey = format ?? "";
        let formatter = formatters.get(cacheKey);
        if (!formatter) {
            // Targets and baselines repeat across goals: format each value once per format string.
            const formatOnce = exactFormatter(format, locale);
            const done = new Map<number, string>();
            formatter = (value) => {
                if (value === null) return formatOnce(value);
                let text = done.get(value);
                if (text === undefined) {
                    text = formatOnce(value);
                    if (done.size < 10000) done.set(value, text);
                }
                return text;
            };
            formatters.set(cacheKey, formatter);
        }
        return formatter;
    };
    // Percents through Intl: thousands of them per update, and the locale's own percent style.
    const percentFormat = (digits: number): Formatter => {
        const format = new Intl.NumberFormat(locale, {
            style: "percent",
            minimumFractionDigits: digits,
            maximumFractionDigits: digits,
        });
        return (value) => (value === null || !Number.isFinite(value) ? "" : format.format(value));
    };
    const percent = percentFormat(0);
    const percentExact = percentFormat(1);
    const plural = new Intl.PluralRules(locale);
    const longDate = new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric" });
    const shortDate = new Intl.DateTimeFormat(locale, { month: "short", day: "numeric" });
    const dateText = (date: Date, withYear: boolean) => (withYear ? longDate : shortDate).format(date);

    const built: GoalTeam[] = [...teams.values()].map((team) => {
        const items = team.goals.map((goal) => buildGoal(goal));
        const counts: Partial<Record<GoalStatusName, number>> = {};
        for (const item of items) counts[item.status] = (counts[item.status] ?? 0) + 1;
        const good = (counts["Met"] ?? 0) + (counts["On track"] ?? 0);
        const parts = [fill(localize("Goal_Summary"), good, items.length)];
        for (const status of summaryStatuses) {
            const count = counts[status];
            if (count) parts.push(`${count} ${localize(statusKeys[status]).toLocaleLowerCase(locale)}`);
        }
        const summary = parts.join(", ");
        return {
            kind: "team" as const,
            key: team.key,
            name: team.name,
            row: team.row,
            goals: items,
            counts,
            summary,
            tooltip: [
                { displayName: localize("Role_Team"), value: team.name },
                { displayName: localize("View_Goals"), value: summary },
            ],
        };
    });

    sortTeams(built, settings.sort, locale, teams);

    return {
        kind: "goals",
        teams: built,
        goalCount: goals.size,
        axis: GOAL_AXIS,
        hasHistory,
        hasHighlights,
        notes,
    };

    function buildGoal(goal: GoalAccumulator): GoalItem {
        // Rows in period order; the latest row with a value gives each figure.
        const rows = periodColumn ? [...goal.rows].sort((a, b) => a.order - b.order) : goal.rows;
        for (const entry of rows) extraTooltips.read(goal.key, entry.row);
        const latest = (cols: DataViewValueColumn[]): { value: PrimitiveValue | null; row: number } => {
            let text: { value: PrimitiveValue | null; row: number } | null = null;
            for (let i = rows.length - 1; i >= 0; i--) {
                const value = cell(cols, rows[i].row);
                if (value === null) continue;
                if (!isText(value) || toDate(value)) return { value, row: rows[i].row };
                text ??= { value, row: rows[i].row };
            }
            return text ?? { value: null, row: rows[rows.length - 1]?.row ?? 0 };
        };
        const actualCell = latest(columns.actual);
        const highlighted = hasHighlights
            ? rows.some((entry) =>
                  columns.actual.some((column) => {
                      const value = column.highlights?.[entry.row];
                      return value !== null && value !== undefined;
                  }),
              )
            : null;
        const targetCell = latest(columns.target);
        const baselineCell = latest(columns.baseline);
        const startCell = latest(columns.startDate);
        const dueCell = latest(columns.dueDate);
        const actual = toNumber(actualCell.value ?? undefined);
        const target = toNumber(targetCell.value ?? undefined);
        const baseline = toNumber(baselineCell.value ?? undefined);
        const startDate = toDate(startCell.value);
        const dueDate = toDate(dueCell.value);

        const result = goalStatus({ actual, target, baseline, startDate, dueDate }, today, tolerances);
        const { status, progress, expectedProgress: expected, direction } = result;

        const formatActual = formatterFor(formatStringOf(columns.actual, actualCell.row));
        const formatTarget = formatterFor(
            formatStringOf(columns.target, targetCell.row) ?? formatStringOf(columns.actual, actualCell.row),
        );
        const formatBaseline = formatterFor(
            formatStringOf(columns.baseline, baselineCell.row) ?? formatStringOf(columns.actual, actualCell.row),
        );
        const actualText = formatActual(actual);
        const targetText = formatTarget(target);
        const baselineText = formatBaseline(baseline);

        // Notes: the first thing that keeps the row from being drawn or judged in full.
        const notText = (
            [
                [Role.actual, actualCell],
                [Role.target, targetCell],
                [Role.baseline, baselineCell],
            ] as const
        )
            .filter(([, found]) => isText(found.value))
            .map(([role]) => localize(roleNameKeys[role]));
        let note = "";
        if (notText.length > 0) note = `${localize("Note_GoalNotNumber")} ${notText.join(", ")}`;
        else if (actual === null) note = localize("Note_GoalNoActual");
        else if (target === null) note = localize("Note_GoalNoTarget");
        else if (baseline === null) note = localize("Note_GoalNoBaseline");
        else if (target === baseline) note = localize("Note_GoalZeroSpan");
        else if (startDate && dueDate && dueDate.getTime() < startDate.getTime())
            note = localize("Note_GoalDueBeforeStart");
        else if (datesBound && (!startDate || !dueDate)) note = localize("Note_GoalNoDates");

        const bar: GoalBar | null =
            progress === null
                ? null
                : {
                      end: Math.min(GOAL_AXIS[1], Math.max(GOAL_AXIS[0], progress)),
                      overflow: progress > GOAL_AXIS[1] ? "high" : progress < GOAL_AXIS[0] ? "low" : null,
                  };

        // The due date: a countdown while it matters, else the date.
        const days = dueDate ? daysBetween(today, dueDate) : null;
        const withYear = dueDate !== null && dueDate.getFullYear() !== today.getFullYear();
        let dueText = "";
        if (dueDate && days !== null) {
            if (status === "Met" || days > 90) dueText = fill(localize("Due_On"), dateText(dueDate, true));
            else if (days < 0)
                dueText = fill(localize(plural.select(-days) === "one" ? "Due_Overdue_One" : "Due_Overdue"), -days);
            else if (days === 0) dueText = localize("Due_Today");
            else dueText = fill(localize(plural.select(days) === "one" ? "Due_InDays_One" : "Due_InDays"), days);
        }

        // One sentence that explains the status (built when first read: a tooltip needs it, a full update does not).
        const explain = (): string => {
            const gap = actual !== null && target !== null ? Math.abs(target - actual) : null;
            const gapText =
                gap === null ? "" : fill(localize(direction === "lower" ? "Gap_Less" : "Gap_More"), formatActual(gap));
            if (notText.length > 0) return note;
            if (actual === null) return localize("Explain_NoActual");
            if (target === null) return localize("Explain_NoTarget");
            if (status === "Met") return fill(localize("Explain_Met"), actualText, targetText);
            if (status === "Missed" && dueDate)
                return fill(localize("Explain_Missed"), dateText(dueDate, withYear), gapText);
            if (status === "Not met" || progress === null || expected === null || !dueDate)
                return fill(localize("Explain_Needs"), gapText);
            return fill(
                localize("Explain_NeedsBy"),
                gapText,
                dateText(dueDate, withYear),
                percent(progress),
                percent(expected),
            );
        };

        let history: HistoryPoint[] = [];
        if (hasHistory) {
            history = orderedPeriods.map(([, info]) => ({ period: info.label, value: null }));
            for (const entry of rows) {
                const value = toNumber(cell(columns.actual, entry.row) ?? undefined);
                if (value !== null) history[entry.order].value = value;
            }
        }
        let historyDomain: [number, number] | null = null;
        if (hasHistory) {
            const values = [...history.map((point) => point.value), target, baseline].filter(
                (value): value is number => value !== null,
            );
            if (values.length > 0) historyDomain = [Math.min(...values), Math.max(...values)];
        }

        const statusText = localize(statusKeys[status]);
        let explanation: string | undefined;
        let tooltip: TooltipItem[] | undefined;
        const describe = (): TooltipItem[] => {
            explanation ??= explain();
            return [
                { displayName: localize("Role_Team"), value: goal.team },
                { displayName: localize("Role_Goal"), value: goal.name },
                { displayName: localize("Role_Baseline"), value: baselineText || blank },
                { displayName: localize("Role_Target"), value: targetText || blank },
                { displayName: localize("Role_Actual"), value: actualText || blank },
                {
                    displayName: localize("Tooltip_Progress"),
                    value: progress === null ? blank : percentExact(progress),
                },
                {
                    displayName: localize("Tooltip_ExpectedProgress"),
                    value: expected === null ? blank : percentExact(expected),
                },
                {
                    displayName: localize("Role_DueDate"),
                    value: dueDate
                        ? `${dateText(dueDate, true)}${dueText && !dueText.includes(dateText(dueDate, true)) ? ` (${dueText})` : ""}`
                        : blank,
                },
                {
                    displayName: statusText,
                    value: note && note !== explanation ? `${explanation} ${note}` : explanation,
                },
                ...extraTooltips.itemsFor(goal.key, localize("Tooltip_Varies")),
            ];
        };

        return {
            kind: "goal",
            highlighted,
            key: goal.key,
            teamKey: goal.teamKey,
            team: goal.team,
            name: goal.name,
            row: actualCell.value !== null ? actualCell.row : (rows[rows.length - 1]?.row ?? 0),
            actual,
            target,
            baseline,
            startDate,
            dueDate,
            direction,
            status,
            statusText,
            statusIcon: statusIcons[status],
            statusRank: statusRanks[status],
            progress,
            expectedProgress: expected,
            progressText: progress === null ? "" : percent(progress),
            actualText,
            targetText,
            baselineText,
            valueText: actualText && targetText ? `${actualText} / ${targetText}` : actualText || targetText,
            dueText,
            bar,
            expectedTick: progress === null ? null : expected,
            history,
            historyDomain,
            note,
            get explanation() {
                return (explanation ??= explain());
            },
            get tooltip() {
                return (tooltip ??= describe());
            },
        };
    }
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
    const collator = new Intl.Collator(locale, { numeric: true, sensitivity: "base" });
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
