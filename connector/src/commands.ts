/**
 * The connector's commands, callable in-process (tests) or from cli.ts. Every failure is a
 * ConnectorError with a message for the user; `run` turns it into exit code 1 (2 for usage).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { sourceTables, DEFAULT_FISCAL_YEAR_START_MONTH } from "./schema";
import { DEFAULT_MAPPING, Mapping, MappingError, parseMapping, tableMapping } from "./mapping";
import { SourceConfig, SourceKind } from "./m";
import { buildModel } from "./model";
import { checkOutput, ModelFormat, OutputError } from "./pbip";
import { findVisualPackage, generateProject, readVisualPackage, RegenerateRefused, ReportDefinitionError, VisualPackage, VisualPackageError } from "./report";
import { generateSample, SAMPLE_STATUS_DATE } from "../sample/generate";
import { computeReference, referenceJson } from "./reference";
import { renderReadme } from "./docs";
import { CannotValidateError, DateFormatError, formatReport, OutputError as ValidateOutputError, UnreadableFileError, validateFolder } from "./validate";

export const USAGE = `Usage:
  npm run connector -- generate --source csv --folder <dir> --out <dir> [options]
  npm run connector -- generate --source sqlserver --server <host> --database <name> --out <dir> [options]
  npm run connector -- generate --source postgres --server <host> --database <name> --out <dir> [options]
  npm run connector -- sample [--out <dir>]     rewrite the sample CSVs and expected.json
  npm run connector -- docs                     rewrite connector/README.md's table docs
  npm run connector -- validate --folder <dir> [--mapping <file.json>] [--out <dir>] [--examples <n>]
                                                check the CSV exports before a refresh; exit 0 clean,
                                                1 rows quarantined, 2 could not run; --out writes the
                                                clean tables, <table>.rejected.csv and report.json;
                                                --examples: lines shown per kind of problem (5)

Options for generate:
  --mapping <file.json>      the state's column names, file/table names and date format
  --name <name>              project name (default "Agency IT Scorecard")
  --format tmdl|bim          model as TMDL (default) or TMSL model.bim
  --fiscal-year-start <1-12> month the fiscal year starts (default 7, July)
  --visual <file.pbiviz>     the packaged visual the report embeds (default dist/*.pbiviz)
  --force                    regenerate over generated files changed since (added pages are kept)`;

export const DEFAULT_PROJECT_NAME = "Agency IT Scorecard";
const SOURCES: readonly SourceKind[] = ["csv", "sqlserver", "postgres"];

export class ConnectorError extends Error {
    constructor(message: string, readonly exitCode = 1) {
        super(message);
    }
}

class UsageError extends ConnectorError {
    constructor(message: string) {
        super(`${message}\n\n${USAGE}`, 2);
    }
}

export interface Output {
    out: (text: string) => void;
    err: (text: string) => void;
}

function loadMapping(file: string | undefined): Mapping {
    if (!file) return DEFAULT_MAPPING;
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new ConnectorError(`Cannot read the mapping file ${file}.`);
    }
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (error) {
        throw new ConnectorError(`The mapping file ${file} is not valid JSON (${(error as Error).message}).`);
    }
    try {
        return parseMapping(raw, file);
    } catch (error) {
        if (error instanceof MappingError) throw new ConnectorError(error.message);
        throw error;
    }
}

/** CSV: the folder must exist and hold every input file (or sub-folder) the mapping names. */
function checkCsvFolder(folder: string, mapping: Mapping): void {
    if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) throw new ConnectorError(`Source folder ${folder} does not exist or is not a folder.`);
    const missing: string[] = [];
    for (const table of sourceTables()) {
        const tm = tableMapping(mapping, table.source as string);
        const entry = tm.folder ?? tm.file ?? `${table.source}.csv`;
        if (!fs.existsSync(path.join(folder, entry))) missing.push(entry);
    }
    if (missing.length > 0) throw new ConnectorError(`Source folder ${folder} lacks ${missing.join(", ")} (name other files in a mapping file with --mapping).`);
}

function generate(args: string[], io: Output): void {
    let values;
    try {
        values = parseArgs({
            args,
            strict: true,
            allowPositionals: false,
            options: {
                source: { type: "string" }, folder: { type: "string" }, server: { type: "string" }, database: { type: "string" },
                out: { type: "string" }, mapping: { type: "string" }, name: { type: "string" }, format: { type: "string" },
                "fiscal-year-start": { type: "string" },
                visual: { type: "string" }, force: { type: "boolean" },
            },
        }).values;
    } catch (error) {
        throw new UsageError((error as Error).message);
    }
    const source = values.source;
    if (!source) throw new UsageError("Missing --source (csv, sqlserver or postgres).");
    if (!SOURCES.includes(source as SourceKind)) throw new UsageError(`Unknown source "${source}": use csv, sqlserver or postgres.`);
    if (!values.out) throw new UsageError("Missing --out <dir>: the folder to write the project to.");
    const format = (values.format ?? "tmdl") as ModelFormat;
    if (format !== "tmdl" && format !== "bim") throw new UsageError(`Unknown format "${values.format}": use tmdl or bim.`);
    const name = values.name ?? DEFAULT_PROJECT_NAME;
    if (!/^[^<>:"/\\|?*\u0000-\u001f]+$/.test(name) || name.trim() !== name) throw new UsageError(`Invalid --name "${name}": no path separators, leading/trailing spaces or <>:"|?*.`);
    const fiscalText = values["fiscal-year-start"] ?? String(DEFAULT_FISCAL_YEAR_START_MONTH);
    const fiscalYearStartMonth = Number(fiscalText);
    if (!Number.isInteger(fiscalYearStartMonth) || fiscalYearStartMonth < 1 || fiscalYearStartMonth > 12) throw new UsageError(`Invalid --fiscal-year-start "${fiscalText}": a month number from 1 to 12.`);

    const mapping = loadMapping(values.mapping);
    let config: SourceConfig;
    if (source === "csv") {
        if (!values.folder) throw new UsageError("--source csv needs --folder <dir> with the CSV exports.");
        if (values.server || values.database) throw new UsageError("--server and --database are for sqlserver and postgres, not csv.");
        const folder = path.resolve(values.folder);
        checkCsvFolder(folder, mapping);
        config = { kind: "csv", folder };
    } else {
        if (!values.server || !values.database) throw new UsageError(`--source ${source} needs --server and --database.`);
        if (values.folder) throw new UsageError("--folder is for --source csv.");
        config = { kind: source as "sqlserver" | "postgres", server: values.server, database: values.database };
    }
    const model = buildModel({ name, source: config, mapping, fiscalYearStartMonth });
    let written: number;
    let kept: number;
    try {
        checkOutput(values.out, name);
        const pkg: VisualPackage = readVisualPackage(findVisualPackage(values.visual));
        const plan = generateProject(values.out, model, format, pkg, values.force === true);
        written = plan.files.size;
        kept = plan.keep.length;
        if (plan.replaced.length > 0) io.err(`Replaced ${plan.replaced.length} changed file(s) (--force): ${plan.replaced.join(", ")}`);
    } catch (error) {
        if (error instanceof OutputError || error instanceof VisualPackageError || error instanceof RegenerateRefused || error instanceof ReportDefinitionError) {
            throw new ConnectorError(error.message);
        }
        throw error;
    }
    const keptText = kept > 0 ? ` and kept ${kept} file(s) you added` : "";
    io.out(`Wrote ${written} files to ${values.out}${keptText}: open ${path.join(values.out, `${name}.pbip`)} in Power BI Desktop.`);
}

function sample(args: string[], io: Output): void {
    let out: string;
    try {
        out = parseArgs({ args, strict: true, options: { out: { type: "string" } } }).values.out ?? path.join(__dirname, "..", "sample");
    } catch (error) {
        throw new UsageError((error as Error).message);
    }
    fs.mkdirSync(out, { recursive: true });
    for (const [file, content] of generateSample()) fs.writeFileSync(path.join(out, file), content, "utf8");
    fs.writeFileSync(path.join(out, "expected.json"), referenceJson(computeReference(out, SAMPLE_STATUS_DATE)), "utf8");
    io.out(`Wrote the sample CSVs and expected.json to ${out}.`);
}

function docs(args: string[], io: Output): void {
    if (args.length > 0) throw new UsageError(`docs takes no arguments (got ${args.join(" ")}).`);
    const file = path.join(__dirname, "..", "README.md");
    fs.writeFileSync(file, renderReadme(fs.readFileSync(file, "utf8")), "utf8");
    io.out(`Updated the table docs in ${file}.`);
}

/**
 * `validate`: checks the CSV exports against the schema. Exit 0 clean, 1 when rows were
 * quarantined (or a file or required column is missing), 2 when it could not run.
 */
export async function validate(args: string[], io: Output): Promise<number> {
    let values;
    try {
        values = parseArgs({
            args,
            strict: true,
            allowPositionals: false,
            options: { folder: { type: "string" }, mapping: { type: "string" }, out: { type: "string" }, examples: { type: "string" } },
        }).values;
    } catch (error) {
        throw new UsageError((error as Error).message);
    }
    if (!values.folder) throw new UsageError("validate needs --folder <dir> with the CSV exports.");
    const examples = Number(values.examples ?? "5");
    if (!Number.isInteger(examples) || examples < 1) throw new UsageError(`Invalid --examples "${values.examples}": a whole number of example lines per kind of problem, 1 or more.`);
    let mapping: Mapping;
    try {
        mapping = loadMapping(values.mapping);
    } catch (error) {
        if (error instanceof ConnectorError) throw new ConnectorError(error.message, 2);
        throw error;
    }
    try {
        const report = await validateFolder({ folder: values.folder, mapping, mappingFile: values.mapping ?? null, out: values.out ?? null, maxExamples: examples });
        io.out(formatReport(report, values.out));
        return report.exitCode;
    } catch (error) {
        if (error instanceof CannotValidateError || error instanceof UnreadableFileError || error instanceof ValidateOutputError || error instanceof DateFormatError) {
            throw new ConnectorError(error.message, 2);
        }
        throw error;
    }
}

/** Runs any command, the asynchronous validate included; returns the process exit code. */
export async function runAsync(argv: string[], io: Output = { out: console.log, err: console.error }): Promise<number> {
    if (argv[0] !== "validate") return run(argv, io);
    try {
        return await validate(argv.slice(1), io);
    } catch (error) {
        if (error instanceof ConnectorError) {
            io.err(`Error: ${error.message}`);
            return error.exitCode;
        }
        io.err(`Unexpected error: ${(error as Error).stack ?? String(error)}`);
        return 2;
    }
}

/** Runs a command line; returns the process exit code. */
export function run(argv: string[], io: Output = { out: console.log, err: console.error }): number {
    const [command, ...rest] = argv;
    try {
        switch (command) {
            case "generate": generate(rest, io); return 0;
            case "sample": sample(rest, io); return 0;
            case "docs": docs(rest, io); return 0;
            case "validate": throw new ConnectorError("validate reads files as streams: call runAsync (cli.ts does).", 2);
            case "help": case "--help": case "-h": io.out(USAGE); return 0;
            case undefined: throw new UsageError("No command given.");
            default: throw new UsageError(`Unknown command "${command}".`);
        }
    } catch (error) {
        if (error instanceof ConnectorError) {
            io.err(`Error: ${error.message}`);
            return error.exitCode;
        }
        io.err(`Unexpected error: ${(error as Error).stack ?? String(error)}`);
        return 1;
    }
}
