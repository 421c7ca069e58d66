/**
 * `validate --source postgres`: the CSV validator's checks, computed by SQL inside the database,
 * in one REPEATABLE READ READ ONLY transaction (the session is read-only too). Node sends a few
 * queries per table and receives counts and the first few bad rows of each kind, never the rows
 * themselves.
 *
 * Per table the SQL is built in layers over the state's own table (`r`):
 *   base:  each schema column (c0, c1...; text columns as they are, typed ones typed), whether it
 *          is empty (empty0...), whether it casts to the schema's type (ok0...: for text columns the
 *          common case by the cheapest test measured, a calendar lookup for dates of large tables, a
 *          short regex for numbers; else a full regex and a CASE-guarded range check, e.g. no 30
 *          February; nothing for typed columns)
 *          and, where a rule reads it, the value cast (v0...). No `pg_input_is_valid` (PostgreSQL
 *          16+) and no temporary functions, which a read-only transaction could not create.
 *   flags: one boolean per kind of problem (e_* errors, w_* warnings): empty required values,
 *          values that do not cast, ratings, rules, references (LEFT JOINs to the referenced
 *          table's accepted keys, hashed: anti-joins that keep the key sets on the server),
 *          charges without a headcount (a LEFT JOIN to headcount's accepted agency-months).
 *   keys:  for tables with a key, a window over the rows without other errors: a key already
 *          taken by an earlier accepted row is a duplicate (the CSV validator's rule).
 * Then per table: one counting scan (GROUP BY the boolean flags: each flag computed once per
 * row, partial aggregates in parallel workers; no OFFSET 0 fences and no filter on a window's
 * output, either of which keeps Postgres from using workers), a plain count(*) to check that rows read =
 * accepted + quarantined, and, only when problems were found, one more scan that materializes the
 * flagged rows and returns the first few of each kind (UNION ALL of LIMIT queries), plus GROUP BY
 * ... HAVING queries for headcount duplicates and the agency-months without a headcount.
 *
 * The report has the CSV validator's shape (ValidationReport): the same problem codes, titles,
 * messages and exit codes, so `formatReport` prints it. A problem's location is the table and
 * the row's key columns (or its ctid) instead of a file and line.
 */
import { Client } from "pg";
import {
    ColumnDef,
    CoverageRule,
    DATE_TABLE_SPAN,
    outsideDateTableMessage,
    ReferenceRule,
    rulesOf,
    RuleRow,
    sourceTables,
    TableDef,
    UniqueRule,
    ValidationRule,
    VALIDATION_RULES,
} from "../schema";
import { Mapping, tableMapping } from "../mapping";
import type { StorageMode } from "../model";
import { trimmedColumns } from "../reading";
import { Problem, ProblemCode, ProblemGroup, Severity, showValue, TITLES, MAX_EXAMPLES } from "../validate/problems";
import { DateFix, DateParser, numberFormat, NumberParser } from "../validate/values";
import { references, TABLE_ORDER, TableSummary } from "../validate/tables";
import type { ValidationReport } from "../validate";
import { ident, literal } from "./connection";

export interface DatabaseValidateOptions {
    mapping: Mapping;
    mappingFile?: string | null;
    /** Shown as the report's "folder": server, port and database, no credentials. */
    label: string;
    maxExamples?: number;
    /**
     * The model the tables are for (generate's --mode): a DirectQuery model relates keys as they
     * are stored, so a key or reference with surrounding spaces is an error there (default import).
     */
    mode?: StorageMode;
    /** Smaller tables test text dates without the calendar (default SMALL_TABLE_BYTES; tests set it to try both ways). */
    smallTableBytes?: number;
}

/** The validator could not run (exit 2): e.g. the server refused the read-only transaction. */
export class DatabaseValidateError extends Error {}

interface DbColumn {
    name: string;
    /** pg_type name: text, varchar, date, numeric, int4... */
    type: string;
}

interface ColumnPlan {
    def: ColumnDef;
    index: number;
    /** The table's own column, or null when an optional column is absent. */
    db: DbColumn | null;
    label: string;
    required: boolean;
    emptyAllowed: boolean;
    reference: ReferenceRule | null;
}

interface TablePlan {
    table: TableDef;
    source: string;
    /** schema.table as the report names it. */
    name: string;
    sql: string;
    columns: ColumnPlan[];
    /** Why the rows cannot be read (a required column missing), or null. */
    fatal: string | null;
    keyIndex: number;
    /** A small table (SMALL_TABLE_BYTES): its text dates are tested without the calendar. */
    small: boolean;
    /** Column indexes shown as the row's identity in examples. */
    identity: number[];
    /** The rows with their key (k) and pre_bad (errors other than a duplicate key), for acceptedKeys. */
    keysSql: string;
}

/** Columns that identify a row of a table without a key (with its key: the key). */
const IDENTITY: Record<string, string[]> = {
    charges: ["InvoiceId", "SubAccountId", "ServiceName", "ChargePeriodStart"],
    headcount: ["SubAccountId", "x_Month"],
    goal_measurements: ["x_GoalId", "x_MeasuredOn"],
    agency_access: ["x_UserPrincipalName", "SubAccountId"],
    follow_ups: ["x_ResponseId", "x_ContactedOn"],
    goal_checkins: ["x_GoalId", "x_CheckInDate"],
};

/** Columns whose value (not only its validity) a rule reads: cast only these. */
const VALUE_COLUMNS = new Set(
    VALIDATION_RULES.flatMap((r: ValidationRule): string[] => {
        const dates = (table: string, columns: string[]): string[] =>
            columns
                .filter(
                    (name) =>
                        sourceTables()
                            .find((t) => t.source === table)
                            ?.columns.find((c) => c.source === name)?.kind === "date",
                )
                .map((name) => `${table}.${name}`);
        switch (r.kind) {
            case "range":
                return [`${r.table}.${r.column}`];
            case "compare":
                return [`${r.table}.${r.column}`, `${r.table}.${r.other}`];
            case "unique":
                return r.byMonth ? dates(r.table, r.columns) : [];
            case "coverage":
                return [...dates(r.table, r.columns), ...dates(r.by.table, r.by.columns)];
            case "referenced-range":
                return [`${r.target}.${r.targetColumn}`];
            default:
                return [];
        }
    }),
);

const INT64_MAX = 9223372036854775807n;
const CURRENCY_MAX = "922337203685477.5807";

const TEXT_TYPES = new Set(["text", "varchar", "bpchar", "name", "citext"]);
const INT_TYPES = new Set(["int2", "int4", "int8"]);
const NUMBER_TYPES = new Set(["int2", "int4", "int8", "numeric", "float4", "float8", "money"]);
const DATE_TYPES = new Set(["date", "timestamp", "timestamptz"]);

const REFERENCES = references();

/**
 * Why a DirectQuery model cannot take a key with surrounding spaces: its queries must fold, so
 * the connector's M sends the column as stored (Text.Trim is not known to fold, and SQL's trims
 * remove fewer characters than it does), and the relationship joins the stored values.
 */
const untrimmedKeyMessage = (raw: string, column: string): string =>
    `${showValue(raw)} has surrounding spaces: a DirectQuery model relates keys as they are stored, so it would not match ${showValue(raw.trim())}; trim the column in the database or in a view (btrim(${ident(column)}))`;

/** dateFormat's tokens (as recogniseDate gives them) as PostgreSQL's to_date writes them. */
const PG_DATE_TOKENS: Record<string, string> = {
    yyyy: "YYYY",
    MM: "MM",
    M: "MM",
    dd: "DD",
    d: "DD",
    HH: "HH24",
    H: "HH24",
    mm: "MI",
    ss: "SS",
    "'T'": '"T"',
};
const pgDateFormat = (dateFormat: string): string =>
    dateFormat.replace(/yyyy|MM?|dd?|HH?|mm|ss|'T'/g, (token) => PG_DATE_TOKENS[token]);

/**
 * The fix a date message names for a text column of a database: the mapping's dateFormat reaches
 * neither this validator nor the model's M for a database (Power Query types the column itself),
 * so the date is converted where it is stored.
 */
const databaseDateFix =
    (column: string): DateFix =>
    (look) => {
        const convert =
            look.kind === "serial"
                ? `date '1899-12-30' + floor(${column}::numeric)::int`
                : look.kind === "date-time"
                  ? `${column}::timestamp::date`
                  : `to_date(${column}, ${literal(pgDateFormat(look.dateFormat as string))})`;
        return `it looks like ${look.what}: store the column as a date, or convert it in a view with ${convert}; the mapping's "dateFormat" is read for CSV files only`;
    };

/**
 * The days from 1990 to 2099 written yyyy-MM-dd (and their month), for the text date columns of
 * large tables to look up (a hash join) before any string test: every one is a real day inside
 * the Date table's span. DISTINCT tells the planner each day is there once.
 */
const CALENDAR_SQL =
    "(SELECT DISTINCT to_char(date '1990-01-01' + i, 'YYYY-MM-DD') AS day, to_char(date '1990-01-01' + i, 'YYYY-MM') AS month FROM generate_series(0, 40176) i)";

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

class SqlTypes {
    readonly numberRegex: string;
    readonly intRegex: string;
    readonly numbers: NumberParser;
    private readonly culture: string;
    private readonly t: string;
    private readonly d: string;

    constructor(mapping: Mapping) {
        const format = numberFormat(mapping);
        this.culture = mapping.culture;
        this.numbers = new NumberParser({ ...format, currencySymbols: [], accountingNegatives: false });
        this.d = format.decimalSeparator;
        this.t = format.thousandsSeparator;
        const d = escapeRegex(this.d);
        const integer = this.t ? `([0-9]{1,3}(${escapeRegex(this.t)}[0-9]{3})+|[0-9]+)` : "[0-9]+";
        this.numberRegex = `^-?(${integer}(${d}[0-9]+)?|${d}[0-9]+)([eE][-+]?[0-9]+)?$`;
        this.intRegex = `^-?(${this.t ? `[0-9]{1,3}(${escapeRegex(this.t)}[0-9]{3})+|` : ""}[0-9]{1,19})$`;
    }

    /**
     * Why a text date of a database column is not a date, worded by the CSV validator's own date
     * reading (the SQL's test is the same: yyyy-MM-dd, a real day), with the fix for a database.
     */
    dateProblem(raw: string, column: string): string {
        return (
            new DateParser("yyyy-MM-dd", this.culture, databaseDateFix(column)).parse(raw) ??
            "is not a date written yyyy-MM-dd"
        );
    }

    /** SQL text of a number written with the mapping's separators, as plain digits for ::numeric. */
    plain(text: string): string {
        let sql = text;
        if (this.t) sql = `replace(${sql}, ${literal(this.t)}, '')`;
        if (this.d !== ".") sql = `replace(${sql}, ${literal(this.d)}, '.')`;
        return sql;
    }
}

/** Every SQL expression of one column, over the table alias r. */
function columnSql(
    c: ColumnPlan,
    types: SqlTypes,
): { raw: string; text: string; empty: string; ok: string; value: string | null } {
    if (!c.db) return { raw: "NULL::text", text: "NULL::text", empty: "true", ok: "true", value: null };
    const e = typedColumnSql(c, c.db, types);
    return { ...e, text: TEXT_TYPES.has(c.db.type) ? `r.${ident(c.db.name)}` : `r.${ident(c.db.name)}::text` };
}

function typedColumnSql(
    c: ColumnPlan,
    db: DbColumn,
    types: SqlTypes,
): { raw: string; empty: string; ok: string; value: string | null } {
    const col = `r.${ident(db.name)}`;
    const isText = TEXT_TYPES.has(db.type);
    // c<i>: the column as it is when it is text (or a text column of the schema), else typed: the
    // flags read typed columns through v<i>, and only the few example rows are cast to text.
    const raw = isText || c.def.kind !== "text" ? col : `${col}::text`;
    const asText = isText ? col : `${col}::text`;
    // Blank: null, "", or only whitespace (checked only when the first character is one).
    const empty = isText
        ? `(CASE WHEN ${col} IS NULL OR ${col} = '' THEN true WHEN ascii(${col}) > 32 THEN false ELSE btrim(${col}, E' \\t\\r\\n') = '' END)`
        : `(${col} IS NULL)`;
    const trimmed = `btrim(${asText}, E' \\t\\r\\n')`;
    const kind = c.def.kind;
    if (kind === "text") return { raw, empty, ok: "true", value: null };
    if (kind === "date") {
        if (DATE_TYPES.has(db.type)) return { raw, empty, ok: "true", value: `${col}::date` };
        // yyyy-MM-dd, month 1-12, day within the month: each CASE branch only runs when the one before
        // passed. First a test without a regex for the common case (days 1 to 28), then the full one.
        const fast =
            `length(${col}) = 10 AND translate(${col}, '0123456789', '') = '--' AND substr(${col}, 5, 1) = '-'` +
            ` AND substr(${col}, 6, 2) COLLATE "C" BETWEEN '01' AND '12' AND substr(${col}, 9, 2) COLLATE "C" BETWEEN '01' AND '28'`;
        const ok =
            `(CASE WHEN ${fast} THEN true WHEN ${trimmed} !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN false` +
            ` WHEN substr(${trimmed}, 1, 4)::int < 1 OR substr(${trimmed}, 6, 2)::int NOT BETWEEN 1 AND 12 THEN false` +
            ` ELSE substr(${trimmed}, 9, 2)::int BETWEEN 1 AND extract(day FROM make_date(substr(${trimmed}, 1, 4)::int, substr(${trimmed}, 6, 2)::int, 1) + interval '1 month' - interval '1 day')::int END)`;
        return { raw, empty, ok, value: `${trimmed}::date` };
    }
    if (kind === "int") {
        if (INT_TYPES.has(db.type)) return { raw, empty, ok: "true", value: `${col}::numeric` };
        if (NUMBER_TYPES.has(db.type))
            return { raw, empty, ok: `(${col}::numeric = trunc(${col}::numeric))`, value: `${col}::numeric` };
        // Plain digits with an optional leading minus, the common case, by a short regex (the cheapest
        // test measured: translate() costs more); anything else by the full one. Within Int64, as the
        // CSV validator and the model's whole-number type: long values are compared as numeric.
        const fast = `length(${col}) <= 21 AND ${col} ~ '^-?[0-9]+$'`;
        const inInt64 = (sql: string): string => `${sql} BETWEEN ${-INT64_MAX - 1n} AND ${INT64_MAX}`;
        return {
            raw,
            empty,
            ok: `(CASE WHEN ${fast} THEN length(ltrim(${col}, '-')) <= 18 OR ${inInt64(`${col}::numeric`)} WHEN ${trimmed} ~ ${literal(types.intRegex)} THEN ${inInt64(`${types.plain(trimmed)}::numeric`)} ELSE false END)`,
            value: `${types.plain(trimmed)}::numeric`,
        };
    }
    if (kind === "number" || kind === "currency") {
        // Currency values within the model's Currency type, as the CSV validator checks them.
        const inRange = (sql: string): string => (kind === "currency" ? `abs(${sql}) <= ${CURRENCY_MAX}` : "true");
        if (NUMBER_TYPES.has(db.type))
            return { raw, empty, ok: `(${inRange(`${col}::numeric`)})`, value: `${col}::numeric` };
        // Digits with an optional leading minus and decimals (the common case) by a short regex; anything
        // else by the full one. Up to 15 characters a value is within the Currency type.
        const fast = `${col} ~ ${literal(`^-?[0-9]+(${escapeRegex(types.numbers.format.decimalSeparator)}[0-9]+)?$`)}`;
        return {
            raw,
            empty,
            ok: `(CASE WHEN ${fast} THEN length(${col}) <= 15 OR ${inRange(`${types.plain(col)}::numeric`)} WHEN ${trimmed} ~ ${literal(types.numberRegex)} THEN ${inRange(`${types.plain(trimmed)}::numeric`)} ELSE false END)`,
            value: `${types.plain(trimmed)}::numeric`,
        };
    }
    if (db.type === "bool") return { raw, empty, ok: "true", value: null };
    return { raw, empty, ok: `(lower(${trimmed}) IN ('true', 'false'))`, value: null };
}

/**
 * A valid date outside the schema's DATE_TABLE_SPAN. Text dates (yyyy-MM-dd) compare as text; one
 * starting with 1 to 8 (years 1000 to 8999, the common case) is inside without a comparison.
 */
function outsideDateTable(c: ColumnPlan, i: number): string {
    const { first, last } = DATE_TABLE_SPAN;
    if (c.db && DATE_TYPES.has(c.db.type)) return `(c${i}::date NOT BETWEEN DATE '${first}' AND DATE '${last}')`;
    return `(CASE WHEN ascii(c${i}) BETWEEN 49 AND 56 THEN false ELSE btrim(c${i}, E' \\t\\r\\n') COLLATE "C" NOT BETWEEN '${first}' AND '${last}' END)`;
}

interface Flag {
    name: string;
    severity: Severity;
    code: ProblemCode;
    /** Column index the problem is about, or -1. */
    column: number;
    sql: string;
    /** The schema's rule behind the flag (its message), if any. */
    rule?: ValidationRule;
    /** Unique rules: the column holding the first accepted row's value of the reported column. */
    firstColumn?: string;
}

/** The state of a value a column's flag tests: empty, not empty, not empty and of its type (valid) or not (invalid). */
type Given = "empty" | "filled" | "valid" | "invalid";

/** The table's flags and the SQL of its "checked" relation; references read the referenced tables' SQL. */
function buildTableSql(
    plan: TablePlan,
    plans: Map<string, TablePlan>,
    types: SqlTypes,
    tableName: string,
    directQuery: boolean,
): { sql: string; flags: Flag[]; flatSql: string; counting: Counting } {
    const trimmed = trimmedColumns(plan.table);
    const base: string[] = ["r.ctid AS rid"];
    const flags: Flag[] = [];
    const exprs = plan.columns.map((c) => columnSql(c, types));
    const joins: string[] = [];
    const valueOf = (i: number): string =>
        `CASE WHEN NOT ${exprs[i].empty} AND ${exprs[i].ok} THEN ${exprs[i].value} END`;
    const normalized = (text: string): string => `lower(btrim(${text}, E' \\t\\r\\n'))`;
    // Columns looked up in the calendar (cal<i>: day, month) and in a referenced table's keys (ref<i>.k, normalized).
    const calendar = new Set<number>();
    const referenced = new Set<number>();
    // Columns looked up first as the referenced table spells its keys (exact<i>: raw, k).
    const exact = new Set<number>();
    plan.columns.forEach((c, i) => {
        const e = exprs[i];
        if (c.def.kind === "date" && c.db && TEXT_TYPES.has(c.db.type) && !plan.small) {
            // Most text dates are found in a calendar of the common days, hashed: one lookup
            // instead of the string tests, which only the others take.
            joins.push(`LEFT JOIN ${CALENDAR_SQL} cal${i} ON cal${i}.day = r.${ident(c.db.name)}`);
            calendar.add(i);
            e.ok = `(cal${i}.day IS NOT NULL OR ${e.ok})`;
        }
        base.push(`${e.raw} AS c${i}`, `${e.empty} AS empty${i}`, `${e.ok} AS ok${i}`);
        if (e.value !== null && VALUE_COLUMNS.has(`${plan.source}.${c.def.source}`))
            base.push(`${valueOf(i)} AS v${i}`);
        else base.push(`NULL::${c.def.kind === "date" ? "date" : "numeric"} AS v${i}`);
        // References: a LEFT JOIN to the referenced table's accepted keys (unique), hashed; a hash
        // join, unlike a NOT IN sub-plan, lets the whole scan run in parallel workers.
        const target = c.reference && c.db ? plans.get(c.reference.target) : undefined;
        if (target && !target.fatal && target.sql) {
            // The key as the referenced table spells it first (the common case: no lower(btrim()) a
            // row), then, only for the other values, the key normalized as Power BI compares it.
            const normalizedKey = normalized(e.text);
            if (target.keyIndex >= 0) {
                joins.push(
                    `LEFT JOIN (SELECT c${target.keyIndex}::text AS raw, min(k) AS k FROM (${target.keysSql}) x WHERE NOT pre_bad AND k IS NOT NULL AND k <> '' GROUP BY 1) exact${i} ON exact${i}.raw = ${e.text}`,
                );
                exact.add(i);
            }
            joins.push(
                `LEFT JOIN ${acceptedKeys(target)} ref${i} ON ref${i}.k = ${exact.has(i) ? `CASE WHEN exact${i}.raw IS NULL THEN ${normalizedKey} END` : normalizedKey}`,
            );
            referenced.add(i);
            base.push(`(${exact.has(i) ? `exact${i}.raw IS NULL AND ` : ""}ref${i}.k IS NULL) AS miss${i}`);
        }
    });
    const col = (source: string): number => plan.columns.findIndex((c) => c.def.source === source);
    const rules = rulesOf(plan.source);
    const coverage = rules.find((r): r is CoverageRule => r.kind === "coverage");
    const by = coverage ? plans.get(coverage.by.table) : undefined;
    const coverageColumns = coverage ? coverage.columns.map(col) : [];
    const covered =
        coverage !== undefined &&
        by?.sql &&
        coverageColumns.every((i) => plan.columns[i].def.kind !== "date" || exprs[i].value !== null);
    if (coverage && by && covered) {
        // Rows whose combination (dates by month) is not among the accepted rows of `by`: a LEFT JOIN to its distinct combinations.
        const on: string[] = [];
        const selected: string[] = [];
        const present: string[] = [];
        coverageColumns.forEach((i, j) => {
            const h = by.columns.findIndex((c) => c.def.source === (coverage.by.columns[j] as string));
            const c = plan.columns[i];
            if (c.def.kind === "date") {
                // The month as yyyy-MM: for a text column its first seven characters (a row whose date is
                // not valid is quarantined anyway), so the ten million charge dates are never parsed twice.
                const textDates = c.db !== null && TEXT_TYPES.has(c.db.type);
                const fromText = `left(btrim(${exprs[i].text}, E' \\t\\r\\n'), 7)`;
                const month = !textDates
                    ? `date_trunc('month', (${valueOf(i)})::timestamp)::date`
                    : calendar.has(i)
                      ? `COALESCE(cal${i}.month, ${fromText})`
                      : fromText;
                selected.push(
                    `${textDates ? `to_char(h.v${h}, 'YYYY-MM')` : `date_trunc('month', h.v${h}::timestamp)::date`} AS p${j}`,
                );
                present.push(`h.v${h} IS NOT NULL`);
                on.push(`cov.p${j} = ${month}`);
            } else {
                selected.push(`${normalized(`h.c${h}::text`)} AS p${j}`);
                present.push(`h.c${h} IS NOT NULL`);
                // The key the reference join found is this value normalized: not computed again.
                on.push(
                    `cov.p${j} = ${referenced.has(i) ? `COALESCE(${exact.has(i) ? `exact${i}.k, ` : ""}ref${i}.k, ${normalized(exprs[i].text)})` : normalized(exprs[i].text)}`,
                );
            }
        });
        joins.push(
            `LEFT JOIN (SELECT DISTINCT ${selected.join(", ")} FROM (${by.sql}) h WHERE NOT h.bad AND ${present.join(" AND ")}) cov ON ${on.join(" AND ")}`,
        );
        base.push("(cov.p0 IS NULL) AS nohc");
    }
    // Unique rules that are errors: the first (the key, when the table has one) is column k, which references join on.
    const uniqueKeys = uniqueErrorRules(plan).map((u, n) => `${u.key} AS ${n === 0 ? "k" : `k${n}`}`);
    if (uniqueKeys.length === 0) uniqueKeys.push("NULL::text AS k");
    const flagSql: string[] = [];
    // A column's flag: a test given the value's state.
    const add = (
        name: string,
        severity: Severity,
        code: ProblemCode,
        column: number,
        given: Given,
        sql = "true",
    ): void => {
        const i = column;
        const whole = {
            empty: `empty${i}`,
            invalid: `(NOT empty${i} AND NOT ok${i})`,
            valid: `(NOT empty${i} AND ok${i} AND ${sql})`,
            filled: `(NOT empty${i} AND ${sql})`,
        }[given];
        flags.push({ name, severity, code, column, sql: whole });
        flagSql.push(`COALESCE(${whole}, false) AS ${name}`);
    };
    plan.columns.forEach((c, i) => {
        if (c.required && !c.emptyAllowed) add(`e_empty${i}`, "error", "empty-value", i, "empty");
        if (c.def.kind !== "text" && c.db) {
            const code: ProblemCode =
                c.def.kind === "date" ? "bad-date" : c.def.kind === "int" ? "bad-integer" : "bad-number";
            add(`e_type${i}`, "error", code, i, "invalid");
            if (c.def.kind === "date")
                add(`e_span${i}`, "error", "outside-date-table", i, "valid", outsideDateTable(c, i));
        }
        if (directQuery && trimmed.has(c.def.source) && c.db && TEXT_TYPES.has(c.db.type))
            add(`e_spaces${i}`, "error", "untrimmed-key", i, "filled", `c${i} <> btrim(c${i}, E' \\t\\r\\n')`);
        if (c.def.allowed && c.db)
            add(
                `w_allowed${i}`,
                "warning",
                "not-allowed",
                i,
                "filled",
                `c${i} NOT IN (${c.def.allowed.map(literal).join(", ")})`,
            );
        if (referenced.has(i)) {
            const severity = (c.reference as ReferenceRule).severity;
            add(`${severity === "error" ? "e" : "w"}_ref${i}`, severity, "unknown-reference", i, "filled", `miss${i}`);
        }
    });
    // The schema's row rules, one flag each, on the cast values.
    rules.forEach((rule, n) => {
        const at = col(rule.column);
        let sql: string | null = null;
        if (rule.kind === "range") {
            const v = `v${at}`;
            sql = [
                rule.min !== undefined ? `${v} < ${rule.min}` : null,
                rule.above !== undefined ? `${v} <= ${rule.above}` : null,
                rule.max !== undefined ? `${v} > ${rule.max}` : null,
            ]
                .filter((x) => x !== null)
                .join(" OR ");
        } else if (rule.kind === "compare") {
            sql = `v${at} ${rule.op === "before" ? "<" : "="} v${col(rule.other)}`;
            if (rule.unlessGiven)
                sql += ` AND coalesce(lower(btrim(c${col(rule.unlessGiven.column)}::text, E' \\t\\r\\n')), '') NOT IN (${rule.unlessGiven.values.map(literal).join(", ")})`;
        } else if (rule.kind === "pattern") {
            sql = `NOT empty${at} AND c${at}::text !~ ${literal(rule.pattern)}`;
        }
        let firstColumn: string | undefined;
        const target = rule.kind === "referenced-range" ? plans.get(rule.target) : undefined;
        if (rule.kind === "referenced-range" && target && !target.fatal && target.sql && plan.columns[at].db) {
            // The value of the accepted row holding each key (the first row without other errors), joined on the key.
            const t = target.columns.findIndex((c) => c.def.source === rule.targetColumn);
            joins.push(
                `LEFT JOIN (SELECT k, (array_agg(v${t} ORDER BY rid))[1] AS value FROM (${target.keysSql}) x WHERE NOT pre_bad AND k IS NOT NULL AND k <> '' GROUP BY k) hi${n}` +
                    ` ON hi${n}.k = ${normalized(exprs[at].text)}`,
            );
            base.push(`hi${n}.value AS hv${n}`, `hi${n}.value::text AS hvt${n}`);
            sql = [
                `hv${n} IS NOT NULL`,
                rule.min !== undefined ? `hv${n} >= ${rule.min}` : null,
                rule.max !== undefined ? `hv${n} <= ${rule.max}` : null,
            ]
                .filter((x) => x !== null)
                .join(" AND ");
            firstColumn = `hvt${n}`;
        }
        if (sql === null || !plan.columns[at].db) return;
        const name = `${rule.severity === "error" ? "e" : "w"}_rule${n}`;
        flags.push({ name, severity: rule.severity, code: rule.code, column: at, sql: `(${sql})`, rule, firstColumn });
        flagSql.push(`COALESCE((${sql}), false) AS ${name}`);
    });
    const errors = flags.filter((f) => f.severity === "error").map((f) => f.name);
    const preBad = errors.length > 0 ? errors.join(" OR ") : "false";
    const from = `${tableName} r${joins.map((j) => ` ${j}`).join("")}`;
    // No OFFSET 0 fences: a fenced sub-query cannot run in parallel workers, not even as the inner
    // side of a join. Queries read each flag once (GROUP BY the flags, WHERE f1 OR f2), so the
    // flattened layers compute nothing twice that matters.
    const flagged = `SELECT g.*, (${preBad}) AS pre_bad FROM (SELECT b.*, ${[...uniqueKeys, ...flagSql].join(", ")} FROM (SELECT ${base.join(", ")} FROM ${from}) b) g`;
    let sql: string;
    const uniques = uniqueErrorRules(plan);
    if (uniques.length > 0) {
        // A combination already taken by an earlier row without other errors is a duplicate (the CSV validator's rule).
        const windows = uniques.map((u, n) => {
            const k = n === 0 ? "k" : `k${n}`;
            const firstGood = `min(rid) FILTER (WHERE NOT pre_bad) OVER (PARTITION BY ${k})`;
            const dup = `(${k} <> '' AND ${firstGood} IS NOT NULL AND rid > ${firstGood})`;
            const name = n === 0 ? "e_dup" : `e_dup${n}`;
            const first = n === 0 ? "dup_first" : `dup_first${n}`;
            flags.push({
                name,
                severity: "error",
                code: u.rule.code,
                column: u.at,
                sql: name,
                rule: u.rule,
                firstColumn: first,
            });
            return `COALESCE(${dup}, false) AS ${name}, first_value(c${u.at}::text) OVER (PARTITION BY ${k} ORDER BY pre_bad, rid) AS ${first}`;
        });
        const withDup = `SELECT f.*, ${windows.join(", ")} FROM (${flagged}) f`;
        sql = `SELECT d.*, (d.pre_bad${uniques.map((_, n) => ` OR d.e_dup${n === 0 ? "" : n}`).join("")}) AS bad FROM (${withDup}) d`;
    } else {
        sql = `SELECT f.*, NULL::text AS dup_first, f.pre_bad AS bad FROM (${flagged}) f`;
    }
    if (coverage && covered) {
        sql = `SELECT x.*, (NOT x.bad AND x.nohc) AS w_nohc FROM (${sql}) x`;
        // In the counting scan the flag is set on every row without a headcount; Node counts it on accepted rows only.
        flagSql.push("nohc AS w_nohc");
        flags.push({
            name: "w_nohc",
            severity: coverage.severity,
            code: coverage.code,
            column: col(coverage.column),
            sql: "nohc",
            rule: coverage,
        });
    }
    // The relation the counting and example scans read: flat for tables without a key; tables with
    // a key need the window (duplicates) over the layers; they are the small ones.
    const flatSql =
        uniques.length > 0
            ? sql
            : `SELECT g.*, NULL::text AS dup_first${flagSql
                  .filter((f) => f.endsWith(" AS w_nohc"))
                  .map((f) => `, ${f}`)
                  .join(
                      "",
                  )} FROM (SELECT b.*, ${[...uniqueKeys, ...flagSql.filter((f) => !f.endsWith(" AS w_nohc"))].join(", ")} FROM (SELECT ${base.join(", ")} FROM ${from}) b) g`;
    plan.keysSql = flagged;
    const counting = groupedByFlags(flags, flatSql);
    return { sql, flags, flatSql, counting };
}

/** The counting scan: rows per combination of flags, and whether a result row has a flag. */
interface Counting {
    sql: string;
    has: (row: Record<string, unknown>, flag: Flag) => boolean;
}

/**
 * Grouped by the boolean flags themselves: Postgres estimates two values per boolean, so it
 * aggregates in each worker (partial aggregates) and computes every flag there, once per row. (A
 * bigint mask of the flags, computed once, is estimated as one group a row: no partial
 * aggregates, and every row goes through the Gather.)
 */
function groupedByFlags(flags: Flag[], sql: string): Counting {
    const names = flags.map((f) => f.name);
    return {
        sql: `SELECT ${[...names, "count(*) AS rows"].join(", ")} FROM (${sql}) g${names.length > 0 ? ` GROUP BY ${names.join(", ")}` : ""}`,
        has: (row, flag) => row[flag.name] === true,
    };
}

/**
 * The table's unique rules that are errors, the key's first, each with its SQL key: text as Power
 * BI compares it (lower case, trimmed), dates by month when the rule says so, joined by a control
 * character no value holds.
 */
function uniqueErrorRules(plan: TablePlan): { rule: UniqueRule; at: number; key: string }[] {
    const col = (source: string): number => plan.columns.findIndex((c) => c.def.source === source);
    return rulesOf(plan.source)
        .filter((r): r is UniqueRule => r.kind === "unique" && r.severity === "error")
        .sort((a, b) => Number(b.code === "duplicate-key") - Number(a.code === "duplicate-key"))
        .map((rule) => ({
            rule,
            at: col(rule.column),
            key: rule.columns
                .map((name) => {
                    const i = col(name);
                    return rule.byMonth && plan.columns[i].def.kind === "date"
                        ? `to_char(v${i}, 'YYYY-MM')`
                        : `lower(btrim(c${i}::text, E' \\t\\r\\n'))`;
                })
                .join(" || chr(1) || "),
        }));
}

/**
 * A sub-query of the table's accepted keys (column k, distinct), to join to. The keys of the rows
 * without other errors are exactly the accepted keys (the first such row of a key keeps it), so
 * no window is needed: a filter on a window's output would keep the whole query out of parallel workers.
 */
function acceptedKeys(plan: TablePlan): string {
    return `(SELECT DISTINCT k FROM (${plan.keysSql}) x WHERE NOT pre_bad AND k IS NOT NULL AND k <> '')`;
}

interface FoundTable {
    schema: string;
    table: string;
    small: boolean;
    columns: DbColumn[];
}

/**
 * A table smaller than this (its file: known without statistics, which a table never analyzed
 * lacks; about 100,000 charge rows) tests text dates without the calendar, which costs more to
 * build than it saves there.
 */
export const SMALL_TABLE_BYTES = 12_000_000;

async function introspect(
    client: Client,
    wanted: { schema: string; table: string }[],
    smallTableBytes: number,
): Promise<Map<string, FoundTable>> {
    // Small: a plain table whose file is under smallTableBytes (a view or a partitioned table is not).
    const result = await client.query<{ schema: string; table: string; column: string; type: string; small: boolean }>(
        `SELECT n.nspname AS schema, c.relname AS table, a.attname AS column, t.typname AS type,
                c.relkind = 'r' AND pg_relation_size(c.oid) < $3 AS small
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
           JOIN pg_type t ON t.oid = a.atttypid
          WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') AND lower(n.nspname) = ANY($1) AND lower(c.relname) = ANY($2)
          ORDER BY n.nspname, c.relname, a.attnum`,
        [wanted.map((w) => w.schema.toLowerCase()), wanted.map((w) => w.table.toLowerCase()), smallTableBytes],
    );
    const found = new Map<string, FoundTable>();
    for (const row of result.rows) {
        const key = `${row.schema}.${row.table}`;
        const entry = found.get(key) ?? { schema: row.schema, table: row.table, small: row.small, columns: [] };
        entry.columns.push({ name: row.column, type: row.type });
        found.set(key, entry);
    }
    return found;
}

const n = (value: string | number | null | undefined): number => Number(value ?? 0);

/**
 * Validates the billing tables in the database the client is connected to. The caller owns the
 * connection; this runs everything in one REPEATABLE READ READ ONLY transaction (one snapshot,
 * so the counts of different queries agree) and rolls it back.
 */
export async function validateDatabase(client: Client, options: DatabaseValidateOptions): Promise<ValidationReport> {
    const maxExamples = options.maxExamples ?? MAX_EXAMPLES;
    const { mapping } = options;
    const types = new SqlTypes(mapping);
    const groups = new Map<string, ProblemGroup>();
    let errors = 0;
    let warnings = 0;
    const log = (p: Problem, count = 1, key?: string): void => {
        if (p.severity === "error") errors += count;
        else warnings += count;
        const groupKey = `${p.severity}\u0000${p.code}\u0000${p.table}\u0000${p.column ?? ""}\u0000${key ?? ""}`;
        let group = groups.get(groupKey);
        if (!group) {
            group = {
                severity: p.severity,
                code: p.code,
                title: TITLES[p.code],
                table: p.table,
                file: p.file,
                count: 0,
                examples: [],
            };
            if (p.column !== undefined) group.column = p.column;
            groups.set(groupKey, group);
        }
        group.count += count;
    };
    const example = (p: Problem, key?: string): void => {
        const group = groups.get(
            `${p.severity}\u0000${p.code}\u0000${p.table}\u0000${p.column ?? ""}\u0000${key ?? ""}`,
        );
        if (group && group.examples.length < maxExamples) group.examples.push(p);
    };

    await client.query("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
        // SET LOCAL: this transaction only. The counting scans group millions of rows into a few
        // groups, which the planner would not split across workers without the parallel costs; the
        // hash tables (the calendar: 40,177 days in each worker) fit in memory, not in the default
        // 4 MB, which would spill them and the table's rows to disk.
        await client.query(
            "SET LOCAL parallel_setup_cost = 100; SET LOCAL parallel_tuple_cost = 0.001; SET LOCAL work_mem = '64MB'; SET LOCAL jit = off",
        );
        const readOnly = await client.query<{ transaction_read_only: string }>("SHOW transaction_read_only");
        if (readOnly.rows[0]?.transaction_read_only !== "on")
            throw new DatabaseValidateError(
                "The server did not start a read-only transaction: validation stopped before reading anything.",
            );
        const order = TABLE_ORDER.map((source) => sourceTables().find((t) => t.source === source) as TableDef);
        const wanted = order.map((t) => {
            const tm = tableMapping(mapping, t.source as string);
            return {
                source: t.source as string,
                schema: tm.schema ?? "public",
                table: tm.table ?? (t.source as string),
            };
        });
        const found = await introspect(client, wanted, options.smallTableBytes ?? SMALL_TABLE_BYTES);
        const plans = new Map<string, TablePlan>();
        const summaries: TableSummary[] = [];
        for (const [i, table] of order.entries()) {
            const w = wanted[i];
            const name = `${w.schema}.${w.table}`;
            const summary: TableSummary = {
                table: w.source,
                status: "ok",
                files: [],
                rowsRead: 0,
                accepted: 0,
                quarantined: 0,
                blankLines: 0,
            };
            summaries.push(summary);
            const exact = found.get(`${w.schema}.${w.table}`);
            if (!exact) {
                const near = [...found.values()].find(
                    (f) =>
                        f.schema.toLowerCase() === w.schema.toLowerCase() &&
                        f.table.toLowerCase() === w.table.toLowerCase(),
                );
                const hint = near
                    ? ` (there is ${near.schema}.${near.table}: PostgreSQL names are case-sensitive when quoted; name it in the mapping file's "schema" and "table")`
                    : " (name another schema or table in the mapping file)";
                const missing: Problem = {
                    severity: "error",
                    code: "missing-file",
                    table: w.source,
                    file: name,
                    message: `the table ${name} is not in the database: the ${w.source} table cannot load${hint}`,
                };
                log(missing);
                example(missing);
                summary.status = "missing";
                continue;
            }
            plans.set(
                w.source,
                planTable(table, name, exact, mapping, (p) => {
                    log(p);
                    example(p);
                }),
            );
        }
        for (const [i, table] of order.entries()) {
            const source = table.source as string;
            const plan = plans.get(source);
            if (!plan) continue;
            const summary = summaries[i];
            const tableName = `${ident(found.get(`${wanted[i].schema}.${wanted[i].table}`)?.schema as string)}.${ident(wanted[i].table)}`;
            for (const c of plan.columns) {
                if (c.reference && c.db && !plans.get(c.reference.target)?.sql) {
                    log({
                        severity: "warning",
                        code: "references-unchecked",
                        table: source,
                        file: plan.name,
                        column: c.def.source,
                        message: `references to ${c.reference.target} are not checked: ${c.reference.target} could not be read`,
                    });
                }
            }
            if (plan.fatal) {
                const rows = n(
                    (await client.query<{ rows: string }>(`SELECT count(*) AS rows FROM ${tableName}`)).rows[0].rows,
                );
                Object.assign(summary, { status: "unusable", rowsRead: rows, accepted: 0, quarantined: rows });
                if (rows > 0) {
                    const unusable: Problem = {
                        severity: "error",
                        code: "file-unusable",
                        table: source,
                        file: plan.name,
                        message: `none of its ${rows.toLocaleString("en-US")} row${rows === 1 ? "" : "s"} read: ${plan.fatal}`,
                    };
                    log(unusable, rows);
                    example(unusable);
                }
                continue;
            }
            const built = buildTableSql(plan, plans, types, tableName, options.mode === "directquery");
            plan.sql = built.sql;
            await checkTable(
                client,
                plan,
                built.flags,
                built.flatSql,
                built.counting,
                summary,
                { log, example, maxExamples, types },
                tableName,
            );
        }
        await uniqueWarnings(client, plans, { log, example, maxExamples, types });
        const totals = { rowsRead: 0, accepted: 0, quarantined: 0, blankLines: 0, errors, warnings };
        for (const t of summaries) {
            totals.rowsRead += t.rowsRead;
            totals.accepted += t.accepted;
            totals.quarantined += t.quarantined;
        }
        const failed = errors > 0 || totals.quarantined > 0;
        return {
            tool: "agency-it-scorecard validate",
            folder: options.label,
            mapping: options.mappingFile ?? null,
            exitCode: failed ? 1 : 0,
            verdict: failed ? "quarantined" : "clean",
            tables: summaries,
            totals,
            problems: [...groups.values()],
        };
    } finally {
        await client.query("ROLLBACK").catch(() => undefined);
    }
}

type Log = (p: Problem, count?: number, key?: string) => void;
interface Sink {
    log: Log;
    example: (p: Problem, key?: string) => void;
    maxExamples: number;
    types: SqlTypes;
}

function planTable(
    table: TableDef,
    name: string,
    { columns: dbColumns, small }: FoundTable,
    mapping: Mapping,
    report: (p: Problem) => void,
): TablePlan {
    const source = table.source as string;
    const tm = tableMapping(mapping, source);
    const theirs = new Map<string, string>(); // our column -> their name
    for (const [their, ours] of Object.entries(tm.columns ?? {})) theirs.set(ours, their);
    const byName = new Map(dbColumns.map((c) => [c.name, c]));
    const used = new Set<string>();
    const missing: string[] = [];
    const hints: string[] = [];
    const columns: ColumnPlan[] = table.columns.map((def, index) => {
        const their = theirs.get(def.source) ?? def.source;
        const db = byName.get(their) ?? null;
        if (db) used.add(db.name);
        else if (!def.optional) {
            const near = dbColumns.find((c) => c.name.toLowerCase() === their.toLowerCase());
            missing.push(`${def.source}${their !== def.source ? ` (the mapping expects it as "${their}")` : ""}`);
            if (near)
                hints.push(
                    `the table has "${near.name}": Power Query matches names exactly; PostgreSQL folds unquoted names to lower case, so rename it or map it in the mapping file`,
                );
        }
        return {
            def,
            index,
            db,
            label: their === def.source ? def.source : `${def.source} ("${their}")`,
            required: !def.optional,
            emptyAllowed: def.emptyAllowed === true,
            reference: REFERENCES.get(source)?.get(def.source) ?? null,
        };
    });
    let fatal: string | null = null;
    if (missing.length > 0) {
        fatal = `required column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} missing (${hints.length > 0 ? hints.join("; ") : `the table has ${dbColumns.map((c) => showValue(c.name)).join(", ")}`})`;
        report({ severity: "error", code: "missing-column", table: source, file: name, message: fatal });
    }
    for (const c of dbColumns) {
        if (!used.has(c.name))
            report({
                severity: "warning",
                code: "extra-column",
                table: source,
                file: name,
                column: c.name,
                message: `${showValue(c.name)} is not a column of ${source}: left out`,
            });
    }
    const keyIndex = table.columns.findIndex((c) => c.key);
    const identityNames = keyIndex >= 0 ? [table.columns[keyIndex].source] : (IDENTITY[source] ?? []);
    return {
        table,
        source,
        name,
        sql: "",
        keysSql: "",
        columns,
        fatal,
        keyIndex,
        small,
        identity: identityNames.map((s) => table.columns.findIndex((c) => c.source === s)),
    };
}

function rowName(plan: TablePlan, row: Record<string, unknown>): string {
    const parts = plan.identity.map(
        (i) =>
            `${plan.columns[i].def.source} ${row[`c${i}`] === null || row[`c${i}`] === undefined ? "(empty)" : showValue(String(row[`c${i}`]))}`,
    );
    return `${plan.name} row ${parts.join(", ")}${plan.keyIndex >= 0 ? "" : ` (ctid ${String(row.rid)})`}`;
}

async function checkTable(
    client: Client,
    plan: TablePlan,
    flags: Flag[],
    flatSql: string,
    counting: Counting,
    summary: TableSummary,
    sink: Sink,
    tableName: string,
): Promise<void> {
    // One scan: how many rows have each combination of problems (one bit per flag, a few groups),
    // each flag computed once per row, in parallel workers where Postgres can.
    const byFlags = await client.query<Record<string, unknown>>(counting.sql);
    const grouped = byFlags.rows.map((r) => ({
        mask: String(flags.reduce((bits, f, bit) => (counting.has(r, f) ? bits | (1n << BigInt(bit)) : bits), 0n)),
        rows: String(r.rows),
    }));
    const errorBits = flags.reduce((bits, f, bit) => (f.severity === "error" ? bits | (1n << BigInt(bit)) : bits), 0n);
    const counts: Record<string, number> = {};
    let rows = 0;
    let quarantined = 0;
    let accepted = 0;
    for (const g of grouped) {
        const bits = BigInt(g.mask);
        const count = n(g.rows);
        rows += count;
        if ((bits & errorBits) !== 0n) quarantined += count;
        else accepted += count;
        flags.forEach((f, bit) => {
            // Charges without a headcount count only among accepted rows.
            if ((bits & (1n << BigInt(bit))) !== 0n && (f.name !== "w_nohc" || (bits & errorBits) === 0n))
                counts[f.name] = (counts[f.name] ?? 0) + count;
        });
    }
    // The tool's own check: the rows the plain count sees are every row accepted or quarantined.
    const total = n((await client.query<{ rows: string }>(`SELECT count(*) AS rows FROM ${tableName}`)).rows[0].rows);
    Object.assign(summary, { rowsRead: total, accepted, quarantined });
    if (total !== accepted + quarantined || total !== rows)
        throw new Error(
            `Internal error: ${plan.name} has ${total} rows but ${accepted} were accepted and ${quarantined} quarantined`,
        );
    const row: Record<string, number> = counts;
    const noHeadcountRows = counts.w_nohc ?? 0;
    flags = flags.filter((f) => f.name !== "w_nohc");
    const found = flags.filter((f) => n(row[f.name]) > 0);
    if (found.length > 0) {
        // One more scan for the examples of every kind found: the flagged rows once (MATERIALIZED), the first few of each kind.
        const cols = plan.columns.map((_, i) => `c${i}::text AS c${i}`).join(", ");
        const parts = found.map(
            (f) =>
                `(SELECT ${literal(f.name)} AS flag, rid::text AS rid, ${f.firstColumn ?? "NULL::text"} AS dup_first, ${plan.columns.map((_, i) => `c${i}`).join(", ")} FROM t WHERE ${f.name} ORDER BY t.rid LIMIT ${sink.maxExamples})`,
        );
        const firstColumns = found.flatMap((f) => (f.firstColumn ? [`${f.firstColumn}, `] : [])).join("");
        const examples = await client.query<Record<string, unknown>>(
            `WITH t AS MATERIALIZED (SELECT rid, ${firstColumns}${found.map((f) => f.name).join(", ")}, ${cols} FROM (${flatSql}) x WHERE ${found.map((f) => f.name).join(" OR ")}) ${parts.join(" UNION ALL ")}`,
        );
        for (const flag of found) {
            const c = flag.column >= 0 ? plan.columns[flag.column] : null;
            const base = {
                severity: flag.severity,
                code: flag.code,
                table: plan.source,
                file: plan.name,
                ...(c ? { column: c.label } : {}),
            };
            sink.log({ ...base, message: "" }, n(row[flag.name]));
            for (const ex of examples.rows.filter((r) => r.flag === flag.name)) {
                const raw = c ? ((ex[`c${flag.column}`] as string | null) ?? "") : "";
                const problem: Problem = {
                    ...base,
                    file: rowName(plan, ex),
                    message: message(flag, plan, ex, raw, sink.types),
                };
                if (c) problem.value = raw;
                sink.example(problem);
            }
        }
    }
    if (noHeadcountRows > 0) await coverageExamples(client, plan, sink);
}

function message(flag: Flag, plan: TablePlan, row: Record<string, unknown>, raw: string, types: SqlTypes): string {
    const c = plan.columns[flag.column];
    const value = (source: string): string =>
        String(row[`c${plan.columns.findIndex((x) => x.def.source === source)}`] ?? "");
    switch (flag.code) {
        case "empty-value":
            return c.def.kind === "text"
                ? "is empty: a value is required"
                : `is empty: expected ${c.def.kind === "date" ? "a date written yyyy-MM-dd" : c.def.kind === "int" ? types.numbers.wholeExpectation : types.numbers.expectation}`;
        case "bad-date":
            return `${showValue(raw)} ${types.dateProblem(raw, ident((c.db as DbColumn).name))}`;
        case "outside-date-table":
            return outsideDateTableMessage(showValue(raw));
        case "untrimmed-key":
            return untrimmedKeyMessage(raw, (c.db as DbColumn).name);
        case "bad-integer":
            return `${showValue(raw)} is not ${types.numbers.wholeExpectation}`;
        case "bad-number":
            return `${showValue(raw)} is not ${types.numbers.expectation}`;
        case "not-allowed":
            return `${showValue(raw)} is not one of the schema's values (${(c.def.allowed ?? []).join(", ")})`;
        case "unknown-reference":
            return (c.reference as ReferenceRule).message(value, {
                where: `among the accepted rows of ${(c.reference as ReferenceRule).target} (missing there, or its own row was quarantined)`,
            });
        default:
            break;
    }
    const rule = flag.rule;
    if (rule?.kind === "unique")
        return rule.message(value, { where: "of an earlier row", value: String(row.dup_first ?? "") });
    if (rule?.kind === "range" || rule?.kind === "compare" || rule?.kind === "pattern") return rule.message(value);
    if (rule?.kind === "referenced-range") return rule.message(value, String(row.dup_first ?? ""));
    return TITLES[flag.code];
}

/** Unique rules that are warnings (a headcount given twice for an agency and month): GROUP BY ... HAVING over accepted rows. */
async function uniqueWarnings(client: Client, plans: Map<string, TablePlan>, sink: Sink): Promise<void> {
    for (const rule of VALIDATION_RULES) {
        if (rule.kind !== "unique" || rule.severity !== "warning") continue;
        const plan = plans.get(rule.table);
        if (!plan || plan.fatal || !plan.sql) continue;
        const col = (source: string): number => plan.columns.findIndex((c) => c.def.source === source);
        const parts = rule.columns.map((name) => {
            const i = col(name);
            return rule.byMonth && plan.columns[i].def.kind === "date"
                ? `date_trunc('month', v${i})`
                : `lower(btrim(c${i}::text))`;
        });
        const dup = await client.query<{ count: string }>(
            `SELECT coalesce(sum(n - 1), 0) AS count FROM (SELECT count(*) AS n FROM (${plan.sql}) h WHERE NOT bad GROUP BY ${parts.join(", ")} HAVING count(*) > 1) g`,
        );
        const dupCount = n(dup.rows[0].count);
        if (dupCount === 0) continue;
        const at = col(rule.column);
        const base = {
            severity: rule.severity,
            code: rule.code,
            table: rule.table,
            file: plan.name,
            column: plan.columns[at].label,
        };
        sink.log({ ...base, message: "" }, dupCount);
        const cols = plan.columns.map((_, i) => `c${i}::text AS c${i}`).join(", ");
        const examples = await client.query<Record<string, unknown>>(
            `SELECT * FROM (SELECT rid::text AS rid, ${cols}, first_value(c${at}::text) OVER w AS dup_first, row_number() OVER w AS nth
               FROM (${plan.sql}) h WHERE NOT bad WINDOW w AS (PARTITION BY ${parts.join(", ")} ORDER BY rid)) x WHERE nth > 1 ORDER BY rid LIMIT ${sink.maxExamples}`,
        );
        for (const ex of examples.rows) {
            const value: RuleRow = (column) => String(ex[`c${col(column)}`] ?? "");
            sink.example({
                ...base,
                file: rowName(plan, ex),
                value: value(rule.column),
                message: rule.message(value, { where: "on an earlier row", value: String(ex.dup_first ?? "") }),
            });
        }
    }
}

/** The first combinations without coverage (charges with no headcount; their count came with the table's scan). */
async function coverageExamples(client: Client, plan: TablePlan, sink: Sink): Promise<void> {
    const rule = rulesOf(plan.source).find((r): r is CoverageRule => r.kind === "coverage");
    if (!rule) return;
    const col = (source: string): number => plan.columns.findIndex((c) => c.def.source === source);
    const indexes = rule.columns.map(col);
    const groupBy = indexes.map((i) =>
        plan.columns[i].def.kind === "date"
            ? `date_trunc('month', v${i}::timestamp)`
            : `lower(btrim(c${i}::text, E' \\t\\r\\n'))`,
    );
    const selected = indexes.map((i, j) =>
        plan.columns[i].def.kind === "date"
            ? `to_char(min(v${i}), 'YYYY-MM-DD') AS p${j}`
            : `min(c${i}::text) AS p${j}`,
    );
    const missing = await client.query<Record<string, string>>(
        `SELECT g.*, rid::text AS rid, count(*) OVER () AS groups FROM (
            SELECT ${selected.join(", ")}, count(*) AS rows, min(rid) AS rid
              FROM (${plan.sql}) c WHERE w_nohc
             GROUP BY ${groupBy.join(", ")}) g
          ORDER BY g.rid LIMIT ${sink.maxExamples}`,
    );
    const at = col(rule.column);
    const base = {
        severity: rule.severity,
        code: rule.code,
        table: rule.table,
        file: plan.name,
        column: plan.columns[at].label,
    };
    sink.log({ ...base, message: "" }, n(missing.rows[0]?.groups));
    const monthAt = indexes.findIndex((i) => plan.columns[i].def.kind === "date");
    for (const row of missing.rows) {
        const first: RuleRow = (column) => row[`p${rule.columns.indexOf(column)}`] ?? "";
        sink.example({
            ...base,
            file: `${plan.name} (ctid ${row.rid})`,
            value: first(rule.column),
            message: rule.message(first, n(row.rows), (row[`p${monthAt}`] ?? "").slice(0, 7)),
        });
    }
}
