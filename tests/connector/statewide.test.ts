/** @jest-environment node */
/**
 * The statewide figures: aggregates built at refresh that neither an agency filter nor the Agency
 * role reaches, the measures that read only them, the minimum-agencies rule, and the reference
 * measures the scorecard binds.
 */
import { DefaultSettings, TaskUtils } from "@microsoft/powerquery-parser";
import {
    ACCESS_TABLE,
    DEFAULT_MINIMUM_AGENCIES,
    RELATIONSHIPS,
    ROLES,
    TABLES,
    TableDef,
    VISUAL_BINDINGS,
} from "../../connector/src/schema";
import { buildModel } from "../../connector/src/model";
import { SourceConfig } from "../../connector/src/m";
import { modelToTmdl } from "../../connector/src/tmdl";
import { daxReferences } from "../../connector/src/dax";

const AGGREGATES = TABLES.filter((t) => t.aggregate);
const AGGREGATE_NAMES = new Set(AGGREGATES.map((t) => t.name));
/** What the statewide measures may read: the aggregates and the Ratings dimension (neither reached by Agencies). */
const STATEWIDE_TABLES = new Set([...AGGREGATE_NAMES, "Ratings"]);
const SOURCES: SourceConfig[] = [
    { kind: "csv", folder: "C:\\exports" },
    { kind: "sqlserver", server: "sql01", database: "Billing" },
    { kind: "postgres", server: "pg01", database: "billing" },
];
const measures = TABLES.flatMap((t) => t.measures);
const measure = (name: string): string => {
    const found = measures.find((m) => m.name === name);
    if (!found) throw new Error(`no measure ${name}`);
    return found.expression;
};
/** The M of a generated table's partition. */
const partitionOf = (model: ReturnType<typeof buildModel>, name: string): string =>
    (model.tables.find((t) => t.name === name) as { partition: { expression: string } }).partition.expression;
/** The table a VISUAL_BINDINGS column reference belongs to. */
const tableOf = (field: string): string => (/^'?([^'[]+)'?\[/.exec(field) as RegExpExecArray)[1];

describe("statewide aggregates", () => {
    it("are cost by month, service model and headcount; users by month; responses by month, service model and rating", () => {
        expect(AGGREGATES.map((t) => [t.name, t.aggregate?.groupBy, t.hidden, t.source])).toEqual([
            ["Statewide Cost", ["Month", "ServiceModel", "HasHeadcount"], true, null],
            ["Statewide Agency Months", ["Month", "ServiceModel", "AgencyNumber"], true, null],
            ["Statewide Headcount", ["Month"], true, null],
            ["Statewide Responses", ["Month", "ServiceModel", "Rating"], true, null],
        ]);
        const columns = (name: string): string[] =>
            (TABLES.find((t) => t.name === name) as TableDef).columns.map((c) => c.name);
        expect(columns("Statewide Cost")).toEqual(expect.arrayContaining(["BilledCost", "EffectiveCost", "Agencies"]));
        expect(columns("Statewide Headcount")).toEqual(expect.arrayContaining(["UserMonths", "Agencies"]));
        expect(columns("Statewide Responses")).toEqual(expect.arrayContaining(["Responses", "Agencies"]));
        // The agency-months hold a surrogate number and nothing else: no agency id, no cost.
        expect(columns("Statewide Agency Months")).toEqual(["Month", "ServiceModel", "AgencyNumber"]);
    });

    it("are reached by no relationship path from Agencies or the access table, but by Date and Services", () => {
        // Filters flow from a relationship's `to` table to its `from` table (one side to many side).
        const reach = (start: string): Set<string> => {
            const seen = new Set([start]);
            const queue = [start];
            while (queue.length > 0) {
                const table = queue.shift() as string;
                for (const r of RELATIONSHIPS)
                    if (r.toTable === table && !seen.has(r.fromTable)) {
                        seen.add(r.fromTable);
                        queue.push(r.fromTable);
                    }
            }
            return seen;
        };
        for (const start of ["Agencies", ACCESS_TABLE, tableOf(VISUAL_BINDINGS.agency)])
            expect([start, [...reach(start)].filter((t) => STATEWIDE_TABLES.has(t))]).toEqual([start, []]);
        // The satisfaction view's Rating comes from the Ratings dimension, which reaches the responses' aggregate.
        expect(tableOf(VISUAL_BINDINGS.rating)).toBe("Ratings");
        expect([...reach("Ratings")].filter((t) => AGGREGATE_NAMES.has(t))).toEqual(["Statewide Responses"]);
        for (const start of [tableOf(VISUAL_BINDINGS.period), tableOf(VISUAL_BINDINGS.service)])
            expect([...reach(start)].filter((t) => AGGREGATE_NAMES.has(t)).sort()).toEqual(
                start === "Date"
                    ? [...AGGREGATE_NAMES].sort()
                    : ["Statewide Agency Months", "Statewide Cost", "Statewide Responses"],
            );
        // No role filters an aggregate either.
        for (const role of ROLES)
            for (const p of role.tablePermissions) expect(AGGREGATE_NAMES.has(p.table)).toBe(false);
    });

    it.each(SOURCES.map((s) => [s.kind, s] as const))(
        "M parses and groups by the stated columns, giving the table's columns (%s)",
        async (_kind, source) => {
            const model = buildModel({ name: "Test", source });
            for (const table of AGGREGATES) {
                const m = partitionOf(model, table.name);
                const parsed = await TaskUtils.tryLexParse(DefaultSettings, m);
                expect([table.name, TaskUtils.isOk(parsed)]).toEqual([table.name, true]);
                const group = /\n {4}Grouped = Table\.Group\(\w+, \{([^}]*)\}, \{(.*)\}\)\nin\n {4}Grouped$/.exec(m);
                expect(group).not.toBeNull();
                const keys = [...(group as RegExpExecArray)[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]);
                const values = [...(group as RegExpExecArray)[2].matchAll(/\{"([^"]+)", each /g)].map((x) => x[1]);
                expect(keys).toEqual(table.aggregate?.groupBy);
                expect([...keys, ...values]).toEqual(table.columns.map((c) => c.source));
                // Read from the same sources as the input tables, never the incremental-refresh range.
                expect(m).not.toContain("RangeStart");
            }
        },
    );

    it("are written hidden, with many-to-many relationships to Services that only Services filters", () => {
        const files = modelToTmdl(buildModel({ name: "Test", source: SOURCES[0] }));
        for (const table of AGGREGATES) expect(files.get(`tables/${table.name}.tmdl`)).toMatch(/\n\tisHidden\n/);
        const relationships = files.get("relationships.tmdl") ?? "";
        expect(relationships).toContain(
            "\ttoCardinality: many\n\tfromColumn: 'Statewide Cost'.ServiceModel\n\ttoColumn: Services.ServiceModel",
        );
        expect(relationships).toContain(
            "\ttoCardinality: many\n\tfromColumn: 'Statewide Agency Months'.ServiceModel\n\ttoColumn: Services.ServiceModel",
        );
        expect(relationships).not.toContain("crossFilteringBehavior: bothDirections");
    });

    it.each(SOURCES.map((s) => [s.kind, s] as const))(
        "numbers the agencies of Statewide Agency Months in a random order, never by their ids (%s)",
        (_kind, source) => {
            const model = buildModel({ name: "Test", source });
            const m = partitionOf(model, "Statewide Agency Months");
            expect(m).toMatch(/AgencyOrder = Table\.Buffer\(Table\.Sort\(.*Number\.Random\(\).*\{"Order"\}\)\)/);
            expect(m).toContain('Table.AddIndexColumn(Table.RemoveColumns(AgencyOrder, {"Order"}), "AgencyNumber"');
            // Read from the charges as Statewide Cost reads them, so both count the same agencies.
            const cost = partitionOf(model, "Statewide Cost");
            const withModel = (text: string): string => (/\n {4}WithModel = .*\n/.exec(text) as RegExpExecArray)[0];
            expect(withModel(m)).toBe(withModel(cost));
        },
    );
});

describe("statewide measures", () => {
    const STATEWIDE = [
        "Statewide Billed Cost",
        "Statewide Effective Cost",
        "Statewide Cost per User",
        "Statewide Agencies Billed",
        "Statewide Cost per Agency",
        "Statewide Responses",
        "Statewide Average Rating",
        "Statewide Follow-up Rate",
    ];

    it.each(STATEWIDE)("%s reads only the statewide aggregates", (name) => {
        const refs = daxReferences(measure(name));
        for (const { table } of refs.columns)
            expect([name, table, STATEWIDE_TABLES.has(table)]).toEqual([name, table, true]);
        for (const table of refs.tables)
            expect([name, table, STATEWIDE_TABLES.has(table)]).toEqual([name, table, true]);
        for (const m of refs.measures) expect([name, m.startsWith("Statewide ")]).toEqual([name, true]);
    });

    it.each(["Statewide Billed Cost", "Statewide Cost per User", "Statewide Cost per Agency", "Statewide Responses"])(
        "%s is blank below the minimum agencies",
        (name) => {
            expect(measure(name)).toMatch(/^IF \(\n {4}.*Agencies.* >= \[Statewide Minimum Agencies\],/);
        },
    );

    it("cost per agency divides the statewide billed cost by the exact number of distinct agencies billed", () => {
        expect(measure("Statewide Agencies Billed")).toBe("DISTINCTCOUNT ( 'Statewide Agency Months'[AgencyNumber] )");
        expect(measures.find((m) => m.name === "Statewide Agencies Billed")?.hidden).toBe(true);
        // The minimum is checked on the distinct count itself, not a bound of it.
        expect(measure("Statewide Cost per Agency")).toBe(
            "IF (\n    [Statewide Agencies Billed] >= [Statewide Minimum Agencies],\n    DIVIDE ( SUM ( 'Statewide Cost'[BilledCost] ), [Statewide Agencies Billed] )\n)",
        );
    });

    it("cost per user divides the cost of agency-months with a headcount by the user-months, x 12", () => {
        const text = measure("Statewide Cost per User");
        expect(text).toContain("SUM ( 'Statewide Headcount'[UserMonths] )");
        expect(text).toContain("'Statewide Cost'[HasHeadcount] = TRUE ()");
        expect(text).toContain("* 12");
    });

    it("takes the minimum from the generator option (default 3), a hidden measure", () => {
        const minimum = (options: { minimumAgencies?: number }): string | undefined =>
            buildModel({ name: "Test", source: SOURCES[0], ...options })
                .tables.flatMap((t) => t.measures)
                .find((m) => m.name === "Statewide Minimum Agencies")?.expression;
        expect(DEFAULT_MINIMUM_AGENCIES).toBe(3);
        expect(minimum({})).toBe("3");
        expect(minimum({ minimumAgencies: 5 })).toBe("5");
        expect(() => minimum({ minimumAgencies: 0 })).toThrow(/1 or more/);
        expect(measures.find((m) => m.name === "Statewide Minimum Agencies")?.hidden).toBe(true);
    });

    it("the references drop the visual's own period and service groupings, keeping the page's slicers", () => {
        for (const name of [
            "Statewide Cost per User Reference",
            "Statewide Cost per Agency Reference",
            "Statewide Responses Reference",
        ]) {
            const text = measure(name);
            for (const field of [VISUAL_BINDINGS.period, VISUAL_BINDINGS.service]) {
                const table = tableOf(field);
                expect(text).toContain(`ALLSELECTED ( ${table === "Date" ? "'Date'" : table} )`);
            }
        }
        expect(measure("Statewide Cost per User Reference")).toMatch(/^CALCULATE \(\n {4}\[Statewide Cost per User\],/);
        expect(measure("Statewide Cost per Agency Reference")).toMatch(
            /^CALCULATE \(\n {4}\[Statewide Cost per Agency\],/,
        );
        // The satisfaction reference keeps the cell's rating (Ratings is not cleared): each cell carries that rating's statewide count.
        expect(measure("Statewide Responses Reference")).not.toContain("Ratings");
        expect(
            RELATIONSHIPS.filter((r) => r.toTable === "Ratings").map((r) => `${r.fromTable}[${r.fromColumn}]`),
        ).toEqual(["Survey Responses[Rating]", "Statewide Responses[Rating]"]);
    });
});
