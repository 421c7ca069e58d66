/**
 * Reference figures: what the model's measures must show for a folder of CSV exports, computed in
 * TypeScript with the same rules as the visual's data layer (summarizeCost, goalStatus). Kept for
 * the sample as connector/sample/expected.json so anyone who opens the sample model in Power BI
 * Desktop can check the measures against it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "csv-parse/sync";
import { summarizeCost, CostRow } from "../../src/data/costRules";
import { goalStatus, DEFAULT_TOLERANCES } from "../../src/data/goalStatus";
import { DEFAULT_FISCAL_YEAR_START_MONTH } from "./schema";
import { DEFAULT_FOLLOW_UP_BUSINESS_DAYS } from "./schemaFollowUps";
import { computeFollowUps, computePlans, FollowUpFigures, PlanFigures } from "./followUpReference";

export type CsvRow = Record<string, string>;

export function readCsv(file: string): CsvRow[] {
    return parse(fs.readFileSync(file, "utf8"), { columns: true, skip_empty_lines: true }) as CsvRow[];
}

const num = (text: string | undefined): number | null =>
    text === undefined || text.trim() === "" ? null : Number(text);
const day = (iso: string): Date => new Date(`${iso}T00:00:00Z`);
const round = (value: number | null, digits: number): number | null =>
    value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;

/** The fiscal year (named by the calendar year it ends in) of an ISO date. */
export function fiscalYearOf(iso: string, startMonth = DEFAULT_FISCAL_YEAR_START_MONTH): number {
    const year = Number(iso.slice(0, 4));
    const month = Number(iso.slice(5, 7));
    return startMonth !== 1 && month >= startMonth ? year + 1 : year;
}

export interface AgencyFigure {
    agencyId: string;
    agencyName: string;
    billedCost: number;
    averageUsers: number | null;
    costPerUser: number | null;
}
export interface GoalFigure {
    goalId: string;
    team: string;
    goal: string;
    baseline: number | null;
    target: number | null;
    actual: number | null;
    progress: number | null;
    expectedProgress: number | null;
    direction: string;
    status: string;
}

export interface ReferenceFigures {
    howToCheck: string[];
    fiscalYearStartMonth: number;
    costPerUser: {
        fiscalYear: string;
        statewide: { billedCost: number; averageUsers: number | null; costPerUser: number | null };
        agencies: AgencyFigure[];
    };
    goals: { asOf: string; tolerances: { onTrack: number; atRisk: number }; goals: GoalFigure[] };
    followUps: FollowUpFigures;
    improvementPlans: PlanFigures;
}

/** The last day of a fiscal year: the model's As of Date when that year is selected and today is later. */
export function fiscalYearEnd(fiscalYear: number, startMonth = DEFAULT_FISCAL_YEAR_START_MONTH): string {
    const end = new Date(Date.UTC(startMonth === 1 ? fiscalYear + 1 : fiscalYear, startMonth - 1, 0));
    return end.toISOString().slice(0, 10);
}

export function computeReference(
    folder: string,
    asOf: string,
    fiscalYearStartMonth = DEFAULT_FISCAL_YEAR_START_MONTH,
): ReferenceFigures {
    const read = (name: string): CsvRow[] => readCsv(path.join(folder, `${name}.csv`));
    const agencies = read("agencies");
    const charges = read("charges");
    const headcount = read("headcount");

    // Cost per user over the latest fiscal year with charges.
    const fiscalYear = Math.max(...charges.map((c) => fiscalYearOf(c.ChargePeriodStart, fiscalYearStartMonth)));
    const inYear = (iso: string): boolean => fiscalYearOf(iso, fiscalYearStartMonth) === fiscalYear;
    const users = new Map<string, number>();
    for (const h of headcount) users.set(`${h.SubAccountId}|${h.x_Month}`, Number(h.x_Users));
    const rows: CostRow[] = [];
    for (const c of charges) {
        if (!inYear(c.ChargePeriodStart)) continue;
        rows.push({
            agency: c.SubAccountId,
            period: c.ChargePeriodStart,
            service: c.ServiceName,
            cost: num(c.BilledCost),
            users: users.get(`${c.SubAccountId}|${c.ChargePeriodStart}`) ?? null,
        });
    }
    // Headcount counts even in months without charges, as in the model's Average Users measure.
    for (const h of headcount) {
        if (inYear(h.x_Month))
            rows.push({ agency: h.SubAccountId, period: h.x_Month, service: "", cost: 0, users: Number(h.x_Users) });
    }
    const summary = summarizeCost(rows);
    const names = new Map(agencies.map((a) => [a.SubAccountId, a.SubAccountName]));
    const agencyFigures: AgencyFigure[] = [...summary.agencies.values()]
        .map((a) => ({
            agencyId: a.name,
            agencyName: names.get(a.name) ?? a.name,
            billedCost: round(a.cost, 2) as number,
            averageUsers: round(a.averageUsers, 4),
            costPerUser: round(a.costPerUser, 4),
        }))
        .sort((a, b) => (a.agencyName < b.agencyName ? -1 : a.agencyName > b.agencyName ? 1 : 0));

    // Goal status on the fixed day: the latest measurement on or before it.
    const teams = new Map(read("teams").map((t) => [t.x_TeamId, t.x_TeamName]));
    const latest = new Map<string, { date: string; value: number }>();
    for (const m of read("goal_measurements")) {
        if (m.x_MeasuredOn > asOf) continue;
        const value = Number(m.x_Value);
        const seen = latest.get(m.x_GoalId);
        // Same day twice: the larger value, as the model's MAX does.
        if (!seen || m.x_MeasuredOn > seen.date || (m.x_MeasuredOn === seen.date && value > seen.value))
            latest.set(m.x_GoalId, { date: m.x_MeasuredOn, value });
    }
    const today = day(asOf);
    const goals: GoalFigure[] = read("goals").map((g) => {
        const input = {
            actual: latest.get(g.x_GoalId)?.value ?? null,
            baseline: num(g.x_Baseline),
            target: num(g.x_Target),
            startDate: g.x_StartDate ? day(g.x_StartDate) : null,
            dueDate: g.x_DueDate ? day(g.x_DueDate) : null,
        };
        const result = goalStatus(input, today, DEFAULT_TOLERANCES);
        return {
            goalId: g.x_GoalId,
            team: teams.get(g.x_TeamId) ?? g.x_TeamId,
            goal: g.x_GoalName,
            baseline: input.baseline,
            target: input.target,
            actual: input.actual,
            progress: round(result.progress, 6),
            expectedProgress: round(result.expectedProgress, 6),
            direction: result.direction,
            status: result.status,
        };
    });

    return {
        howToCheck: [
            "Open the sample project in Power BI Desktop and refresh.",
            `Cost per user: filter 'Date'[Fiscal Year] to FY${fiscalYear}; a table of Agencies[AgencyName] with Billed Cost, Average Users and Cost per User shows the agencies below; its total row and Statewide Cost per User show the statewide figures.`,
            `Goals: filter 'Date'[Date] to on or before ${asOf}; a table of Goals[GoalName] with Goal Actual, Goal Progress %, Expected Progress % and Goal Status shows the goals below (As of Date = ${asOf}).`,
            `Follow-ups: filter 'Date'[Fiscal Year] to FY${fiscalYear} (As of Date = ${fiscalYearEnd(fiscalYear, fiscalYearStartMonth)}); a table of Agencies[AgencyName] with Ratings Below 4, Open Follow-ups, Overdue Follow-ups, Follow-ups on Time %, Median Days to Contact and Follow-up State shows followUps below (lowRatings, open, overdue, onTimeShare, medianDaysToContact, state), its total row the statewide figures; Follow-up Business Days = ${DEFAULT_FOLLOW_UP_BUSINESS_DAYS}.`,
            `Improvement plans: filter 'Date'[Date] to on or before ${asOf}; a table of Goals[GoalName] with Goal Status, Latest Check-in Date, Latest Check-in Note, Latest Next Step, Improvement Plan Date, Status Changed On and Improvement Plan Missing shows improvementPlans below.`,
            "Figures are rounded: costs to cents, users and cost per user to 4 decimals, progress and shares to 6.",
        ],
        fiscalYearStartMonth,
        costPerUser: {
            fiscalYear: `FY${fiscalYear}`,
            statewide: {
                billedCost: round(summary.statewide.cost, 2) as number,
                averageUsers: round(summary.statewide.averageUsers, 4),
                costPerUser: round(summary.statewide.costPerUser, 4),
            },
            agencies: agencyFigures,
        },
        goals: { asOf, tolerances: { ...DEFAULT_TOLERANCES }, goals },
        followUps: computeFollowUps(
            folder,
            fiscalYear,
            fiscalYearEnd(fiscalYear, fiscalYearStartMonth),
            DEFAULT_FOLLOW_UP_BUSINESS_DAYS,
            fiscalYearStartMonth,
        ),
        improvementPlans: computePlans(folder, asOf),
    };
}

export function referenceJson(figures: ReferenceFigures): string {
    return `${JSON.stringify(figures, null, 2)}\n`;
}
