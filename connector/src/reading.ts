/**
 * One reading of each raw value: how a state's CSV export is read, stated once and used by both
 * the validator (src/validate) and the generated Power Query M (src/m.ts). The schema and the
 * mapping file say what the columns and formats are; this module says how both readers apply them:
 *
 * - header names are matched ignoring case and surrounding spaces, after the mapping's renames,
 *   and renamed to the schema's input names;
 * - lines whose fields are all empty or spaces are skipped;
 * - a value of only spaces is empty (null in the model);
 * - keys and the columns that refer to them are trimmed;
 * - numbers are read with the mapping's separators, currency symbols and accounting negatives;
 *   dates with its dateFormat and culture.
 */
import { TableDef, VALIDATION_RULES } from "./schema";
import { Mapping, tableMapping } from "./mapping";

/** A header name as both readers compare it. */
export const headerKey = (name: string): string => name.trim().toLowerCase();

/** Their header (compared as headerKey) -> the schema's input column name: the mapping's renames, then the schema's own names. */
export function canonicalHeaders(table: TableDef, mapping: Mapping): Map<string, string> {
    const names = new Map<string, string>();
    for (const c of table.columns) names.set(headerKey(c.source), c.source);
    for (const [theirs, ours] of Object.entries(tableMapping(mapping, table.source as string).columns ?? {}))
        names.set(headerKey(theirs), ours);
    return names;
}

/** Input columns whose values are trimmed by both readers: keys and the columns that refer to a key. */
export function trimmedColumns(table: TableDef): Set<string> {
    const trimmed = new Set(table.columns.filter((c) => c.key).map((c) => c.source));
    for (const rule of VALIDATION_RULES)
        if (rule.kind === "reference" && rule.table === table.source) trimmed.add(rule.column);
    return trimmed;
}
