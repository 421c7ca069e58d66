/**
 * The arithmetic of IT cost for the visual's data layer. Pure: no DOM, no Power BI types. The
 * rules themselves are stated once in rules.ts (COST_RULES); the model's DAX derives from the
 * same constants, and the connector's reference figures are computed independently.
 *
 * - Users are a per-agency, per-period headcount (user-months of the period). Rows of the same
 *   agency and period (one per service) repeat it: it is taken once (the largest), never summed
 *   across services.
 * - User-months add up across periods and agencies.
 * - Cost per user = cost of the periods with a positive headcount / user-months x 12. Cost of
 *   periods without one is kept apart (uncoveredCost) and shown, never silently divided.
 * - Statewide: the same sums over every agency, never the mean of the agencies' ratios.
 * - Credits are negative costs and net out. Zero, negative or missing users leave cost per user
 *   blank (null), never Infinity; so does a headcount too small to divide by (drawable.ts).
 * - Costs and headcounts too large to draw (drawable.ts) are left out of every sum, so no sum
 *   overflows.
 */
import { drawableRatio, isDrawable } from "./drawable";
import { MONTHS_PER_YEAR } from "./rules";

export interface CostRow {
    agency: string;
    /** Period key ("" when no period is bound). */
    period: string;
    service: string;
    cost: number | null;
    /** The agency's user-months in the period (its headcount, for a month). */
    users: number | null;
    /** Of the cost, what falls in months without a headcount (the model's measure), when known. */
    uncoveredCost?: number | null;
}

export interface PeriodFigures {
    cost: number;
    /** Cost that counts toward cost per user (the period has a positive headcount). */
    coveredCost: number;
    /** The headcount (user-months) of the period, or null when none was given. */
    users: number | null;
}

export interface CostFigures {
    cost: number;
    /** Cost of the months with a headcount: the numerator of cost per user. */
    coveredCost: number;
    /** Cost of the months without a headcount, left out of cost per user. */
    uncoveredCost: number;
    userMonths: number | null;
    /** Annualised: coveredCost / userMonths x 12. */
    costPerUser: number | null;
}

export interface AgencyCost extends CostFigures {
    name: string;
    /** The first row the agency was seen on (the caller's row number). */
    row: number;
    /** Cost per service, by the accumulator's service index (services in the order they first appear). */
    serviceCost: number[];
    /** Of each service's cost, what counts toward cost per user, by service index. */
    serviceCoveredCost: number[];
    /** Periods with a positive headcount (of those the agency has rows in). */
    periodsWithUsers: number;
    /** The first period's key and figures: most agencies have one period, or rows of one period in a run. */
    firstPeriodKey: string;
    firstPeriod: PeriodFigures | null;
    /** Every further period, made when a second one appears. */
    morePeriods: Map<string, PeriodFigures> | null;
}

export interface CostSummary {
    /** Agencies in the order they first appear in the rows (the model's order). */
    agencies: Map<string, AgencyCost>;
    /** The agencies in the same order, as a list. */
    ordered: readonly AgencyCost[];
    /** Service names by index, for the agencies' serviceCost. */
    services: readonly string[];
    statewide: CostFigures;
}

export function isFiniteNumber(value: unknown): value is number {
    return typeof value === "number" && Number.isFinite(value);
}

const hasUsers = (users: number | null): users is number => users !== null && users > 0;

/** Annualised cost per user, or null without positive user-months (or ones too small to divide by). */
export function costPerUser(coveredCost: number, userMonths: number | null): number | null {
    if (!hasUsers(userMonths)) return null;
    const perUserMonth = drawableRatio(coveredCost, userMonths);
    return perUserMonth === null ? null : drawableRatio(perUserMonth * MONTHS_PER_YEAR, 1);
}

/**
 * Adds up cost rows without allocating per row: the visual feeds it 30,000 rows x services from a
 * DataView. Agencies and periods keep the order in which they first appear; services are numbered
 * (service()) so an agency's figures per service are arrays, not maps: 30,000 agencies make no
 * map each.
 */
export class CostAccumulator {
    private readonly agencies = new Map<string, AgencyCost>();
    /** The same agencies in order, iterated without a map iterator's result object per agency. */
    private readonly ordered: AgencyCost[] = [];
    /** Service names by index. */
    readonly services: string[] = [];
    private readonly serviceIndex = new Map<string, number>();

    /** `expectedServices`: how many services the rows have, when known, so agencies' arrays are made at their size. */
    constructor(private readonly expectedServices = 0) {}

    /** The index of a service, numbered on first use. */
    service(name: string): number {
        let index = this.serviceIndex.get(name);
        if (index === undefined) {
            index = this.services.length;
            this.services.push(name);
            this.serviceIndex.set(name, index);
        }
        return index;
    }

    /** The agency's running figures, created on first use; callers may keep it to skip the lookup. */
    agency(name: string, row = 0): AgencyCost {
        let agency = this.agencies.get(name);
        if (!agency) {
            agency = {
                name,
                row,
                cost: 0,
                coveredCost: 0,
                uncoveredCost: 0,
                userMonths: null,
                costPerUser: null,
                serviceCost: zeros(this.expectedServices),
                serviceCoveredCost: zeros(this.expectedServices),
                periodsWithUsers: 0,
                firstPeriodKey: "",
                firstPeriod: null,
                morePeriods: null,
            };
            this.agencies.set(name, agency);
            this.ordered.push(agency);
        }
        return agency;
    }

    /** The agency's figures for a period, created on first use. */
    period(agency: AgencyCost, key: string): PeriodFigures {
        if (agency.firstPeriod && agency.firstPeriodKey === key) return agency.firstPeriod;
        if (!agency.firstPeriod) {
            agency.firstPeriodKey = key;
            return (agency.firstPeriod = { cost: 0, coveredCost: 0, users: null });
        }
        agency.morePeriods ??= new Map();
        let period = agency.morePeriods.get(key);
        if (!period) {
            period = { cost: 0, coveredCost: 0, users: null };
            agency.morePeriods.set(key, period);
        }
        return period;
    }

    /**
     * A cost cell of a service (its index from service()). `users` is the headcount on the cell's
     * row: when it is not positive, all of the cost is uncovered; otherwise the model's `uncovered`
     * part (if bound) is.
     */
    addCost(
        agency: AgencyCost,
        period: PeriodFigures,
        service: number,
        cost: number | null,
        users: number | null,
        uncovered: number | null = null,
    ): void {
        // Services the agency has a row for are listed, with or without a cost.
        while (agency.serviceCost.length <= service) {
            agency.serviceCost.push(0);
            agency.serviceCoveredCost.push(0);
        }
        if (!isDrawable(cost) || cost === 0) return;
        const covered = hasUsers(users) ? cost - (isDrawable(uncovered) ? uncovered : 0) : 0;
        agency.cost += cost;
        period.cost += cost;
        period.coveredCost += covered;
        agency.coveredCost += covered;
        agency.serviceCost[service] += cost;
        agency.serviceCoveredCost[service] += covered;
    }

    /**
     * Service rows repeat the agency's headcount for the period: it is taken once (the largest
     * value, should a model send slightly different figures on different rows), never summed.
     */
    addUsers(period: PeriodFigures, users: number | null): void {
        if (isDrawable(users) && (period.users === null || users > period.users)) period.users = users;
    }

    summarize(): CostSummary {
        const statewide: CostFigures = {
            cost: 0,
            coveredCost: 0,
            uncoveredCost: 0,
            userMonths: null,
            costPerUser: null,
        };
        for (const agency of this.ordered) {
            let userMonths: number | null = null;
            agency.periodsWithUsers = 0;
            const first = agency.firstPeriod;
            if (first && hasUsers(first.users)) {
                userMonths = first.users;
                agency.periodsWithUsers = 1;
            }
            if (agency.morePeriods)
                for (const period of agency.morePeriods.values()) {
                    if (!hasUsers(period.users)) continue;
                    userMonths = (userMonths ?? 0) + period.users;
                    agency.periodsWithUsers++;
                }
            agency.userMonths = userMonths;
            agency.uncoveredCost = agency.cost - agency.coveredCost;
            agency.costPerUser = costPerUser(agency.coveredCost, userMonths);
            statewide.cost += agency.cost;
            statewide.coveredCost += agency.coveredCost;
            if (userMonths !== null) statewide.userMonths = (statewide.userMonths ?? 0) + userMonths;
        }
        statewide.uncoveredCost = statewide.cost - statewide.coveredCost;
        statewide.costPerUser = costPerUser(statewide.coveredCost, statewide.userMonths);
        return { agencies: this.agencies, ordered: this.ordered, services: this.services, statewide };
    }
}

/** An array of zeros made at its size (a pushed array reserves room for 16 more). */
function zeros(length: number): number[] {
    const array = new Array<number>(length);
    for (let index = 0; index < length; index++) array[index] = 0;
    return array;
}

/** An agency's figures for a period, if it has rows in it. */
export function periodFigures(agency: AgencyCost, key: string): PeriodFigures | undefined {
    if (agency.firstPeriod && agency.firstPeriodKey === key) return agency.firstPeriod;
    return agency.morePeriods?.get(key);
}

/** Rows of one agency and period may come in any order; each row's own headcount decides its cost. */
export function summarizeCost(rows: Iterable<CostRow>): CostSummary {
    const accumulator = new CostAccumulator();
    for (const row of rows) {
        const agency = accumulator.agency(row.agency);
        const period = accumulator.period(agency, row.period);
        accumulator.addUsers(period, row.users);
        accumulator.addCost(
            agency,
            period,
            accumulator.service(row.service),
            row.cost,
            row.users,
            row.uncoveredCost ?? null,
        );
    }
    return accumulator.summarize();
}
