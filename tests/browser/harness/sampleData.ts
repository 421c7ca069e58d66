/**
 * DataViews of the connector's sample tables (connector/sample/*.csv), aggregated the way Power
 * BI does for the fields the sample report binds to each view (connector/src/report/layout.ts),
 * with the report's fiscal-year slicer on the latest fiscal year. Also synthetic DataViews of a
 * given number of rows for the benchmark.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fiscalYearOf, readCsv, type ReferenceFigures } from "../../../connector/src/reference";
import { goalUnitFormat } from "../../../src/data/rules";
import type { CellJson, DataViewJson } from "./types";
import { projectRoot } from "./visualPackage";

export const sampleFolder = path.join(projectRoot, "connector", "sample");

// Format strings of the model's fields (connector/src/schema.ts).
const CURRENCY_WHOLE = "\\$#,0;(\\$#,0);\\$#,0";
const WHOLE = "#,0";
const DECIMAL = "#,0.00";
const DATE = "yyyy-mm-dd";
const MONTH = "mmm yyyy";

const read = (table: string) => readCsv(path.join(sampleFolder, `${table}.csv`));
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const cents = (value: number) => Math.round(value * 100) / 100;

export function expectedFigures(): ReferenceFigures {
    return JSON.parse(fs.readFileSync(path.join(sampleFolder, "expected.json"), "utf8")) as ReferenceFigures;
}

/** The latest fiscal year with charges, as the sample report's slicer shows it. */
export function latestFiscalYear(): number {
    return Math.max(...read("charges").map((charge) => fiscalYearOf(charge.ChargePeriodStart)));
}

export interface CostBinding {
    service?: boolean;
    period?: boolean;
    users?: boolean;
    /** The Reference well bound to [Statewide Cost per User Reference], as the sample report binds it. */
    reference?: boolean;
    /** Only these agencies (SubAccountId), as an agency slicer or an agency head's role leaves them. */
    agencies?: readonly string[];
}

/** The minimum agencies of the sample model (generate's default). */
const MINIMUM_AGENCIES = 3;

/**
 * What [Statewide Cost per User Reference] gives in every cell for the sample report's fiscal-year
 * slicer: worked out here from the CSVs, with neither the visual's code nor the model's, by the
 * stated rule: the year's cost of the agency-months with a headcount over their user-months, x 12,
 * over every agency whatever the page's agency filter; blank when no month and service model of
 * the year has charges of at least the minimum number of agencies.
 */
export function sampleStatewideCostPerUser(): number | null {
    const year = latestFiscalYear();
    const inYear = (iso: string) => fiscalYearOf(iso) === year;
    const users = new Map<string, number>(); // agency|month -> the larger headcount
    for (const row of read("headcount")) {
        if (!inYear(row.x_Month)) continue;
        const key = `${row.SubAccountId.trim().toUpperCase()}|${row.x_Month}`;
        users.set(key, Math.max(users.get(key) ?? 0, Number(row.x_Users)));
    }
    const model = new Map(read("services").map((service) => [service.ServiceName, service.x_ServiceModel]));
    let cost = 0;
    const agenciesPerCell = new Map<string, Set<string>>();
    for (const charge of read("charges")) {
        if (!inYear(charge.ChargePeriodStart) || charge.BilledCost.trim() === "") continue;
        const agency = charge.SubAccountId.trim().toUpperCase();
        if ((users.get(`${agency}|${charge.ChargePeriodStart}`) ?? 0) <= 0) continue;
        cost += Number(charge.BilledCost);
        const cell = `${charge.ChargePeriodStart}|${model.get(charge.ServiceName)}`;
        agenciesPerCell.set(cell, (agenciesPerCell.get(cell) ?? new Set()).add(agency));
    }
    const widest = Math.max(0, ...[...agenciesPerCell.values()].map((agencies) => agencies.size));
    let userMonths = 0;
    for (const value of users.values()) userMonths += value;
    return widest >= MINIMUM_AGENCIES && userMonths > 0 ? (cost / userMonths) * 12 : null;
}

/**
 * The cost view: Agencies[AgencyName] [x 'Date'[Month]] as categories, values grouped by
 * Services[ServiceModel], [Billed Cost] summed, and [User Months] per agency (and month), the
 * same on every service model: the headcount table is not related to services.
 */
export function costSample(
    binding: CostBinding = { service: true, period: true, users: true, reference: true },
): DataViewJson {
    const year = latestFiscalYear();
    const shown = (agency: string) => !binding.agencies || binding.agencies.includes(agency);
    const inYear = (iso: string) => fiscalYearOf(iso) === year;
    const agencyName = new Map(read("agencies").map((agency) => [agency.SubAccountId, agency.SubAccountName]));
    const serviceModel = new Map(read("services").map((service) => [service.ServiceName, service.x_ServiceModel]));

    const headcount = new Map<string, Map<string, number>>(); // agency -> month -> users
    for (const row of read("headcount")) {
        if (!inYear(row.x_Month) || !shown(row.SubAccountId)) continue;
        const months = headcount.get(row.SubAccountId) ?? new Map<string, number>();
        months.set(row.x_Month, Math.max(months.get(row.x_Month) ?? -Infinity, Number(row.x_Users)));
        headcount.set(row.SubAccountId, months);
    }
    const rowKey = (agency: string, month: string) => (binding.period ? `${agency}|${month}` : agency);
    const rows = new Map<string, { agency: string; month: string }>();
    const cost = new Map<string, Map<string, number>>(); // row -> series -> cost
    const models = new Set<string>();
    for (const charge of read("charges")) {
        if (!inYear(charge.ChargePeriodStart) || charge.BilledCost.trim() === "" || !shown(charge.SubAccountId))
            continue;
        const key = rowKey(charge.SubAccountId, charge.ChargePeriodStart);
        if (!rows.has(key)) rows.set(key, { agency: charge.SubAccountId, month: charge.ChargePeriodStart });
        const model = binding.service ? (serviceModel.get(charge.ServiceName) ?? "") : "";
        models.add(model);
        const perSeries = cost.get(key) ?? new Map<string, number>();
        perSeries.set(model, (perSeries.get(model) ?? 0) + Number(charge.BilledCost));
        cost.set(key, perSeries);
    }
    const usersOf = (agency: string, month: string): number | null => {
        const months = headcount.get(agency);
        if (!months || months.size === 0) return null;
        if (binding.period) return months.get(month) ?? null;
        // [User Months] over the year: the monthly headcounts added.
        let total = 0;
        for (const users of months.values()) total += users;
        return total;
    };
    if (binding.users) {
        // [User Months] is not blank in months without charges: Power BI keeps those rows.
        for (const [agency, months] of headcount) {
            for (const month of months.keys()) {
                const key = rowKey(agency, month);
                if (!rows.has(key)) rows.set(key, { agency, month });
            }
        }
    }
    const ordered = [...rows.entries()].sort(
        ([, a], [, b]) =>
            byText(agencyName.get(a.agency) ?? a.agency, agencyName.get(b.agency) ?? b.agency) ||
            byText(a.month, b.month),
    );
    const series = [...models].sort(byText);

    const description: DataViewJson = {
        categories: [
            {
                role: "agency",
                displayName: "Agency",
                type: "text",
                values: ordered.map(([, row]) => agencyName.get(row.agency) ?? row.agency),
            },
        ],
        measures: [
            { role: "cost", displayName: "Billed Cost", type: "numeric", format: CURRENCY_WHOLE, isMeasure: true },
        ],
        values: [],
    };
    if (binding.period) {
        description.categories.push({
            role: "period",
            displayName: "Month",
            type: "dateTime",
            format: MONTH,
            values: ordered.map(([, row]) => row.month),
        });
    }
    if (binding.users)
        description.measures.push({
            role: "users",
            displayName: "User Months",
            type: "numeric",
            format: WHOLE,
            isMeasure: true,
        });
    if (binding.reference)
        description.measures.push({
            role: "reference",
            displayName: "Statewide Cost per User Reference",
            type: "numeric",
            format: "\\$#,0.00;(\\$#,0.00);\\$#,0.00",
            isMeasure: true,
        });
    if (binding.service)
        description.series = { column: { role: "service", displayName: "Service model", type: "text" }, names: series };
    // Every cell of the query carries the page's statewide figure (ALLSELECTED over the visual's groupings).
    const statewide = binding.reference ? sampleStatewideCostPerUser() : null;
    description.values = series.map((model) => {
        const columns: CellJson[][] = [
            ordered.map(([key]) => {
                const value = cost.get(key)?.get(model);
                return value === undefined ? null : cents(value);
            }),
        ];
        if (binding.users) columns.push(ordered.map(([, row]) => usersOf(row.agency, row.month)));
        if (binding.reference) columns.push(ordered.map(() => statewide));
        return columns;
    });
    return description;
}

/**
 * The goal view as the sample report binds it: Teams[TeamName] x Goals[GoalName], with
 * [Goal Actual] (the latest measurement on or before the as-of day), [Goal Target],
 * [Goal Baseline], [Goal Start Date], [Goal Due Date] and [As of Date], the day expected.json
 * is computed for, so statuses are judged on the sample's day and not on today's clock. The
 * value measures carry the dynamic format string of each goal's unit, as the model's
 * formatStringDefinition gives it (the rule's table in src/data/rules.ts).
 */
export function goalSample(asOf = expectedFigures().goals.asOf): DataViewJson {
    const teams = new Map(read("teams").map((team) => [team.x_TeamId, team.x_TeamName]));
    const latest = new Map<string, { date: string; value: number }>();
    for (const measurement of read("goal_measurements")) {
        if (measurement.x_MeasuredOn > asOf) continue;
        const value = Number(measurement.x_Value);
        const seen = latest.get(measurement.x_GoalId);
        if (
            !seen ||
            measurement.x_MeasuredOn > seen.date ||
            (measurement.x_MeasuredOn === seen.date && value > seen.value)
        ) {
            latest.set(measurement.x_GoalId, { date: measurement.x_MeasuredOn, value });
        }
    }
    const num = (text: string | undefined): number | null =>
        text === undefined || text.trim() === "" ? null : Number(text);
    const date = (text: string | undefined): string | null => (text && text.trim() !== "" ? text : null);
    const goals = read("goals")
        .map((goal) => ({ team: teams.get(goal.x_TeamId) ?? goal.x_TeamId, goal }))
        .sort((a, b) => byText(a.team, b.team) || byText(a.goal.x_GoalName, b.goal.x_GoalName));
    const formats = goals.map((row) => goalUnitFormat(row.goal.x_Unit));
    return {
        categories: [
            { role: "team", displayName: "Team", type: "text", values: goals.map((row) => row.team) },
            { role: "goal", displayName: "Goal", type: "text", values: goals.map((row) => row.goal.x_GoalName) },
        ],
        measures: [
            { role: "actual", displayName: "Goal Actual", type: "numeric", format: DECIMAL, isMeasure: true, formats },
            { role: "target", displayName: "Goal Target", type: "numeric", format: DECIMAL, isMeasure: true, formats },
            {
                role: "baseline",
                displayName: "Goal Baseline",
                type: "numeric",
                format: DECIMAL,
                isMeasure: true,
                formats,
            },
            { role: "startDate", displayName: "Goal Start Date", type: "dateTime", format: DATE, isMeasure: true },
            { role: "dueDate", displayName: "Goal Due Date", type: "dateTime", format: DATE, isMeasure: true },
            { role: "asOf", displayName: "As of Date", type: "dateTime", format: DATE, isMeasure: true },
        ],
        values: [
            [
                goals.map((row) => latest.get(row.goal.x_GoalId)?.value ?? null),
                goals.map((row) => num(row.goal.x_Target)),
                goals.map((row) => num(row.goal.x_Baseline)),
                goals.map((row) => date(row.goal.x_StartDate)),
                goals.map((row) => date(row.goal.x_DueDate)),
                goals.map(() => asOf),
            ],
        ],
    };
}

/** Weekdays after `from` up to and including `to`, one day at a time (0 when `to` is not later). */
function weekdaysAfter(from: string, to: string): number {
    let count = 0;
    for (let day = new Date(`${from}T00:00:00Z`); ;) {
        day = new Date(day.getTime() + 86_400_000);
        if (day.toISOString().slice(0, 10) > to) return count;
        if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) count++;
    }
}

/** One cell's follow-up measures, as the model sends them for an agency and a rating. */
interface FollowUpCell {
    open: number;
    overdue: number;
    /** [Open Follow-up List]: "yyyy-mm-dd<TAB>service" a line, oldest first; null when none is open. */
    list: string | null;
}

/**
 * [Open Follow-ups], [Overdue Follow-ups] and [Open Follow-up List] per agency name and rating,
 * worked out here from the CSVs by the stated rule (neither the visual's code nor the connector's
 * reference): a rating below 4 given by the As of Date is open with no contact by then, overdue
 * when open more than the allowed business days. The As of Date and the allowance are the inputs
 * expected.json states for its followUps section.
 */
export function sampleFollowUpCells(): Map<string, FollowUpCell> {
    const { asOf, businessDays, fiscalYear } = expectedFigures().followUps;
    const agencyName = new Map(read("agencies").map((agency) => [agency.SubAccountId, agency.SubAccountName]));
    const contacted = new Set(
        read("follow_ups")
            .filter((contact) => contact.x_ContactedOn <= asOf)
            .map((contact) => contact.x_ResponseId.trim().toLowerCase()),
    );
    const cells = new Map<string, FollowUpCell & { open_: string[] }>();
    for (const response of read("survey_responses")) {
        const rating = Number(response.x_Rating);
        const day = response.x_ResponseDate;
        if (!(rating < 4) || day > asOf || `FY${fiscalYearOf(day)}` !== fiscalYear) continue;
        const key = JSON.stringify([agencyName.get(response.SubAccountId) ?? response.SubAccountId, rating]);
        const cell = cells.get(key) ?? { open: 0, overdue: 0, list: null, open_: [] };
        cells.set(key, cell);
        if (contacted.has(response.x_ResponseId.trim().toLowerCase())) continue;
        cell.open++;
        if (weekdaysAfter(day, asOf) > businessDays) cell.overdue++;
        cell.open_.push(`${day}\t${response.ServiceName}`);
    }
    return new Map(
        [...cells].map(([key, { open, overdue, open_ }]) => [
            key,
            { open, overdue, list: open_.length === 0 ? null : open_.sort().join("\n") },
        ]),
    );
}

export interface SatisfactionBinding {
    /** Open follow-ups, Overdue follow-ups and Open follow-up list bound, as the sample report binds them. */
    followUps?: boolean;
}

/**
 * The satisfaction view: Agencies[AgencyName] x Ratings[Rating], with [Responses] (a count) and
 * [Statewide Responses Reference] (every agency's count of the row's rating, as the sample report
 * binds it), in the latest fiscal year; with the follow-up measures when bound.
 */
export function satisfactionSample(binding: SatisfactionBinding = {}): DataViewJson {
    const year = latestFiscalYear();
    const agencyName = new Map(read("agencies").map((agency) => [agency.SubAccountId, agency.SubAccountName]));
    const counts = new Map<string, number>();
    const statewide = [0, 0, 0, 0, 0];
    for (const response of read("survey_responses")) {
        if (fiscalYearOf(response.x_ResponseDate) !== year || response.x_Rating.trim() === "") continue;
        const key = JSON.stringify([
            agencyName.get(response.SubAccountId) ?? response.SubAccountId,
            Number(response.x_Rating),
        ]);
        counts.set(key, (counts.get(key) ?? 0) + 1);
        statewide[Number(response.x_Rating) - 1]++;
    }
    const rows = [...counts.entries()]
        .map(([key, responses]) => ({
            agency: (JSON.parse(key) as [string, number])[0],
            rating: (JSON.parse(key) as [string, number])[1],
            responses,
        }))
        .sort((a, b) => byText(a.agency, b.agency) || a.rating - b.rating);
    return {
        categories: [
            { role: "agency", displayName: "Agency", type: "text", values: rows.map((row) => row.agency) },
            {
                role: "rating",
                displayName: "Rating",
                type: "integer",
                format: "0",
                values: rows.map((row) => row.rating),
            },
        ],
        measures: [
            { role: "responses", displayName: "Responses", type: "integer", format: WHOLE, isMeasure: true },
            {
                role: "statewideResponses",
                displayName: "Statewide Responses Reference",
                type: "integer",
                format: WHOLE,
                isMeasure: true,
            },
            ...(binding.followUps
                ? [
                      {
                          role: "openFollowUps",
                          displayName: "Open Follow-ups",
                          type: "integer",
                          format: WHOLE,
                          isMeasure: true,
                      },
                      {
                          role: "overdueFollowUps",
                          displayName: "Overdue Follow-ups",
                          type: "integer",
                          format: WHOLE,
                          isMeasure: true,
                      },
                      { role: "openFollowUpList", displayName: "Open Follow-up List", type: "text", isMeasure: true },
                  ]
                : []),
        ] as DataViewJson["measures"],
        values: [
            [
                rows.map((row) => row.responses),
                rows.map((row) => statewide[row.rating - 1]),
                ...(binding.followUps ? followUpColumns(rows) : []),
            ],
        ],
    };
}

/** The follow-up measures' columns for the rows: 0 and blank where nothing is below 4 (the measures add 0). */
function followUpColumns(rows: { agency: string; rating: number }[]): CellJson[][] {
    const cells = sampleFollowUpCells();
    const of = (row: { agency: string; rating: number }) => cells.get(JSON.stringify([row.agency, row.rating]));
    return [
        rows.map((row) => of(row)?.open ?? 0),
        rows.map((row) => of(row)?.overdue ?? 0),
        rows.map((row) => of(row)?.list ?? null),
    ];
}

/** A deterministic pseudo-random sequence (the benchmark's data must not change between runs). */
function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state * 1664525 + 1013904223) >>> 0;
        return state / 2 ** 32;
    };
}

const SERVICE_MODELS = ["IaaS", "Managed Service", "On-Premises", "PaaS", "SaaS"];

/**
 * `rows` category rows of the cost view with every field bound: up to 250 agencies (a large
 * state), each with as many months as it takes, five service models.
 */
export function costSynthetic(rows: number): DataViewJson {
    const next = random(rows);
    const agencies = Math.max(1, Math.min(250, Math.ceil(rows / 12)));
    const months = Math.ceil(rows / agencies);
    const agency: string[] = [];
    const period: string[] = [];
    for (let a = 0; a < agencies && agency.length < rows; a++) {
        for (let m = 0; m < months && agency.length < rows; m++) {
            agency.push(
                `Agency ${String(a + 1).padStart(3, "0")} ${["Department of Revenue", "Board of Health", "Office of the Treasurer"][a % 3]}`,
            );
            period.push(new Date(Date.UTC(2015, m, 1)).toISOString().slice(0, 10));
        }
    }
    const users = agency.map((_, row) => 50 + Math.floor((row * 37) % 3000));
    return {
        categories: [
            { role: "agency", displayName: "Agency", type: "text", values: agency },
            { role: "period", displayName: "Month", type: "dateTime", format: MONTH, values: period },
        ],
        series: { column: { role: "service", displayName: "Service model", type: "text" }, names: SERVICE_MODELS },
        measures: [
            { role: "cost", displayName: "Billed Cost", type: "numeric", format: CURRENCY_WHOLE, isMeasure: true },
            { role: "users", displayName: "User Months", type: "numeric", format: WHOLE, isMeasure: true },
        ],
        values: SERVICE_MODELS.map(() => [
            agency.map(() => (next() < 0.1 ? null : cents(next() * 20000 - 500))),
            users,
        ]),
    };
}

/**
 * `rows` category rows of the goal view shaped as the issue's case: up to 300 goals across 40
 * teams, each with as many monthly measurements as it takes (300 goals x 24 months = 7,200 rows).
 */
export function goalSynthetic(rows: number): DataViewJson {
    const next = random(rows + 1);
    const goals = Math.max(1, Math.min(300, rows));
    const months = Math.ceil(rows / goals);
    const goalOf = (row: number) => Math.floor(row / months);
    const monthOf = (row: number) => row % months;
    const count = Math.min(rows, goals * months);
    const team = Array.from({ length: count }, (_, row) => `Team ${String((goalOf(row) % 40) + 1).padStart(2, "0")}`);
    const goal = Array.from(
        { length: count },
        (_, row) => `Goal ${String(goalOf(row) + 1).padStart(3, "0")}: reduce unplanned outage minutes`,
    );
    const period = Array.from({ length: count }, (_, row) =>
        new Date(Date.UTC(2023, monthOf(row), 1)).toISOString().slice(0, 10),
    );
    const baselines = Array.from({ length: goals }, () => Math.round(next() * 100));
    const targets = baselines.map((value) => (next() < 0.5 ? value + 20 : Math.max(0, value - 20)));
    const baseline = team.map((_, row) => baselines[goalOf(row)]);
    const target = team.map((_, row) => targets[goalOf(row)]);
    const actual = team.map((_, row) =>
        next() < 0.05 ? null : baseline[row] + (target[row] - baseline[row]) * next() * 1.2,
    );
    const start = team.map((_, row) => new Date(Date.UTC(2024, goalOf(row) % 12, 1)).toISOString().slice(0, 10));
    const due = team.map((_, row) => new Date(Date.UTC(2025, 6 + (goalOf(row) % 12), 1)).toISOString().slice(0, 10));
    return {
        categories: [
            { role: "team", displayName: "Team", type: "text", values: team },
            { role: "goal", displayName: "Goal", type: "text", values: goal },
            ...(months > 1
                ? [{ role: "period", displayName: "Month", type: "dateTime" as const, format: MONTH, values: period }]
                : []),
        ],
        measures: [
            { role: "actual", displayName: "Goal Actual", type: "numeric", format: DECIMAL, isMeasure: true },
            { role: "target", displayName: "Goal Target", type: "numeric", format: DECIMAL, isMeasure: true },
            { role: "baseline", displayName: "Goal Baseline", type: "numeric", format: DECIMAL, isMeasure: true },
            { role: "startDate", displayName: "Goal Start Date", type: "dateTime", format: DATE, isMeasure: true },
            { role: "dueDate", displayName: "Goal Due Date", type: "dateTime", format: DATE, isMeasure: true },
        ],
        values: [[actual, target, baseline, start, due]],
    };
}

/**
 * `rows` category rows of the satisfaction view shaped as the issue's case: up to 200 agencies x 5
 * ratings, each with as many monthly periods as it takes (200 x 5 x 24 = 24,000 rows).
 */
export function satisfactionSynthetic(rows: number): DataViewJson {
    const next = random(rows + 2);
    const agencies = Math.max(1, Math.min(200, Math.ceil(rows / 5)));
    const months = Math.ceil(rows / (agencies * 5));
    const count = Math.min(rows, agencies * 5 * months);
    const agency = Array.from(
        { length: count },
        (_, row) => `Agency ${String(Math.floor(row / (5 * months)) + 1).padStart(4, "0")}`,
    );
    const period = Array.from({ length: count }, (_, row) =>
        new Date(Date.UTC(2023, Math.floor(row / 5) % months, 1)).toISOString().slice(0, 10),
    );
    const rating = agency.map((_, row) => (row % 5) + 1);
    return {
        categories: [
            { role: "agency", displayName: "Agency", type: "text", values: agency },
            ...(months > 1
                ? [{ role: "period", displayName: "Month", type: "dateTime" as const, format: MONTH, values: period }]
                : []),
            { role: "rating", displayName: "Rating", type: "integer", format: "0", values: rating },
        ],
        measures: [{ role: "responses", displayName: "Responses", type: "integer", format: WHOLE, isMeasure: true }],
        values: [[agency.map(() => 1 + Math.floor(next() * 40))]],
    };
}

/**
 * The goal view with no Period: `goals` goals, one row each, across 100 teams (a large IT
 * organization's whole goal register).
 */
export function goalRegisterSynthetic(goals: number): DataViewJson {
    const shape = goalSynthetic(Math.min(goals, 300));
    const next = random(goals + 3);
    const team = Array.from({ length: goals }, (_, row) => `Team ${String((row % 100) + 1).padStart(3, "0")}`);
    const goal = Array.from({ length: goals }, (_, row) => `Goal ${String(row + 1).padStart(5, "0")}: close tickets`);
    const baseline = goal.map(() => Math.round(next() * 100));
    const target = baseline.map((value) => (next() < 0.5 ? value + 20 : Math.max(0, value - 20)));
    const actual = baseline.map((value, row) => (next() < 0.05 ? null : value + (target[row] - value) * next() * 1.2));
    const start = goal.map((_, row) => new Date(Date.UTC(2024, row % 12, 1)).toISOString().slice(0, 10));
    const due = goal.map((_, row) => new Date(Date.UTC(2025, 6 + (row % 12), 1)).toISOString().slice(0, 10));
    return {
        categories: [
            { role: "team", displayName: "Team", type: "text", values: team },
            { role: "goal", displayName: "Goal", type: "text", values: goal },
        ],
        measures: shape.measures,
        values: [[actual, target, baseline, start, due]],
    };
}

/**
 * The goal view with a date-time in the Period well: every row its own period (a measurement
 * time), three rows per goal, so there are as many distinct periods as rows.
 */
export function goalDistinctPeriodsSynthetic(rows: number): DataViewJson {
    const register = goalRegisterSynthetic(Math.ceil(rows / 3));
    const byGoal = (values: CellJson[]) => Array.from({ length: rows }, (_, row) => values[Math.floor(row / 3)]);
    const next = random(rows + 4);
    const [actual, target, baseline, start, due] = register.values[0].map(byGoal);
    return {
        categories: [
            ...register.categories.map((category) => ({ ...category, values: byGoal(category.values) })),
            {
                role: "period",
                displayName: "Measured at",
                type: "dateTime",
                format: "yyyy-mm-dd hh:nn:ss",
                values: Array.from({ length: rows }, (_, row) =>
                    new Date(Date.UTC(2025, 0, 1) + row * 61_000).toISOString(),
                ),
            },
        ],
        measures: register.measures,
        values: [
            [
                actual.map((value) => (value === null ? null : Number(value) * (0.9 + next() * 0.2))),
                target,
                baseline,
                start,
                due,
            ],
        ],
    };
}

/** The cost view shaped as a plain bar chart: one row per agency, no Service, no Period. */
export function costAgenciesSynthetic(agencies: number): DataViewJson {
    const next = random(agencies + 5);
    return {
        categories: [
            {
                role: "agency",
                displayName: "Agency",
                type: "text",
                values: Array.from(
                    { length: agencies },
                    (_, row) => `Agency ${String(row + 1).padStart(5, "0")} Board of Health`,
                ),
            },
        ],
        measures: [
            { role: "cost", displayName: "Billed Cost", type: "numeric", format: CURRENCY_WHOLE, isMeasure: true },
            { role: "users", displayName: "Average Users", type: "numeric", format: WHOLE, isMeasure: true },
        ],
        values: [
            [
                Array.from({ length: agencies }, () => cents(next() * 2_000_000)),
                Array.from({ length: agencies }, () => 50 + Math.floor(next() * 3000)),
            ],
        ],
    };
}

/**
 * The cost view with every field bound: `agencies` agencies x `services` service models x
 * `months` months (one category row per agency and month, one series per service).
 */
export function costServicesSynthetic(agencies: number, services: number, months: number): DataViewJson {
    const next = random(agencies * services * months + 6);
    const names = Array.from({ length: services }, (_, index) => `Service ${String(index + 1).padStart(2, "0")}`);
    const agency: string[] = [];
    const period: string[] = [];
    for (let a = 0; a < agencies; a++) {
        for (let m = 0; m < months; m++) {
            agency.push(`Agency ${String(a + 1).padStart(3, "0")} Department of Revenue`);
            period.push(new Date(Date.UTC(2025, m, 1)).toISOString().slice(0, 10));
        }
    }
    const users = agency.map((_, row) => 50 + Math.floor((row * 37) % 3000));
    return {
        categories: [
            { role: "agency", displayName: "Agency", type: "text", values: agency },
            { role: "period", displayName: "Month", type: "dateTime", format: MONTH, values: period },
        ],
        series: { column: { role: "service", displayName: "Service model", type: "text" }, names },
        measures: [
            { role: "cost", displayName: "Billed Cost", type: "numeric", format: CURRENCY_WHOLE, isMeasure: true },
            { role: "users", displayName: "Average Users", type: "numeric", format: WHOLE, isMeasure: true },
        ],
        values: names.map(() => [agency.map(() => (next() < 0.1 ? null : cents(next() * 20000 - 500))), users]),
    };
}
