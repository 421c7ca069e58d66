/** @jest-environment node */
/**
 * The ready report: pages, bindings and the embedded visual, generated from the connector schema
 * and capabilities.json. Needs the packaged visual (`npm run package`, which `npm test` runs first);
 * the JSON files are checked against Microsoft's schemas, vendored in tests/schemas/.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import JSZip from "jszip";
import { buildModel, SemanticModel } from "../../connector/src/model";
import { SourceConfig } from "../../connector/src/m";
import { generateSampleProject } from "../support/cli";
import { loadSchemas, schemaBoundFiles, schemaProblems } from "../support/schemas";
import { VISUAL_BINDINGS } from "../../connector/src/schema";
import { DEFAULT_MAPPING } from "../../connector/src/mapping";
import { openingFiscalYear } from "../../connector/src/report/openingYear";
import { ReferenceFigures } from "../../connector/src/reference";
import {
    FISCAL_YEAR,
    findVisualPackage,
    PAGES,
    readVisualPackage,
    reportProjectFiles,
    REPORT_SCHEMAS,
    VisualPackage,
} from "../../connector/src/report";

const ROOT = path.join(__dirname, "..", "..");
const NAME = "Agency IT Scorecard";
const REPORT = `${NAME}.Report`;

interface Projection {
    field: Record<string, { Expression: { SourceRef: { Entity: string } }; Property: string }>;
    queryRef: string;
    nativeQueryRef: string;
}
interface Container {
    name: string;
    position: { x: number; y: number; width: number; height: number; tabOrder: number };
    visual: {
        visualType: string;
        query?: { queryState: Record<string, { projections: Projection[] }> };
        objects?: Record<string, Array<{ properties: Record<string, { expr: { Literal: { Value: string } } }> }>>;
    };
}
interface Role {
    name: string;
    kind: string;
}
interface Capabilities {
    dataRoles: Role[];
    dataViewMappings: Array<{ conditions?: Array<Record<string, { min?: number; max?: number }>> }>;
}

/** The packaged visual in dist/: a missing one fails the tests, saying how to build it. */
function packagedVisual(): string {
    const dist = path.join(ROOT, "dist");
    const found = fs.existsSync(dist) ? fs.readdirSync(dist).filter((f) => f.endsWith(".pbiviz")) : [];
    if (found.length === 0)
        throw new Error(
            "No dist/*.pbiviz: run `npm run package` first (npm test packages the visual before jest runs).",
        );
    return findVisualPackage(undefined, ROOT);
}

const model = (
    name = NAME,
    source: SourceConfig = { kind: "csv", folder: path.join(ROOT, "connector", "sample") },
): SemanticModel => buildModel({ name, source });

let pkg: VisualPackage;
let files: Map<string, string>;
const SAMPLE_SOURCE: SourceConfig = { kind: "csv", folder: path.join(ROOT, "connector", "sample") };
// What generate does for the sample: open on the latest fiscal year with charges in every month.
const opening = (): { openOn: Record<string, string> } => {
    const year = openingFiscalYear(SAMPLE_SOURCE, DEFAULT_MAPPING, 7);
    return { openOn: year ? { [FISCAL_YEAR]: year } : {} };
};
const capabilities: Capabilities = JSON.parse(fs.readFileSync(path.join(ROOT, "capabilities.json"), "utf8"));

beforeAll(() => {
    pkg = readVisualPackage(packagedVisual());
    files = reportProjectFiles(model(), "tmdl", pkg, opening());
});

const visuals = (): Array<[string, Container]> =>
    [...files.entries()]
        .filter(([f]) => f.endsWith("/visual.json"))
        .map(([f, text]) => [f, JSON.parse(text) as Container]);
const scorecards = (): Array<[string, Container]> => visuals().filter(([, v]) => v.visual.visualType === pkg.guid);
const pageOf = (file: string): string => file.split("/")[3];
const literal = (v: Container, object: string, property: string): string | undefined =>
    v.visual.objects?.[object]?.[0]?.properties[property]?.expr.Literal.Value;

describe("report pages and visuals", () => {
    it("has the PBIR files: definition.pbir pointing at the model, report.json, version.json, pages.json, page.json and visual.json per page", () => {
        expect(JSON.parse(files.get(`${REPORT}/definition.pbir`)!).datasetReference).toEqual({
            byPath: { path: `../${NAME}.SemanticModel` },
        });
        for (const f of ["definition/report.json", "definition/version.json", "definition/pages/pages.json"])
            expect(files.has(`${REPORT}/${f}`)).toBe(true);
        const pages = JSON.parse(files.get(`${REPORT}/definition/pages/pages.json`)!);
        expect(pages.pageOrder).toEqual(["itCost", "teamGoals", "agencySatisfaction", "followUps", "improvementPlans"]);
        expect(pages.activePageName).toBe("itCost");
        const names = pages.pageOrder.map(
            (id: string) => JSON.parse(files.get(`${REPORT}/definition/pages/${id}/page.json`)!).displayName,
        );
        expect(names).toEqual([
            "IT cost by agency",
            "Team goals",
            "Agency satisfaction",
            "Follow-ups",
            "Improvement plans",
        ]);
        for (const [file, v] of visuals())
            expect(file).toBe(`${REPORT}/definition/pages/${pageOf(file)}/visuals/${v.name}/visual.json`);
        // The placeholder page of the model-only project is gone.
        expect([...files.keys()].some((f) => f.includes("/pages/scorecard/"))).toBe(false);
    });

    it("makes every fiscal-year slicer single-select, so no card adds up two years; other slicers stay multi-select", () => {
        const slicers = visuals().filter(([, v]) => v.visual.visualType === "slicer");
        const fiscalYear = slicers.filter(
            ([, v]) => v.visual.query!.queryState.Values.projections[0].queryRef === "Date.Fiscal Year",
        );
        expect(fiscalYear.length).toBeGreaterThanOrEqual(3); // one on each scorecard page at least
        for (const [file, v] of slicers) {
            const field = v.visual.query!.queryState.Values.projections[0].queryRef;
            expect([file, literal(v, "selection", "singleSelect")]).toEqual([
                file,
                field === "Date.Fiscal Year" ? "true" : undefined,
            ]);
        }
    });

    it("opens every fiscal-year slicer on the sample's latest complete fiscal year (expected.json's), saved as Power BI saves a slicer selection", () => {
        const expected: ReferenceFigures = JSON.parse(
            fs.readFileSync(path.join(ROOT, "connector", "sample", "expected.json"), "utf8"),
        );
        const slicers = visuals().filter(([, v]) => v.visual.visualType === "slicer");
        const selected = (v: Container): unknown => {
            const general = (v.visual as { objects?: { general?: Array<{ properties: Record<string, unknown> }> } })
                .objects?.general;
            const filter = general?.[0]?.properties.filter as
                | { filter: { From: Array<{ Name: string; Entity: string }>; Where: Array<{ Condition: unknown }> } }
                | undefined;
            if (!filter) return null;
            const [from] = filter.filter.From;
            const condition = filter.filter.Where[0].Condition as {
                In: {
                    Expressions: Array<{ Column: { Expression: { SourceRef: { Source: string } }; Property: string } }>;
                    Values: Array<Array<{ Literal: { Value: string } }>>;
                };
            };
            const column = condition.In.Expressions[0].Column;
            expect(column.Expression.SourceRef.Source).toBe(from.Name);
            return `${from.Entity}.${column.Property} = ${condition.In.Values.map((v) => v[0].Literal.Value).join(", ")}`;
        };
        for (const [file, v] of slicers) {
            const field = v.visual.query!.queryState.Values.projections[0].queryRef;
            expect([file, selected(v)]).toEqual([
                file,
                field === "Date.Fiscal Year" ? `Date.Fiscal Year = '${expected.costPerUser.fiscalYear}'` : null,
            ]);
        }
        // A database (or no readable charges): no selection is written.
        const database = reportProjectFiles(
            model(NAME, { kind: "postgres", server: "pg01", database: "billing" }),
            "tmdl",
            pkg,
            { openOn: {} },
        );
        expect([...database.values()].some((text) => text.includes('"Fiscal Year"') && text.includes('"In"'))).toBe(
            false,
        );
    });

    it("puts the scorecard on each page in its view, with a fiscal-year slicer, an agency or team slicer and a headline card", () => {
        const byPage = new Map<string, Container[]>();
        for (const [file, v] of visuals()) byPage.set(pageOf(file), [...(byPage.get(pageOf(file)) ?? []), v]);
        // In tab order: the slicers, the card, then the scorecard.
        const summary = (page: string) =>
            [...byPage.get(page)!]
                .sort((a, b) => a.position.tabOrder - b.position.tabOrder)
                .map((v) => {
                    const [role] = Object.keys(v.visual.query!.queryState);
                    const p = v.visual.query!.queryState[role].projections[0];
                    return v.visual.visualType === pkg.guid
                        ? `scorecard ${literal(v, "view", "mode")}`
                        : `${v.visual.visualType} ${p.queryRef}`;
                });
        expect(summary("itCost")).toEqual([
            "slicer Date.Fiscal Year",
            "slicer Agencies.AgencyName",
            "card Charges.Period Coverage",
            "card Charges.Statewide Cost per User",
            "scorecard 'cost'",
        ]);
        expect(summary("teamGoals")).toEqual([
            "slicer Date.Fiscal Year",
            "slicer Teams.TeamName",
            "card Goals.Goals at Risk or Behind",
            "scorecard 'goals'",
        ]);
        expect(summary("agencySatisfaction")).toEqual([
            "slicer Date.Fiscal Year",
            "slicer Agencies.AgencyName",
            "card Survey Responses.Ratings Below 4",
            "scorecard 'satisfaction'",
        ]);
    });

    it("binds the cost view to agency name, service model, month, Billed Cost, User Months and Cost without Headcount (never a sum of Users) and the statewide reference", () => {
        const [, cost] = scorecards().find(([f]) => pageOf(f) === "itCost")!;
        const bound = Object.fromEntries(
            Object.entries(cost.visual.query!.queryState).map(([role, s]) => [role, s.projections[0].queryRef]),
        );
        expect(bound).toEqual({
            agency: "Agencies.AgencyName",
            service: "Services.ServiceModel",
            period: "Date.Month",
            cost: "Charges.Billed Cost",
            users: "Headcount.User Months",
            uncoveredCost: "Charges.Cost without Headcount",
            reference: "Charges.Statewide Cost per User Reference",
        });
        expect(cost.visual.query!.queryState.users.projections[0].field).toEqual({
            Measure: { Expression: { SourceRef: { Entity: "Headcount" } }, Property: "User Months" },
        });
    });

    it("has a Follow-ups page reached by drill-through from an agency, and an Improvement plans page from a team, each a Power BI table", () => {
        const page = (id: string) => JSON.parse(files.get(`${REPORT}/definition/pages/${id}/page.json`)!);
        const column = (entity: string, property: string) => ({
            Column: { Expression: { SourceRef: { Entity: entity } }, Property: property },
        });
        for (const [id, entity, property] of [
            ["followUps", "Agencies", "AgencyName"],
            ["improvementPlans", "Teams", "TeamName"],
        ] as const) {
            const p = page(id);
            expect(p.pageBinding).toMatchObject({ type: "Drillthrough" });
            expect(p.filterConfig.filters).toEqual([
                expect.objectContaining({
                    field: column(entity, property),
                    howCreated: "Drillthrough",
                    type: "Categorical",
                }),
            ]);
            expect(p.pageBinding.parameters[0]).toMatchObject({
                boundFilter: p.filterConfig.filters[0].name,
                fieldExpr: column(entity, property),
            });
        }
        // The satisfaction scorecard's agency is the drill-through field, so its right-click menu offers the page.
        const satisfaction = scorecards().find(([f]) => pageOf(f) === "agencySatisfaction")![1];
        expect(satisfaction.visual.query!.queryState.agency.projections[0].field).toEqual(
            column("Agencies", "AgencyName"),
        );
        const tables = visuals().filter(([, v]) => v.visual.visualType === "tableEx");
        expect(tables.map(([f]) => pageOf(f))).toEqual(["followUps", "improvementPlans"]);
        const fields = (page: string) =>
            tables
                .find(([f]) => pageOf(f) === page)![1]
                .visual.query!.queryState.Values.projections.map((p) => p.queryRef);
        // One row per rating below 4: the response code keeps two alike (agency, day, service, rating) apart.
        expect(fields("followUps")[1]).toBe("Survey Responses.ResponseId");
        expect(fields("followUps")).toEqual(
            expect.arrayContaining([
                "Follow-ups.Follow-up State",
                "Follow-ups.Follow-up Age",
                "Follow-ups.Follow-up Owner",
            ]),
        );
        expect(fields("improvementPlans")).toEqual(
            expect.arrayContaining([
                "Goals.Goal Status",
                "Goal Check-ins.Improvement Plan Missing",
                "Goal Check-ins.Latest Check-in Note",
                "Goal Check-ins.Latest Next Step",
            ]),
        );
    });

    it("binds goal fields on the goal page and rating fields on the satisfaction page, so the view the fields choose is the one forced", () => {
        const roles = (page: string) =>
            Object.keys(scorecards().find(([f]) => pageOf(f) === page)![1].visual.query!.queryState).sort();
        // As of: the model's day, so the badges and the card judge on one clock.
        expect(roles("teamGoals")).toEqual([
            "actual",
            "asOf",
            "baseline",
            "direction",
            "dueDate",
            "goal",
            "planMissing",
            "startDate",
            "target",
            "team",
            "tooltips",
        ]);
        // Each goal's latest check-in note and next step reach its tooltip through the Tooltips well;
        // Improvement Plan Missing has its own well, which marks the goal.
        const goalScorecard = scorecards().find(([f]) => pageOf(f) === "teamGoals")![1];
        expect(goalScorecard.visual.query!.queryState.tooltips.projections.map((p) => p.queryRef)).toEqual([
            "Goal Check-ins.Latest Check-in Note",
            "Goal Check-ins.Latest Next Step",
        ]);
        expect(goalScorecard.visual.query!.queryState.planMissing.projections.map((p) => p.queryRef)).toEqual([
            "Goal Check-ins.Improvement Plan Missing",
        ]);
        expect(roles("agencySatisfaction")).toEqual([
            "agency",
            "openFollowUpList",
            "openFollowUps",
            "overdueFollowUps",
            "rating",
            "responses",
            "statewideResponses",
        ]);
        expect(roles("itCost").some((r) => ["goal", "rating"].includes(r))).toBe(false);
    });
});

describe("field bindings", () => {
    it("every role bound in a queryState exists in capabilities.json, with a field of its kind, within its conditions", () => {
        const declared = new Map(capabilities.dataRoles.map((r) => [r.name, r]));
        expect(scorecards()).toHaveLength(3);
        for (const [file, v] of scorecards()) {
            const state = v.visual.query!.queryState;
            for (const [role, { projections }] of Object.entries(state)) {
                expect([file, role, declared.has(role)]).toEqual([file, role, true]);
                const kind = Object.keys(projections[0].field)[0];
                expect([role, kind]).toEqual([role, declared.get(role)!.kind === "Measure" ? "Measure" : "Column"]);
                // Tooltips takes several measures; every other role one field.
                if (role === "tooltips")
                    expect(projections.every((p) => Object.keys(p.field)[0] === "Measure")).toBe(true);
                else expect(projections).toHaveLength(1);
            }
            // At least one data view mapping accepts these fields (max one field per single-field role).
            const counts = (role: string) => state[role]?.projections.length ?? 0;
            const accepted = capabilities.dataViewMappings.some((m) =>
                (m.conditions ?? [{}]).some((c) =>
                    Object.entries(c).every(
                        ([role, { min, max }]) => counts(role) >= (min ?? 0) && counts(role) <= (max ?? Infinity),
                    ),
                ),
            );
            expect([file, accepted]).toEqual([file, true]);
            for (const [role, limits] of Object.entries(capabilities.dataViewMappings[0].conditions?.[0] ?? {})) {
                if (limits.max === 1) expect(counts(role)).toBeLessThanOrEqual(1);
            }
        }
    });

    it("binds each role to the field VISUAL_BINDINGS names for it", () => {
        for (const [, v] of scorecards()) {
            for (const [
                role,
                {
                    projections: [p],
                },
            ] of Object.entries(v.visual.query!.queryState)) {
                if (role === "tooltips") continue; // not a VISUAL_BINDINGS role: its measures are checked above
                const [kind] = Object.keys(p.field);
                const { Expression, Property } = p.field[kind];
                const dax =
                    kind === "Measure"
                        ? `[${Property}]`
                        : Expression.SourceRef.Entity === "Date" || Expression.SourceRef.Entity.includes(" ")
                          ? `'${Expression.SourceRef.Entity}'[${Property}]`
                          : `${Expression.SourceRef.Entity}[${Property}]`;
                expect([role, dax]).toEqual([role, VISUAL_BINDINGS[role as keyof typeof VISUAL_BINDINGS]]);
            }
        }
    });

    it("every bound field of every visual exists in the generated model, columns visible, with queryRef and nativeQueryRef beside field", () => {
        const m = model();
        for (const [file, v] of visuals()) {
            for (const { projections } of Object.values(v.visual.query!.queryState)) {
                for (const p of projections) {
                    const [kind] = Object.keys(p.field);
                    const {
                        Expression: {
                            SourceRef: { Entity },
                        },
                        Property,
                    } = p.field[kind];
                    const table = m.tables.find((t) => t.name === Entity);
                    const exists =
                        kind === "Measure"
                            ? table?.measures.some((x) => x.name === Property)
                            : table?.columns.some((x) => x.name === Property && !x.isHidden);
                    expect([file, `${Entity}.${Property}`, exists]).toEqual([file, `${Entity}.${Property}`, true]);
                    expect(p.queryRef).toBe(`${Entity}.${Property}`);
                    expect(p.nativeQueryRef).toBe(Property);
                    expect(Object.keys(p.field)).toEqual([kind]);
                }
            }
        }
    });
});

describe("the embedded visual", () => {
    it("is registered in report.json as a CustomVisual resource package, and each scorecard's visualType is its guid", () => {
        const pbiviz = JSON.parse(fs.readFileSync(path.join(ROOT, "pbiviz.json"), "utf8"));
        expect(pkg.guid).toBe(pbiviz.visual.guid);
        const report = JSON.parse(files.get(`${REPORT}/definition/report.json`)!);
        expect(report.resourcePackages).toEqual([
            {
                name: pkg.guid,
                type: "CustomVisual",
                items: [
                    { name: `${pkg.guid}.pbiviz.json`, path: `${pkg.guid}.pbiviz.json`, type: "CustomVisualMetadata" },
                ],
            },
        ]);
        for (const [, v] of scorecards()) expect(v.visual.visualType).toBe(pbiviz.visual.guid);
    });

    it("is unpacked into CustomVisuals/<guid>/ byte for byte as dist/*.pbiviz holds it", async () => {
        const work = fs.mkdtempSync(path.join(os.tmpdir(), "report-"));
        try {
            const out = path.join(work, "sample");
            const result = await generateSampleProject(out);
            expect(result).toMatchObject({ code: 0, err: "" });
            const zip = await JSZip.loadAsync(fs.readFileSync(packagedVisual()));
            const entries = Object.values(zip.files).filter((e) => !e.dir);
            expect(entries.map((e) => e.name).sort()).toEqual(["package.json", `resources/${pkg.guid}.pbiviz.json`]);
            const dir = path.join(out, REPORT, "CustomVisuals", pkg.guid);
            for (const entry of entries) {
                const expected = await entry.async("nodebuffer");
                expect([
                    entry.name,
                    fs.readFileSync(path.join(dir, ...entry.name.split("/"))).equals(expected),
                ]).toEqual([entry.name, true]);
            }
            const unpacked = fs
                .readdirSync(dir, { recursive: true, withFileTypes: true })
                .filter((e) => e.isFile()).length;
            expect(unpacked).toBe(entries.length);
        } finally {
            fs.rmSync(work, { recursive: true, force: true });
        }
    });
});

describe("stable ids and deterministic output", () => {
    const definitionIds = (f: Map<string, string>, name: string) =>
        [...f.keys()]
            .filter((k) => k.startsWith(`${name}.Report/definition/pages/`))
            .map((k) => k.slice(`${name}.Report/definition/pages/`.length));

    it("gives pages and visuals the same ids on every run, whatever the project name or source", () => {
        const again = reportProjectFiles(model(), "tmdl", readVisualPackage(packagedVisual()), opening());
        expect([...again.entries()]).toEqual([...files.entries()]);
        const other = reportProjectFiles(
            model("State", { kind: "postgres", server: "pg01", database: "billing" }),
            "bim",
            pkg,
        );
        expect(definitionIds(other, "State")).toEqual(definitionIds(files, NAME));
        expect(
            definitionIds(files, NAME)
                .filter((f) => f !== "pages.json")
                .map((f) => f.replace(/\/(page|visual)\.json$/, "")),
        ).toEqual([
            "agencySatisfaction",
            "agencySatisfaction/visuals/agencySatisfactionAgency",
            "agencySatisfaction/visuals/agencySatisfactionFiscalYear",
            "agencySatisfaction/visuals/agencySatisfactionFollowUp",
            "agencySatisfaction/visuals/agencySatisfactionScorecard",
            "followUps",
            "followUps/visuals/followUpsFiscalYear",
            "followUps/visuals/followUpsOnTime",
            "followUps/visuals/followUpsOverdue",
            "followUps/visuals/followUpsTable",
            "improvementPlans",
            "improvementPlans/visuals/improvementPlansFiscalYear",
            "improvementPlans/visuals/improvementPlansMissing",
            "improvementPlans/visuals/improvementPlansTable",
            "itCost",
            "itCost/visuals/itCostAgency",
            "itCost/visuals/itCostCoverage",
            "itCost/visuals/itCostFiscalYear",
            "itCost/visuals/itCostScorecard",
            "itCost/visuals/itCostStatewide",
            "teamGoals",
            "teamGoals/visuals/teamGoalsAtRisk",
            "teamGoals/visuals/teamGoalsFiscalYear",
            "teamGoals/visuals/teamGoalsScorecard",
            "teamGoals/visuals/teamGoalsTeam",
        ]);
    });

    it("keeps ids short and distinct, and visuals inside the page", () => {
        const ids = PAGES.flatMap((p) => [p.id, ...p.visuals.map((v) => v.id)]);
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of ids) expect(id).toMatch(/^[A-Za-z][A-Za-z0-9]{0,49}$/);
        for (const [file, v] of visuals()) {
            const p = v.position;
            expect([file, p.tabOrder >= 0]).toEqual([file, true]);
            expect([v.name, p.x >= 0 && p.y >= 0 && p.x + p.width <= 1280 && p.y + p.height <= 720]).toEqual([
                v.name,
                true,
            ]);
        }
    });
});

describe("Microsoft's JSON schemas (vendored in tests/schemas)", () => {
    it("every JSON file of the project carries its $schema and validates against it", () => {
        const ajv = loadSchemas();
        const checked: string[] = [];
        for (const format of ["tmdl", "bim"] as const) {
            for (const [file, value] of schemaBoundFiles(reportProjectFiles(model(), format, pkg, opening()))) {
                expect([file, schemaProblems(ajv, value)]).toEqual([file, []]);
                checked.push(file);
            }
        }
        expect(checked.filter((f) => f.endsWith("/visual.json"))).toHaveLength(40);
        expect(checked.filter((f) => f.endsWith(".platform"))).toHaveLength(4);
        expect(Object.values(REPORT_SCHEMAS).every((url) => ajv.getSchema(url) !== undefined)).toBe(true);
    });

    it("reject a projection whose queryRef sits inside field (the validation is not vacuous)", () => {
        const ajv = loadSchemas();
        const [file, container] = scorecards()[0];
        const broken = JSON.parse(files.get(file)!);
        const p = broken.visual.query.queryState.agency.projections[0];
        broken.visual.query.queryState.agency.projections[0] = { field: { ...p.field, queryRef: p.queryRef } };
        expect(schemaProblems(ajv, broken)).not.toEqual([]);
        expect(container.name).toBe(broken.name);
    });
});
