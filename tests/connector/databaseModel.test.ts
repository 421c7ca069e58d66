/** @jest-environment node */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DefaultSettings, TaskUtils } from "@microsoft/powerquery-parser";
import { buildModel, DEFAULT_INCREMENTAL_REFRESH, FACT_TABLES, SemanticModel } from "../../connector/src/model";
import { parseMapping } from "../../connector/src/mapping";
import { parameterExpression, SourceConfig } from "../../connector/src/m";
import { modelToTmdl } from "../../connector/src/tmdl";
import { modelToBim } from "../../connector/src/bim";
import { parsePeriod } from "../../connector/src/commands";
import { runCli as cli } from "../support/cli";
import { TABLES } from "../../connector/src/schema";

const DATABASES: SourceConfig[] = [
    { kind: "sqlserver", server: "sql01", database: "Billing" },
    { kind: "postgres", server: "pg01", database: "billing" },
];
const MAPPING = parseMapping({
    tables: {
        charges: {
            schema: "fin",
            table: "InvoiceLines",
            columns: { "Bill Month": "ChargePeriodStart", Amount: "BilledCost" },
        },
    },
});

async function parseM(text: string): Promise<string | null> {
    const result = await TaskUtils.tryLexParse(DefaultSettings, text);
    return TaskUtils.isOk(result) ? null : result.error.message;
}

const incremental = (source: SourceConfig): SemanticModel =>
    buildModel({ name: "T", source, mapping: MAPPING, incrementalRefresh: DEFAULT_INCREMENTAL_REFRESH });
const directQuery = (source: SourceConfig): SemanticModel =>
    buildModel({ name: "T", source, mapping: MAPPING, mode: "directquery" });
const allM = (model: SemanticModel): string[] => [
    ...model.tables.map((t) => t.partition.expression),
    ...model.tables.flatMap((t) => (t.refreshPolicy ? [t.refreshPolicy.sourceExpression] : [])),
    ...model.expressions.map(parameterExpression),
];

describe.each(DATABASES.map((s) => [s.kind, s] as const))("database models (%s)", (_kind, source) => {
    it("import with incremental refresh: every partition, policy and parameter parses as M", async () => {
        for (const text of allM(incremental(source))) expect(await parseM(text)).toBeNull();
    });

    it("directquery: every partition parses as M", async () => {
        for (const text of allM(directQuery(source))) expect(await parseM(text)).toBeNull();
    });

    it("trims keys of imported tables, as the validators match them, and leaves DirectQuery columns as they are", () => {
        const expr = (model: SemanticModel, table: string): string =>
            model.tables.find((t) => t.name === table)!.partition.expression;
        expect(expr(incremental(source), "Charges")).toContain(
            'Keys = Table.TransformColumns(Selected, {{"SubAccountId", Text.Trim, type text}, {"ServiceName", Text.Trim, type text}})',
        );
        expect(expr(incremental(source), "Agencies")).toContain('{{"SubAccountId", Text.Trim, type text}}');
        expect(expr(directQuery(source), "Charges")).not.toContain("Text.Trim");
    });

    it("filters charges on RangeStart/RangeEnd right after navigation, on the source's own column, so the filter folds", () => {
        const charges = incremental(source).tables.find((t) => t.name === "Charges")!;
        const lines = charges.partition.expression.split("\n").map((l) => l.trim());
        const raw = lines.findIndex((l) => l.startsWith('Raw = Source{[Schema = "fin", Item = "InvoiceLines"]}[Data]'));
        expect(raw).toBeGreaterThan(0);
        expect(lines[raw + 1]).toBe(
            'InRange = Table.SelectRows(Raw, each [#"Bill Month"] >= Date.From(RangeStart) and [#"Bill Month"] < Date.From(RangeEnd)),',
        );
        expect(lines[raw + 2]).toMatch(/^Renamed = Table.RenameColumns\(InRange,/);
        expect(charges.refreshPolicy).toMatchObject({
            rollingWindow: { periods: 5, granularity: "year" },
            incrementalPeriod: { periods: 3, granularity: "month" },
        });
        expect(charges.refreshPolicy!.sourceExpression).toBe(charges.partition.expression);
        // Only charges: the other tables are small and fully refreshed.
        expect(
            incremental(source)
                .tables.filter((t) => t.refreshPolicy)
                .map((t) => t.name),
        ).toEqual(["Charges"]);
        expect(incremental(source).tables.find((t) => t.name === "Headcount")!.partition.expression).not.toContain(
            "RangeStart",
        );
    });

    it("adds the RangeStart and RangeEnd DateTime parameters Power BI requires", () => {
        const model = incremental(source);
        expect(model.expressions.map((e) => e.name)).toEqual([
            "Server",
            "Database",
            "FiscalYearStartMonth",
            "RangeStart",
            "RangeEnd",
            "FollowUpBusinessDays",
            "OnTrackTolerancePoints",
            "AtRiskTolerancePoints",
        ]);
        expect(parameterExpression(model.expressions[3])).toBe(
            '#datetime(2025, 6, 1, 0, 0, 0) meta [IsParameterQuery = true, Type = "DateTime", IsParameterQueryRequired = true]',
        );
        expect(buildModel({ name: "T", source }).expressions.map((e) => e.name)).toEqual([
            "Server",
            "Database",
            "FiscalYearStartMonth",
            "FollowUpBusinessDays",
            "OnTrackTolerancePoints",
            "AtRiskTolerancePoints",
        ]);
    });

    it("reads the Date table's bounds from every input table's date columns with groupings that fold, not from the range-limited queries", async () => {
        const date = incremental(source).tables.find((t) => t.name === "Date")!.partition.expression;
        expect(await parseM(date)).toBeNull();
        expect(date).toContain('Raw = Source{[Schema = "fin", Item = "InvoiceLines"]}[Data]');
        expect(date).toContain('{"ChargePeriodStart Min", each List.Min([#"Bill Month"]), type any}');
        // Every date column of every input table, as the schema lists them, by its database name.
        for (const table of TABLES.filter((t) => t.source !== null && t.source !== "charges"))
            for (const column of table.columns.filter((c) => c.kind === "date")) {
                expect(date).toContain(`Item = "${table.source}"`);
                expect(date).toContain(`each List.Max([${column.source}])`);
            }
        expect(date).not.toContain("Table.Column(");
    });

    it("writes the refresh policy in TMDL, before the partition, with tabs", () => {
        const text = modelToTmdl(incremental(source)).get("tables/Charges.tmdl")!;
        expect(text).toContain(
            [
                "\trefreshPolicy",
                "\t\tpolicyType: basic",
                "\t\trollingWindowGranularity: year",
                "\t\trollingWindowPeriods: 5",
                "\t\tincrementalGranularity: month",
                "\t\tincrementalPeriods: 3",
                "\t\tsourceExpression =",
                "\t\t\t\tlet",
            ].join("\n"),
        );
        expect(text.indexOf("\trefreshPolicy")).toBeLessThan(text.indexOf("\tpartition Charges = m"));
        expect(text).toContain("\tpartition Charges = m\n\t\tmode: import\n");
        const expressions = modelToTmdl(incremental(source)).get("expressions.tmdl")!;
        expect(expressions).toContain(
            'expression RangeStart = #datetime(2025, 6, 1, 0, 0, 0) meta [IsParameterQuery = true, Type = "DateTime", IsParameterQueryRequired = true]',
        );
        expect(expressions).toContain("annotation PBI_ResultType = DateTime");
    });

    it("directquery: fact tables in directQuery, dimensions dual, the generated Date table imported, no refresh policy", () => {
        const model = directQuery(source);
        const files = modelToTmdl(model);
        for (const table of TABLES) {
            const expected =
                table.source === null ? "import" : FACT_TABLES.includes(table.name) ? "directQuery" : "dual";
            expect([table.name, /\t\tmode: (\w+)/.exec(files.get(`tables/${table.name}.tmdl`)!)![1]]).toEqual([
                table.name,
                expected,
            ]);
        }
        expect(model.tables.some((t) => t.refreshPolicy)).toBe(false);
        expect(model.expressions.map((e) => e.name)).not.toContain("RangeStart");
        // Only steps that fold: no Table.ColumnNames check in DirectQuery partitions.
        for (const t of model.tables.filter((x) => x.name !== "Date"))
            expect(t.partition.expression).not.toContain("Table.ColumnNames");
    });

    it("model.bim carries the same modes and refresh policy", () => {
        type Bim = {
            model: {
                tables: Array<{
                    name: string;
                    partitions: Array<{ mode: string }>;
                    refreshPolicy?: Record<string, unknown>;
                }>;
            };
        };
        const bim = modelToBim(incremental(source)) as Bim;
        const charges = bim.model.tables.find((t) => t.name === "Charges")!;
        expect(charges.refreshPolicy).toMatchObject({
            policyType: "basic",
            rollingWindowGranularity: "year",
            rollingWindowPeriods: 5,
            incrementalGranularity: "month",
            incrementalPeriods: 3,
        });
        expect(Array.isArray(charges.refreshPolicy!.sourceExpression)).toBe(true);
        const dq = modelToBim(directQuery(source)) as Bim;
        expect(dq.model.tables.find((t) => t.name === "Agencies")!.partitions[0].mode).toBe("dual");
        expect(dq.model.tables.find((t) => t.name === "Charges")!.partitions[0].mode).toBe("directQuery");
    });
});

describe("CSV models are unchanged by the database options", () => {
    it("refuses DirectQuery and incremental refresh for CSV", () => {
        const csv: SourceConfig = { kind: "csv", folder: "C:\\exports" };
        expect(() => buildModel({ name: "T", source: csv, mode: "directquery" })).toThrow(/database source/);
        expect(() => buildModel({ name: "T", source: csv, incrementalRefresh: DEFAULT_INCREMENTAL_REFRESH })).toThrow(
            /database source/,
        );
        expect(
            buildModel({ name: "T", source: csv }).tables.find((t) => t.name === "Date")!.partition.expression,
        ).toContain('Table.Column(Charges, "ChargePeriodStart")');
    });
});

describe("generate: --mode and incremental refresh options", () => {
    let work: string;
    beforeEach(() => {
        work = fs.mkdtempSync(path.join(os.tmpdir(), "db-generate-"));
    });
    afterEach(() => {
        fs.rmSync(work, { recursive: true, force: true });
    });

    const pg = ["generate", "--source", "postgres", "--server", "pg01", "--database", "billing"];

    it("reads periods as a number and a unit", () => {
        expect(parsePeriod("5y", "--rolling-window")).toEqual({ periods: 5, granularity: "year" });
        expect(parsePeriod("36m", "--rolling-window")).toEqual({ periods: 36, granularity: "month" });
        expect(parsePeriod("8Q", "--rolling-window")).toEqual({ periods: 8, granularity: "quarter" });
        expect(parsePeriod("10d", "--incremental-period")).toEqual({ periods: 10, granularity: "day" });
    });

    it.each([
        [["--mode", "live"], /Unknown mode "live"/],
        [["--rolling-window", "five"], /Invalid --rolling-window "five"/],
        [["--incremental-period", "0m"], /Invalid --incremental-period/],
        [["--rolling-window", "2m", "--incremental-period", "1y"], /must not be longer than --rolling-window/],
        [["--mode", "directquery", "--rolling-window", "2y"], /--rolling-window is for --mode import/],
        [["--full-refresh", "--incremental-period", "1m"], /--full-refresh turns incremental refresh off/],
        [["--range-start", "2025-02-30"], /Invalid --range-start/],
        [["--range-start", "2025-08-01"], /must be before --range-end/],
    ])("exits 2 on bad storage options: %j", async (args, message) => {
        const result = await cli(...pg, "--out", path.join(work, "out"), ...(args as string[]));
        expect(result.code).toBe(2);
        expect(result.err).toMatch(message);
    });

    it("refuses DirectQuery and incremental refresh options for CSV", async () => {
        const csv = [
            "generate",
            "--source",
            "csv",
            "--folder",
            path.join(__dirname, "..", "..", "connector", "sample"),
            "--out",
            path.join(work, "out"),
        ];
        expect((await cli(...csv, "--mode", "directquery")).err).toMatch(/--mode directquery needs a database source/);
        expect((await cli(...csv, "--rolling-window", "2y")).err).toMatch(/--rolling-window is for database sources/);
    });

    // Needs the packaged visual (npm test packages it first); without it the CLI fails saying to run npm run package.
    it("writes the options into the project's TMDL", async () => {
        const out = path.join(work, "inc");
        expect(
            await cli(
                ...pg,
                "--out",
                out,
                "--rolling-window",
                "36m",
                "--incremental-period",
                "10d",
                "--range-start",
                "2025-01-01",
                "--range-end",
                "2025-02-01",
            ),
        ).toMatchObject({ code: 0, err: "" });
        const charges = fs.readFileSync(
            path.join(out, "Agency IT Scorecard.SemanticModel", "definition", "tables", "Charges.tmdl"),
            "utf8",
        );
        expect(charges).toContain(
            "\t\trollingWindowGranularity: month\n\t\trollingWindowPeriods: 36\n\t\tincrementalGranularity: day\n\t\tincrementalPeriods: 10\n",
        );
        const expressions = fs.readFileSync(
            path.join(out, "Agency IT Scorecard.SemanticModel", "definition", "expressions.tmdl"),
            "utf8",
        );
        expect(expressions).toContain("expression RangeEnd = #datetime(2025, 2, 1, 0, 0, 0)");
        const dq = path.join(work, "dq");
        expect((await cli(...pg, "--out", dq, "--mode", "directquery")).code).toBe(0);
        expect(
            fs.readFileSync(
                path.join(dq, "Agency IT Scorecard.SemanticModel", "definition", "tables", "Agencies.tmdl"),
                "utf8",
            ),
        ).toContain("\t\tmode: dual\n");
        const full = path.join(work, "full");
        expect((await cli(...pg, "--out", full, "--full-refresh")).code).toBe(0);
        expect(
            fs.readFileSync(
                path.join(full, "Agency IT Scorecard.SemanticModel", "definition", "tables", "Charges.tmdl"),
                "utf8",
            ),
        ).not.toContain("refreshPolicy");
    });
});
