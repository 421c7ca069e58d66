/**
 * Validates one input table (one file, or every .csv of a mapped sub-folder) against the schema,
 * streaming: each row is checked, then written to the clean CSV or to <table>.rejected.csv, so
 * memory holds only the keys of the tables other tables refer to, a Set of agency-months with a
 * headcount, and a few examples per kind of problem.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
    ColumnDef,
    CoverageRule,
    DATE_TABLE_SPAN,
    outsideDateTableMessage,
    ReferencedRangeRule,
    ReferenceRule,
    rulesOf,
    RuleRow,
    TableDef,
    UniqueRule,
    ValidationRule,
    VALIDATION_RULES,
} from "../schema";
import { Mapping, tableMapping } from "../mapping";
import { Problem, ProblemCode, ProblemLog, Severity, showValue } from "./problems";
import { DateParser, monthOf, NumberParser, ParseResult } from "./values";
import { CsvSink, OutputFolder } from "./output";
import { canonicalHeaders, headerKey, trimmedColumns } from "../reading";
import { readCsv, SourceRow, SourceShapeError, SourceStats } from "./source";

export interface FileSummary {
    /** Path inside the validated folder, with forward slashes. */
    file: string;
    bytes: number;
    lines: number;
    bom: boolean;
    lineEndings: "LF" | "CRLF" | "mixed" | "none";
    rowsRead: number;
    accepted: number;
    quarantined: number;
    blankLines: number;
    /** Physical lines read as the header, a row or a blank line: `lines` when the whole file was read. */
    linesRead: number;
    /** False when the file could not be read as CSV text at all (its error says why). */
    readable: boolean;
}

export interface TableSummary {
    table: string;
    /** ok: every file read; missing: no file; unusable: a file could not be read as the table. */
    status: "ok" | "missing" | "unusable";
    files: FileSummary[];
    rowsRead: number;
    accepted: number;
    quarantined: number;
    blankLines: number;
}

/** Keys of a validated table, normalized as Power BI compares them (ignoring case and surrounding spaces). */
export interface KeyIndex {
    file: string;
    accepted: Map<string, { line: number; text: string }>;
    quarantined: Map<string, number>;
    /** Referenced-range rules on this table: by rule code, the accepted keys whose value is in range, with the value. */
    inRange?: Map<string, Map<string, string>>;
}

export interface RunContext {
    folder: string;
    mapping: Mapping;
    numbers: NumberParser;
    dates: DateParser;
    log: ProblemLog;
    output: OutputFolder | null;
    /** Key indexes of the tables validated so far; absent when the table could not be read. */
    keys: Map<string, KeyIndex>;
    /** Coverage rules (charges with a headcount): the combinations found among the accepted rows of the `by` table, by rule code. */
    coverage: Map<string, Set<string>>;
}

/** Thrown for files that exist but cannot be opened or read: the validator cannot run (exit 2). */
export class UnreadableFileError extends Error {}

/** Order that lets every reference be checked: referenced tables first, headcount before charges. */
export const TABLE_ORDER = [
    "agencies",
    "services",
    "teams",
    "goals",
    "headcount",
    "charges",
    "goal_measurements",
    "survey_responses",
    "follow_ups",
    "goal_checkins",
    "agency_access",
] as const;

/** The input-table references of the schema (from its relationships): table -> column -> the rule. */
export function references(): Map<string, Map<string, ReferenceRule>> {
    const bySource = new Map<string, Map<string, ReferenceRule>>();
    for (const rule of VALIDATION_RULES) {
        if (rule.kind !== "reference") continue;
        const map = bySource.get(rule.table) ?? new Map<string, ReferenceRule>();
        map.set(rule.column, rule);
        bySource.set(rule.table, map);
    }
    return bySource;
}

const REFERENCES = references();

interface ColumnPlan {
    def: ColumnDef;
    /** Field index in the current file, -1 when an optional column is absent. */
    index: number;
    /** Column as named in messages: ours, with theirs in parentheses when renamed. */
    label: string;
    required: boolean;
    /** A short list: compared value by value, faster than a Set lookup on each row's fresh string. */
    allowed: readonly string[] | null;
    reference: ReferenceRule | null;
    /** A required foreign key whose empty value is allowed (survey_responses.ServiceName). */
    emptyAllowed: boolean;
    /** A key or a reference to one: trimmed by both readers. */
    trim: boolean;
    /** What a value must look like, for "is empty" messages. */
    expectation: string;
    /** Whether a rule reads the parsed number (else only the clean text is kept). */
    needsValue: boolean;
}

interface HeaderPlan {
    columns: ColumnPlan[];
    width: number;
    /** Field indexes whose header is blank (a trailing delimiter or an unnamed column). */
    unnamed: Set<number>;
    /** Why the file's rows cannot be read as this table. */
    fatal: string | null;
    theirHeader: string[];
    /**
     * The file has the schema's columns in its order and nothing else, comma-separated: a row
     * whose values are kept as written is written out as its line (SourceRow.text).
     */
    inOrder: boolean;
}

const norm = (text: string): string => text.trim().toLowerCase();

function lineEndings(stats: SourceStats): FileSummary["lineEndings"] {
    if (stats.crlfLines > 0 && stats.lfLines > 0) return "mixed";
    if (stats.crlfLines > 0) return "CRLF";
    return stats.lfLines > 0 ? "LF" : "none";
}

/** The table's files: `file`, every .csv of `folder`, or `<table>.csv`; matched ignoring case as Windows would. */
function tableFiles(ctx: RunContext, table: TableDef, report: (p: Omit<Problem, "table">) => void): string[] | null {
    const tm = tableMapping(ctx.mapping, table.source as string);
    const entry = tm.folder ?? tm.file ?? `${table.source}.csv`;
    const find = (dir: string, name: string): string | null => {
        if (fs.existsSync(path.join(dir, name))) return name;
        let entries: string[];
        try {
            entries = fs.readdirSync(dir);
        } catch {
            return null;
        }
        return entries.find((e) => e.toLowerCase() === name.toLowerCase()) ?? null;
    };
    const found = find(ctx.folder, entry);
    if (!found) {
        report({
            severity: "error",
            code: "missing-file",
            file: entry,
            message: `${tm.folder ? "the sub-folder" : "the file"} ${entry} is not in the folder: the ${table.source} table cannot load (name another file or folder in the mapping file)`,
        });
        return null;
    }
    const full = path.join(ctx.folder, found);
    if (tm.folder) {
        let entries: string[];
        try {
            if (!fs.statSync(full).isDirectory())
                throw new UnreadableFileError(
                    `${full} is not a folder (the mapping gives it as the ${table.source} folder).`,
                );
            entries = fs.readdirSync(full);
        } catch (error) {
            if (error instanceof UnreadableFileError) throw error;
            throw new UnreadableFileError(`Cannot read the folder ${full} (${(error as Error).message}).`);
        }
        const csvs = entries.filter((e) => e.toLowerCase().endsWith(".csv")).sort();
        if (csvs.length === 0)
            report({
                severity: "error",
                code: "missing-file",
                file: found,
                message: `the sub-folder ${found} holds no .csv files: the ${table.source} table would be empty`,
            });
        return csvs.map((e) => `${found}/${e}`);
    }
    return [found];
}

/** The Date table's span as DateParser values, to compare with each parsed date. */
const DATE_TABLE_KEYS = (() => {
    const iso = new DateParser("yyyy-MM-dd", "en-US");
    const key = (date: string): number => {
        if (iso.parse(date) !== null) throw new Error(`DATE_TABLE_SPAN holds ${date}, not a date`);
        return iso.value;
    };
    return { first: key(DATE_TABLE_SPAN.first), last: key(DATE_TABLE_SPAN.last) };
})();

const KIND_TEXT = 0;
const KIND_DATE = 1;
const KIND_INT = 2;
const KIND_DECIMAL = 3;
const KIND_CURRENCY = 4;
const KIND_BOOLEAN = 5;
const KIND_CODES: Record<string, number> = {
    text: KIND_TEXT,
    date: KIND_DATE,
    int: KIND_INT,
    number: KIND_DECIMAL,
    currency: KIND_CURRENCY,
    boolean: KIND_BOOLEAN,
};

/**
 * Checks the rows of one table, file after file. Written as a class with per-row state in fields
 * (no closures or result objects per row): on a 1,000,000-line file the hot path runs ten
 * million times.
 */
class TableChecker {
    readonly summary: TableSummary;
    private readonly source: string;
    private readonly keyIndex: KeyIndex | null;
    private readonly keyPlanIndex: number;
    private readonly checkable = new Map<string, ReferenceRule>();
    /** The schema's rules of this table, compiled to column indexes. */
    private readonly rowChecks: RowCheck[];
    private readonly uniqueChecks: UniqueCheck[];
    private readonly coverageChecks: CoverageCheck[];
    /** Coverage rules whose `by` is this table: the combinations of its accepted rows. */
    private readonly coverageSources: CoverageSource[];
    /** Referenced-range rules checked on this table's rows, and those whose target is this table. */
    private readonly referencedChecks: Array<{ rule: ReferencedRangeRule; at: number }>;
    private readonly referencedTargets: Array<{ rule: ReferencedRangeRule; at: number; keys: Map<string, string> }>;
    /** The current row's values by input column name, for the rules' messages. */
    private readonly rowValue: RuleRow;
    /** Reference lookups by value as written, per column: "" when known, else the message. */
    private readonly referenceCaches: Map<string, string>[];
    private readonly clean: CsvSink | null;
    private rejected: CsvSink | null = null;
    rejectedWritten = 0;
    private readonly kinds: number[];
    private readonly values: number[];
    private readonly valid: boolean[];
    private readonly out: string[];
    private problems: Problem[] | null = null;
    // The file and row being checked.
    private file = "";
    private fileSummary: FileSummary | null = null;
    private header: HeaderPlan | null = null;
    private row: SourceRow | null = null;
    private pendingBlank: number[] = [];

    constructor(
        private readonly table: TableDef,
        private readonly ctx: RunContext,
        files: string[],
    ) {
        this.source = table.source as string;
        this.summary = {
            table: this.source,
            status: "ok",
            files: [],
            rowsRead: 0,
            accepted: 0,
            quarantined: 0,
            blankLines: 0,
        };
        const at = (column: string): number => table.columns.findIndex((c) => c.source === column);
        this.rowValue = (column) => this.out[at(column)] ?? "";
        const rules = rulesOf(this.source);
        const keyRule = rules.find((r): r is UniqueRule => r.kind === "unique" && r.code === "duplicate-key");
        this.keyPlanIndex = keyRule ? at(keyRule.column) : -1;
        this.uniqueChecks = rules
            .filter((r): r is UniqueRule => r.kind === "unique")
            .map((rule) => ({
                rule,
                at: at(rule.column),
                ...this.combination(rule.columns, rule.byMonth === true),
                seen: new Map(),
            }));
        const keyCheck = this.uniqueChecks.find((u) => u.rule === keyRule);
        this.keyIndex = keyCheck ? { file: files[0] ?? "", accepted: keyCheck.seen, quarantined: new Map() } : null;
        this.rowChecks = rules
            .filter((r): r is RowCheck["rule"] => r.kind === "range" || r.kind === "compare" || r.kind === "pattern")
            .map((rule) => ({
                rule,
                at: at(rule.column),
                other: rule.kind === "compare" ? at(rule.other) : -1,
                unless: rule.kind === "compare" && rule.unlessGiven ? at(rule.unlessGiven.column) : -1,
                regex: rule.kind === "pattern" ? new RegExp(rule.pattern) : null,
            }));
        this.coverageChecks = rules
            .filter((r): r is CoverageRule => r.kind === "coverage")
            .map((rule) => ({
                rule,
                ...this.combination(rule.columns, true),
                found: ctx.coverage.get(rule.code) ?? null,
                missing: new Map(),
                memo: new Map(),
                memoSize: 0,
            }));
        this.coverageSources = VALIDATION_RULES.filter(
            (r): r is CoverageRule => r.kind === "coverage" && r.by.table === this.source,
        ).map((rule) => ({ rule, ...this.combination(rule.by.columns, true), keys: new Set<string>() }));
        this.referencedChecks = rules
            .filter((r): r is ReferencedRangeRule => r.kind === "referenced-range")
            .map((rule) => ({ rule, at: at(rule.column) }));
        this.referencedTargets = VALIDATION_RULES.filter(
            (r): r is ReferencedRangeRule => r.kind === "referenced-range" && r.target === this.source,
        ).map((rule) => ({ rule, at: at(rule.targetColumn), keys: new Map<string, string>() }));
        if (this.keyIndex && this.referencedTargets.length > 0)
            this.keyIndex.inRange = new Map(this.referencedTargets.map((t) => [t.rule.code, t.keys]));
        // References to tables that could not be read cannot be checked: say so once.
        for (const [column, ref] of REFERENCES.get(this.source) ?? new Map<string, ReferenceRule>()) {
            if (ctx.keys.has(ref.target)) this.checkable.set(column, ref);
            else
                this.log({
                    severity: "warning",
                    code: "references-unchecked",
                    file: files[0] ?? this.source,
                    column,
                    message: `references to ${ref.target} are not checked: ${ref.target} could not be read`,
                });
        }
        this.kinds = table.columns.map((c) => KIND_CODES[c.kind]);
        this.referenceCaches = table.columns.map(() => new Map<string, string>());
        this.values = table.columns.map(() => 0);
        this.valid = table.columns.map(() => false);
        this.out = table.columns.map(() => "");
        this.clean = ctx.output
            ? ctx.output.sink(
                  `${this.source}.csv`,
                  table.columns.map((c) => c.source),
                  this.kinds.map((k) => k === KIND_TEXT),
              )
            : null;
    }

    /** Column indexes of a combination; dates compared by month when `byMonth`. */
    private combination(columns: string[], byMonth: boolean): { columns: number[]; month: boolean[] } {
        const indexes = columns.map((name) => this.table.columns.findIndex((c) => c.source === name));
        return { columns: indexes, month: indexes.map((i) => byMonth && this.table.columns[i].kind === "date") };
    }

    /** The current row's combination as Power BI compares it: text ignoring case and surrounding spaces, dates by month. */
    private combinationKey(columns: number[], month: boolean[]): string {
        let key = "";
        for (let i = 0; i < columns.length; i++) {
            const value = this.out[columns[i]];
            key += (i > 0 ? "\u0000" : "") + (month[i] ? value.slice(0, 7) : this.normalized(value));
        }
        return key;
    }

    /** norm() of ids, cached: the same few hundred agency ids repeat on a million charge lines. */
    private readonly normCache = new Map<string, string>();
    private normalized(value: string): string {
        let n = this.normCache.get(value);
        if (n === undefined) {
            n = norm(value);
            if (this.normCache.size < 100_000) this.normCache.set(value, n);
        }
        return n;
    }

    log(p: Omit<Problem, "table">): void {
        this.ctx.log.add({ ...p, table: this.source } as Problem);
    }

    async readFile(file: string): Promise<void> {
        const fileSummary: FileSummary = {
            file,
            bytes: 0,
            lines: 0,
            bom: false,
            lineEndings: "none",
            rowsRead: 0,
            accepted: 0,
            quarantined: 0,
            blankLines: 0,
            linesRead: 0,
            readable: true,
        };
        this.summary.files.push(fileSummary);
        this.file = file;
        this.fileSummary = fileSummary;
        this.header = null;
        this.pendingBlank = [];
        let stats: SourceStats | null = null;
        try {
            stats = await readCsv(
                path.join(this.ctx.folder, file),
                { delimiter: this.ctx.mapping.delimiter, encoding: this.ctx.mapping.encoding },
                (row) => this.onRow(row),
            );
        } catch (error) {
            if (!(error instanceof SourceShapeError)) {
                const e = error as NodeJS.ErrnoException;
                if (e.code)
                    throw new UnreadableFileError(
                        `Cannot read ${path.join(this.ctx.folder, file)} (${e.code}: ${e.message}).`,
                    );
                throw error;
            }
            this.log({ severity: "error", code: "not-text", file, message: error.message });
            this.summary.status = "unusable";
            fileSummary.readable = false;
            fileSummary.bytes = fs.statSync(path.join(this.ctx.folder, file)).size;
        }
        this.flushBlank();
        if (stats) {
            fileSummary.bytes = stats.bytes;
            fileSummary.lines = stats.lines;
            fileSummary.bom = stats.bom;
            fileSummary.lineEndings = lineEndings(stats);
            // Set by onRow while the file was read (TypeScript cannot see that through the callback).
            const header = this.header as HeaderPlan | null;
            if (!header) {
                this.log({
                    severity: "error",
                    code: "empty-file",
                    file,
                    message: `the file is empty: expected a header line with ${this.table.columns
                        .filter((c) => !c.optional)
                        .map((c) => c.source)
                        .join(", ")}`,
                });
                this.summary.status = "unusable";
            } else if (header.fatal) {
                this.summary.status = "unusable";
            }
        }
        this.summary.rowsRead += fileSummary.rowsRead;
        this.summary.accepted += fileSummary.accepted;
        this.summary.quarantined += fileSummary.quarantined;
        this.summary.blankLines += fileSummary.blankLines;
    }

    private flushBlank(): void {
        for (const line of this.pendingBlank)
            this.log({
                severity: "warning",
                code: "blank-line",
                file: this.file,
                line,
                message: "blank line skipped (the model skips it too)",
            });
        this.pendingBlank = [];
    }

    private onRow(row: SourceRow): void {
        const fields = row.fields;
        const fileSummary = this.fileSummary as FileSummary;
        fileSummary.linesRead += row.lastLine - row.line + 1;
        if (!row.nulLines && !row.quoteProblem && !row.invalidUtf8Lines && isBlank(fields)) {
            fileSummary.blankLines++;
            this.pendingBlank.push(row.line);
            return;
        }
        if (this.pendingBlank.length > 0) this.flushBlank();
        if (!this.header) {
            this.header = planHeader(this.table, this.ctx, this.file, fields, (p) => this.log(p));
            return;
        }
        fileSummary.rowsRead++;
        this.row = row;
        this.problems = null;
        this.checkRow(row, this.header);
        if (this.problems) {
            fileSummary.quarantined++;
            this.quarantine(row, this.problems);
        } else {
            fileSummary.accepted++;
        }
    }

    private problem(severity: Severity, code: ProblemCode, message: string, column?: string, value?: string): Problem {
        const row = this.row as SourceRow;
        const p: Problem = { severity, code, table: this.source, file: this.file, line: row.line, message };
        if (row.lastLine !== row.line) p.lastLine = row.lastLine;
        if (column !== undefined) p.column = column;
        if (value !== undefined) p.value = value;
        return p;
    }

    private fail(code: ProblemCode, message: string, column?: string, value?: string): void {
        (this.problems ??= []).push(this.problem("error", code, message, column, value));
    }

    private warn(code: ProblemCode, message: string, column?: string, value?: string): void {
        this.ctx.log.add(this.problem("warning", code, message, column, value));
    }

    private quarantine(row: SourceRow, problems: Problem[]): void {
        for (const p of problems) this.ctx.log.add(p);
        // Remember the key of a quarantined row, so references to it say why they fail.
        const keyColumn =
            this.keyIndex && this.header && !this.header.fatal ? this.header.columns[this.keyPlanIndex] : null;
        if (keyColumn && keyColumn.index >= 0 && keyColumn.index < row.fields.length) {
            const index = this.keyIndex as KeyIndex;
            const k = norm(row.fields[keyColumn.index]);
            if (k !== "" && !index.accepted.has(k) && !index.quarantined.has(k)) index.quarantined.set(k, row.line);
        }
        if (!this.ctx.output) return;
        this.rejected ??= this.ctx.output.sink(`${this.source}.rejected.csv`, [
            "file",
            "line",
            "reason",
            ...(this.header?.theirHeader ?? []),
        ]);
        this.rejected.write([
            this.file,
            String(row.line),
            problems.map((p) => (p.column ? `${p.column}: ${p.message}` : p.message)).join("; "),
            ...row.fields,
        ]);
        this.rejectedWritten++;
    }

    /** Shape of the row: encoding, quotes, field count. False when its values cannot be read. */
    private checkShape(row: SourceRow, plan: HeaderPlan): boolean {
        const fields = row.fields;
        if (plan.fatal) {
            this.fail("file-unusable", `not read: ${plan.fatal}`);
            return false;
        }
        if (row.nulLines) {
            const at = fields.findIndex((f) => f.includes("\u0000"));
            const col = at >= 0 ? (plan.columns.find((c) => c.index === at)?.label ?? plan.theirHeader[at]) : undefined;
            this.fail(
                "nul-byte",
                `${at >= 0 ? `${showValue(fields[at])} holds` : "holds"} a NUL byte, which is not text (a damaged file, or one joined with a binary file?): the row is quarantined and the rest of the file is read`,
                col,
                at >= 0 ? fields[at] : undefined,
            );
            return false;
        }
        if (row.invalidUtf8Lines) {
            const at = fields.findIndex((f) => f.includes("\uFFFD"));
            const col = at >= 0 ? (plan.columns.find((c) => c.index === at)?.label ?? plan.theirHeader[at]) : undefined;
            const message = `${at >= 0 ? `${showValue(fields[at])} has` : "has"} bytes that are not UTF-8 on line ${row.invalidUtf8Lines.join(", ")} (was the file saved as Windows-1252/ANSI? save it as UTF-8, or set "encoding": 1252 in the mapping)`;
            this.fail("invalid-utf8", message, col, at >= 0 ? fields[at] : undefined);
            // The fields are still where they belong: go on and check the values too.
        }
        if (row.quoteProblem) {
            if (row.unterminatedLast)
                this.fail(
                    "truncated-line",
                    `the file ends inside a quoted field: the last line is truncated (${row.quoteProblem})`,
                );
            else this.fail("bad-quotes", row.quoteProblem);
            return false;
        }
        const width = plan.width;
        if (fields.length > width) {
            for (let i = width; i < fields.length; i++) {
                if (fields[i].trim() !== "") {
                    this.fail(
                        "too-many-fields",
                        `has ${fields.length} fields, the header has ${width} (a value with an unquoted "${this.ctx.mapping.delimiter}" inside?)`,
                    );
                    return false;
                }
            }
            this.warn(
                "trailing-delimiter",
                `ends with ${fields.length - width === 1 ? "a delimiter" : "delimiters"} after the last column (ignored)`,
            );
        } else if (fields.length < width) {
            for (let i = fields.length; i < width; i++) {
                if (plan.unnamed.has(i)) continue;
                if (row.unterminatedLast)
                    this.fail(
                        "truncated-line",
                        `the file ends in the middle of this line (${fields.length} of ${width} fields): the export looks cut off`,
                    );
                else this.fail("too-few-fields", `has ${fields.length} fields, the header has ${width}`);
                return false;
            }
        }
        return true;
    }

    private checkRow(row: SourceRow, plan: HeaderPlan): void {
        if (!this.checkShape(row, plan)) return;
        const fields = row.fields;
        const columns = plan.columns;
        const out = this.out;
        const values = this.values;
        const valid = this.valid;
        const ctx = this.ctx;
        for (let i = 0; i < columns.length; i++) {
            const c = columns[i];
            const raw = c.index >= 0 ? (fields[c.index] ?? "") : "";
            out[i] = raw;
            valid[i] = false;
            const kind = this.kinds[i];
            if (raw === "" || (raw.charCodeAt(0) <= 32 && raw.trim() === "")) {
                if (c.required && !c.emptyAllowed) {
                    this.fail(
                        "empty-value",
                        kind === KIND_TEXT ? "is empty: a value is required" : `is empty: expected ${c.expectation}`,
                        c.label,
                        raw,
                    );
                }
                out[i] = "";
                continue;
            }
            if (kind === KIND_TEXT) {
                // Keys are trimmed by both readers (src/reading.ts), so --out holds them trimmed.
                if (c.trim && mayTrim(raw)) out[i] = raw.trim();
                if (c.allowed && !c.allowed.includes(raw))
                    this.warn(
                        "not-allowed",
                        `${showValue(raw)} is not one of the schema's values (${c.allowed.join(", ")})`,
                        c.label,
                        raw,
                    );
                if (c.reference) this.checkReference(c, i, raw);
                valid[i] = true;
                continue;
            }
            let problem: string | null;
            let result: ParseResult;
            if (kind === KIND_DATE) {
                problem = ctx.dates.parse(raw);
                result = ctx.dates;
            } else if (kind === KIND_DECIMAL || kind === KIND_CURRENCY) {
                problem = ctx.numbers.decimal(raw, kind === KIND_CURRENCY, c.needsValue);
                result = ctx.numbers;
            } else if (kind === KIND_INT) {
                problem = ctx.numbers.whole(raw);
                result = ctx.numbers;
            } else {
                const b = norm(raw);
                problem = b === "true" || b === "false" ? null : "is not true or false";
                result = { text: b, value: b === "true" ? 1 : 0 };
            }
            if (problem !== null) {
                this.fail(
                    kind === KIND_DATE ? "bad-date" : kind === KIND_INT ? "bad-integer" : "bad-number",
                    `${showValue(raw)} ${problem}`,
                    c.label,
                    raw,
                );
                continue;
            }
            if (kind === KIND_DATE && (result.value < DATE_TABLE_KEYS.first || result.value > DATE_TABLE_KEYS.last)) {
                this.fail("outside-date-table", outsideDateTableMessage(showValue(raw)), c.label, raw);
                continue;
            }
            out[i] = result.text;
            values[i] = result.value;
            valid[i] = true;
        }
        this.checkRowRules(plan);
        this.checkReferencedRanges(plan);
        this.checkUnique(plan);
        if (this.problems) return;
        this.noteAccepted(row, plan);
        if (this.clean) {
            if (row.text !== undefined && plan.inOrder && unchanged(out, fields)) this.clean.writeLine(row.text);
            else this.clean.write(out);
        }
    }

    private checkReference(c: ColumnPlan, column: number, raw: string): void {
        const cache = this.referenceCaches[column];
        let verdict = cache.get(raw);
        if (verdict === undefined) {
            verdict = this.lookUp(c, raw);
            // Bounded: a column with millions of distinct unknown ids is not cached beyond 100,000.
            if (cache.size < 100_000) cache.set(raw, verdict);
        }
        if (verdict === "") return;
        if ((c.reference as ReferenceRule).severity === "error") this.fail("unknown-reference", verdict, c.label, raw);
        else this.warn("unknown-reference", verdict, c.label, raw);
    }

    private lookUp(c: ColumnPlan, raw: string): string {
        const ref = c.reference as ReferenceRule;
        const index = this.ctx.keys.get(ref.target);
        if (!index || !this.checkable.has(c.def.source)) return "";
        const k = norm(raw);
        if (index.accepted.has(k)) return "";
        const qLine = index.quarantined.get(k);
        return ref.message(() => raw, {
            where: `in ${index.file}`,
            ...(qLine !== undefined ? { quarantinedAt: `${index.file} line ${qLine}` } : {}),
        });
    }

    /** Referenced-range rules: the value of the row this one refers to (an accepted row of the target). */
    private checkReferencedRanges(plan: HeaderPlan): void {
        for (const { rule, at } of this.referencedChecks) {
            const raw = this.out[at];
            if (raw === "") continue;
            const value = this.ctx.keys.get(rule.target)?.inRange?.get(rule.code)?.get(norm(raw));
            if (value === undefined) continue;
            const message = rule.message(this.rowValue, value);
            if (rule.severity === "error") this.fail(rule.code, message, plan.columns[at].label, raw);
            else this.warn(rule.code, message, plan.columns[at].label, raw);
        }
    }

    /** Unique rules that are errors: a combination already taken by an accepted row quarantines this one. */
    private checkUnique(plan: HeaderPlan): void {
        for (const u of this.uniqueChecks) {
            if (u.rule.severity !== "error") continue;
            const k = this.combinationKey(u.columns, u.month);
            const first = k === "" ? undefined : u.seen.get(k);
            if (first) {
                const value = this.out[u.at];
                this.fail(
                    u.rule.code,
                    u.rule.message(this.rowValue, { where: `on line ${first.line}`, value: first.text }),
                    plan.columns[u.at].label,
                    value,
                );
            }
        }
    }

    /** An accepted row: its combinations taken (unique rules; warnings for repeats), coverage noted and checked. */
    private noteAccepted(row: SourceRow, plan: HeaderPlan): void {
        for (const u of this.uniqueChecks) {
            const k = this.combinationKey(u.columns, u.month);
            const first = u.seen.get(k);
            if (first === undefined) u.seen.set(k, { line: row.line, text: this.out[u.at] });
            else if (u.rule.severity === "warning") {
                const c = plan.columns[u.at];
                this.warn(
                    u.rule.code,
                    u.rule.message(this.rowValue, { where: `on line ${first.line}`, value: first.text }),
                    c.label,
                    row.fields[c.index],
                );
            }
        }
        if (this.keyPlanIndex >= 0)
            for (const t of this.referencedTargets) {
                const v = this.values[t.at];
                if (
                    !this.valid[t.at] ||
                    (t.rule.min !== undefined && v < t.rule.min) ||
                    (t.rule.max !== undefined && v > t.rule.max)
                )
                    continue;
                t.keys.set(norm(this.out[this.keyPlanIndex]), this.out[t.at]);
            }
        for (const source of this.coverageSources) source.keys.add(this.combinationKey(source.columns, source.month));
        for (const check of this.coverageChecks) {
            if (!check.found) continue;
            if (this.covered(check, check.found)) continue;
            const k = this.combinationKey(check.columns, check.month);
            const seen = check.missing.get(k);
            if (seen) seen.rows++;
            else
                check.missing.set(k, {
                    file: this.file,
                    line: row.line,
                    rows: 1,
                    values: check.columns.map((i) => this.out[i]),
                });
        }
    }

    /**
     * Whether the `by` table has the current row's combination. Remembered by each part (text as
     * normalized, dates by month number) in nested maps, so the million charge lines of a few
     * thousand agency-months build no key string each.
     */
    private covered(check: CoverageCheck, found: Set<string>): boolean {
        let node = check.memo;
        const last = check.columns.length - 1;
        for (let i = 0; i < last; i++) {
            const part = this.memoPart(check, i);
            let next = node.get(part) as CoverageMemo | undefined;
            if (next === undefined) {
                next = new Map();
                node.set(part, next);
            }
            node = next;
        }
        const part = this.memoPart(check, last);
        let hit = node.get(part) as boolean | undefined;
        if (hit === undefined) {
            hit = found.has(this.combinationKey(check.columns, check.month));
            if (check.memoSize++ < 100_000) node.set(part, hit);
        }
        return hit;
    }

    private memoPart(check: CoverageCheck, i: number): string | number {
        const at = check.columns[i];
        const value = this.out[at];
        if (!check.month[i]) return this.normalized(value);
        return value === "" ? -1 : monthOf(this.values[at]);
    }

    /** Row rules of the schema (ranges, comparisons, patterns) on the parsed values. */
    private checkRowRules(plan: HeaderPlan): void {
        const { out, values, valid } = this;
        for (const check of this.rowChecks) {
            const rule = check.rule;
            if (!valid[check.at]) continue;
            let broken: boolean;
            if (rule.kind === "range") {
                const v = values[check.at];
                broken =
                    (rule.min !== undefined && v < rule.min) ||
                    (rule.above !== undefined && v <= rule.above) ||
                    (rule.max !== undefined && v > rule.max);
            } else if (rule.kind === "compare") {
                if (!valid[check.other]) continue;
                const given = check.unless >= 0 ? (out[check.unless] ?? "").trim().toLowerCase() : "";
                if (rule.unlessGiven?.values.includes(given)) continue;
                broken =
                    rule.op === "before"
                        ? values[check.at] < values[check.other]
                        : values[check.at] === values[check.other];
            } else {
                broken = !(check.regex as RegExp).test(out[check.at]);
            }
            if (!broken) continue;
            const message = rule.message(this.rowValue);
            if (rule.severity === "error") this.fail(rule.code, message, plan.columns[check.at].label, out[check.at]);
            else this.warn(rule.code, message, plan.columns[check.at].label, out[check.at]);
        }
    }

    finish(): TableSummary {
        for (const check of this.coverageChecks) {
            const rule = check.rule;
            for (const miss of check.missing.values()) {
                const first: RuleRow = (column) => miss.values[rule.columns.indexOf(column)] ?? "";
                const month = miss.values[check.month.indexOf(true)]?.slice(0, 7) ?? "";
                this.log({
                    severity: rule.severity,
                    code: rule.code,
                    file: miss.file,
                    line: miss.line,
                    column: rule.column,
                    value: first(rule.column),
                    message: rule.message(first, miss.rows, month),
                });
            }
        }
        this.clean?.close();
        this.rejected?.close();
        const s = this.summary;
        // The tool's own check: every row read is accepted or quarantined, and written where it says.
        if (s.rowsRead !== s.accepted + s.quarantined)
            throw new Error(
                `Internal error: ${s.table} read ${s.rowsRead} rows but accepted ${s.accepted} and quarantined ${s.quarantined}`,
            );
        if (this.clean && this.clean.rows !== s.accepted)
            throw new Error(`Internal error: ${s.table} accepted ${s.accepted} rows but wrote ${this.clean.rows}`);
        if (this.ctx.output && this.rejectedWritten !== s.quarantined)
            throw new Error(
                `Internal error: ${s.table} quarantined ${s.quarantined} rows but wrote ${this.rejectedWritten}`,
            );
        // Only a table read whole can vouch for references to it; otherwise they go unchecked (with a warning).
        if (this.keyIndex && s.status === "ok") this.ctx.keys.set(s.table, this.keyIndex);
        if (s.status === "ok") for (const c of this.coverageSources) this.ctx.coverage.set(c.rule.code, c.keys);
        return s;
    }
}

/** Columns whose number a rule compares (the other decimal columns are only checked and normalized). */
const VALUE_COLUMNS = new Set(
    VALIDATION_RULES.flatMap((r: ValidationRule) =>
        r.kind === "range"
            ? [`${r.table}.${r.column}`]
            : r.kind === "compare"
              ? [`${r.table}.${r.column}`, `${r.table}.${r.other}`]
              : r.kind === "referenced-range"
                ? [`${r.target}.${r.targetColumn}`]
                : [],
    ),
);

interface RowCheck {
    rule: Extract<ValidationRule, { kind: "range" | "compare" | "pattern" }>;
    at: number;
    other: number;
    /** The column that lifts a compare rule when given (unlessGiven), or -1. */
    unless: number;
    regex: RegExp | null;
}

interface UniqueCheck {
    rule: UniqueRule;
    at: number;
    columns: number[];
    month: boolean[];
    /** Combination -> the first accepted row holding it (line, and the reported column as written). */
    seen: Map<string, { line: number; text: string }>;
}

interface CoverageCheck {
    rule: CoverageRule;
    columns: number[];
    month: boolean[];
    /** The `by` table's combinations; null when it could not be read (nothing checked). */
    found: Set<string> | null;
    missing: Map<string, { file: string; line: number; rows: number; values: string[] }>;
    /** covered()'s answers so far, by part; memoSize counts the answers kept. */
    memo: CoverageMemo;
    memoSize: number;
}

/** Nested by the parts of a combination; the last level holds whether `found` has it. */
type CoverageMemo = Map<string | number, CoverageMemo | boolean>;

interface CoverageSource {
    rule: CoverageRule;
    columns: number[];
    month: boolean[];
    keys: Set<string>;
}

/** Edit distance (insertions, deletions, substitutions), ignoring case, spaces and underscores. */
function distance(a: string, b: string): number {
    const x = a.toLowerCase().replace(/[\s_-]/g, "");
    const y = b.toLowerCase().replace(/[\s_-]/g, "");
    let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
    for (let i = 1; i <= x.length; i++) {
        const current = [i];
        for (let j = 1; j <= y.length; j++)
            current[j] = Math.min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1),
            );
        previous = current;
    }
    return previous[y.length];
}

/** The candidate nearest to `name` within a third of its length (at least 2 edits), or null. */
export function nearestName(name: string, candidates: string[]): string | null {
    let best: string | null = null;
    let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
    for (const candidate of candidates) {
        const d = distance(name, candidate);
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    return best;
}

/** Whether trim() may shorten the text: its ends are control characters, spaces or not ASCII. */
function mayTrim(text: string): boolean {
    const first = text.charCodeAt(0);
    const last = text.charCodeAt(text.length - 1);
    return first <= 32 || last <= 32 || ((first >= 127 || last >= 127) && text.trim() !== text);
}

/** Whether every value is kept as written (the same count, the same text). */
function unchanged(values: string[], fields: string[]): boolean {
    if (values.length !== fields.length) return false;
    for (let i = 0; i < values.length; i++) if (values[i] !== fields[i]) return false;
    return true;
}

function isBlank(fields: string[]): boolean {
    for (let i = 0; i < fields.length; i++) {
        const f = fields[i];
        if (f !== "" && (f.charCodeAt(0) > 32 || f.trim() !== "")) return false;
    }
    return true;
}

export async function validateTable(table: TableDef, ctx: RunContext): Promise<TableSummary> {
    const problems: Omit<Problem, "table">[] = [];
    const files = tableFiles(ctx, table, (p) => problems.push(p));
    for (const p of problems) ctx.log.add({ ...p, table: table.source as string } as Problem);
    if (!files || files.length === 0)
        return {
            table: table.source as string,
            status: "missing",
            files: [],
            rowsRead: 0,
            accepted: 0,
            quarantined: 0,
            blankLines: 0,
        };
    const checker = new TableChecker(table, ctx, files);
    for (const file of files) await checker.readFile(file);
    return checker.finish();
}

/** Matches the header to the schema's columns after the mapping's renames. */
function planHeader(
    table: TableDef,
    ctx: RunContext,
    file: string,
    header: string[],
    log: (p: Omit<Problem, "table">) => void,
): HeaderPlan {
    const tm = tableMapping(ctx.mapping, table.source as string);
    const renames = new Map<string, { theirs: string; ours: string }>();
    for (const [theirs, ours] of Object.entries(tm.columns ?? {})) renames.set(norm(theirs), { theirs, ours });
    const bySource = new Map(table.columns.map((c) => [norm(c.source), c]));
    // Matched as the model's M matches them (src/reading.ts): ignoring case and surrounding spaces, after the renames.
    const canonical = canonicalHeaders(table, ctx.mapping);
    const assigned = new Map<string, number>();
    const unnamed = new Set<number>();
    const headerLabel = new Map<string, string>();
    const extras: Omit<Problem, "table">[] = [];
    header.forEach((name, i) => {
        const n = norm(name);
        if (n === "") {
            unnamed.add(i);
            if (i === header.length - 1 && header.length > 1)
                log({
                    severity: "warning",
                    code: "trailing-delimiter",
                    file,
                    line: 1,
                    message: "the header ends with a delimiter (the empty last column is ignored)",
                });
            else
                log({
                    severity: "warning",
                    code: "unnamed-column",
                    file,
                    line: 1,
                    message: `column ${i + 1} has no name: left out`,
                });
            return;
        }
        const ours = canonical.get(headerKey(name));
        const column = ours === undefined ? undefined : table.columns.find((c) => c.source === ours);
        if (!column) {
            extras.push({
                severity: "warning",
                code: "extra-column",
                file,
                line: 1,
                column: name,
                message: `${showValue(name)} is not a column of ${table.source}: left out`,
            });
            return;
        }
        if (assigned.has(column.source)) {
            // Both readers rename it to the same name, and Power Query cannot load two columns of one name.
            log({
                severity: "error",
                code: "duplicate-column",
                file,
                line: 1,
                column: column.source,
                message: `${showValue(name)} is column ${column.source} again (column ${i + 1}, after column ${(assigned.get(column.source) as number) + 1}): the refresh fails on two columns of one name, so remove or rename one (the validator reads the first)`,
            });
            return;
        }
        assigned.set(column.source, i);
        headerLabel.set(column.source, name === column.source ? column.source : `${column.source} ("${name.trim()}")`);
    });
    const missing = table.columns.filter((c) => !c.optional && !assigned.has(c.source));
    let fatal: string | null = null;
    if (header.some((h) => h.includes("\r"))) {
        fatal =
            "the file's lines end with a carriage return alone (classic Mac line endings), so it reads as one line: save it with LF or CRLF line endings";
        log({ severity: "error", code: "cr-line-endings", file, line: 1, message: fatal });
        extras.length = 0;
    } else if (missing.length > 0) {
        const delimiter = ctx.mapping.delimiter;
        const line = header.join(delimiter);
        const known = new Set([...bySource.keys(), ...renames.keys()]);
        const other = [",", ";", "\t", "|"]
            .filter((d) => d !== delimiter)
            .find((d) => line.split(d).filter((f) => known.has(norm(f))).length >= 2);
        if (other !== undefined && header.length <= 2) {
            const name = other === "\t" ? "tab" : `"${other}"`;
            const json = other === "\t" ? "\\t" : other;
            fatal = `the file seems to use ${name} as its delimiter, not "${delimiter}" (set "delimiter": "${json}" in the mapping file)`;
            log({ severity: "error", code: "wrong-delimiter", file, line: 1, message: fatal });
            extras.length = 0; // its "extra columns" are the whole header line: not worth a warning
        } else {
            const renamedFrom = (c: ColumnDef): string => {
                const theirs = [...renames.values()].find((r) => r.ours === c.source)?.theirs;
                return theirs ? ` (the mapping expects it as "${theirs}")` : "";
            };
            // The nearest header the schema does not know, for a misspelt name.
            const unknown = header.filter((h, i) => !unnamed.has(i) && ![...assigned.values()].includes(i));
            const hints = missing.flatMap((c) => {
                const near = renamedFrom(c) ? null : nearestName(c.source, unknown);
                return near === null
                    ? []
                    : [
                          `did you mean ${showValue(near)} for ${c.source}? Rename it, or map it in the mapping file: "columns": { ${JSON.stringify(near)}: "${c.source}" }`,
                      ];
            });
            fatal = `required column${missing.length > 1 ? "s" : ""} ${missing.map((c) => `${c.source}${renamedFrom(c)}`).join(", ")} ${missing.length > 1 ? "are" : "is"} missing (the header has ${header.map((h) => showValue(h)).join(", ")})${hints.map((h) => `; ${h}`).join("")}`;
            log({ severity: "error", code: "missing-column", file, line: 1, message: fatal });
        }
    }
    for (const extra of extras) log(extra);
    const trimmed = trimmedColumns(table);
    const columns: ColumnPlan[] = table.columns.map((def) => ({
        def,
        index: assigned.get(def.source) ?? -1,
        label: headerLabel.get(def.source) ?? def.source,
        required: !def.optional,
        allowed: def.allowed ?? null,
        reference: REFERENCES.get(table.source as string)?.get(def.source) ?? null,
        emptyAllowed: def.emptyAllowed === true,
        trim: trimmed.has(def.source),
        expectation:
            def.kind === "date"
                ? ctx.dates.expectation
                : def.kind === "int"
                  ? ctx.numbers.wholeExpectation
                  : ctx.numbers.expectation,
        needsValue:
            (def.kind !== "number" && def.kind !== "currency") || VALUE_COLUMNS.has(`${table.source}.${def.source}`),
    }));
    const inOrder =
        ctx.mapping.delimiter === "," && header.length === columns.length && columns.every((c, i) => c.index === i);
    return { columns, width: header.length, unnamed, fatal, theirHeader: header, inOrder };
}
