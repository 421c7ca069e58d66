/**
 * Reference figures of the follow-up and improvement-plan measures, computed from the CSVs on
 * their own: nothing here comes from the visual's code (src/data) or the measures' DAX, so the
 * figures in expected.json check both. Business days are counted one day at a time and the goal
 * status is restated plainly from the rule in the README, each the slow obvious way.
 */
import * as path from "node:path";
import { CsvRow, fiscalYearOf, readCsv } from "./reference";
import { FOLLOW_UP_BELOW_RATING, IMPROVEMENT_PLAN_STATUSES } from "./schemaFollowUps";

export interface FollowUpCounts {
    lowRatings: number;
    open: number;
    overdue: number;
    contacted: number;
    contactedOnTime: number;
    /** Contacted or past the allowed business days: the denominator of the on-time share. */
    due: number;
    onTimeShare: number | null;
    medianDaysToContact: number | null;
    state: "Overdue" | "Open" | "Contacted" | null;
}

export interface FollowUpFigures {
    fiscalYear: string;
    asOf: string;
    businessDays: number;
    statewide: FollowUpCounts;
    agencies: Array<{ agencyId: string; agencyName: string } & FollowUpCounts>;
}

export interface PlanFigure {
    goalId: string;
    status: string;
    latestCheckIn: string | null;
    latestNote: string | null;
    latestNextStep: string | null;
    improvementPlanDate: string | null;
    statusChangedOn: string | null;
    improvementPlanMissing: 0 | 1 | null;
}

export interface PlanFigures {
    asOf: string;
    goals: PlanFigure[];
}

const DAY = 86_400_000;
const time = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);

/** Weekdays after `from` up to and including `to`, counted one by one; 0 when `to` is not later. */
export function businessDaysBetween(from: string, to: string): number {
    let count = 0;
    for (let t = time(from) + DAY; t <= time(to); t += DAY) {
        const weekday = new Date(t).getUTCDay();
        if (weekday !== 0 && weekday !== 6) count++;
    }
    return count;
}

function median(values: number[]): number | null {
    if (values.length === 0) return null;
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface LowRating {
    agency: string;
    responded: string;
    contacted: string | null;
}

function countFollowUps(rows: LowRating[], asOf: string, allowed: number): FollowUpCounts {
    let open = 0;
    let overdue = 0;
    let onTime = 0;
    let due = 0;
    const days: number[] = [];
    for (const r of rows) {
        const waited = businessDaysBetween(r.responded, asOf);
        if (r.contacted === null) {
            open++;
            if (waited > allowed) {
                overdue++;
                due++;
            }
            continue;
        }
        const toContact = businessDaysBetween(r.responded, r.contacted);
        days.push(toContact);
        due++;
        if (toContact <= allowed) onTime++;
    }
    const share = due === 0 ? null : Math.round((onTime / due) * 1e6) / 1e6;
    return {
        lowRatings: rows.length,
        open,
        overdue,
        contacted: days.length,
        contactedOnTime: onTime,
        due,
        onTimeShare: share,
        medianDaysToContact: median(days),
        state: rows.length === 0 ? null : overdue > 0 ? "Overdue" : open > 0 ? "Open" : "Contacted",
    };
}

/** The follow-up measures for one fiscal year, judged on `asOf` (the model's As of Date for that year). */
export function computeFollowUps(
    folder: string,
    fiscalYear: number,
    asOf: string,
    allowed: number,
    fiscalYearStartMonth: number,
): FollowUpFigures {
    const read = (name: string): CsvRow[] => readCsv(path.join(folder, `${name}.csv`));
    const firstContact = new Map<string, string>();
    for (const f of read("follow_ups")) {
        if (f.x_ContactedOn > asOf) continue;
        const id = f.x_ResponseId.trim().toLowerCase();
        const seen = firstContact.get(id);
        if (seen === undefined || f.x_ContactedOn < seen) firstContact.set(id, f.x_ContactedOn);
    }
    const low: LowRating[] = read("survey_responses")
        .filter(
            (r) =>
                Number(r.x_Rating) < FOLLOW_UP_BELOW_RATING &&
                r.x_ResponseDate <= asOf &&
                fiscalYearOf(r.x_ResponseDate, fiscalYearStartMonth) === fiscalYear,
        )
        .map((r) => ({
            agency: r.SubAccountId,
            responded: r.x_ResponseDate,
            contacted: firstContact.get(r.x_ResponseId.trim().toLowerCase()) ?? null,
        }));
    const agencies = read("agencies")
        .map((a) => ({
            agencyId: a.SubAccountId,
            agencyName: a.SubAccountName,
            ...countFollowUps(
                low.filter((r) => r.agency === a.SubAccountId),
                asOf,
                allowed,
            ),
        }))
        .sort((a, b) => (a.agencyName < b.agencyName ? -1 : a.agencyName > b.agencyName ? 1 : 0));
    return {
        fiscalYear: `FY${fiscalYear}`,
        asOf,
        businessDays: allowed,
        statewide: countFollowUps(low, asOf, allowed),
        agencies,
    };
}

interface GoalRow {
    baseline: number | null;
    target: number | null;
    start: string | null;
    due: string | null;
}

/** The goal status rule of the README, restated: tolerances 5 and 15 points (20 below expected). */
function statusOn(goal: GoalRow, actual: number | null, day: string): string {
    const { baseline, target, start, due } = goal;
    if (actual === null || target === null) return "No data";
    const progress = baseline !== null && target !== baseline ? (actual - baseline) / (target - baseline) : null;
    const lowerIsBetter = baseline !== null && target < baseline;
    const met = progress === null ? (lowerIsBetter ? actual <= target : actual >= target) : progress >= 1 - 1e-9;
    if (met) return "Met";
    if (start === null || due === null) return "Not met";
    const expected =
        time(due) <= time(start)
            ? day >= due
                ? 1
                : 0
            : Math.max(0, Math.min(1, (time(day) - time(start)) / (time(due) - time(start))));
    if (day > due) return "Missed";
    if (progress === null) return "Not met";
    if (progress >= expected - 0.05 - 1e-9) return "On track";
    if (progress >= expected - 0.2 - 1e-9) return "At risk";
    return "Behind";
}

/** Each goal's latest check-in and whether it has the improvement plan its status needs, on `asOf`. */
export function computePlans(folder: string, asOf: string): PlanFigures {
    const read = (name: string): CsvRow[] => readCsv(path.join(folder, `${name}.csv`));
    const num = (text: string): number | null => (text.trim() === "" ? null : Number(text));
    const measurements = new Map<string, Map<string, number>>();
    for (const m of read("goal_measurements")) {
        if (m.x_MeasuredOn > asOf) continue;
        const byDay = measurements.get(m.x_GoalId) ?? new Map<string, number>();
        byDay.set(m.x_MeasuredOn, Math.max(byDay.get(m.x_MeasuredOn) ?? -Infinity, Number(m.x_Value)));
        measurements.set(m.x_GoalId, byDay);
    }
    const checkIns = read("goal_checkins").filter((c) => c.x_CheckInDate <= asOf);
    const goals = read("goals").map((g): PlanFigure => {
        const goal: GoalRow = {
            baseline: num(g.x_Baseline),
            target: num(g.x_Target),
            start: g.x_StartDate || null,
            due: g.x_DueDate || null,
        };
        const byDay = measurements.get(g.x_GoalId) ?? new Map<string, number>();
        const days = [...byDay.keys()].sort();
        const actualOn = (day: string): number | null => {
            const last = days.filter((d) => d <= day).pop();
            return last === undefined ? null : (byDay.get(last) as number);
        };
        const status = statusOn(goal, actualOn(asOf), asOf);
        const history = days.map((d) => ({ day: d, status: statusOn(goal, actualOn(d), d) }));
        let changedOn: string | null = null;
        if (history.length > 0) {
            const differs = history.filter((h) => h.status !== status).pop();
            if (!differs) changedOn = history[0].day;
            else changedOn = history.find((h) => h.day > differs.day)?.day ?? differs.day;
        }
        const mine = checkIns
            .filter((c) => c.x_GoalId === g.x_GoalId)
            .sort((a, b) => (a.x_CheckInDate < b.x_CheckInDate ? -1 : 1));
        const latest = mine.length > 0 ? mine[mine.length - 1] : null;
        const withPlan = mine.filter((c) => c.x_ImprovementPlan.trim() !== "");
        const planDate = withPlan.length > 0 ? withPlan[withPlan.length - 1].x_CheckInDate : null;
        const needsPlan = (IMPROVEMENT_PLAN_STATUSES as readonly string[]).includes(status);
        return {
            goalId: g.x_GoalId,
            status,
            latestCheckIn: latest?.x_CheckInDate ?? null,
            latestNote: latest?.x_StatusNote || null,
            latestNextStep: latest?.x_NextStep || null,
            improvementPlanDate: planDate,
            statusChangedOn: changedOn,
            improvementPlanMissing: needsPlan
                ? planDate !== null && (changedOn === null || planDate >= changedOn)
                    ? 0
                    : 1
                : null,
        };
    });
    return { asOf, goals };
}
