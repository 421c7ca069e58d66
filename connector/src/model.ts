/**
 * The semantic model as plain data, built from the schema and the chosen source: what both the
 * TMDL and the TMSL (model.bim) writers render, so the two formats cannot drift apart.
 */
import { createHash } from "node:crypto";
import { ColumnKind, RELATIONSHIPS, SummarizeBy, TABLES, DEFAULT_FISCAL_YEAR_START_MONTH } from "./schema";
import { Mapping, DEFAULT_MAPPING } from "./mapping";
import { SourceConfig, ParameterDef, parameters, tablePartition, datePartition } from "./m";

export type DataType = "string" | "int64" | "double" | "decimal" | "dateTime" | "boolean";

export const DATA_TYPES: Record<ColumnKind, DataType> = {
    text: "string", int: "int64", number: "double", currency: "decimal", date: "dateTime", boolean: "boolean",
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
    description: string;
    displayFolder: string;
    lineageTag: string;
}

export interface ModelTable {
    name: string;
    description: string;
    lineageTag: string;
    dataCategory?: string;
    columns: ModelColumn[];
    measures: ModelMeasure[];
    partition: { name: string; expression: string };
}

export interface ModelRelationship {
    name: string;
    fromTable: string;
    fromColumn: string;
    toTable: string;
    toColumn: string;
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
}

export interface ModelOptions {
    name: string;
    source: SourceConfig;
    mapping?: Mapping;
    fiscalYearStartMonth?: number;
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
    const tables: ModelTable[] = TABLES.map((table) => ({
        name: table.name,
        description: table.description,
        lineageTag: stableId(`table/${table.name}`),
        dataCategory: table.dataCategory,
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
        measures: table.measures.map((measure) => ({
            ...measure,
            lineageTag: stableId(`table/${table.name}/measure/${measure.name}`),
        })),
        partition: {
            name: table.name,
            expression: table.source === null ? datePartition(mapping.culture) : tablePartition(table, options.source, mapping),
        },
    }));
    const relationships = RELATIONSHIPS.map((r) => ({
        ...r,
        name: stableId(`relationship/${r.fromTable}/${r.fromColumn}/${r.toTable}/${r.toColumn}`),
    }));
    const expressions = parameters(options.source, options.fiscalYearStartMonth ?? DEFAULT_FISCAL_YEAR_START_MONTH)
        .map((p) => ({ ...p, lineageTag: stableId(`expression/${p.name}`) }));
    return { name: options.name, culture: mapping.culture, tables, relationships, expressions };
}
