/**
 * Reference figures: what the model's measures must show for a folder of CSV exports. Written
 * plainly from the CSV rows and on purpose independent of the visual's data layer (src/data) and
 * of the rules module: it restates the README's rules in its own few lines, so a test that
 * compares the visual (or the DAX) with it compares two computations, not one with itself.
 * Kept for the sample as connector/sample/expected.json, so anyone who opens the sample model in
 * Power BI Desktop can check the measures against it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "csv-parse/sync";
import { DEFAULT_FISCAL_YEAR_START_MONTH, DEFAULT_MINIMUM_AGENCIES } from "./schema";
import { DEFAULT_FOLLOW_UP_BUSINESS_DAYS } from "./schemaFollowUps";
import { computeFollowUps, computePlans, FollowUpFigures, PlanFigures } from "./followUpReference";

export type CsvRow = Record<string, string>;

export function readCsv(file: string): CsvRow[] {
    return parse(fs.readFileSync(file, "utf8"), { columns: true, skip_empty_lines: true }) as CsvRow[];
}

// The README's figures, restated: tolerances in points, the months of a year, float rounding.
const ON_TRACK_POINTS = 5;
const AT_RISK_POINTS = 15;
const MONTHS_A_YEAR = 12;
const ROUNDING = 1e-9;

const num = (text: string | undefined): number | null =>
    text === undefined || text.trim() === "" ? null : Number(text);
const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
const round = (value: number | null, digits: number): number | null =>
    value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;
const monthOf = (iso: string): string => iso.slice(0, 7);

/** The fiscal year (named by the calendar year it ends in) of an ISO date. */
export function fiscalYearOf(iso: string, startMonth = DEFAULT_FISCAL_YEAR_START_MONTH): number {
    const year = Number(iso.slice(0, 4));
    const month = Number(iso.slice(5, 7));
    return startMonth !== 1 && month >= startMonth ? year + 1 : year;
}

export interface CostFigure {
    billedCost: number;
    /** Cost of the agency-months with a headcount: what cost per user divides. */
    coveredCost: number;
    /** Cost of agency-months without a headcount: left out of cost per user. */
    uncoveredCost: number;
    userMonths: number | null;
    /** coveredCost / userMonths x 12. */
    costPerUser: number | null;
}
export interface AgencyFigure extends CostFigure {
    agencyId: string;
    agencyName: string;
    /** Months of the fiscal year with a headcount for the agency. */
    monthsWithUsers: number;
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
    /** The Date table's span: whole fiscal years from the earliest to the latest date of any table. */
    dateTable: { first: string; last: string; fiscalYears: string[] };
    costPerUser: {
        fiscalYear: string;
        /** Months of the fiscal year with charges (12 for a complete year). */
        months: number;
        statewide: CostFigure;
        /** Statewide Cost per Agency: billed cost over the distinct agencies billed in the year (blank below the minimum). */
        statewideCostPerAgency: { agencies: number; costPerAgency: number | null };
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

/**
 * Every date column of the CSV exports, listed by hand (the model reads the same list from the
 * schema; a test holds the two together): charges, headcount months, goals' start and due dates,
 * measurements, responses, follow-ups and check-ins.
 */
export const DATED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
    charges: ["ChargePeriodStart"],
    headcount: ["x_Month"],
    goals: ["x_StartDate", "x_DueDate"],
    goal_measurements: ["x_MeasuredOn"],
    survey_responses: ["x_ResponseDate"],
    follow_ups: ["x_ContactedOn", "x_ClosedOn"],
    goal_checkins: ["x_CheckInDate", "x_NextCheckInDate"],
};

/** The Date table's span for a folder: the fiscal years of the earliest and latest dates, whole. */
export function dateTableSpan(
    folder: string,
    startMonth = DEFAULT_FISCAL_YEAR_START_MONTH,
): ReferenceFigures["dateTable"] {
    const dates: string[] = [];
    for (const [file, columns] of Object.entries(DATED_COLUMNS))
        for (const row of readCsv(path.join(folder, `${file}.csv`)))
            for (const column of columns) if (row[column]) dates.push(row[column]);
    // No date at all: the model's calendar is today's fiscal year.
    if (dates.length === 0) dates.push(new Date().toISOString().slice(0, 10));
    dates.sort();
    const firstYear = fiscalYearOf(dates[0], startMonth);
    const lastYear = fiscalYearOf(dates[dates.length - 1], startMonth);
    const years: string[] = [];
    for (let y = firstYear; y <= lastYear; y++) years.push(`FY${y}`);
    // A fiscal year named Y starts in the month startMonth of Y - 1 (of Y with a January start).
    const startYear = startMonth === 1 ? firstYear : firstYear - 1;
    const first = `${startYear}-${String(startMonth).padStart(2, "0")}-01`;
    return { first, last: fiscalYearEnd(lastYear, startMonth), fiscalYears: years };
}

export interface ReferenceOptions {
    fiscalYearStartMonth?: number;
    /** The fiscal year to compute cost for; default the latest one with charges in all 12 months (else the latest). */
    fiscalYear?: number;
    /** No statewide figure from fewer agencies (generate --min-agencies); default DEFAULT_MINIMUM_AGENCIES. */
    minimumAgencies?: number;
    /** Only these agency ids (an agency slicer); default all. */
    agencies?: readonly string[];
}

export function computeReference(folder: string, asOf: string, options: ReferenceOptions = {}): ReferenceFigures {
    const startMonth = options.fiscalYearStartMonth ?? DEFAULT_FISCAL_YEAR_START_MONTH;
    const read = (name: string): CsvRow[] => readCsv(path.join(folder, `${name}.csv`));
    const agencies = read("agencies");
    const picked = options.agencies ? new Set(options.agencies) : null;
    const shown = (agency: string): boolean => picked === null || picked.has(agency);
    const charges = read("charges").filter((c) => shown(c.SubAccountId));
    const headcount = read("headcount").filter((h) => shown(h.SubAccountId));

    // The fiscal year: the latest with charges in all of its months, as the report's slicer opens.
    const monthsByYear = new Map<number, Set<string>>();
    for (const c of charges) {
        const year = fiscalYearOf(c.ChargePeriodStart, startMonth);
        monthsByYear.set(year, (monthsByYear.get(year) ?? new Set()).add(monthOf(c.ChargePeriodStart)));
    }
    const years = [...monthsByYear.keys()].sort((a, b) => a - b);
    const complete = years.filter((y) => monthsByYear.get(y)!.size === MONTHS_A_YEAR);
    const fiscalYear = options.fiscalYear ?? complete[complete.length - 1] ?? years[years.length - 1];
    const inYear = (iso: string): boolean => fiscalYearOf(iso, startMonth) === fiscalYear;

    // Headcount: one figure per agency and calendar month, the largest snapshot of the month.
    const users = new Map<string, Map<string, number>>(); // agency -> month -> users
    for (const h of headcount) {
        if (!inYear(h.x_Month)) continue;
        const months = users.get(h.SubAccountId) ?? new Map<string, number>();
        const month = monthOf(h.x_Month);
        months.set(month, Math.max(months.get(month) ?? -Infinity, Number(h.x_Users)));
        users.set(h.SubAccountId, months);
    }
    const figures = new Map<string, AgencyFigure>();
    const names = new Map(agencies.map((a) => [a.SubAccountId, a.SubAccountName]));
    const figureOf = (agency: string): AgencyFigure => {
        let figure = figures.get(agency);
        if (!figure) {
            figure = {
                agencyId: agency,
                agencyName: names.get(agency) ?? agency,
                billedCost: 0,
                coveredCost: 0,
                uncoveredCost: 0,
                userMonths: null,
                costPerUser: null,
                monthsWithUsers: 0,
            };
            figures.set(agency, figure);
        }
        return figure;
    };
    for (const c of charges) {
        const cost = num(c.BilledCost);
        if (!inYear(c.ChargePeriodStart) || cost === null) continue;
        const figure = figureOf(c.SubAccountId);
        const headcountThatMonth = users.get(c.SubAccountId)?.get(monthOf(c.ChargePeriodStart)) ?? 0;
        figure.billedCost += cost;
        if (headcountThatMonth > 0) figure.coveredCost += cost;
        else figure.uncoveredCost += cost;
    }
    for (const [agency, months] of users) {
        const figure = figureOf(agency);
        for (const count of months.values()) {
            if (count <= 0) continue;
            figure.userMonths = (figure.userMonths ?? 0) + count;
            figure.monthsWithUsers++;
        }
    }
    const perUser = (covered: number, userMonths: number | null): number | null =>
        userMonths !== null && userMonths > 0 ? (covered / userMonths) * MONTHS_A_YEAR : null;
    const statewide: CostFigure = {
        billedCost: 0,
        coveredCost: 0,
        uncoveredCost: 0,
        userMonths: null,
        costPerUser: null,
    };
    for (const figure of figures.values()) {
        figure.costPerUser = perUser(figure.coveredCost, figure.userMonths);
        statewide.billedCost += figure.billedCost;
        statewide.coveredCost += figure.coveredCost;
        statewide.uncoveredCost += figure.uncoveredCost;
        if (figure.userMonths !== null) statewide.userMonths = (statewide.userMonths ?? 0) + figure.userMonths;
    }
    statewide.costPerUser = perUser(statewide.coveredCost, statewide.userMonths);
    // Distinct agencies billed in the year, matched as the model matches keys (case and spaces ignored).
    const billedAgencies = new Set(
        charges.filter((c) => inYear(c.ChargePeriodStart)).map((c) => c.SubAccountId.trim().toUpperCase()),
    ).size;
    const statewideCostPerAgency = {
        agencies: billedAgencies,
        costPerAgency:
            billedAgencies >= (options.minimumAgencies ?? DEFAULT_MINIMUM_AGENCIES)
                ? round(statewide.billedCost / billedAgencies, 2)
                : null,
    };
    const rounded = <T extends CostFigure>(figure: T): T => ({
        ...figure,
        billedCost: round(figure.billedCost, 2) as number,
        coveredCost: round(figure.coveredCost, 2) as number,
        uncoveredCost: round(figure.uncoveredCost, 2) as number,
        userMonths: round(figure.userMonths, 4),
        costPerUser: round(figure.costPerUser, 4),
    });
    const agencyFigures = [...figures.values()]
        .map(rounded)
        .sort((a, b) => (a.agencyName < b.agencyName ? -1 : a.agencyName > b.agencyName ? 1 : 0));

    return {
        howToCheck: [
            "Open the sample project in Power BI Desktop and refresh.",
            `Cost per user: the report opens on FY${fiscalYear}; a table of Agencies[AgencyName] with Billed Cost, Cost without Headcount, User Months and Cost per User shows the agencies below; its total row and Statewide Cost per User show the statewide figures; Statewide Cost per Agency shows statewideCostPerAgency (billed cost over the distinct agencies billed).`,
            `Goals: filter 'Date'[Date] to on or before ${asOf}; a table of Goals[GoalName] with Goal Actual, Goal Progress %, Expected Progress % and Goal Status shows the goals below (As of Date = ${asOf}).`,
            `Follow-ups: filter 'Date'[Fiscal Year] to FY${fiscalYear} (As of Date = ${fiscalYearEnd(fiscalYear, startMonth)}); a table of Agencies[AgencyName] with Ratings Below 4, Open Follow-ups, Overdue Follow-ups, Follow-ups on Time %, Median Days to Contact and Follow-up State shows followUps below (lowRatings, open, overdue, onTimeShare, medianDaysToContact, state), its total row the statewide figures; Follow-up Business Days = ${DEFAULT_FOLLOW_UP_BUSINESS_DAYS}.`,
            `Improvement plans: filter 'Date'[Date] to on or before ${asOf}; a table of Goals[GoalName] with Goal Status, Latest Check-in Date, Latest Check-in Note, Latest Next Step, Improvement Plan Date, Status Changed On and Improvement Plan Missing shows improvementPlans below.`,
            "Figures are rounded: costs to cents, user-months and cost per user to 4 decimals, progress and shares to 6.",
        ],
        fiscalYearStartMonth: startMonth,
        dateTable: dateTableSpan(folder, startMonth),
        costPerUser: {
            fiscalYear: `FY${fiscalYear}`,
            months: monthsByYear.get(fiscalYear)?.size ?? 0,
            statewide: rounded(statewide),
            statewideCostPerAgency,
            agencies: agencyFigures,
        },
        goals: {
            asOf,
            tolerances: { onTrack: ON_TRACK_POINTS / 100, atRisk: AT_RISK_POINTS / 100 },
            goals: goalFigures(read, asOf),
        },
        followUps: computeFollowUps(
            folder,
            fiscalYear,
            fiscalYearEnd(fiscalYear, startMonth),
            DEFAULT_FOLLOW_UP_BUSINESS_DAYS,
            startMonth,
        ),
        improvementPlans: computePlans(folder, asOf),
    };
}

/** Each goal's status on the as-of day, from its latest measurement on or before it. */
function goalFigures(read: (name: string) => CsvRow[], asOf: string): GoalFigure[] {
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
    return read("goals").map((g) => {
        const actual = latest.get(g.x_GoalId)?.value ?? null;
        const baseline = num(g.x_Baseline);
        const target = num(g.x_Target);
        const given = (g.x_Direction ?? "").trim().toLowerCase();
        const direction =
            given === "higher" || given === "lower"
                ? given
                : target !== null && baseline !== null && target < baseline
                  ? "lower"
                  : "higher";
        const progress =
            actual !== null && target !== null && baseline !== null && target !== baseline
                ? (actual - baseline) / (target - baseline)
                : null;
        let expected: number | null = null;
        if (g.x_StartDate && g.x_DueDate) {
            const start = day(g.x_StartDate);
            const due = day(g.x_DueDate);
            expected =
                due <= start ? (today >= due ? 1 : 0) : Math.min(1, Math.max(0, (today - start) / (due - start)));
        }
        let status: string;
        if (actual === null || target === null) status = "No data";
        else if (
            progress !== null ? progress >= 1 - ROUNDING : direction === "lower" ? actual <= target : actual >= target
        )
            status = "Met";
        else if (expected === null || !g.x_DueDate) status = "Not met";
        else if (today > day(g.x_DueDate)) status = "Missed";
        else if (progress === null) status = "Not met";
        else if (progress >= expected - ON_TRACK_POINTS / 100 - ROUNDING) status = "On track";
        else if (progress >= expected - (ON_TRACK_POINTS + AT_RISK_POINTS) / 100 - ROUNDING) status = "At risk";
        else status = "Behind";
        return {
            goalId: g.x_GoalId,
            team: teams.get(g.x_TeamId) ?? g.x_TeamId,
            goal: g.x_GoalName,
            baseline,
            target,
            actual,
            progress: round(progress, 6),
            expectedProgress: round(expected, 6),
            direction,
            status,
        };
    });
}

export function referenceJson(figures: ReferenceFigures): string {
    return `${JSON.stringify(figures, null, 2)}\n`;
}
