/**
 * The arithmetic of IT cost, in one place, shared by the visual's data layer and the connector's
 * reference figures. Pure: no DOM, no Power BI types.
 *
 * Rules (the README states them for users):
 * - Users are a per-agency, per-period headcount. Rows of the same agency and period (one per
 *   service) repeat that headcount: it is taken once, never summed across services.
 * - Across periods users are averaged: a year's cost per user is the year's cost over the average
 *   monthly users. Periods without a headcount are left out of the average.
 * - Statewide: total cost over total users, where total users is the average across periods of
 *   the sum across agencies (the same as the model's Average Users measure), never the mean of
 *   the agencies' ratios.
 * - Credits are negative costs and net out. Zero, negative or missing users leave cost per user
 *   blank (null), never Infinity.
 */

export interface CostRow {
    agency: string;
    /** Period key ("" when no period is bound). */
    period: string;
    service: string;
    cost: number | null;
    users: number | null;
}

export interface PeriodFigures {
    cost: number;
    /** The headcount of the period, or null when none was given. */
    users: number | null;
}

export interface CostFigures {
    cost: number;
    averageUsers: number | null;
    costPerUser: number | null;
}

export interface AgencyCost extends CostFigures {
    name: string;
    /** Cost per service, in the order services first appear. */
    serviceCost: Map<string, number>;
    /** Figures per period, in the order periods first appear. */
    periods: Map<string, PeriodFigures>;
}

export interface CostSummary {
    /** Agencies in the order they first appear in the rows (the model's order). */
    agencies: Map<string, AgencyCost>;
    statewide: CostFigures;
}

export function isFiniteNumber(value: unknown): value is number {
    return typeof value === "number" && Number.isFinite(value);
}

/** Cost over users, or null when there is no positive headcount to divide by. */
export function costPerUser(cost: number, users: number | null): number | null {
    return users !== null && users > 0 ? cost / users : null;
}

function mean(values: number[]): number | null {
    if (values.length === 0) return null;
    let total = 0;
    for (const value of values) total += value;
    return total / values.length;
}

export function summarizeCost(rows: Iterable<CostRow>): CostSummary {
    const agencies = new Map<string, AgencyCost>();
    let totalCost = 0;

    for (const row of rows) {
        let agency = agencies.get(row.agency);
        if (!agency) {
            agency = { name: row.agency, cost: 0, averageUsers: null, costPerUser: null, serviceCost: new Map(), periods: new Map() };
            agencies.set(row.agency, agency);
        }
        let period = agency.periods.get(row.period);
        if (!period) {
            period = { cost: 0, users: null };
            agency.periods.set(row.period, period);
        }
        const cost = isFiniteNumber(row.cost) ? row.cost : 0;
        agency.cost += cost;
        period.cost += cost;
        totalCost += cost;
        agency.serviceCost.set(row.service, (agency.serviceCost.get(row.service) ?? 0) + cost);
        // Service rows repeat the agency's headcount for the period: take it once (the largest
        // value, should a model send slightly different figures on different rows).
        if (isFiniteNumber(row.users) && (period.users === null || row.users > period.users)) {
            period.users = row.users;
        }
    }

    const usersByPeriod = new Map<string, number>();
    for (const agency of agencies.values()) {
        const headcounts: number[] = [];
        for (const [key, period] of agency.periods) {
            if (period.users === null) continue;
            headcounts.push(period.users);
            usersByPeriod.set(key, (usersByPeriod.get(key) ?? 0) + period.users);
        }
        agency.averageUsers = mean(headcounts);
        agency.costPerUser = costPerUser(agency.cost, agency.averageUsers);
    }

    const statewideUsers = mean([...usersByPeriod.values()]);
    return {
        agencies,
        statewide: { cost: totalCost, averageUsers: statewideUsers, costPerUser: costPerUser(totalCost, statewideUsers) },
    };
}
