/**
 * The billing-table validator: checks a folder of CSV exports against the schema (after the
 * mapping), reports every problem by file, line and column, and with --out writes the accepted
 * rows as clean CSV, the quarantined rows as <table>.rejected.csv, and report.json.
 */
import * as fs from "node:fs";
import { sourceTables, TableDef } from "../schema";
import { Mapping } from "../mapping";
import { describe, ProblemGroup, ProblemLog, MAX_EXAMPLES } from "./problems";
import { DateParser, numberFormat, NumberParser } from "./values";
import { OutputFolder } from "./output";
import { ENCODINGS } from "./source";
import { RunContext, TABLE_ORDER, TableSummary, validateTable } from "./tables";

export { OutputError } from "./output";
export { UnreadableFileError } from "./tables";
export { DateFormatError } from "./values";

export interface ValidateOptions {
    folder: string;
    mapping: Mapping;
    /** The mapping file's path, for the report (null: defaults). */
    mappingFile?: string | null;
    out?: string | null;
    maxExamples?: number;
}

export interface ValidationReport {
    tool: "agency-it-scorecard validate";
    folder: string;
    mapping: string | null;
    /** 0 clean (warnings allowed), 1 rows quarantined or a file or column missing. */
    exitCode: 0 | 1;
    verdict: "clean" | "quarantined";
    tables: TableSummary[];
    totals: {
        rowsRead: number;
        accepted: number;
        quarantined: number;
        blankLines: number;
        errors: number;
        warnings: number;
    };
    problems: ProblemGroup[];
}

/** Thrown when the validator cannot run at all (exit 2): bad folder, mapping or output. */
export class CannotValidateError extends Error {}

export async function validateFolder(options: ValidateOptions): Promise<ValidationReport> {
    const { folder, mapping } = options;
    if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory())
        throw new CannotValidateError(`Source folder ${folder} does not exist or is not a folder.`);
    if (!ENCODINGS[mapping.encoding])
        throw new CannotValidateError(
            `The mapping's encoding ${mapping.encoding} is not one the validator reads (it reads code pages ${Object.keys(ENCODINGS).join(", ")}).`,
        );
    const dates = new DateParser(mapping.dateFormat, mapping.culture);
    const output = options.out ? new OutputFolder(options.out, folder) : null;
    const log = new ProblemLog(options.maxExamples ?? MAX_EXAMPLES);
    const ctx: RunContext = {
        folder,
        mapping,
        numbers: new NumberParser(numberFormat(mapping)),
        dates,
        log,
        output,
        keys: new Map(),
        coverage: new Map(),
    };
    const tables: TableSummary[] = [];
    try {
        for (const source of TABLE_ORDER) {
            const table = findTableBySource(source);
            tables.push(await validateTable(table, ctx));
        }
    } catch (error) {
        output?.abort();
        throw error;
    }
    const totals = {
        rowsRead: 0,
        accepted: 0,
        quarantined: 0,
        blankLines: 0,
        errors: log.errors,
        warnings: log.warnings,
    };
    for (const t of tables) {
        totals.rowsRead += t.rowsRead;
        totals.accepted += t.accepted;
        totals.quarantined += t.quarantined;
        totals.blankLines += t.blankLines;
    }
    const failed = log.errors > 0 || totals.quarantined > 0;
    const report: ValidationReport = {
        tool: "agency-it-scorecard validate",
        folder,
        mapping: options.mappingFile ?? null,
        exitCode: failed ? 1 : 0,
        verdict: failed ? "quarantined" : "clean",
        tables,
        totals,
        problems: log.list(),
    };
    output?.commit(`${JSON.stringify(report, null, 2)}\n`);
    return report;
}

function findTableBySource(source: string): TableDef {
    const table = sourceTables().find((t) => t.source === source);
    if (!table) throw new Error(`No input table ${source} in the schema`);
    return table;
}

const n = (value: number): string => value.toLocaleString("en-US");

/** Whether every line and row is accounted for, computed from the counts (never assumed). */
export function accounting(report: ValidationReport): string[] {
    const lines: string[] = [];
    if (!report.tables.every((t) => t.rowsRead === t.accepted + t.quarantined))
        lines.push("COUNTS DO NOT ADD UP: this is a bug in the validator.");
    const files = report.tables.flatMap((t) => t.files);
    for (const f of files) {
        if (!f.readable)
            lines.push(
                `Not read: ${f.file} (${n(f.bytes)} bytes) could not be read as CSV text, so none of its rows are counted.`,
            );
        else if (f.linesRead !== f.lines)
            lines.push(
                `Not every line is accounted for: ${f.file} has ${n(f.lines)} lines, ${n(f.linesRead)} were read.`,
            );
    }
    if (lines.length === 0)
        lines.push(
            `Every row is accounted for: rows read = accepted + quarantined in each table${files.length > 0 ? ", and every line of every file was read (as the header, a row or a blank line)" : ""}.`,
        );
    return lines;
}

/** The report as text for the terminal: table counts, problems grouped by kind, the verdict. */
export function formatReport(report: ValidationReport, out?: string | null): string {
    const lines: string[] = [];
    lines.push(
        `Validated ${report.tables.length} tables in ${report.folder}${report.mapping ? ` with the mapping ${report.mapping}` : " (no mapping file)"}.`,
    );
    lines.push("");
    const header = ["Table", "Rows read", "Accepted", "Quarantined", "Blank lines", "Status"];
    const rows = report.tables.map((t) => [
        t.table,
        n(t.rowsRead),
        n(t.accepted),
        n(t.quarantined),
        n(t.blankLines),
        t.status,
    ]);
    rows.push([
        "total",
        n(report.totals.rowsRead),
        n(report.totals.accepted),
        n(report.totals.quarantined),
        n(report.totals.blankLines),
        "",
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const fmt = (r: string[]): string =>
        r
            .map((cell, i) => (i === 0 || i === 5 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
            .join("  ")
            .trimEnd();
    lines.push(fmt(header));
    for (const r of rows) lines.push(fmt(r));
    lines.push(...accounting(report));
    for (const severity of ["error", "warning"] as const) {
        const groups = report.problems.filter((g) => g.severity === severity);
        if (groups.length === 0) continue;
        const total = groups.reduce((sum, g) => sum + g.count, 0);
        lines.push("");
        lines.push(
            `${severity === "error" ? "Errors" : "Warnings"} (${n(total)} in ${groups.length} kind${groups.length === 1 ? "" : "s"}${severity === "error" ? "; rows with errors are quarantined" : "; rows are kept"}):`,
        );
        for (const g of groups) {
            lines.push(`  ${g.file}${g.column ? `, column ${g.column}` : ""}: ${g.title} (${n(g.count)})`);
            for (const example of g.examples) lines.push(`    ${describe(example)}`);
            if (g.count > g.examples.length)
                lines.push(
                    `    ... and ${n(g.count - g.examples.length)} more like these${out ? " (all in report.json counts and the .rejected.csv files)" : ""}`,
                );
        }
    }
    lines.push("");
    if (report.exitCode === 0) {
        const warnings = report.totals.warnings;
        lines.push(
            `Clean: ${n(report.totals.accepted)} rows accepted${warnings > 0 ? `, ${n(warnings)} warning${warnings === 1 ? "" : "s"}` : ""}.`,
        );
    } else {
        const bad = report.tables.filter((t) => t.quarantined > 0 || t.status !== "ok").map((t) => t.table);
        lines.push(
            `Not clean: ${n(report.totals.quarantined)} rows quarantined, ${n(report.totals.errors)} errors in ${bad.join(", ")}.`,
        );
    }
    if (out)
        lines.push(
            `Wrote the accepted rows (<table>.csv), the quarantined rows (<table>.rejected.csv) and report.json to ${out}; generate the model without --mapping to load that folder.`,
        );
    return lines.join("\n");
}
