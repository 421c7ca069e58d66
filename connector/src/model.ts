/**
 * The semantic model as plain data, built from the schema and the chosen source: what both the
 * TMDL and the TMSL (model.bim) writers render, so the two formats cannot drift apart.
 */
import { createHash } from "node:crypto";
import {
    ColumnKind,
    DEFAULT_MINIMUM_AGENCIES,
    RELATIONSHIPS,
    ROLES,
    SummarizeBy,
    TABLES,
    DEFAULT_FISCAL_YEAR_START_MONTH,
} from "./schema";
import { Mapping, DEFAULT_MAPPING } from "./mapping";
import {
    SourceConfig,
    ParameterDef,
    parameters,
    tablePartition,
    datePartition,
    aggregatePartition,
    modelParametersPartition,
    constantPartition,
} from "./m";
import { MODEL_PARAMETERS_TABLE } from "./schemaFollowUps";

/** How the model holds a table: loaded (import), queried live (directQuery), or both (dual). */
export type PartitionMode = "import" | "directQuery" | "dual";
/** The model's storage for database sources: import (default) or DirectQuery for the fact tables. */
export type StorageMode = "import" | "directquery";
export type Granularity = "day" | "month" | "quarter" | "year";

export interface Period {
    periods: number;
    granularity: Granularity;
}

/** Incremental refresh of the charges table (import from a database). */
export interface IncrementalRefresh {
    /** How much history the model keeps, e.g. 5 years. */
    rollingWindow: Period;
    /** The recent periods refreshed every time, e.g. 3 months (late invoice lines and credits). */
    incrementalPeriod: Period;
    /** What Power BI Desktop loads (RangeStart inclusive, RangeEnd exclusive), yyyy-MM-dd. */
    rangeStart: string;
    rangeEnd: string;
}

export const DEFAULT_INCREMENTAL_REFRESH: IncrementalRefresh = {
    rollingWindow: { periods: 5, granularity: "year" },
    incrementalPeriod: { periods: 3, granularity: "month" },
    rangeStart: "2025-06-01",
    rangeEnd: "2025-07-01",
};

/** Tables of events (large, growing): DirectQuery in directquery mode; the others, dimensions, are dual. */
export const FACT_TABLES: readonly string[] = [
    "Charges",
    "Headcount",
    "Goal Measurements",
    "Survey Responses",
    "Follow-ups",
    "Goal Check-ins",
];
/** The table incremental refresh applies to, and its date column (an input column). */
export const INCREMENTAL_TABLE = { table: "Charges", column: "ChargePeriodStart" } as const;

export interface ModelRefreshPolicy extends IncrementalRefresh {
    /** The partition's M with the RangeStart/RangeEnd filter: Power BI makes each partition from it. */
    sourceExpression: string;
}

export type DataType = "string" | "int64" | "double" | "decimal" | "dateTime" | "boolean";

export const DATA_TYPES: Record<ColumnKind, DataType> = {
    text: "string",
    int: "int64",
    number: "double",
    currency: "decimal",
    date: "dateTime",
    boolean: "boolean",
};

export interface ModelColumn {
    name: string;
    dataType: DataType;
    sourceColumn: string;
    summarizeBy: SummarizeBy;
    lineageTag: string;
    description: string;
    isHidden: boolean;
    isKey: boolean;
    formatString?: string;
    sortByColumn?: string;
}

export interface ModelMeasure {
    name: string;
    expression: string;
    formatString: string;
    /** A dynamic format string's DAX (formatStringDefinition), when the format varies per goal. */
    formatStringExpression?: string;
    description: string;
    displayFolder: string;
    lineageTag: string;
    isHidden: boolean;
}

export interface ModelTable {
    name: string;
    description: string;
    lineageTag: string;
    dataCategory?: string;
    isHidden: boolean;
    columns: ModelColumn[];
    measures: ModelMeasure[];
    partition: { name: string; expression: string; mode: PartitionMode };
    refreshPolicy?: ModelRefreshPolicy;
}

export interface ModelRelationship {
    name: string;
    fromTable: string;
    fromColumn: string;
    toTable: string;
    toColumn: string;
    /** "many" for a many-to-many relationship (filters still flow from `to` to `from` only). */
    toCardinality: "one" | "many";
}

export interface ModelRole {
    name: string;
    description: string;
    modelPermission: "read";
    tablePermissions: Array<{ table: string; filterExpression: string }>;
}

export interface ModelExpression extends ParameterDef {
    lineageTag: string;
}

export interface SemanticModel {
    name: string;
    culture: string;
    tables: ModelTable[];
    relationships: ModelRelationship[];
    expressions: ModelExpression[];
    roles: ModelRole[];
}

export interface ModelOptions {
    name: string;
    source: SourceConfig;
    mapping?: Mapping;
    fiscalYearStartMonth?: number;
    /** Database sources only: import (default) or directquery. */
    mode?: StorageMode;
    /** Database sources in import mode: incremental refresh of the charges table (null: full refresh). */
    incrementalRefresh?: IncrementalRefresh | null;
    /** No statewide figure is built from fewer agencies (default 3). */
    minimumAgencies?: number;
}

/** A UUID-shaped id derived from an object's path, so regenerating gives the same lineage tags. */
export function stableId(path: string): string {
    const hex = createHash("sha256").update(path, "utf8").digest("hex");
    // Version 5 / RFC 4122 variant bits, so tools that check UUID shape accept it.
    const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function buildModel(options: ModelOptions): SemanticModel {
    const mapping = options.mapping ?? DEFAULT_MAPPING;
    const database = options.source.kind !== "csv";
    const mode = options.mode ?? "import";
    if (!database && mode !== "import") throw new Error("DirectQuery needs a database source");
    const incremental = database && mode === "import" ? (options.incrementalRefresh ?? null) : null;
    if (options.incrementalRefresh && !incremental)
        throw new Error("Incremental refresh needs a database source in import mode");
    const partitionOf = (
        table: (typeof TABLES)[number],
    ): ModelTable["partition"] & { refreshPolicy?: ModelRefreshPolicy } => {
        if (table.constantRows) return { name: table.name, mode: "import", expression: constantPartition(table) };
        if (table.aggregate)
            return { name: table.name, mode: "import", expression: aggregatePartition(table, options.source, mapping) };
        if (table.name === MODEL_PARAMETERS_TABLE.name)
            return { name: table.name, mode: "import", expression: modelParametersPartition() };
        if (table.source === null)
            return {
                name: table.name,
                mode: "import",
                expression: datePartition(mapping.culture, database ? { source: options.source, mapping } : null),
            };
        if (mode === "directquery") {
            const partitionMode: PartitionMode = FACT_TABLES.includes(table.name) ? "directQuery" : "dual";
            return {
                name: table.name,
                mode: partitionMode,
                expression: tablePartition(table, options.source, mapping, { foldOnly: true }),
            };
        }
        if (incremental && table.name === INCREMENTAL_TABLE.table) {
            const expression = tablePartition(table, options.source, mapping, {
                rangeFilter: INCREMENTAL_TABLE.column,
            });
            return {
                name: table.name,
                mode: "import",
                expression,
                refreshPolicy: { ...incremental, sourceExpression: expression },
            };
        }
        return { name: table.name, mode: "import", expression: tablePartition(table, options.source, mapping) };
    };
    const minimumAgencies = options.minimumAgencies ?? DEFAULT_MINIMUM_AGENCIES;
    if (!Number.isInteger(minimumAgencies) || minimumAgencies < 1)
        throw new Error(`The minimum number of agencies must be a whole number of 1 or more, not ${minimumAgencies}`);
    const tables: ModelTable[] = TABLES.map((table) => ({
        name: table.name,
        description: table.description,
        lineageTag: stableId(`table/${table.name}`),
        dataCategory: table.dataCategory,
        isHidden: table.hidden === true,
        columns: table.columns.map((column) => ({
            name: column.name,
            dataType: DATA_TYPES[column.kind],
            sourceColumn: column.source,
            summarizeBy: column.summarizeBy ?? "default",
            lineageTag: stableId(`table/${table.name}/column/${column.name}`),
            description: column.description,
            isHidden: column.hidden === true,
            isKey: column.key === true,
            formatString: column.formatString,
            sortByColumn: column.sortByColumn,
        })),
        measures: table.measures.map(({ hidden, ...measure }) => ({
            ...measure,
            expression: measure.name === "Statewide Minimum Agencies" ? String(minimumAgencies) : measure.expression,
            isHidden: hidden === true,
            lineageTag: stableId(`table/${table.name}/measure/${measure.name}`),
        })),
        ...(() => {
            const { refreshPolicy, ...partition } = partitionOf(table);
            return refreshPolicy ? { partition, refreshPolicy } : { partition };
        })(),
    }));
    const relationships = RELATIONSHIPS.map(({ manyToMany, ...r }) => ({
        ...r,
        toCardinality: manyToMany ? ("many" as const) : ("one" as const),
        name: stableId(`relationship/${r.fromTable}/${r.fromColumn}/${r.toTable}/${r.toColumn}`),
    }));
    const expressions = parameters(
        options.source,
        options.fiscalYearStartMonth ?? DEFAULT_FISCAL_YEAR_START_MONTH,
        incremental,
    ).map((p) => ({ ...p, lineageTag: stableId(`expression/${p.name}`) }));
    const roles: ModelRole[] = ROLES.map((role) => ({
        name: role.name,
        description: role.description,
        modelPermission: "read",
        tablePermissions: role.tablePermissions.map((p) => ({ table: p.table, filterExpression: p.filter })),
    }));
    return { name: options.name, culture: mapping.culture, tables, relationships, expressions, roles };
}
