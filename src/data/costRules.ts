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
    /** Periods with a positive headcount (of those the agency has rows in). */
    periodsWithUsers: number;
}

export interface CostSummary {
    /** Every agency's figures, by index: agencies in the order they first appear in the rows (the model's order). */
    agencies: AgencyCosts;
    /** Service names by index, for the agencies' figures per service. */
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

/** An array of zeros made at its length. */
function zeros(length: number): number[] {
    return length > 0 ? new Array<number>(length).fill(0) : [];
}

/** The agencies' indices by name. */
function indexByName(columns: CostColumns): Map<string, number> {
    const byName = new Map<string, number>();
    for (let agency = 0; agency < columns.agencies; agency++) byName.set(columns.names[agency], agency);
    return byName;
}

/** Where a column has no figure (a null userMonths, costPerUser or headcount). */
const NONE = Number.NaN;

const orNull = (value: number): number | null => (Number.isNaN(value) ? null : value);

/**
 * The running sums as columns: by agency, by agency and service (agency x services + service),
 * and by cell (an agency's figures in one period). 30,000 agencies make no object, array or map
 * each; an agency makes a map of its cells only when a second period appears.
 */
interface CostColumns {
    /** Agencies and cells so far: the arrays may be longer (made at an expected length). */
    agencies: number;
    cells: number;
    names: string[];
    rows: number[];
    cost: number[];
    coveredCost: number[];
    services: number;
    serviceCost: number[];
    serviceCoveredCost: number[];
    firstCell: number[];
    moreCells: (Map<string, number> | null)[];
    cellAgency: number[];
    cellKey: string[];
    cellCost: number[];
    cellCoveredCost: number[];
    /** The cell's headcount, NONE when none was given. */
    cellUsers: number[];
}

/**
 * Every agency's figures, read by the agency's index (agencies in the order they first appear).
 * Made by CostAccumulator.summarize().
 */
export class AgencyCosts {
    constructor(
        private readonly columns: CostColumns,
        /** Made on first use when the accumulator needed none (see CostAccumulator.agency). */
        private byName: Map<string, number> | null,
        private readonly userMonthsByAgency: Float64Array,
        private readonly periodsWithUsersByAgency: Uint32Array,
        private readonly costPerUserByAgency: Float64Array,
    ) {}

    get count(): number {
        return this.columns.agencies;
    }

    /** Names by agency index. */
    get names(): readonly string[] {
        return this.columns.names;
    }

    indexOf(name: string): number | undefined {
        this.byName ??= indexByName(this.columns);
        return this.byName.get(name);
    }

    name(agency: number): string {
        return this.columns.names[agency];
    }

    /** The first row the agency was seen on. */
    row(agency: number): number {
        return this.columns.rows[agency];
    }

    cost(agency: number): number {
        return this.columns.cost[agency];
    }

    coveredCost(agency: number): number {
        return this.columns.coveredCost[agency];
    }

    uncoveredCost(agency: number): number {
        return this.columns.cost[agency] - this.columns.coveredCost[agency];
    }

    userMonths(agency: number): number | null {
        return orNull(this.userMonthsByAgency[agency]);
    }

    costPerUser(agency: number): number | null {
        return orNull(this.costPerUserByAgency[agency]);
    }

    periodsWithUsers(agency: number): number {
        return this.periodsWithUsersByAgency[agency];
    }

    /** How many services each agency has a figure for (every service of the rows). */
    get serviceCount(): number {
        return this.columns.services;
    }

    /** The agency's cost of a service (by the accumulator's service index). */
    serviceCost(agency: number, service: number): number {
        return this.columns.serviceCost[agency * this.columns.services + service];
    }

    /** Of the agency's cost of a service, what counts toward cost per user. */
    serviceCoveredCost(agency: number, service: number): number {
        return this.columns.serviceCoveredCost[agency * this.columns.services + service];
    }

    /** The agency's figures for a period, if it has rows in it. */
    period(agency: number, key: string): PeriodFigures | undefined {
        const columns = this.columns;
        const first = columns.firstCell[agency];
        const cell = first >= 0 && columns.cellKey[first] === key ? first : (columns.moreCells[agency]?.get(key) ?? -1);
        if (cell < 0) return undefined;
        return {
            cost: columns.cellCost[cell],
            coveredCost: columns.cellCoveredCost[cell],
            users: orNull(columns.cellUsers[cell]),
        };
    }

    /** One agency's figures, by name. */
    get(name: string): AgencyCost | undefined {
        const agency = this.indexOf(name);
        if (agency === undefined) return undefined;
        return {
            name,
            row: this.row(agency),
            cost: this.cost(agency),
            coveredCost: this.coveredCost(agency),
            uncoveredCost: this.uncoveredCost(agency),
            userMonths: this.userMonths(agency),
            costPerUser: this.costPerUser(agency),
            periodsWithUsers: this.periodsWithUsers(agency),
        };
    }
}

/**
 * Adds up cost rows without allocating per row: the visual feeds it 30,000 rows x services from a
 * DataView. Agencies and periods keep the order in which they first appear. Agencies and their
 * periods are numbered (agency(), period()) and their sums kept in columns (CostColumns).
 */
export class CostAccumulator {
    /**
     * Agencies' indices by name; none while every name has come in increasing order (as Power BI
     * sends a category sorted), since each was then new: made when a name does not.
     */
    private byName: Map<string, number> | null = null;
    /** Service names by index. */
    readonly services: string[] = [];
    private readonly serviceIndex = new Map<string, number>();
    private readonly columns: CostColumns;

    /**
     * `serviceNames`: the services of the rows (repeats allowed), numbered in the order they first
     * appear. `expectedAgencies`: how many agencies (and cells) the rows likely have, when known:
     * their columns are made at that length at once, rather than grown a copy at a time.
     */
    constructor(serviceNames: readonly string[], expectedAgencies = 0) {
        for (const name of serviceNames) {
            if (this.serviceIndex.has(name)) continue;
            this.serviceIndex.set(name, this.services.length);
            this.services.push(name);
        }
        const services = this.services.length;
        const room = expectedAgencies;
        this.columns = {
            agencies: 0,
            cells: 0,
            names: new Array<string>(room),
            rows: zeros(room),
            cost: zeros(room),
            coveredCost: zeros(room),
            services,
            serviceCost: zeros(room * services),
            serviceCoveredCost: zeros(room * services),
            firstCell: zeros(room),
            moreCells: new Array<null>(room),
            cellAgency: zeros(room),
            cellKey: new Array<string>(room),
            cellCost: zeros(room),
            cellCoveredCost: zeros(room),
            cellUsers: zeros(room),
        };
    }

    /** The index of a service given to the constructor. */
    service(name: string): number {
        return this.serviceIndex.get(name) ?? 0;
    }

    /** The agency's index, numbered on first use; callers may keep it to skip the lookup. */
    agency(name: string, row = 0): number {
        const columns = this.columns;
        let agency: number | undefined;
        if (this.byName) agency = this.byName.get(name);
        else if (columns.agencies > 0 && !(name > columns.names[columns.agencies - 1])) {
            this.byName = indexByName(columns);
            agency = this.byName.get(name);
        }
        if (agency === undefined) {
            // Written by index: in the room made, or one past the end (a push).
            agency = columns.agencies++;
            columns.names[agency] = name;
            columns.rows[agency] = row;
            columns.cost[agency] = 0;
            columns.coveredCost[agency] = 0;
            for (let at = agency * columns.services; at < (agency + 1) * columns.services; at++) {
                columns.serviceCost[at] = 0;
                columns.serviceCoveredCost[at] = 0;
            }
            columns.firstCell[agency] = -1;
            columns.moreCells[agency] = null;
            this.byName?.set(name, agency);
        }
        return agency;
    }

    name(agency: number): string {
        return this.columns.names[agency];
    }

    /** The cell of the agency's figures for a period, made on first use. */
    period(agency: number, key: string): number {
        const columns = this.columns;
        const first = columns.firstCell[agency];
        if (first >= 0 && columns.cellKey[first] === key) return first;
        if (first < 0) return (columns.firstCell[agency] = this.newCell(agency, key));
        let more = columns.moreCells[agency];
        if (!more) columns.moreCells[agency] = more = new Map();
        let cell = more.get(key);
        if (cell === undefined) {
            cell = this.newCell(agency, key);
            more.set(key, cell);
        }
        return cell;
    }

    private newCell(agency: number, key: string): number {
        const columns = this.columns;
        const cell = columns.cells++;
        columns.cellAgency[cell] = agency;
        columns.cellKey[cell] = key;
        columns.cellCost[cell] = 0;
        columns.cellCoveredCost[cell] = 0;
        columns.cellUsers[cell] = NONE;
        return cell;
    }

    /** The headcount of a cell so far, or null when none was given. */
    users(cell: number): number | null {
        return orNull(this.columns.cellUsers[cell]);
    }

    /**
     * A cost cell of a service (its index from service()), for the agency's cell of its period.
     * `users` is the headcount on the cell's row: when it is not positive, all of the cost is
     * uncovered; otherwise the model's `uncovered` part (if bound) is.
     */
    addCost(
        agency: number,
        cell: number,
        service: number,
        cost: number | null,
        users: number | null,
        uncovered: number | null = null,
    ): void {
        if (!isDrawable(cost) || cost === 0) return;
        const covered = hasUsers(users) ? cost - (isDrawable(uncovered) ? uncovered : 0) : 0;
        const columns = this.columns;
        columns.cost[agency] += cost;
        columns.cellCost[cell] += cost;
        columns.cellCoveredCost[cell] += covered;
        columns.coveredCost[agency] += covered;
        const at = agency * columns.services + service;
        columns.serviceCost[at] += cost;
        columns.serviceCoveredCost[at] += covered;
    }

    /**
     * Service rows repeat the agency's headcount for the period: it is taken once (the largest
     * value, should a model send slightly different figures on different rows), never summed.
     */
    addUsers(cell: number, users: number | null): void {
        const known = this.columns.cellUsers[cell];
        if (isDrawable(users) && (Number.isNaN(known) || users > known)) this.columns.cellUsers[cell] = users;
    }

    summarize(): CostSummary {
        const columns = this.columns;
        const count = columns.agencies;
        const userMonths = new Float64Array(count).fill(NONE);
        const periodsWithUsers = new Uint32Array(count);
        // Cells in the order they were made: an agency's periods add up in the order they first appeared.
        for (let cell = 0; cell < columns.cells; cell++) {
            const users = columns.cellUsers[cell];
            if (!(users > 0)) continue;
            const agency = columns.cellAgency[cell];
            userMonths[agency] = Number.isNaN(userMonths[agency]) ? users : userMonths[agency] + users;
            periodsWithUsers[agency]++;
        }
        const costPerUserByAgency = new Float64Array(count);
        const statewide: CostFigures = {
            cost: 0,
            coveredCost: 0,
            uncoveredCost: 0,
            userMonths: null,
            costPerUser: null,
        };
        for (let agency = 0; agency < count; agency++) {
            const months = orNull(userMonths[agency]);
            costPerUserByAgency[agency] = costPerUser(columns.coveredCost[agency], months) ?? NONE;
            statewide.cost += columns.cost[agency];
            statewide.coveredCost += columns.coveredCost[agency];
            if (months !== null) statewide.userMonths = (statewide.userMonths ?? 0) + months;
        }
        statewide.uncoveredCost = statewide.cost - statewide.coveredCost;
        statewide.costPerUser = costPerUser(statewide.coveredCost, statewide.userMonths);
        return {
            agencies: new AgencyCosts(columns, this.byName, userMonths, periodsWithUsers, costPerUserByAgency),
            services: this.services,
            statewide,
        };
    }
}

/** Rows of one agency and period may come in any order; each row's own headcount decides its cost. */
export function summarizeCost(rows: Iterable<CostRow>): CostSummary {
    const listed = [...rows];
    const accumulator = new CostAccumulator(listed.map((row) => row.service));
    for (const row of listed) {
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
