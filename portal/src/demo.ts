/**
 * The local demo's data: the sample report's cost view (the DataView the browser tests and the
 * preview send the packaged visual), cut to the agencies the access table gives the picked
 * user, as the model's Agency role cuts it. The statewide cost per user comes from the
 * connector's reference computation over every agency of the sample, bound as the visual's
 * `reference` measure, so the Statewide line is the same for every user.
 */
import { computeReference } from "../../connector/src/reference";
import { TABLES } from "../../connector/src/schema";
import { costSample, latestFiscalYear } from "../../tests/browser/harness/sampleData";
import type { DataViewJson } from "../../tests/browser/harness/types";
import type { AccessTable, Agency } from "./access";

// The measure the sample report binds to the scorecard's Reference well: its name and format string.
const STATEWIDE = TABLES.flatMap((table) => table.measures).find(
    (measure) => measure.name === "Statewide Cost per User Reference",
)!;

export interface DemoView {
    user: string;
    agencies: Agency[];
    /** The latest month with charges (yyyy-mm), the sample's "data as of". */
    dataAsOf: string;
    fiscalYear: string;
    statewideCostPerUser: number | null;
    dataView: DataViewJson;
}

export function statewideCostPerUser(folder: string): { fiscalYear: string; costPerUser: number | null } {
    const figures = computeReference(folder, new Date().toISOString().slice(0, 10));
    return { fiscalYear: figures.costPerUser.fiscalYear, costPerUser: figures.costPerUser.statewide.costPerUser };
}

/** Rows of the sample's cost DataView for the given agency names, with the statewide reference bound. */
export function agencyCostView(agencyNames: string[], statewide: number | null): DataViewJson {
    const all = costSample();
    const keep = new Set(agencyNames);
    const rows = all.categories[0].values
        .map((name, index) => (keep.has(String(name)) ? index : -1))
        .filter((i) => i >= 0);
    const pick = <T>(values: T[]) => rows.map((index) => values[index]);
    return {
        ...all,
        categories: all.categories.map((category) => ({ ...category, values: pick(category.values) })),
        measures: [
            ...all.measures,
            {
                role: "reference",
                displayName: STATEWIDE.name,
                type: "numeric",
                format: STATEWIDE.formatString,
                isMeasure: true,
            },
        ],
        values: all.values.map((series) => [...series.map(pick), rows.map(() => statewide)]),
    };
}

export class Demo {
    private readonly statewide: { fiscalYear: string; costPerUser: number | null };
    private readonly asOf: string;

    constructor(
        folder: string,
        private readonly access: AccessTable,
    ) {
        this.statewide = statewideCostPerUser(folder);
        const year = latestFiscalYear();
        const months = costSample({ period: true })
            .categories.find((category) => category.role === "period")!
            .values.map(String)
            .sort();
        this.asOf = months.length > 0 ? months[months.length - 1].slice(0, 7) : String(year);
    }

    users(): Promise<string[]> {
        return this.access.users();
    }

    /** The view of one user; null for a user the access table does not list. */
    async view(user: string): Promise<DemoView | null> {
        const agencies = await this.access.agenciesOf(user);
        if (agencies.length === 0) return null;
        return {
            user,
            agencies,
            dataAsOf: this.asOf,
            fiscalYear: this.statewide.fiscalYear,
            statewideCostPerUser: this.statewide.costPerUser,
            dataView: agencyCostView(
                agencies.map((agency) => agency.name),
                this.statewide.costPerUser,
            ),
        };
    }
}
