/**
 * Validates one input table (one file, or every .csv of a mapped sub-folder) against the schema,
 * streaming: each row is checked, then written to the clean CSV or to <table>.rejected.csv, so
 * memory holds only the keys of the tables other tables refer to, a Set of agency-months with a
 * headcount, and a few examples per kind of problem.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ColumnDef, RELATIONSHIPS, TableDef, TABLES } from "../schema";
import { Mapping, tableMapping } from "../mapping";
import { Problem, ProblemCode, ProblemLog, Severity, showValue } from "./problems";
import { DateParser, NumberParser, Parsed } from "./values";
import { CsvSink, OutputFolder } from "./output";
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
    /** agency|yyyy-MM of accepted headcount rows; null until headcount was validated. */
    headcountMonths: Set<string> | null;
}

/** Thrown for files that exist but cannot be opened or read: the validator cannot run (exit 2). */
export class UnreadableFileError extends Error {}

const NOUNS: Record<string, string> = { agencies: "agency", services: "service", teams: "team", goals: "goal", survey_responses: "response" };

/** Foreign keys whose empty value is allowed: a survey response need not be about one service. */
const OPTIONAL_REFERENCES = new Set(["survey_responses.ServiceName"]);

/** Order that lets every reference be checked: referenced tables first, headcount before charges. */
export const TABLE_ORDER = ["agencies", "services", "teams", "goals", "headcount", "charges", "goal_measurements", "survey_responses"] as const;

interface Reference { table: string; noun: string }

/** The input-table references of the schema's relationships (the Date table is generated, not checked). */
export function references(): Map<string, Map<string, Reference>> {
    const bySource = new Map<string, Map<string, Reference>>();
    for (const rel of RELATIONSHIPS) {
        const from = TABLES.find((t) => t.name === rel.fromTable);
        const to = TABLES.find((t) => t.name === rel.toTable);
        if (!from?.source || !to?.source) continue;
        const fromColumn = from.columns.find((c) => c.name === rel.fromColumn) as ColumnDef;
        const toColumn = to.columns.find((c) => c.name === rel.toColumn) as ColumnDef;
        if (!toColumn.key) continue;
        const map = bySource.get(from.source) ?? new Map<string, Reference>();
        map.set(fromColumn.source, { table: to.source, noun: NOUNS[to.source] ?? to.source });
        bySource.set(from.source, map);
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
    allowed: Set<string> | null;
    reference: Reference | null;
    rating: boolean;
}

interface HeaderPlan {
    columns: ColumnPlan[];
    width: number;
    /** Field indexes whose header is blank (a trailing delimiter or an unnamed column). */
    unnamed: Set<number>;
    /** Why the file's rows cannot be read as this table. */
    fatal: string | null;
    theirHeader: string[];
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
        try { entries = fs.readdirSync(dir); } catch { return null; }
        return entries.find((e) => e.toLowerCase() === name.toLowerCase()) ?? null;
    };
    const found = find(ctx.folder, entry);
    if (!found) {
        report({ severity: "error", code: "missing-file", file: entry, message: `${tm.folder ? "the sub-folder" : "the file"} ${entry} is not in ${ctx.folder}: the ${table.source} table cannot load (name another file or folder in the mapping file)` });
        return null;
    }
    const full = path.join(ctx.folder, found);
    if (tm.folder) {
        let entries: string[];
        try {
            if (!fs.statSync(full).isDirectory()) throw new UnreadableFileError(`${full} is not a folder (the mapping gives it as the ${table.source} folder).`);
            entries = fs.readdirSync(full);
        } catch (error) {
            if (error instanceof UnreadableFileError) throw error;
            throw new UnreadableFileError(`Cannot read the folder ${full} (${(error as Error).message}).`);
        }
        const csvs = entries.filter((e) => e.toLowerCase().endsWith(".csv")).sort();
        if (csvs.length === 0) report({ severity: "error", code: "missing-file", file: found, message: `the sub-folder ${found} holds no .csv files: the ${table.source} table would be empty` });
        return csvs.map((e) => `${found}/${e}`);
    }
    return [found];
}

export async function validateTable(table: TableDef, ctx: RunContext): Promise<TableSummary> {
    const source = table.source as string;
    const summary: TableSummary = { table: source, status: "ok", files: [], rowsRead: 0, accepted: 0, quarantined: 0, blankLines: 0 };
    const log = (p: Omit<Problem, "table">): void => ctx.log.add({ ...p, table: source } as Problem);
    const files = tableFiles(ctx, table, log);
    const refs = REFERENCES.get(source) ?? new Map<string, Reference>();
    const keyColumn = table.columns.find((c) => c.key);
    const keyIndex: KeyIndex | null = keyColumn ? { file: files?.[0] ?? "", accepted: new Map(), quarantined: new Map() } : null;
    if (!files) {
        summary.status = "missing";
        return summary;
    }
    // References to tables that could not be read cannot be checked: say so once.
    const checkable = new Map<string, Reference>();
    for (const [column, ref] of refs) {
        if (ctx.keys.has(ref.table)) checkable.set(column, ref);
        else log({ severity: "warning", code: "references-unchecked", file: files[0] ?? source, column, message: `references to ${ref.table} are not checked: ${ref.table} could not be read` });
    }
    const isHeadcount = source === "headcount";
    const isCharges = source === "charges";
    const headcountSeen = isHeadcount ? new Set<string>() : null;
    const headcountFirst = isHeadcount ? new Map<string, number>() : null;
    const noHeadcount = new Map<string, { file: string; line: number; rows: number; agency: string; month: string }>();
    const outColumns = table.columns.map((c) => c.source);
    const clean: CsvSink | null = ctx.output ? ctx.output.sink(`${source}.csv`, outColumns) : null;
    let rejected: CsvSink | null = null;
    let rejectedWritten = 0;

    for (const file of files) {
        const fileSummary: FileSummary = { file, bytes: 0, lines: 0, bom: false, lineEndings: "none", rowsRead: 0, accepted: 0, quarantined: 0, blankLines: 0 };
        summary.files.push(fileSummary);
        let header: HeaderPlan | null = null;
        let pendingBlank: number[] = [];

        const quarantine = (row: SourceRow, problems: Problem[]): void => {
            fileSummary.quarantined++;
            for (const p of problems) ctx.log.add(p);
            if (ctx.output) {
                if (!rejected) rejected = ctx.output.sink(`${source}.rejected.csv`, ["file", "line", "reason", ...(header?.theirHeader ?? [])]);
                rejected.write([file, String(row.line), problems.map((p) => (p.column ? `${p.column}: ${p.message}` : p.message)).join("; "), ...row.fields]);
                rejectedWritten++;
            }
        };

        const onRow = (row: SourceRow): void => {
            const fields = row.fields;
            const blank = fields.length === 1 ? fields[0].trim() === "" : fields.every((f) => f.trim() === "");
            if (blank && !row.quoteProblem && !row.invalidUtf8Lines) {
                fileSummary.blankLines++;
                pendingBlank.push(row.line);
                return;
            }
            if (pendingBlank.length > 0) {
                for (const line of pendingBlank) log({ severity: "warning", code: "blank-line", file, line, message: "blank line skipped (Power Query would load it as an empty row)" });
                pendingBlank = [];
            }
            if (!header) {
                header = planHeader(table, ctx, file, fields, log);
                return;
            }
            fileSummary.rowsRead++;
            const problems = checkRow(row);
            if (problems) {
                quarantine(row, problems);
            } else {
                fileSummary.accepted++;
            }
        };

        // Scratch arrays reused for every row (the hot path allocates only the output row).
        const parsed: ({ value: number } | null)[] = [];

        const checkRow = (row: SourceRow): Problem[] | null => {
            const plan = header as HeaderPlan;
            const fields = row.fields;
            const problem = (severity: Severity, code: ProblemCode, message: string, column?: string, value?: string): Problem => {
                const p: Problem = { severity, code, table: source, file, line: row.line, message };
                if (row.lastLine !== row.line) p.lastLine = row.lastLine;
                if (column !== undefined) p.column = column;
                if (value !== undefined) p.value = value;
                return p;
            };
            if (plan.fatal) return [problem("error", "file-unusable", `not read: ${plan.fatal}`)];
            if (row.invalidUtf8Lines) {
                const at = fields.findIndex((f) => f.includes("\uFFFD"));
                const col = at >= 0 ? plan.columns.find((c) => c.index === at)?.label ?? plan.theirHeader[at] : undefined;
                const lines = row.invalidUtf8Lines.join(", ");
                const message = `${at >= 0 ? `${showValue(fields[at])} has` : "has"} bytes that are not UTF-8 on line ${lines} (was the file saved as Windows-1252/ANSI? save it as UTF-8, or set "encoding": 1252 in the mapping)`;
                return [problem("error", "invalid-utf8", message, col, at >= 0 ? fields[at] : undefined)];
            }
            if (row.quoteProblem) {
                const code = row.unterminatedLast ? "truncated-line" : "bad-quotes";
                const message = row.unterminatedLast ? `the file ends inside a quoted field: the last line is truncated (${row.quoteProblem})` : row.quoteProblem;
                return [problem("error", code, message)];
            }
            const width = plan.width;
            if (fields.length !== width) {
                if (fields.length > width) {
                    let extraEmpty = true;
                    for (let i = width; i < fields.length; i++) if (fields[i].trim() !== "") extraEmpty = false;
                    if (!extraEmpty) {
                        return [problem("error", "too-many-fields", `has ${fields.length} fields, the header has ${width} (a value with an unquoted "${ctx.mapping.delimiter}" inside?)`)];
                    }
                    ctx.log.add(problem("warning", "trailing-delimiter", `ends with ${fields.length - width === 1 ? "a delimiter" : "delimiters"} after the last column (ignored)`));
                } else {
                    let onlyUnnamed = true;
                    for (let i = fields.length; i < width; i++) if (!plan.unnamed.has(i)) onlyUnnamed = false;
                    if (!onlyUnnamed) {
                        if (row.unterminatedLast) return [problem("error", "truncated-line", `the file ends in the middle of this line (${fields.length} of ${width} fields): the export looks cut off`)];
                        return [problem("error", "too-few-fields", `has ${fields.length} fields, the header has ${width}`)];
                    }
                }
            }
            let problems: Problem[] | null = null;
            const fail = (code: ProblemCode, message: string, column: string, value: string): void => {
                (problems ??= []).push(problem("error", code, message, column, value));
            };
            const out: string[] = new Array(plan.columns.length);
            for (let i = 0; i < plan.columns.length; i++) {
                const c = plan.columns[i];
                const raw = c.index >= 0 ? fields[c.index] ?? "" : "";
                parsed[i] = null;
                const kind = c.def.kind;
                if (kind === "text") {
                    if (raw === "" || raw.trim() === "") {
                        if (c.required && !(c.reference && OPTIONAL_REFERENCES.has(`${source}.${c.def.source}`))) fail("empty-value", "is empty: a value is required", c.label, raw);
                        out[i] = raw;
                        continue;
                    }
                    if (c.allowed && !c.allowed.has(raw)) {
                        ctx.log.add(problem("warning", "not-allowed", `${showValue(raw)} is not one of the schema's values (${[...c.allowed].join(", ")})`, c.label, raw));
                    }
                    if (c.reference) {
                        const index = ctx.keys.get(c.reference.table);
                        if (index && checkable.has(c.def.source)) {
                            const k = norm(raw);
                            if (!index.accepted.has(k)) {
                                const qLine = index.quarantined.get(k);
                                fail("unknown-reference", qLine !== undefined
                                    ? `${showValue(raw)} is a ${c.reference.noun} whose own row was quarantined (${index.file} line ${qLine})`
                                    : `${showValue(raw)} is not a ${c.reference.noun} in ${index.file}`, c.label, raw);
                            }
                        }
                    }
                    out[i] = raw;
                    continue;
                }
                if (raw === "" || raw.trim() === "") {
                    if (c.required) fail("empty-value", `is empty: expected ${kind === "date" ? ctx.dates.expectation : kind === "int" ? ctx.numbers.wholeExpectation : ctx.numbers.expectation}`, c.label, raw);
                    out[i] = "";
                    continue;
                }
                let result: Parsed;
                let code: ProblemCode;
                if (kind === "date") { result = ctx.dates.parse(raw); code = "bad-date"; } else if (kind === "int") { result = ctx.numbers.whole(raw); code = "bad-integer"; } else if (kind === "boolean") {
                    const b = norm(raw);
                    result = b === "true" || b === "false" ? { ok: true, text: b, value: b === "true" ? 1 : 0 } : { ok: false, problem: "is not true or false" };
                    code = "bad-number";
                } else { result = ctx.numbers.decimal(raw, kind === "currency"); code = "bad-number"; }
                if (!result.ok) {
                    fail(code, `${showValue(raw)} ${result.problem}`, c.label, raw);
                    out[i] = raw;
                    continue;
                }
                if (c.rating && (result.value < 1 || result.value > 5)) fail("bad-rating", `${showValue(raw)} is not a rating from 1 to 5`, c.label, raw);
                parsed[i] = result;
                out[i] = result.text;
            }
            domainRules(plan, out, fail, (code, message, column, value) => ctx.log.add(problem("warning", code, message, column, value)));
            // Keys: unique, compared as Power BI compares them.
            if (keyIndex && keyPlanIndex >= 0) {
                const raw = out[keyPlanIndex];
                const k = norm(raw);
                if (k !== "") {
                    const first = keyIndex.accepted.get(k);
                    if (first) {
                        const casing = first.text !== raw ? ` as ${showValue(first.text)}; Power BI compares keys ignoring case and surrounding spaces` : "";
                        fail("duplicate-key", `${showValue(raw)} is already the ${NOUNS[source] ?? "row"} key on line ${first.line}${casing}: keys must be unique`, plan.columns[keyPlanIndex].label, raw);
                    }
                }
                if (problems) {
                    if (k !== "" && !keyIndex.accepted.has(k) && !keyIndex.quarantined.has(k)) keyIndex.quarantined.set(k, row.line);
                } else {
                    keyIndex.accepted.set(k, { line: row.line, text: raw });
                }
            }
            if (problems) return problems;
            if (headcountSeen && headcountFirst) {
                const month = `${norm(out[agencyPlanIndex])}|${out[monthPlanIndex].slice(0, 7)}`;
                const first = headcountFirst.get(month);
                if (first !== undefined) {
                    ctx.log.add(problem("warning", "duplicate-headcount", `${out[agencyPlanIndex]} already has a headcount for ${out[monthPlanIndex].slice(0, 7)} on line ${first} (the model takes the larger)`, plan.columns[monthPlanIndex].label, fields[plan.columns[monthPlanIndex].index]));
                } else {
                    headcountFirst.set(month, row.line);
                }
                headcountSeen.add(month);
            }
            if (isCharges && ctx.headcountMonths) {
                const agency = out[agencyPlanIndex];
                const month = out[monthPlanIndex].slice(0, 7);
                const k = `${norm(agency)}|${month}`;
                if (!ctx.headcountMonths.has(k)) {
                    const seen = noHeadcount.get(k);
                    if (seen) seen.rows++;
                    else noHeadcount.set(k, { file, line: row.line, rows: 1, agency, month });
                }
            }
            if (clean) clean.write(out);
            return null;
        };

        const keyPlanIndex = keyColumn ? table.columns.indexOf(keyColumn) : -1;
        const agencyPlanIndex = table.columns.findIndex((c) => c.source === "SubAccountId");
        const monthPlanIndex = table.columns.findIndex((c) => c.source === (isCharges ? "ChargePeriodStart" : "x_Month"));

        /** Table rules beyond types, on the parsed values. */
        type Report = (code: ProblemCode, message: string, column: string, value: string) => void;
        const domainRules = (plan: HeaderPlan, out: string[], fail: Report, warn: Report): void => {
            if (isHeadcount) {
                const users = parsed[2];
                if (users && users.value <= 0) fail("users-not-positive", `${showValue(out[2])} users: must be above 0 (cost per user divides by it; leave the month out instead)`, plan.columns[2].label, out[2]);
            } else if (source === "goals") {
                const col = (s: string): number => table.columns.findIndex((c) => c.source === s);
                const baseline = parsed[col("x_Baseline")];
                const target = parsed[col("x_Target")];
                const start = parsed[col("x_StartDate")];
                const due = parsed[col("x_DueDate")];
                if (baseline && target && baseline.value === target.value) {
                    // A warning, not an error: the model handles maintain goals (Goal Progress % is
                    // blank and Goal Status compares the actual with the target); the sample has one.
                    warn("target-equals-baseline", `${showValue(out[col("x_Target")])} equals the baseline (${out[col("x_Baseline")]}): Goal Progress % will be blank and the status will only say whether the target is held (a maintain goal?)`, plan.columns[col("x_Target")].label, out[col("x_Target")]);
                }
                if (start && due && due.value < start.value) {
                    fail("due-before-start", `${showValue(out[col("x_DueDate")])} is before the start date ${out[col("x_StartDate")]}`, plan.columns[col("x_DueDate")].label, out[col("x_DueDate")]);
                }
            }
        };

        let stats: SourceStats;
        try {
            stats = await readCsv(path.join(ctx.folder, file), { delimiter: ctx.mapping.delimiter, encoding: ctx.mapping.encoding }, onRow);
        } catch (error) {
            if (error instanceof SourceShapeError) {
                log({ severity: "error", code: "not-text", file, message: error.message });
                summary.status = "unusable";
                fileSummary.rowsRead = fileSummary.accepted + fileSummary.quarantined;
                continue;
            }
            const e = error as NodeJS.ErrnoException;
            if (e.code) throw new UnreadableFileError(`Cannot read ${path.join(ctx.folder, file)} (${e.code}: ${e.message}).`);
            throw error;
        }
        if (pendingBlank.length > 0) {
            for (const line of pendingBlank) log({ severity: "warning", code: "blank-line", file, line, message: "blank line skipped (Power Query would load it as an empty row)" });
        }
        fileSummary.bytes = stats.bytes;
        fileSummary.lines = stats.lines;
        fileSummary.bom = stats.bom;
        fileSummary.lineEndings = lineEndings(stats);
        if (!header) {
            log({ severity: "error", code: "empty-file", file, message: `the file is empty: expected a header line with ${table.columns.filter((c) => !c.optional).map((c) => c.source).join(", ")}` });
            summary.status = "unusable";
        } else if ((header as HeaderPlan).fatal) {
            summary.status = "unusable";
        }
        summary.rowsRead += fileSummary.rowsRead;
        summary.accepted += fileSummary.accepted;
        summary.quarantined += fileSummary.quarantined;
        summary.blankLines += fileSummary.blankLines;
    }

    for (const miss of noHeadcount.values()) {
        log({
            severity: "warning", code: "no-headcount", file: miss.file, line: miss.line, column: "SubAccountId", value: miss.agency,
            message: `${miss.agency} has ${miss.rows} charge row${miss.rows === 1 ? "" : "s"} in ${miss.month} and no headcount that month: its cost per user will be blank`,
        });
    }
    clean?.close();
    (rejected as CsvSink | null)?.close();
    // The tool's own check: every row read is accepted or quarantined, and written where it says.
    if (summary.rowsRead !== summary.accepted + summary.quarantined) {
        throw new Error(`Internal error: ${source} read ${summary.rowsRead} rows but accepted ${summary.accepted} and quarantined ${summary.quarantined}`);
    }
    if (clean && clean.rows !== summary.accepted) throw new Error(`Internal error: ${source} accepted ${summary.accepted} rows but wrote ${clean.rows}`);
    if (ctx.output && rejectedWritten !== summary.quarantined) throw new Error(`Internal error: ${source} quarantined ${summary.quarantined} rows but wrote ${rejectedWritten}`);
    if (keyIndex && summary.status !== "missing") ctx.keys.set(source, keyIndex);
    if (headcountSeen && summary.status === "ok") ctx.headcountMonths = headcountSeen;
    return summary;
}

/** Matches the header to the schema's columns after the mapping's renames. */
function planHeader(table: TableDef, ctx: RunContext, file: string, header: string[], log: (p: Omit<Problem, "table">) => void): HeaderPlan {
    const tm = tableMapping(ctx.mapping, table.source as string);
    const renames = new Map<string, { theirs: string; ours: string }>();
    for (const [theirs, ours] of Object.entries(tm.columns ?? {})) renames.set(norm(theirs), { theirs, ours });
    const bySource = new Map(table.columns.map((c) => [norm(c.source), c]));
    const assigned = new Map<string, number>();
    const unnamed = new Set<number>();
    const headerLabel = new Map<string, string>();
    header.forEach((name, i) => {
        const n = norm(name);
        if (n === "") {
            unnamed.add(i);
            if (i === header.length - 1 && header.length > 1) log({ severity: "warning", code: "trailing-delimiter", file, line: 1, message: "the header ends with a delimiter (the empty last column is ignored)" });
            else log({ severity: "warning", code: "unnamed-column", file, line: 1, message: `column ${i + 1} has no name: left out` });
            return;
        }
        const rename = renames.get(n);
        const column = rename ? bySource.get(norm(rename.ours)) : bySource.get(n);
        if (!column) {
            log({ severity: "warning", code: "extra-column", file, line: 1, column: name, message: `${showValue(name)} is not a column of ${table.source}: left out` });
            return;
        }
        if (assigned.has(column.source)) {
            log({ severity: "warning", code: "duplicate-column", file, line: 1, column: column.source, message: `${showValue(name)} is column ${column.source} again (column ${i + 1}); the first one, column ${(assigned.get(column.source) as number) + 1}, is used` });
            return;
        }
        assigned.set(column.source, i);
        const exact = rename ? rename.theirs : column.source;
        headerLabel.set(column.source, name === column.source ? column.source : `${column.source} ("${name.trim()}")`);
        if (name !== exact) {
            log({ severity: "warning", code: "header-case", file, line: 1, column: column.source, message: `header ${showValue(name)} matches ${exact} only when case and surrounding spaces are ignored; Power Query matches names exactly, so refresh from the validator's --out folder or fix the header` });
        }
    });
    const missing = table.columns.filter((c) => !c.optional && !assigned.has(c.source));
    let fatal: string | null = null;
    if (missing.length > 0) {
        const delimiter = ctx.mapping.delimiter;
        const line = header.join(delimiter);
        const known = new Set([...bySource.keys(), ...renames.keys()]);
        const other = [",", ";", "\t", "|"].filter((d) => d !== delimiter).find((d) => line.split(d).filter((f) => known.has(norm(f))).length >= 2);
        if (other !== undefined && header.length <= 2) {
            const name = other === "\t" ? "tab" : `"${other}"`;
            const json = other === "\t" ? "\\t" : other;
            fatal = `the file seems to use ${name} as its delimiter, not "${delimiter}" (set "delimiter": "${json}" in the mapping file)`;
            log({ severity: "error", code: "wrong-delimiter", file, line: 1, message: fatal });
        } else {
            const renamedFrom = (c: ColumnDef): string => {
                const theirs = [...renames.values()].find((r) => r.ours === c.source)?.theirs;
                return theirs ? ` (the mapping expects it as "${theirs}")` : "";
            };
            fatal = `required column${missing.length > 1 ? "s" : ""} ${missing.map((c) => `${c.source}${renamedFrom(c)}`).join(", ")} ${missing.length > 1 ? "are" : "is"} missing (the header has ${header.map((h) => showValue(h)).join(", ")})`;
            log({ severity: "error", code: "missing-column", file, line: 1, message: fatal });
        }
    }
    const columns: ColumnPlan[] = table.columns.map((def) => ({
        def,
        index: assigned.get(def.source) ?? -1,
        label: headerLabel.get(def.source) ?? def.source,
        required: !def.optional,
        allowed: def.allowed ? new Set(def.allowed) : null,
        reference: REFERENCES.get(table.source as string)?.get(def.source) ?? null,
        rating: table.source === "survey_responses" && def.source === "x_Rating",
    }));
    return { columns, width: header.length, unnamed, fatal, theirHeader: header };
}
