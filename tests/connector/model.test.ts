/** @jest-environment node */
import * as fs from "node:fs";
import * as path from "node:path";
import { DefaultSettings, TaskUtils } from "@microsoft/powerquery-parser";
import { RELATIONSHIPS, TABLES, VISUAL_BINDINGS, OTHER_DOCUMENTED_FIELDS } from "../../connector/src/schema";
import { buildModel, SemanticModel } from "../../connector/src/model";
import { parseMapping } from "../../connector/src/mapping";
import { parameterExpression, SourceConfig } from "../../connector/src/m";
import { canonicalTmdl, modelToTmdl, tmdlName } from "../../connector/src/tmdl";
import { modelToBim } from "../../connector/src/bim";
import { projectFiles } from "../../connector/src/pbip";
import { loadSchemas, schemaBoundFiles, schemaProblems } from "../support/schemas";
import { daxReferences } from "../../connector/src/dax";

const ROOT = path.join(__dirname, "..", "..");
const SOURCES: SourceConfig[] = [
    { kind: "csv", folder: 'C:\\State Exports\\billing "2025"' },
    { kind: "sqlserver", server: "sql01.state.example", database: "Billing" },
    { kind: "postgres", server: "pg01", database: "billing" },
];
const MAPPING = parseMapping({
    dateFormat: "MM/dd/yyyy",
    tables: {
        charges: {
            folder: "monthly",
            schema: "fin",
            table: "InvoiceLines",
            columns: { "Agency Code": "SubAccountId", 'Amount "USD"': "BilledCost" },
        },
        agencies: { file: "agency list.csv", columns: { Agency: "SubAccountName" } },
    },
});
const sampleModel = (source: SourceConfig = SOURCES[0]): SemanticModel =>
    buildModel({ name: "Test", source, mapping: MAPPING });

async function parseM(text: string): Promise<string | null> {
    const result = await TaskUtils.tryLexParse(DefaultSettings, text);
    return TaskUtils.isOk(result) ? null : result.error.message;
}

describe("Power Query", () => {
    it.each(SOURCES.map((s) => [s.kind, s] as const))(
        "every partition and parameter parses (%s source, with a mapping)",
        async (_kind, source) => {
            const model = sampleModel(source);
            const texts = [
                ...model.tables.map((t) => t.partition.expression),
                ...model.expressions.map(parameterExpression),
            ];
            for (const text of texts) expect(await parseM(text)).toBeNull();
            expect(await parseM("let Source = in Source")).not.toBeNull(); // the parser does reject bad M
        },
    );

    it("spans the Date table over every input table's date columns, whole fiscal years (CSV: the tables' queries)", () => {
        const date = sampleModel(SOURCES[0]).tables.find((t) => t.name === "Date")!.partition.expression;
        const dated = TABLES.filter((t) => t.source !== null && t.columns.some((c) => c.kind === "date"));
        // The goals' start and due dates, measurements, responses, follow-ups and check-ins, not only charges.
        expect(dated.map((t) => t.name)).toEqual(
            expect.arrayContaining(["Charges", "Headcount", "Goals", "Goal Measurements", "Survey Responses"]),
        );
        for (const table of dated) {
            const query = /^[A-Za-z_]\w*$/.test(table.name) ? table.name : `#"${table.name}"`;
            for (const column of table.columns.filter((c) => c.kind === "date"))
                expect(date).toContain(`Table.Column(${query}, "${column.source}")`);
        }
        expect(date).toContain("StartDate = #date(StartYear, FirstMonth, 1)");
        expect(date).toContain("EndDate = Date.AddDays(#date(EndYear, FirstMonth, 1), -1)");
    });

    it("uses the connector each source needs and the mapping's names", () => {
        const expr = (source: SourceConfig, table: string) =>
            sampleModel(source).tables.find((t) => t.name === table)!.partition.expression;
        expect(expr(SOURCES[0], "Charges")).toContain("Folder.Files(");
        expect(expr(SOURCES[0], "Agencies")).toContain("File.Contents(");
        expect(expr(SOURCES[0], "Agencies")).toContain('"\\agency list.csv"');
        // CSV: their header, compared as both readers compare headers (lower case, trimmed), renamed to ours.
        expect(expr(SOURCES[0], "Charges")).toContain('#"amount ""usd""" = "BilledCost"');
        expect(expr(SOURCES[1], "Charges")).toContain('{"Amount ""USD""", "BilledCost"}');
        expect(expr(SOURCES[0], "Charges")).toContain('[Format = "MM/dd/yyyy", Culture = "en-US"]');
        expect(expr(SOURCES[1], "Charges")).toContain("Sql.Database(Server, Database)");
        expect(expr(SOURCES[1], "Charges")).toContain('Source{[Schema = "fin", Item = "InvoiceLines"]}[Data]');
        expect(expr(SOURCES[1], "Headcount")).toContain('Source{[Schema = "dbo", Item = "headcount"]}[Data]');
        expect(expr(SOURCES[2], "Teams")).toContain("PostgreSQL.Database(Server, Database)");
        expect(expr(SOURCES[2], "Teams")).toContain('Schema = "public"');
    });

    it("puts the source folder, server and database in parameters", () => {
        expect(sampleModel(SOURCES[0]).expressions.map((e) => e.name)).toEqual([
            "SourceFolder",
            "FiscalYearStartMonth",
            "FollowUpBusinessDays",
            "OnTrackTolerancePoints",
            "AtRiskTolerancePoints",
        ]);
        expect(sampleModel(SOURCES[1]).expressions.map((e) => [e.name, e.value])).toEqual([
            ["Server", "sql01.state.example"],
            ["Database", "Billing"],
            ["FiscalYearStartMonth", 7],
            ["FollowUpBusinessDays", 10],
            // The goal status tolerances, with the visual's defaults (5 and 15 points).
            ["OnTrackTolerancePoints", 5],
            ["AtRiskTolerancePoints", 15],
        ]);
        expect(parameterExpression(sampleModel(SOURCES[0]).expressions[0])).toMatch(
            /^"C:\\State Exports\\billing ""2025""" meta \[IsParameterQuery = true/,
        );
    });

    it("reads the follow-ups and check-ins from every source, and the model parameter into a one-row table", () => {
        for (const source of SOURCES) {
            const model = sampleModel(source);
            const partition = (name: string) => model.tables.find((t) => t.name === name)!.partition.expression;
            expect(partition("Follow-ups")).toContain(
                source.kind === "csv" ? '"\\follow_ups.csv"' : 'Item = "follow_ups"',
            );
            expect(partition("Goal Check-ins")).toContain(
                source.kind === "csv" ? '"\\goal_checkins.csv"' : 'Item = "goal_checkins"',
            );
            expect(partition("Follow-ups")).toContain(
                source.kind === "csv"
                    ? '{"x_ContactedOn", each if _ = null then null else Date.FromText'
                    : '{"x_ContactedOn", type date}',
            );
            expect(partition("Model Parameters")).toBe(
                'let\n    Source = #table(type table [#"Follow-up Business Days" = Int64.Type, #"On-track Tolerance Points" = Int64.Type, #"At-risk Tolerance Points" = Int64.Type], {{FollowUpBusinessDays, OnTrackTolerancePoints, AtRiskTolerancePoints}})\nin\n    Source',
            );
            expect(model.expressions.find((e) => e.name === "FollowUpBusinessDays")).toMatchObject({
                type: "Number",
                value: 10,
            });
        }
    });

    it("rejects mappings that name unknown tables or columns", () => {
        expect(() => parseMapping({ tables: { invoices: {} } })).toThrow(/tables.invoices: no such input table/);
        expect(() => parseMapping({ tables: { charges: { columns: { Amt: "Cost" } } } })).toThrow(
            /"Cost" is not a column of charges/,
        );
        expect(() => parseMapping({ dateFormat: 3 })).toThrow(/dateFormat/);
        expect(() => parseMapping({ tables: { charges: { file: "a.csv", folder: "b" } } })).toThrow(
            /either file or folder/,
        );
    });
});

const DATA_TYPES = ["string", "int64", "double", "decimal", "dateTime", "boolean"];
const SUMMARIZE = ["default", "none", "sum", "min", "max", "count", "average", "distinctCount"];

describe("TMDL", () => {
    const files = modelToTmdl(sampleModel());
    const tableFiles = [...files].filter(([name]) => name.startsWith("tables/"));

    it("has the model's files, one per table", () => {
        expect([...files.keys()].filter((f) => !f.startsWith("tables/")).sort()).toEqual([
            "cultures/en-US.tmdl",
            "database.tmdl",
            "expressions.tmdl",
            "model.tmdl",
            "relationships.tmdl",
            "roles/Agency.tmdl",
            "roles/State.tmdl",
        ]);
        expect(tableFiles.map(([f]) => f).sort()).toEqual(TABLES.map((t) => `tables/${t.name}.tmdl`).sort());
        expect(files.get("model.tmdl")).toContain("ref table 'Survey Responses'");
    });

    it("indents with tabs only, one level at a time", () => {
        for (const [, text] of files) {
            let previous = 0;
            for (const line of text.split("\n")) {
                if (line.trim() === "") continue;
                const depth = /^\t*/.exec(line)![0].length;
                // Spaces may only follow the tabs inside expression bodies (M and DAX keep their own layout).
                if (depth < 3) expect(line).toMatch(/^\t*[^\s]/);
                // Expressions go two levels deeper than their object, everything else at most one.
                expect(depth - previous).toBeLessThanOrEqual(2);
                previous = depth;
            }
        }
    });

    it("quotes names with spaces and quotes, doubling quotes", () => {
        expect(tmdlName("Billed Cost")).toBe("'Billed Cost'");
        expect(tmdlName("Agency's Cost")).toBe("'Agency''s Cost'");
        expect(tmdlName("Goal Progress %")).toBe("'Goal Progress %'");
        expect(tmdlName("Charges")).toBe("Charges");
        for (const [, text] of tableFiles) {
            for (const line of text.split("\n")) {
                const m = /^\t*(table|column|measure|partition) (.+?)(?: = .*| =)?$/.exec(line);
                if (!m) continue;
                const name = m[2];
                if (name.startsWith("'")) expect(name).toMatch(/^'([^']|'')+'$/);
                else expect(name).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
            }
        }
    });

    it("has exactly one M partition per table and valid dataType and summarizeBy values", () => {
        for (const [, text] of tableFiles) {
            expect(text.match(/^\tpartition .+ = m$/gm)).toHaveLength(1);
            for (const v of text.match(/^\t\tdataType: (.+)$/gm) ?? []) expect(DATA_TYPES).toContain(v.split(": ")[1]);
            for (const v of text.match(/^\t\tsummarizeBy: (.+)$/gm) ?? [])
                expect(SUMMARIZE).toContain(v.split(": ")[1]);
        }
    });

    it("relates existing columns, many-to-one onto a key (many-to-many only from a statewide aggregate)", () => {
        const text = files.get("relationships.tmdl")!;
        expect(text.match(/^relationship /gm)).toHaveLength(RELATIONSHIPS.length);
        for (const r of RELATIONSHIPS) {
            const fromTable = TABLES.find((t) => t.name === r.fromTable)!;
            const from = fromTable.columns.find((c) => c.name === r.fromColumn);
            const to = TABLES.find((t) => t.name === r.toTable)!.columns.find((c) => c.name === r.toColumn);
            expect(from).toBeDefined();
            expect(to).toBeDefined();
            if (r.manyToMany) expect(fromTable.aggregate).toBeDefined();
            else expect(to?.key).toBe(true);
            expect(from!.kind).toBe(to!.kind);
            expect(text).toContain(
                `${r.manyToMany ? "\ttoCardinality: many\n" : ""}\tfromColumn: ${tmdlName(r.fromTable)}.${tmdlName(r.fromColumn)}\n\ttoColumn: ${tmdlName(r.toTable)}.${tmdlName(r.toColumn)}`,
            );
        }
    });

    it("hides keys, does not summarize headcount, and marks the Date table", () => {
        const headcount = tableFiles.find(([f]) => f === "tables/Headcount.tmdl")![1];
        expect(headcount).toMatch(/column Users\n\t\tdataType: int64\n(\t\t.+\n)*\t\tsummarizeBy: none/);
        const agencies = tableFiles.find(([f]) => f === "tables/Agencies.tmdl")![1];
        expect(agencies).toMatch(/column SubAccountId\n\t\tdataType: string\n\t\tisHidden\n\t\tisKey/);
        const date = tableFiles.find(([f]) => f === "tables/Date.tmdl")![1];
        expect(date).toContain("\tdataCategory: Time");
        expect(date).toContain("sortByColumn: 'Fiscal Year Number'");
    });

    it("gives every object a distinct UUID-shaped lineage tag, the same on every run", () => {
        const tags = [...files.values()]
            .join("\n")
            .match(/lineageTag: (.+)/g)!
            .map((l) => l.slice(12));
        expect(new Set(tags).size).toBe(tags.length);
        for (const tag of tags)
            expect(tag).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(modelToTmdl(sampleModel())).toEqual(files);
    });
});

describe("TMDL compared as data (canonicalTmdl)", () => {
    const table = [
        "/// Charges.",
        "table Charges",
        "\tlineageTag: t1",
        "",
        "\tmeasure 'Billed Cost' =",
        "\t\t\tVAR x = 1",
        "\t\t\tRETURN x",
        "\t\tformatString: #,0",
        "\t\tlineageTag: m1",
        "",
        "\tcolumn Amount",
        "\t\tdataType: double",
        "\t\tlineageTag: c1",
        "",
        "\t\tannotation SummarizationSetBy = User",
        "",
    ].join("\n");
    const reordered = [
        "/// Charges.",
        "table Charges",
        "\tcolumn Amount",
        "\t\tlineageTag: c1",
        "\t\tdataType: double",
        "\t\tannotation SummarizationSetBy = User",
        "\tmeasure 'Billed Cost' =",
        "\t\t\tVAR x = 1",
        "\t\t\tRETURN x",
        "\t\tlineageTag: m1",
        "\t\tformatString: #,0",
        "\tlineageTag: t1",
    ].join("\r\n");

    it.each([
        ["its properties in another order, without blank lines, with CRLF", reordered],
        ["Desktop's version and tool annotations", `${table}\n\tannotation PBIDesktopVersion = 2.149.1429.0 (25.11)\n`],
        [
            "the expression fenced in ``` lines",
            table.replace("'Billed Cost' =\n", "'Billed Cost' = ```\n").replace("RETURN x\n", "RETURN x\n\t\t```\n"),
        ],
    ])("is the same with %s", (_what, text) => {
        expect(canonicalTmdl(text)).toBe(canonicalTmdl(table));
    });

    it.each([
        ["a line of the DAX", table.replace("RETURN x", "RETURN x + 1")],
        ["the order of the DAX lines", table.replace("VAR x = 1\n\t\t\tRETURN x", "RETURN x\n\t\t\tVAR x = 1")],
        ["a property value", table.replace("formatString: #,0", "formatString: 0.00")],
        ["a description", table.replace("/// Charges.", "/// Billing lines.")],
        ["an annotation of the model's own", `${table}\n\tannotation PBI_FormatHint = {"isCustom":true}\n`],
    ])("differs when %s changes", (_what, text) => {
        expect(canonicalTmdl(text)).not.toBe(canonicalTmdl(table));
    });
});

describe("TMSL (model.bim)", () => {
    it("describes the same tables, columns, measures and relationships as the TMDL", () => {
        const model = sampleModel();
        const bim = modelToBim(model) as {
            compatibilityLevel: number;
            model: {
                tables: Array<{
                    name: string;
                    columns: Array<{ name: string }>;
                    measures: Array<{ name: string }>;
                    partitions: unknown[];
                }>;
                relationships: unknown[];
            };
        };
        expect(bim.compatibilityLevel).toBeGreaterThanOrEqual(1550);
        expect(bim.model.tables.map((t) => t.name)).toEqual(TABLES.map((t) => t.name));
        for (const table of TABLES) {
            const t = bim.model.tables.find((x) => x.name === table.name)!;
            expect(t.columns.map((c) => c.name)).toEqual(table.columns.map((c) => c.name));
            expect(t.measures.map((m) => m.name)).toEqual(table.measures.map((m) => m.name));
            expect(t.partitions).toHaveLength(1);
        }
        expect(bim.model.relationships).toHaveLength(RELATIONSHIPS.length);
    });
});

describe("PBIP files", () => {
    const files = projectFiles(sampleModel(), "tmdl");

    it("has the shortcut, model and report, the report pointing at the model", () => {
        expect(files.has("Test.pbip")).toBe(true);
        const pbir = JSON.parse(files.get("Test.Report/definition.pbir")!);
        expect(pbir.datasetReference).toEqual({ byPath: { path: "../Test.SemanticModel" } });
        const pbism = JSON.parse(files.get("Test.SemanticModel/definition.pbism")!);
        expect(Number(pbism.version)).toBeGreaterThanOrEqual(4);
        expect(files.has("Test.SemanticModel/definition/tables/Charges.tmdl")).toBe(true);
        const bimFiles = projectFiles(sampleModel(), "bim");
        expect(bimFiles.has("Test.SemanticModel/model.bim")).toBe(true);
        expect([...bimFiles.keys()].some((f) => f.includes("/definition/tables/"))).toBe(false);
    });

    it("validate against Microsoft's JSON schemas (vendored in tests/schemas), in TMDL and TMSL projects alike", () => {
        const ajv = loadSchemas();
        for (const format of ["tmdl", "bim"] as const) {
            const checked = schemaBoundFiles(projectFiles(sampleModel(), format));
            for (const [file, value] of checked) expect([file, schemaProblems(ajv, value)]).toEqual([file, []]);
            expect(checked.map(([file]) => file).sort()).toEqual([
                "Test.Report/.platform",
                "Test.Report/definition.pbir",
                "Test.Report/definition/pages/pages.json",
                "Test.Report/definition/pages/scorecard/page.json",
                "Test.Report/definition/report.json",
                "Test.Report/definition/version.json",
                "Test.SemanticModel/.platform",
                "Test.SemanticModel/definition.pbism",
                "Test.pbip",
            ]);
        }
    });
});

describe("fields the visual binds", () => {
    const tables = new Map(TABLES.map((t) => [t.name, t]));
    const exists = (ref: string): boolean => {
        const refs = daxReferences(ref);
        if (refs.measures.length === 1) return TABLES.some((t) => t.measures.some((m) => m.name === refs.measures[0]));
        const [{ table, column }] = refs.columns;
        return tables.get(table)?.columns.some((c) => c.name === column && !c.hidden) ?? false;
    };

    it("exist in the model, visible, for every data role of capabilities.json", () => {
        const capabilities = JSON.parse(fs.readFileSync(path.join(ROOT, "capabilities.json"), "utf8"));
        const roles: string[] = capabilities.dataRoles.map((r: { name: string }) => r.name);
        for (const role of Object.keys(VISUAL_BINDINGS)) expect(roles).toContain(role);
        for (const ref of [...Object.values(VISUAL_BINDINGS), ...OTHER_DOCUMENTED_FIELDS])
            expect([ref, exists(ref)]).toEqual([ref, true]);
    });

    it("match the names agreed with the visual", () => {
        expect(VISUAL_BINDINGS).toMatchObject({
            agency: "Agencies[AgencyName]",
            service: "Services[ServiceModel]",
            period: "'Date'[Month]",
            cost: "[Billed Cost]",
            users: "[User Months]",
            uncoveredCost: "[Cost without Headcount]",
            team: "Teams[TeamName]",
            goal: "Goals[GoalName]",
            rating: "Ratings[Rating]",
            responses: "[Responses]",
        });
    });

    it("include every Table[Column] the root README tells analysts to bind", () => {
        const readme = path.join(ROOT, "README.md");
        const text = fs.readFileSync(readme, "utf8");
        // Only references to this model's tables count: other Table[Column] text is not about it.
        const refs = [...text.matchAll(/(?:'([^']+)'|\b([A-Z][A-Za-z]*))\[([^\]]+)\]/g)]
            .map((m) => ({ table: m[1] ?? m[2], column: m[3] }))
            .filter((r) => tables.has(r.table));
        for (const r of refs)
            expect([`${r.table}[${r.column}]`, exists(`'${r.table}'[${r.column}]`)]).toEqual([
                `${r.table}[${r.column}]`,
                true,
            ]);
        // And the README names the field of every binding, so analysts are told what to bind.
        for (const field of Object.values(VISUAL_BINDINGS))
            expect([field, text.includes(field)]).toEqual([field, true]);
    });
});
