/** @jest-environment node */
/**
 * Microsoft's own PBIR validator (@microsoft/powerbi-report-authoring-cli, a devDependency) on
 * the report `generate` writes for the sample. It runs with --no-schema: it would fetch the JSON
 * schemas from the internet, and report.test.ts checks them against the vendored copies instead.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { generateSampleProject } from "../support/cli";

const ROOT = path.join(__dirname, "..", "..");
const VALIDATOR = path.join(ROOT, "node_modules", ".bin", "powerbi-report-author");
const REPORT = "Agency IT Scorecard.Report";
const GUID: string = JSON.parse(fs.readFileSync(path.join(ROOT, "pbiviz.json"), "utf8")).visual.guid;

interface Diagnostic {
    severity: string;
    items: Array<{ message: string; file?: string }>;
}
interface Validation {
    result: string;
    errorCount: number;
    warningCount: number;
    diagnostics: Record<string, Diagnostic>;
}

function validate(report: string): { status: number | null; data: Validation } {
    if (!fs.existsSync(VALIDATOR))
        throw new Error(
            `Microsoft's PBIR validator is missing (${VALIDATOR}): run \`npm ci\`, which installs the devDependency @microsoft/powerbi-report-authoring-cli.`,
        );
    const run = spawnSync(VALIDATOR, ["validate", "--no-schema", "--format", "json", report], { encoding: "utf8" });
    if (run.error) throw run.error;
    let envelope: { data?: Validation };
    try {
        envelope = JSON.parse(run.stdout);
    } catch {
        throw new Error(`powerbi-report-author printed no JSON (exit ${run.status}): ${run.stdout}${run.stderr}`);
    }
    if (!envelope.data) throw new Error(`powerbi-report-author could not validate ${report}: ${run.stdout}`);
    return { status: run.status, data: envelope.data };
}

let work: string;
let sample: string;
beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "pbir-"));
    sample = path.join(work, "sample");
    // Needs the packaged visual (npm test packages it first); without it generate says to run npm run package.
    const generated = await generateSampleProject(sample);
    expect(generated).toMatchObject({ code: 0, err: "" });
}, 60_000);
afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe("Microsoft's PBIR validator", () => {
    it("finds no error in the sample report; its only warning is that it does not know our private visual", () => {
        const { status, data } = validate(path.join(sample, REPORT));
        expect(status).toBe(0);
        expect(data.errorCount).toBe(0);
        expect(data.result).toBe("succeededWithWarnings");
        expect(Object.keys(data.diagnostics)).toEqual(["PBIR_VISUAL_TYPE_UNKNOWN"]);
        // One per scorecard: the visual is embedded in the report, not in Microsoft's catalogue.
        const unknown = data.diagnostics.PBIR_VISUAL_TYPE_UNKNOWN.items;
        expect(unknown.map((item) => path.relative(sample, item.file!).split(path.sep).join("/")).sort()).toEqual([
            `${REPORT}/definition/pages/agencySatisfaction/visuals/agencySatisfactionScorecard/visual.json`,
            `${REPORT}/definition/pages/itCost/visuals/itCostScorecard/visual.json`,
            `${REPORT}/definition/pages/teamGoals/visuals/teamGoalsScorecard/visual.json`,
        ]);
        for (const item of unknown) expect(item.message).toContain(`"${GUID}"`);
        expect(data.warningCount).toBe(unknown.length);
    });

    it("fails a report whose page order names a page that is not there (it does check)", () => {
        const broken = path.join(work, "broken");
        fs.cpSync(sample, broken, { recursive: true });
        const pagesFile = path.join(broken, REPORT, "definition", "pages", "pages.json");
        const pages = JSON.parse(fs.readFileSync(pagesFile, "utf8"));
        fs.writeFileSync(pagesFile, JSON.stringify({ ...pages, pageOrder: [...pages.pageOrder, "ghost"] }));
        const { status, data } = validate(path.join(broken, REPORT));
        expect(status).not.toBe(0);
        expect(data.result).toBe("failed");
        expect(data.errorCount).toBe(1);
        expect(data.diagnostics.PBIR_PAGE_JSON_MISSING.items.map((item) => item.message)).toEqual([
            'Page in pageOrder but missing page.json: "ghost"',
        ]);
    });
});
