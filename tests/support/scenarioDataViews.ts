/**
 * The rows Power BI would send the visual for a scenario folder (tests/fixtures/scenarios/): what
 * the generated measures return at each cell, written out for the tests (no DAX runs here):
 * [Billed Cost] summed, [User Months] the largest headcount of the agency in the month (summed
 * over the fiscal year's months when Period is not bound), [Cost without Headcount] the cost of
 * agency-months without a positive headcount; the goal measures one goal at a time.
 */
import * as path from "node:path";
import { readCsv } from "../../connector/src/reference";
import type { CostFact } from "./dataViews";
import type { GoalFact } from "./goalDataViews";

const fiscalYear = (iso: string): number => Number(iso.slice(0, 4)) + (Number(iso.slice(5, 7)) >= 7 ? 1 : 0);

export function scenarioCostFacts(
    folder: string,
    year: number,
    agencies: readonly string[] | undefined,
    periodBound: boolean,
): CostFact[] {
    const read = (table: string) => readCsv(path.join(folder, `${table}.csv`));
    const shown = (id: string) => !agencies || agencies.includes(id);
    const names = new Map(read("agencies").map((a) => [a.SubAccountId, a.SubAccountName]));
    const models = new Map(read("services").map((s) => [s.ServiceName, s.x_ServiceModel]));
    const monthUsers = new Map<string, number>(); // "agency|yyyy-mm" -> the largest snapshot
    for (const h of read("headcount")) {
        if (!shown(h.SubAccountId) || fiscalYear(h.x_Month) !== year) continue;
        const key = `${h.SubAccountId}|${h.x_Month.slice(0, 7)}`;
        monthUsers.set(key, Math.max(monthUsers.get(key) ?? 0, Number(h.x_Users)));
    }
    const yearUsers = new Map<string, number>();
    for (const [key, users] of monthUsers) {
        const agency = key.split("|")[0];
        yearUsers.set(agency, (yearUsers.get(agency) ?? 0) + users);
    }
    return read("charges")
        .filter((c) => shown(c.SubAccountId) && fiscalYear(c.ChargePeriodStart) === year)
        .map((c) => {
            const month = c.ChargePeriodStart.slice(0, 7);
            const users = monthUsers.get(`${c.SubAccountId}|${month}`) ?? null;
            const cost = Number(c.BilledCost);
            return {
                agency: names.get(c.SubAccountId) ?? c.SubAccountId,
                service: models.get(c.ServiceName) ?? null,
                period: new Date(`${month}-01T00:00:00Z`),
                cost,
                users: periodBound ? users : (yearUsers.get(c.SubAccountId) ?? null),
                uncoveredCost: users !== null && users > 0 ? 0 : cost,
            };
        });
}

export function scenarioGoalFacts(folder: string, asOf: string): GoalFact[] {
    const read = (table: string) => readCsv(path.join(folder, `${table}.csv`));
    const teams = new Map(read("teams").map((t) => [t.x_TeamId, t.x_TeamName]));
    const measurements = read("goal_measurements");
    return read("goals").map((g) => {
        const latest = measurements
            .filter((m) => m.x_GoalId === g.x_GoalId && m.x_MeasuredOn <= asOf)
            .sort((a, b) => (a.x_MeasuredOn < b.x_MeasuredOn ? 1 : -1))[0];
        return {
            team: teams.get(g.x_TeamId) ?? null,
            goal: g.x_GoalName,
            actual: latest ? Number(latest.x_Value) : null,
            target: Number(g.x_Target),
            baseline: Number(g.x_Baseline),
            start: g.x_StartDate || null,
            due: g.x_DueDate || null,
            direction: g.x_Direction || null,
            asOf,
        };
    });
}
