/**
 * The mapping file: how a state's exports differ from the schema's input tables. Column renames
 * (their column -> ours), file or SQL table names, date format and culture. Validated with zod so
 * a typo fails with a message that names the field, before anything is written.
 */
import { z } from "zod";
import { sourceTables } from "./schema";

const tableMappingSchema = z.strictObject({
    /** CSV: file name inside the source folder (default `<table>.csv`). */
    file: z.string().min(1).optional(),
    /** CSV: sub-folder whose .csv files are all combined (e.g. one export per month), instead of `file`. */
    folder: z.string().min(1).optional(),
    /** SQL Server / PostgreSQL: schema of the table (default dbo / public). */
    schema: z.string().min(1).optional(),
    /** SQL Server / PostgreSQL: table or view name (default the input table name). */
    table: z.string().min(1).optional(),
    /** Their column name -> the schema's input column name. */
    columns: z.record(z.string().min(1), z.string().min(1)).optional(),
});

const mappingSchema = z.strictObject({
    /** .NET-style date format of date columns in CSV exports, e.g. "MM/dd/yyyy". Default ISO yyyy-MM-dd. */
    dateFormat: z.string().min(1).optional(),
    /** Culture for numbers and dates (default en-US). */
    culture: z.string().min(2).optional(),
    /** CSV delimiter (default comma). */
    delimiter: z.string().length(1).optional(),
    /** CSV code page (default 65001, UTF-8). */
    encoding: z.number().int().positive().optional(),
    /** CSV numbers: decimal separator (default the culture's, "." for en-US). Used by the validator. */
    decimalSeparator: z.string().length(1).optional(),
    /** CSV numbers: thousands separator, "" for none (default the culture's, "," for en-US). Used by the validator. */
    thousandsSeparator: z.string().max(1).optional(),
    /** Currency symbols allowed around currency amounts, e.g. ["$"] (default none). Used by the validator. */
    currencySymbols: z.array(z.string().min(1).max(3)).optional(),
    /** Whether currency amounts may be accounting negatives, "(1,234.50)" (default false). Used by the validator. */
    accountingNegatives: z.boolean().optional(),
    tables: z.record(z.string(), tableMappingSchema).optional(),
});

export type TableMapping = z.infer<typeof tableMappingSchema>;
export interface Mapping {
    dateFormat: string;
    culture: string;
    delimiter: string;
    encoding: number;
    tables: Record<string, TableMapping>;
    /** Number options the validator reads (absent: the culture's separators, no symbols, no parentheses). */
    decimalSeparator?: string;
    thousandsSeparator?: string;
    currencySymbols?: string[];
    accountingNegatives?: boolean;
}

export const DEFAULT_MAPPING: Mapping = {
    dateFormat: "yyyy-MM-dd",
    culture: "en-US",
    delimiter: ",",
    encoding: 65001,
    tables: {},
};

export class MappingError extends Error {}

/** Validates a parsed mapping file against the zod shape and the schema's tables and columns. */
export function parseMapping(raw: unknown, origin = "mapping"): Mapping {
    const parsed = mappingSchema.safeParse(raw);
    if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
        throw new MappingError(`${origin} is not a valid mapping file:\n  ${issues.join("\n  ")}`);
    }
    const value = parsed.data;
    const tables = sourceTables();
    const problems: string[] = [];
    for (const [tableName, tableMapping] of Object.entries(value.tables ?? {})) {
        const table = tables.find((t) => t.source === tableName);
        if (!table) {
            problems.push(
                `tables.${tableName}: no such input table (expected one of ${tables.map((t) => t.source).join(", ")})`,
            );
            continue;
        }
        if (tableMapping.file && tableMapping.folder)
            problems.push(`tables.${tableName}: give either file or folder, not both`);
        const known = new Set(table.columns.map((c) => c.source));
        const targets = new Set<string>();
        for (const [theirs, ours] of Object.entries(tableMapping.columns ?? {})) {
            if (!known.has(ours))
                problems.push(
                    `tables.${tableName}.columns.${theirs}: "${ours}" is not a column of ${tableName} (expected one of ${[...known].join(", ")})`,
                );
            if (targets.has(ours)) problems.push(`tables.${tableName}.columns: two columns map to "${ours}"`);
            targets.add(ours);
        }
    }
    if (value.decimalSeparator !== undefined && value.decimalSeparator === value.thousandsSeparator) {
        problems.push(`decimalSeparator and thousandsSeparator are both "${value.decimalSeparator}": they must differ`);
    }
    if (value.decimalSeparator !== undefined && /[0-9]/.test(value.decimalSeparator))
        problems.push("decimalSeparator: a digit cannot be a separator");
    if (value.thousandsSeparator !== undefined && /[0-9]/.test(value.thousandsSeparator))
        problems.push("thousandsSeparator: a digit cannot be a separator");
    if (problems.length > 0) throw new MappingError(`${origin} does not match the schema:\n  ${problems.join("\n  ")}`);
    return {
        dateFormat: value.dateFormat ?? DEFAULT_MAPPING.dateFormat,
        culture: value.culture ?? DEFAULT_MAPPING.culture,
        delimiter: value.delimiter ?? DEFAULT_MAPPING.delimiter,
        encoding: value.encoding ?? DEFAULT_MAPPING.encoding,
        tables: value.tables ?? {},
        ...(value.decimalSeparator !== undefined ? { decimalSeparator: value.decimalSeparator } : {}),
        ...(value.thousandsSeparator !== undefined ? { thousandsSeparator: value.thousandsSeparator } : {}),
        ...(value.currencySymbols !== undefined ? { currencySymbols: value.currencySymbols } : {}),
        ...(value.accountingNegatives !== undefined ? { accountingNegatives: value.accountingNegatives } : {}),
    };
}

export function tableMapping(mapping: Mapping, source: string): TableMapping {
    return mapping.tables[source] ?? {};
}
