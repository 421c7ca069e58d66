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
 *   blank (null), never Infinity; so does a headcount too small to divide by (drawable.ts).
 * - Costs and headcounts too large to draw (drawable.ts) are left out of every sum, so no sum
 *   overflows.
 */
import { drawableRatio, isDrawable } from "./drawable";

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

/** Cost over users, or null when there is no positive headcount, or one too small to divide by. */
export function costPerUser(cost: number, users: number | null): number | null {
    return users !== null && users > 0 ? drawableRatio(cost, users) : null;
}

function mean(values: number[]): number | null {
    if (values.length === 0) return null;
    let total = 0;
    for (const value of values) total += value;
    return total / values.length;
}

/**
 * Adds up cost rows without allocating per row: the visual feeds it 30,000 rows x services from a
 * DataView, the connector feeds it invoice lines through summarizeCost. Agencies and periods keep
 * the order in which they first appear.
 */
export class CostAccumulator {
    private readonly agencies = new Map<string, AgencyCost>();
    private totalCost = 0;

    /** The agency's running figures, created on first use; callers may keep it to skip the lookup. */
    agency(name: string): AgencyCost {
        let agency = this.agencies.get(name);
        if (!agency) {
            agency = {
                name,
                cost: 0,
                averageUsers: null,
                costPerUser: null,
                serviceCost: new Map(),
                periods: new Map(),
            };
            this.agencies.set(name, agency);
        }
        return agency;
    }

    /** The agency's figures for a period, created on first use. */
    period(agency: AgencyCost, key: string): PeriodFigures {
        let period = agency.periods.get(key);
        if (!period) {
            period = { cost: 0, users: null };
            agency.periods.set(key, period);
        }
        return period;
    }

    addCost(agency: AgencyCost, period: PeriodFigures, service: string, cost: number | null): void {
        if (!isDrawable(cost) || cost === 0) {
            if (!agency.serviceCost.has(service)) agency.serviceCost.set(service, 0);
            return;
        }
        agency.cost += cost;
        period.cost += cost;
        this.totalCost += cost;
        agency.serviceCost.set(service, (agency.serviceCost.get(service) ?? 0) + cost);
    }

    /**
     * Service rows repeat the agency's headcount for the period: it is taken once (the largest
     * value, should a model send slightly different figures on different rows), never summed.
     */
    addUsers(period: PeriodFigures, users: number | null): void {
        if (isDrawable(users) && (period.users === null || users > period.users)) period.users = users;
    }

    summarize(): CostSummary {
        const usersByPeriod = new Map<string, number>();
        for (const agency of this.agencies.values()) {
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
            agencies: this.agencies,
            statewide: {
                cost: this.totalCost,
                averageUsers: statewideUsers,
                costPerUser: costPerUser(this.totalCost, statewideUsers),
            },
        };
    }
}

export function summarizeCost(rows: Iterable<CostRow>): CostSummary {
    const accumulator = new CostAccumulator();
    for (const row of rows) {
        const agency = accumulator.agency(row.agency);
        const period = accumulator.period(agency, row.period);
        accumulator.addCost(agency, period, row.service, row.cost);
        accumulator.addUsers(period, row.users);
    }
    return accumulator.summarize();
}
