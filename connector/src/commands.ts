/**
 * The connector's commands, callable in-process (tests) or from cli.ts, through one entry point,
 * `run`, and one command table. A failure meant for the user is a UserError carrying its exit
 * code, or an error class the command lists as its own (exit code: the command's failureCode);
 * anything else is a bug, reported with its stack and EXIT_UNEXPECTED by every command.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { sourceTables, DEFAULT_FISCAL_YEAR_START_MONTH, DEFAULT_MINIMUM_AGENCIES } from "./schema";
import { DEFAULT_MAPPING, Mapping, MappingError, parseMapping, tableMapping } from "./mapping";
import { SourceConfig, SourceKind } from "./m";
import { buildModel, DEFAULT_INCREMENTAL_REFRESH, Granularity, IncrementalRefresh, Period, StorageMode } from "./model";
import { checkOutput, ModelFormat, OutputError } from "./pbip";
import {
    findVisualPackage,
    FISCAL_YEAR,
    generateProject,
    readVisualPackage,
    RegenerateRefused,
    ReportDefinitionError,
    VisualPackage,
    VisualPackageError,
} from "./report";
import { generateSample, SAMPLE_STATUS_DATE } from "../sample/generate";
import { computeReference, referenceJson } from "./reference";
import { openingFiscalYear } from "./report/openingYear";
import { renderReadme, renderRootReadme } from "./docs";
import { Client } from "pg";
import { connect, Connection, ConnectionError, connectionConfig, safeMessage } from "./database/connection";
import { DatabaseValidateError, validateDatabase } from "./database/validate";
import { loadSample, LoadSampleError } from "./database/loadSample";
import {
    CannotValidateError,
    DateFormatError,
    formatReport,
    OutputError as ValidateOutputError,
    UnreadableFileError,
    validateFolder,
} from "./validate";
import { MANIFEST_FILE } from "./validate/output";

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
  npm run connector -- validate --source postgres --server <host> [--port <p>] --database <name>
                                [--schema <s>] [--mapping <file.json>] [--examples <n>] [--mode import|directquery]
                                                the same checks run as SQL inside PostgreSQL, in a
                                                read-only transaction; user and password from PGUSER,
                                                PGPASSWORD (or ~/.pgpass), or --url-env <VAR> naming an
                                                environment variable that holds a connection string;
                                                --mode directquery (the model's): keys with surrounding
                                                spaces are errors, as such a model relates them as stored
  npm run connector -- load-sample --source postgres --server <host> [--port <p>] --database <name>
                                [--schema <s>] [--column-types typed|text] [--folder <dir>] [--replace]
                                                create the sample billing tables (never over existing
                                                tables unless --replace)

Options for generate:
  --mapping <file.json>      the state's column names, file/table names and date format
  --name <name>              project name (default "Agency IT Scorecard")
  --format tmdl|bim          model as TMDL (default) or TMSL model.bim
  --fiscal-year-start <1-12> month the fiscal year starts (default 7, July)
  --min-agencies <n>         no statewide figure from fewer agencies (default 3)
  --visual <file.pbiviz>     the packaged visual the report embeds (default dist/*.pbiviz)
  --force                    regenerate over generated files changed since (added pages are kept)
  --validated                csv: --folder is a validate --out folder; the model reads its canonical
                             files with a strict, simple M (the recommended path)

Options for generate from sqlserver or postgres:
  --mode import|directquery  import every table (default), or query the fact tables live
                             (DirectQuery) with the dimension tables in dual mode
  --rolling-window <n><d|m|q|y>     import: charge history kept by incremental refresh (default 5y)
  --incremental-period <n><d|m|q|y> import: recent charge periods refreshed each time (default 3m)
  --range-start / --range-end <yyyy-MM-dd>  what Power BI Desktop loads (default 2025-06-01, 2025-07-01)
  --full-refresh             import: no incremental refresh policy (every refresh loads every row)`;

export const DEFAULT_PROJECT_NAME = "Agency IT Scorecard";
const SOURCES: readonly SourceKind[] = ["csv", "sqlserver", "postgres"];

/** Exit code of a bad command line, of a command that could not run, and of an unexpected error. */
export const EXIT_CANNOT_RUN = 2;
export const EXIT_UNEXPECTED = EXIT_CANNOT_RUN;

/** A failure whose message is for the user, with the process exit code it ends in. */
export class UserError extends Error {
    constructor(
        message: string,
        readonly exitCode = 1,
    ) {
        super(message);
    }
}

/** A bad command line: the message, then the usage. */
function usageError(message: string): UserError {
    return new UserError(`${message}\n\n${USAGE}`, EXIT_CANNOT_RUN);
}

type OptionsConfig = NonNullable<Parameters<typeof parseArgs>[0]>["options"];

/** node:util's parseArgs (strict, no positionals), its complaints turned into usage errors. */
function parseOptions<T extends OptionsConfig>(args: string[], options: T) {
    try {
        return parseArgs({ args, strict: true, allowPositionals: false, options }).values;
    } catch (error) {
        throw usageError((error as Error).message);
    }
}

export interface Output {
    out: (text: string) => void;
    err: (text: string) => void;
}

/** The mapping file given, or the default; a MappingError says what is wrong with it. */
function loadMapping(file: string | undefined): Mapping {
    if (!file) return DEFAULT_MAPPING;
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new MappingError(`Cannot read the mapping file ${file}.`);
    }
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (error) {
        throw new MappingError(`The mapping file ${file} is not valid JSON (${(error as Error).message}).`);
    }
    return parseMapping(raw, file);
}

/** CSV: the folder must exist and hold every input file (or sub-folder) the mapping names. */
function checkCsvFolder(folder: string, mapping: Mapping): void {
    if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory())
        throw new UserError(`Source folder ${folder} does not exist or is not a folder.`);
    const missing: string[] = [];
    for (const table of sourceTables()) {
        const tm = tableMapping(mapping, table.source as string);
        const entry = tm.folder ?? tm.file ?? `${table.source}.csv`;
        if (!fs.existsSync(path.join(folder, entry))) missing.push(entry);
    }
    if (missing.length > 0)
        throw new UserError(
            `Source folder ${folder} lacks ${missing.join(", ")} (name other files in a mapping file with --mapping).`,
        );
}

const GRANULARITIES: Record<string, Granularity> = { d: "day", m: "month", q: "quarter", y: "year" };

/** "5y", "36m", "8q", "90d" -> a number of periods of a granularity. */
export function parsePeriod(text: string, option: string): Period {
    const m = /^([1-9]\d{0,3})\s*(d|m|q|y)$/i.exec(text.trim());
    if (!m)
        throw usageError(
            `Invalid ${option} "${text}": a number and a unit, d (days), m (months), q (quarters) or y (years), e.g. 5y or 3m.`,
        );
    return { periods: Number(m[1]), granularity: GRANULARITIES[m[2].toLowerCase()] };
}

interface StorageValues {
    mode?: string;
    "rolling-window"?: string;
    "incremental-period"?: string;
    "full-refresh"?: boolean;
    "range-start"?: string;
    "range-end"?: string;
}

/** --mode of generate, and of validate --source postgres (the model the tables are for). */
function storageMode(value: string | undefined): StorageMode {
    const mode = value ?? "import";
    if (mode !== "import" && mode !== "directquery")
        throw usageError(`Unknown mode "${value}": use import or directquery.`);
    return mode;
}

/** --mode and the incremental refresh options, checked against the source. */
function storageOptions(
    values: StorageValues,
    config: SourceConfig,
): { mode: StorageMode; incrementalRefresh: IncrementalRefresh | null } {
    const mode = storageMode(values.mode);
    const incrementalOptions = [
        "rolling-window",
        "incremental-period",
        "full-refresh",
        "range-start",
        "range-end",
    ] as const;
    const given = incrementalOptions.filter((o) => values[o] !== undefined);
    if (config.kind === "csv") {
        if (mode !== "import")
            throw usageError(
                "--mode directquery needs a database source (sqlserver or postgres): CSV files are always imported.",
            );
        if (given.length > 0)
            throw usageError(
                `--${given[0]} is for database sources: incremental refresh needs a source that folds the date filter into its query.`,
            );
        return { mode, incrementalRefresh: null };
    }
    if (mode === "directquery") {
        if (given.length > 0)
            throw usageError(`--${given[0]} is for --mode import: DirectQuery tables are not refreshed.`);
        return { mode, incrementalRefresh: null };
    }
    if (values["full-refresh"]) {
        if (given.length > 1)
            throw usageError(
                "--full-refresh turns incremental refresh off: give no other incremental refresh option with it.",
            );
        return { mode, incrementalRefresh: null };
    }
    const policy: IncrementalRefresh = { ...DEFAULT_INCREMENTAL_REFRESH };
    if (values["rolling-window"]) policy.rollingWindow = parsePeriod(values["rolling-window"], "--rolling-window");
    if (values["incremental-period"])
        policy.incrementalPeriod = parsePeriod(values["incremental-period"], "--incremental-period");
    for (const [option, key] of [
        ["range-start", "rangeStart"],
        ["range-end", "rangeEnd"],
    ] as const) {
        const text = values[option];
        if (text === undefined) continue;
        const date = new Date(`${text}T00:00:00Z`);
        if (
            !/^\d{4}-\d{2}-\d{2}$/.test(text) ||
            Number.isNaN(date.getTime()) ||
            date.toISOString().slice(0, 10) !== text
        )
            throw usageError(`Invalid --${option} "${text}": a date yyyy-MM-dd.`);
        policy[key] = text;
    }
    if (policy.rangeStart >= policy.rangeEnd)
        throw usageError(`--range-start ${policy.rangeStart} must be before --range-end ${policy.rangeEnd}.`);
    const days = { day: 1, month: 31, quarter: 92, year: 366 };
    if (
        policy.incrementalPeriod.periods * days[policy.incrementalPeriod.granularity] >
        policy.rollingWindow.periods * days[policy.rollingWindow.granularity]
    ) {
        throw usageError(
            "--incremental-period must not be longer than --rolling-window (the refreshed periods are part of the stored ones).",
        );
    }
    return { mode, incrementalRefresh: policy };
}

function generate(args: string[], io: Output): number {
    const values = parseOptions(args, {
        source: { type: "string" },
        folder: { type: "string" },
        server: { type: "string" },
        database: { type: "string" },
        out: { type: "string" },
        mapping: { type: "string" },
        name: { type: "string" },
        format: { type: "string" },
        "fiscal-year-start": { type: "string" },
        "min-agencies": { type: "string" },
        visual: { type: "string" },
        force: { type: "boolean" },
        validated: { type: "boolean" },
        mode: { type: "string" },
        "rolling-window": { type: "string" },
        "incremental-period": { type: "string" },
        "full-refresh": { type: "boolean" },
        "range-start": { type: "string" },
        "range-end": { type: "string" },
    });
    const source = values.source;
    if (!source) throw usageError("Missing --source (csv, sqlserver or postgres).");
    if (!SOURCES.includes(source as SourceKind))
        throw usageError(`Unknown source "${source}": use csv, sqlserver or postgres.`);
    if (!values.out) throw usageError("Missing --out <dir>: the folder to write the project to.");
    const format = (values.format ?? "tmdl") as ModelFormat;
    if (format !== "tmdl" && format !== "bim") throw usageError(`Unknown format "${values.format}": use tmdl or bim.`);
    const name = values.name ?? DEFAULT_PROJECT_NAME;
    if (!/^[^<>:"/\\|?*\u0000-\u001f]+$/.test(name) || name.trim() !== name)
        throw usageError(`Invalid --name "${name}": no path separators, leading/trailing spaces or <>:"|?*.`);
    const fiscalText = values["fiscal-year-start"] ?? String(DEFAULT_FISCAL_YEAR_START_MONTH);
    const fiscalYearStartMonth = Number(fiscalText);
    if (!Number.isInteger(fiscalYearStartMonth) || fiscalYearStartMonth < 1 || fiscalYearStartMonth > 12)
        throw usageError(`Invalid --fiscal-year-start "${fiscalText}": a month number from 1 to 12.`);

    if (values.validated && values.mapping)
        throw usageError("--validated reads a validate --out folder, whose files need no --mapping.");
    const mapping = loadMapping(values.mapping);
    let config: SourceConfig;
    if (source === "csv") {
        if (!values.folder) throw usageError("--source csv needs --folder <dir> with the CSV exports.");
        if (values.server || values.database)
            throw usageError("--server and --database are for sqlserver and postgres, not csv.");
        const folder = path.resolve(values.folder);
        if (values.validated) {
            if (!fs.existsSync(path.join(folder, MANIFEST_FILE)))
                throw new UserError(
                    `${folder} is not a validate --out folder (it has no ${MANIFEST_FILE}): run validate --folder <exports> --out ${values.folder} first.`,
                );
        }
        checkCsvFolder(folder, mapping);
        config = { kind: "csv", folder, validated: values.validated === true };
    } else {
        if (values.validated) throw usageError("--validated is for --source csv (a validate --out folder).");
        if (!values.server || !values.database) throw usageError(`--source ${source} needs --server and --database.`);
        if (values.folder) throw usageError("--folder is for --source csv.");
        config = { kind: source as "sqlserver" | "postgres", server: values.server, database: values.database };
    }
    const storage = storageOptions(values, config);
    const minimumText = values["min-agencies"] ?? String(DEFAULT_MINIMUM_AGENCIES);
    if (!/^\d+$/.test(minimumText) || Number(minimumText) < 1)
        throw usageError(`Invalid --min-agencies "${minimumText}": a whole number of agencies, 1 or more.`);
    const minimumAgencies = Number(minimumText);
    const model = buildModel({ name, source: config, mapping, fiscalYearStartMonth, minimumAgencies, ...storage });
    checkOutput(values.out, name);
    const pkg: VisualPackage = readVisualPackage(findVisualPackage(values.visual));
    // CSV the connector can read now: the fiscal-year slicers open on the latest whole year.
    const opening = openingFiscalYear(config, mapping, fiscalYearStartMonth);
    const plan = generateProject(values.out, model, format, pkg, values.force === true, {
        openOn: opening ? { [FISCAL_YEAR]: opening } : {},
    });
    if (plan.replaced.length > 0)
        io.err(`Replaced ${plan.replaced.length} changed file(s) (--force): ${plan.replaced.join(", ")}`);
    const unchangedText =
        plan.unchanged.length > 0 ? ` (${plan.unchanged.length} already up to date, left as they were)` : "";
    const keptText = plan.keep.length > 0 ? ` and kept ${plan.keep.length} file(s) you added` : "";
    io.out(
        `Wrote ${plan.files.size} files to ${values.out}${unchangedText}${keptText}: open ${path.join(values.out, `${name}.pbip`)} in Power BI Desktop.`,
    );
    io.out(
        opening
            ? `The fiscal-year slicers open on ${opening}, the latest fiscal year with charges in every month.`
            : "The fiscal-year slicers open with no year selected: pick one (the charges could not be read now, or no fiscal year has charges in every month).",
    );
    return 0;
}

function sample(args: string[], io: Output): number {
    const out = parseOptions(args, { out: { type: "string" } }).out ?? path.join(__dirname, "..", "sample");
    fs.mkdirSync(out, { recursive: true });
    for (const [file, content] of generateSample()) fs.writeFileSync(path.join(out, file), content, "utf8");
    fs.writeFileSync(path.join(out, "expected.json"), referenceJson(computeReference(out, SAMPLE_STATUS_DATE)), "utf8");
    io.out(`Wrote the sample CSVs and expected.json to ${out}.`);
    return 0;
}

function docs(args: string[], io: Output): number {
    if (args.length > 0) throw usageError(`docs takes no arguments (got ${args.join(" ")}).`);
    const file = path.join(__dirname, "..", "README.md");
    fs.writeFileSync(file, renderReadme(fs.readFileSync(file, "utf8")), "utf8");
    const root = path.join(__dirname, "..", "..", "README.md");
    fs.writeFileSync(root, renderRootReadme(fs.readFileSync(root, "utf8")), "utf8");
    io.out(`Updated the table docs in ${file} and the rules in ${root}.`);
    return 0;
}

/**
 * `validate`: checks the CSV exports against the schema. Exit 0 clean, 1 when rows were
 * quarantined (or a file or required column is missing), 2 when it could not run.
 */
async function validate(args: string[], io: Output): Promise<number> {
    const values = parseOptions(args, {
        folder: { type: "string" },
        mapping: { type: "string" },
        out: { type: "string" },
        examples: { type: "string" },
        source: { type: "string" },
        mode: { type: "string" },
        ...DATABASE_OPTIONS,
    });
    const source = values.source ?? "csv";
    if (!SOURCES.includes(source as SourceKind)) throw usageError(`Unknown source "${source}": use csv or postgres.`);
    if (source === "sqlserver")
        throw new UserError(
            "validate --source sqlserver is not supported yet: the checks run as PostgreSQL SQL. Validate an export of the tables with --folder, or a PostgreSQL copy with --source postgres.",
            EXIT_CANNOT_RUN,
        );
    const examples = Number(values.examples ?? "5");
    if (!Number.isInteger(examples) || examples < 1)
        throw usageError(
            `Invalid --examples "${values.examples}": a whole number of example lines per kind of problem, 1 or more.`,
        );
    if (source === "postgres") {
        if (values.folder)
            throw usageError("--folder is for CSV exports; --source postgres reads --server, --port and --database.");
        if (values.out)
            throw usageError(
                "--out is for CSV exports: the PostgreSQL validator never copies rows out of the database (fix the rows there, or select the accepted ones in a view).",
            );
    } else {
        const dbOption = (["server", "port", "database", "schema", "url-env", "mode"] as const).find(
            (o) => values[o] !== undefined,
        );
        if (dbOption) throw usageError(`--${dbOption} is for --source postgres.`);
        if (!values.folder)
            throw usageError(
                "validate needs --folder <dir> with the CSV exports (or --source postgres with --server and --database).",
            );
    }
    const mapping = withSchema(loadMapping(values.mapping), values.schema);
    if (source === "postgres") {
        const mode = storageMode(values.mode);
        const connection = databaseConnection(values, true);
        const client = await connectOrFail(connection);
        try {
            const report = await validateDatabase(client, {
                mapping,
                mappingFile: values.mapping ?? null,
                label: connection.label,
                maxExamples: examples,
                mode,
            });
            io.out(formatReport(report));
            return report.exitCode;
        } catch (error) {
            if (error instanceof Error && "severity" in error)
                throw new UserError(
                    `The database refused a validation query: ${safeMessage(error, connection.config)}`,
                    EXIT_CANNOT_RUN,
                );
            throw error;
        } finally {
            await client.end().catch(() => undefined);
        }
    }
    if (!values.folder) throw usageError("validate needs --folder <dir> with the CSV exports.");
    const report = await validateFolder({
        folder: values.folder,
        mapping,
        mappingFile: values.mapping ?? null,
        out: values.out ?? null,
        maxExamples: examples,
    });
    io.out(formatReport(report, values.out));
    return report.exitCode;
}

const DATABASE_OPTIONS = {
    server: { type: "string" },
    port: { type: "string" },
    database: { type: "string" },
    schema: { type: "string" },
    "url-env": { type: "string" },
} as const;

interface DatabaseValues {
    server?: string;
    port?: string;
    database?: string;
    "url-env"?: string;
}

function databaseConnection(values: DatabaseValues, readOnly: boolean): Connection {
    try {
        return connectionConfig({
            server: values.server,
            port: values.port,
            database: values.database,
            urlEnv: values["url-env"],
            readOnly,
        });
    } catch (error) {
        if (error instanceof ConnectionError) throw usageError(error.message);
        throw error;
    }
}

async function connectOrFail(connection: Connection): Promise<Client> {
    try {
        return await connect(connection);
    } catch (error) {
        if (error instanceof ConnectionError) throw new UserError(error.message, EXIT_CANNOT_RUN);
        throw error;
    }
}

/** --schema: the schema of every table the mapping file does not place itself. */
function withSchema(mapping: Mapping, schema: string | undefined): Mapping {
    if (!schema) return mapping;
    const tables = { ...mapping.tables };
    for (const table of sourceTables()) {
        const name = table.source as string;
        tables[name] = { schema, ...tables[name] };
    }
    return { ...mapping, tables };
}

/** `load-sample --source postgres`: the sample billing tables, created in the database given. */
async function loadSampleCommand(args: string[], io: Output): Promise<number> {
    const values = parseOptions(args, {
        source: { type: "string" },
        folder: { type: "string" },
        "column-types": { type: "string" },
        replace: { type: "boolean" },
        ...DATABASE_OPTIONS,
    });
    if (values.source !== "postgres")
        throw usageError(
            values.source
                ? `load-sample supports --source postgres only (got "${values.source}").`
                : "load-sample needs --source postgres.",
        );
    const columnTypes = values["column-types"] ?? "typed";
    if (columnTypes !== "typed" && columnTypes !== "text")
        throw usageError(
            `Unknown --column-types "${columnTypes}": use typed (date, numeric, bigint columns) or text (a staging schema).`,
        );
    const folder = values.folder ?? path.join(__dirname, "..", "sample");
    const schema = values.schema ?? "public";
    const connection = databaseConnection(values, false);
    const client = await connectOrFail(connection);
    try {
        const loaded = await loadSample(client, { folder, schema, columnTypes, replace: values.replace === true });
        const rows = loaded.reduce((sum, t) => sum + t.rows, 0);
        io.out(
            `Created ${loaded.length} tables (${columnTypes === "text" ? "text columns" : "typed columns"}) in schema ${schema} of the ${connection.label}, ${rows.toLocaleString("en-US")} rows from ${folder}:`,
        );
        for (const t of loaded) io.out(`  ${t.table}: ${t.rows.toLocaleString("en-US")} rows`);
        io.out(
            `Check them: npm run connector -- validate --source postgres --server <host> --database <name>${schema === "public" ? "" : ` --schema ${schema}`}`,
        );
        return 0;
    } catch (error) {
        if (error instanceof Error && "severity" in error)
            throw new UserError(
                `The database refused the load: ${safeMessage(error, connection.config)}. Nothing was changed.`,
                1,
            );
        throw error;
    } finally {
        await client.end().catch(() => undefined);
    }
}

function help(args: string[], io: Output): number {
    io.out(USAGE);
    return 0;
}

interface Command {
    run: (args: string[], io: Output) => number | Promise<number>;
    /** Errors of the modules the command calls whose message is for the user. */
    userErrors: ReadonlyArray<abstract new (...args: never[]) => Error>;
    /** The exit code they end in: validate's 1 means "rows quarantined", so it cannot use 1. */
    failureCode: number;
}

const COMMANDS: Readonly<Record<string, Command>> = {
    generate: {
        run: generate,
        userErrors: [MappingError, OutputError, VisualPackageError, RegenerateRefused, ReportDefinitionError],
        failureCode: 1,
    },
    sample: { run: sample, userErrors: [], failureCode: 1 },
    docs: { run: docs, userErrors: [], failureCode: 1 },
    validate: {
        run: validate,
        userErrors: [
            MappingError,
            DatabaseValidateError,
            CannotValidateError,
            UnreadableFileError,
            ValidateOutputError,
            DateFormatError,
        ],
        failureCode: EXIT_CANNOT_RUN,
    },
    "load-sample": { run: loadSampleCommand, userErrors: [LoadSampleError], failureCode: 1 },
    help: { run: help, userErrors: [], failureCode: 1 },
    "--help": { run: help, userErrors: [], failureCode: 1 },
    "-h": { run: help, userErrors: [], failureCode: 1 },
};

/** Runs a command line; resolves to the process exit code. */
export async function run(argv: string[], io: Output = { out: console.log, err: console.error }): Promise<number> {
    const [name, ...rest] = argv;
    const command = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    try {
        if (name === undefined) throw usageError("No command given.");
        if (!command) throw usageError(`Unknown command "${name}".`);
        return await command.run(rest, io);
    } catch (error) {
        const exitCode =
            error instanceof UserError
                ? error.exitCode
                : command?.userErrors.some((type) => error instanceof type)
                  ? command.failureCode
                  : null;
        if (exitCode === null) {
            io.err(`Unexpected error: ${(error as Error).stack ?? String(error)}`);
            return EXIT_UNEXPECTED;
        }
        io.err(`Error: ${(error as Error).message}`);
        return exitCode;
    }
}
