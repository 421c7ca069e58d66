/** @jest-environment node */
/**
 * Generating the report over an existing project: what the user added is kept, what they changed
 * stops the run (nothing written) unless --force; the .pbiviz reader; missing-visual errors.
 * Uses small synthetic .pbiviz files (built with JSZip), so it does not need `npm run package`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import JSZip from "jszip";
import { runCli as cli } from "../support/cli";
import { buildModel } from "../../connector/src/model";
import { projectFiles, writeProject } from "../../connector/src/pbip";
import { readZip } from "../../connector/src/report/zip";
import { findVisualPackage, MANIFEST, readVisualPackage } from "../../connector/src/report";

const ROOT = path.join(__dirname, "..", "..");
const SAMPLE = path.join(ROOT, "connector", "sample");
const NAME = "Agency IT Scorecard";
const REPORT = `${NAME}.Report`;
const PAGES = `${REPORT}/definition/pages`;
const capabilities = JSON.parse(fs.readFileSync(path.join(ROOT, "capabilities.json"), "utf8"));

let work: string;
let visualA: string;
let visualB: string;

async function fakePbiviz(file: string, guid: string, compression: "DEFLATE" | "STORE" = "DEFLATE"): Promise<void> {
    const zip = new JSZip();
    zip.file(
        "package.json",
        JSON.stringify({
            version: "1.0.0.0",
            resources: [{ resourceId: "rId0", sourceType: 5, file: `resources/${guid}.pbiviz.json` }],
        }),
    );
    zip.file(
        `resources/${guid}.pbiviz.json`,
        JSON.stringify({
            visual: { guid, version: "1.0.0.0", displayName: "Test" },
            capabilities,
            content: { js: "/* é */", css: "" },
        }),
    );
    fs.writeFileSync(file, await zip.generateAsync({ type: "nodebuffer", compression }));
}

beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "report-visuals-"));
    visualA = path.join(dir, "a.pbiviz");
    visualB = path.join(dir, "b.pbiviz");
    await fakePbiviz(visualA, "scorecardTestA");
    await fakePbiviz(visualB, "scorecardTestB", "STORE");
});
afterAll(() => {
    fs.rmSync(path.dirname(visualA), { recursive: true, force: true });
});
beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "report-update-"));
});
afterEach(() => {
    fs.rmSync(work, { recursive: true, force: true });
});

const generate = (out: string, ...extra: string[]) =>
    cli("generate", "--source", "csv", "--folder", SAMPLE, "--out", out, "--visual", visualA, ...extra);

function snapshot(dir: string): Map<string, Buffer> {
    return new Map(
        fs
            .readdirSync(dir, { recursive: true, withFileTypes: true })
            .filter((e) => e.isFile())
            .map((e) => path.join(e.parentPath, e.name))
            .map((f) => [path.relative(dir, f).split(path.sep).join("/"), fs.readFileSync(f)] as [string, Buffer])
            .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
}
const put = (dir: string, file: string, content: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
};
const readJson = (dir: string, file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));

/** What Power BI Desktop writes when a user adds a page with a card, and a text box to a generated page. */
function addByHand(out: string): void {
    put(
        out,
        `${PAGES}/myNotes/page.json`,
        JSON.stringify({
            $schema: "x",
            name: "myNotes",
            displayName: "My notes",
            displayOption: "FitToPage",
            height: 720,
            width: 1280,
        }),
    );
    put(
        out,
        `${PAGES}/myNotes/visuals/noteCard/visual.json`,
        JSON.stringify({
            name: "noteCard",
            position: { x: 0, y: 0, width: 100, height: 100 },
            visual: { visualType: "card" },
        }),
    );
    put(
        out,
        `${PAGES}/itCost/visuals/myTextbox/visual.json`,
        JSON.stringify({
            name: "myTextbox",
            position: { x: 0, y: 0, width: 50, height: 50 },
            visual: { visualType: "textbox" },
        }),
    );
    const pages = readJson(out, `${PAGES}/pages.json`);
    put(
        out,
        `${PAGES}/pages.json`,
        JSON.stringify({ ...pages, pageOrder: ["myNotes", ...pages.pageOrder], activePageName: "teamGoals" }, null, 4),
    );
    put(out, `${REPORT}/.pbi/localSettings.json`, "{}");
}

describe("regenerating over an existing project", () => {
    it("keeps pages and visuals added by hand, their page order and Desktop's settings, and updates the rest", async () => {
        const out = path.join(work, "p");
        expect((await generate(out)).code).toBe(0);
        addByHand(out);
        // Desktop re-saves generated JSON with its own layout and git may check text out with CRLF: not a change.
        const scorecard = `${PAGES}/itCost/visuals/itCostScorecard/visual.json`;
        put(out, scorecard, JSON.stringify(readJson(out, scorecard), null, 4).replace(/\n/g, "\r\n"));
        const tmdl = `${NAME}.SemanticModel/definition/tables/Charges.tmdl`;
        put(out, tmdl, fs.readFileSync(path.join(out, tmdl), "utf8").replace(/\n/g, "\r\n"));

        const again = await generate(out);
        expect(again).toMatchObject({ code: 0, err: "" });
        expect(again.out).toMatch(/kept 4 file\(s\) you added/);
        expect(fs.existsSync(path.join(out, `${PAGES}/myNotes/visuals/noteCard/visual.json`))).toBe(true);
        expect(fs.existsSync(path.join(out, `${PAGES}/itCost/visuals/myTextbox/visual.json`))).toBe(true);
        expect(fs.readFileSync(path.join(out, `${REPORT}/.pbi/localSettings.json`), "utf8")).toBe("{}");
        expect(readJson(out, `${PAGES}/pages.json`)).toMatchObject({
            pageOrder: ["myNotes", "itCost", "teamGoals", "agencySatisfaction", "followUps", "improvementPlans"],
            activePageName: "teamGoals",
        });
        // Still what the connector writes: left as Desktop (or git) wrote it, so a regeneration changes nothing.
        expect(fs.readFileSync(path.join(out, scorecard), "utf8")).toContain("\r\n");
        expect(fs.readFileSync(path.join(out, tmdl), "utf8")).toContain("\r\n");
        expect(fs.readdirSync(work)).toEqual(["p"]);
    });

    it("refuses, changing nothing, when a generated file was changed; --force replaces it and still keeps added pages", async () => {
        const out = path.join(work, "p");
        expect((await generate(out)).code).toBe(0);
        addByHand(out);
        const card = `${PAGES}/itCost/visuals/itCostStatewide/visual.json`;
        const moved = readJson(out, card);
        moved.position.x = 40;
        put(out, card, JSON.stringify(moved, null, 2));
        const measureEdit = `${NAME}.SemanticModel/definition/tables/Charges.tmdl`;
        put(out, measureEdit, `${fs.readFileSync(path.join(out, measureEdit), "utf8")}\n\tmeasure 'My KPI' = 1\n`);
        const before = snapshot(out);

        const refused = await generate(out);
        expect(refused.code).toBe(1);
        expect(refused.err).toContain(card);
        expect(refused.err).toContain(measureEdit);
        expect(refused.err).toMatch(/nothing was changed\. Pass --force/);
        expect(snapshot(out)).toEqual(before);
        expect(fs.readdirSync(work)).toEqual(["p"]);

        const forced = await generate(out, "--force");
        expect(forced.code).toBe(0);
        expect(forced.err).toMatch(/Replaced 2 changed file/);
        expect(readJson(out, card).position.x).not.toBe(40);
        expect(fs.readFileSync(path.join(out, measureEdit), "utf8")).not.toContain("My KPI");
        expect(fs.existsSync(path.join(out, `${PAGES}/myNotes/page.json`))).toBe(true);
        // Regenerating right after is a no-op, byte for byte.
        const after = snapshot(out);
        expect((await generate(out)).code).toBe(0);
        expect(snapshot(out)).toEqual(after);
    });

    it("keeps the user's report.json changes (theme, other visuals) and swaps in a new visual package, removing the old one", async () => {
        const out = path.join(work, "p");
        expect((await generate(out)).code).toBe(0);
        const report = readJson(out, `${REPORT}/definition/report.json`);
        report.themeCollection = {
            baseTheme: {
                name: "CY24SU10",
                reportVersionAtImport: { visual: "1.8.0", report: "2.0.0", page: "1.3.0" },
                type: "SharedResources",
            },
        };
        report.resourcePackages.push({
            name: "otherVisual123",
            type: "CustomVisual",
            items: [
                {
                    name: "otherVisual123.pbiviz.json",
                    path: "otherVisual123.pbiviz.json",
                    type: "CustomVisualMetadata",
                },
            ],
        });
        put(out, `${REPORT}/definition/report.json`, JSON.stringify(report));
        put(out, `${REPORT}/CustomVisuals/otherVisual123/package.json`, "{}");

        expect(
            (await cli("generate", "--source", "csv", "--folder", SAMPLE, "--out", out, "--visual", visualB)).code,
        ).toBe(0);
        const merged = readJson(out, `${REPORT}/definition/report.json`);
        expect(merged.themeCollection.baseTheme.name).toBe("CY24SU10");
        expect(merged.resourcePackages.map((p: { name: string }) => p.name)).toEqual([
            "otherVisual123",
            "scorecardTestB",
        ]);
        expect(fs.existsSync(path.join(out, `${REPORT}/CustomVisuals/scorecardTestA`))).toBe(false);
        expect(fs.existsSync(path.join(out, `${REPORT}/CustomVisuals/otherVisual123/package.json`))).toBe(true);
        expect(readJson(out, `${PAGES}/itCost/visuals/itCostScorecard/visual.json`).visual.visualType).toBe(
            "scorecardTestB",
        );
        // The merged report.json stays the user's on the next run too.
        expect(
            (await cli("generate", "--source", "csv", "--folder", SAMPLE, "--out", out, "--visual", visualB)).code,
        ).toBe(0);
        expect(readJson(out, `${REPORT}/definition/report.json`).themeCollection.baseTheme.name).toBe("CY24SU10");
    });

    it("upgrades a project from before the report (no manifest), dropping the unchanged placeholder page", async () => {
        const out = path.join(work, "p");
        const model = buildModel({ name: NAME, source: { kind: "csv", folder: path.resolve(SAMPLE) } });
        writeProject(out, projectFiles(model, "tmdl"), NAME);
        expect(fs.existsSync(path.join(out, `${PAGES}/scorecard/page.json`))).toBe(true);
        expect(fs.existsSync(path.join(out, MANIFEST))).toBe(false);
        expect((await generate(out)).code).toBe(0);
        expect(fs.existsSync(path.join(out, `${PAGES}/scorecard`))).toBe(false);
        expect(readJson(out, `${PAGES}/pages.json`).pageOrder).toEqual([
            "itCost",
            "teamGoals",
            "agencySatisfaction",
            "followUps",
            "improvementPlans",
        ]);
        expect(fs.readFileSync(path.join(out, MANIFEST), "utf8")).toContain(`  ${PAGES}/itCost/page.json\n`);
    });
});

describe("the packaged visual", () => {
    it("is read from deflated and stored archives as JSZip reads them", async () => {
        for (const file of [visualA, visualB]) {
            const zip = await JSZip.loadAsync(fs.readFileSync(file));
            const ours = readZip(fs.readFileSync(file));
            for (const entry of Object.values(zip.files).filter((e) => !e.dir)) {
                expect(ours.get(entry.name)!.equals(await entry.async("nodebuffer"))).toBe(true);
            }
            expect(ours.size).toBe(Object.values(zip.files).filter((e) => !e.dir).length);
        }
        expect(readVisualPackage(visualA)).toMatchObject({ guid: "scorecardTestA", version: "1.0.0.0" });
    });

    it("fails clearly when it is missing, not a .pbiviz, or lacks a role the report binds", async () => {
        expect(() => findVisualPackage(undefined, work)).toThrow(
            /No packaged visual in .*dist.*run `npm run package` first \(or pass --visual <file\.pbiviz>\)/,
        );
        const out = path.join(work, "p");
        const missing = await cli(
            "generate",
            "--source",
            "csv",
            "--folder",
            SAMPLE,
            "--out",
            out,
            "--visual",
            path.join(work, "nope.pbiviz"),
        );
        expect(missing).toMatchObject({ code: 1 });
        expect(missing.err).toMatch(/nope\.pbiviz \(--visual\) does not exist/);
        const text = path.join(work, "text.pbiviz");
        fs.writeFileSync(text, "not a zip");
        expect(
            (await cli("generate", "--source", "csv", "--folder", SAMPLE, "--out", out, "--visual", text)).err,
        ).toMatch(/Cannot read the packaged visual .*not a ZIP archive/);
        const old = path.join(work, "old.pbiviz");
        const zip = new JSZip();
        zip.file("package.json", "{}");
        zip.file(
            "resources/oldVisual.pbiviz.json",
            JSON.stringify({
                visual: { guid: "oldVisual" },
                capabilities: { dataRoles: [{ name: "agency", kind: "Grouping" }] },
            }),
        );
        fs.writeFileSync(old, await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" }));
        expect(
            (await cli("generate", "--source", "csv", "--folder", SAMPLE, "--out", out, "--visual", old)).err,
        ).toMatch(/has no data role "service".*npm run package/);
        expect(fs.existsSync(out)).toBe(false);
    });
});

const DESKTOP = path.join(ROOT, "tests", "fixtures", "desktop-save");
const MODEL = `${NAME}.SemanticModel`;
const reversedKeys = (value: unknown): unknown =>
    Array.isArray(value)
        ? value.map(reversedKeys)
        : value && typeof value === "object"
          ? Object.fromEntries(
                Object.entries(value)
                    .reverse()
                    .map(([k, v]) => [k, reversedKeys(v)]),
            )
          : value;

/**
 * Saves the generated project as Power BI Desktop does on Windows: CRLF everywhere, JSON
 * re-indented with its keys in its own order, TMDL with fewer blank lines, the version and tool
 * annotations in model.tmdl, the culture file rewritten by Q&A, and its own settings files
 * (tests/fixtures/desktop-save, where each is described).
 */
function saveAsDesktop(out: string): void {
    const fixture = (file: string) => fs.readFileSync(path.join(DESKTOP, file), "utf8");
    for (const file of snapshot(out).keys()) {
        if (file === MANIFEST || file.includes("/CustomVisuals/")) continue;
        let text = fs.readFileSync(path.join(out, file), "utf8");
        if (/\.(json|pbir|pbism|pbip)$|\.platform$/.test(file))
            text = JSON.stringify(reversedKeys(JSON.parse(text)), null, 2);
        if (file.endsWith(".tmdl")) text = text.replace(/\n\n(\t+annotation )/g, "\n$1");
        if (file.endsWith("/model.tmdl"))
            text = text.replace(
                /^(annotation PBI_QueryOrder = .*\n)/m,
                `$1\n${fixture("SemanticModel/definition/model.desktop-annotations.tmdl")}\n`,
            );
        put(out, file, text.replace(/\r?\n/g, "\r\n"));
    }
    put(out, `${MODEL}/definition/cultures/en-US.tmdl`, fixture("SemanticModel/definition/cultures/en-US.tmdl"));
    for (const file of [".pbi/localSettings.json", ".pbi/editorSettings.json", "diagramLayout.json"])
        put(out, `${MODEL}/${file}`, fixture(`SemanticModel/${file}`));
    put(out, `${REPORT}/.pbi/localSettings.json`, fixture("Report/.pbi/localSettings.json"));
}

describe("after a save in Power BI Desktop", () => {
    it("writes what Desktop writes: the query order, the date type of date columns, the culture and its file", async () => {
        const out = path.join(work, "p");
        expect(await generate(out)).toMatchObject({ code: 0, err: "" });
        const definition = path.join(out, MODEL, "definition");
        const model = fs.readFileSync(path.join(definition, "model.tmdl"), "utf8");
        const queries = JSON.parse(/^annotation PBI_QueryOrder = (.+)$/m.exec(model)![1]);
        const tables = fs.readdirSync(path.join(definition, "tables")).map((f) => f.replace(/\.tmdl$/, ""));
        const parameters = [
            ...fs.readFileSync(path.join(definition, "expressions.tmdl"), "utf8").matchAll(/^expression (\S+) =/gm),
        ].map((m) => m[1]);
        expect([...queries].sort()).toEqual([...parameters, ...tables].sort());
        expect(model).toMatch(/\nref cultureInfo en-US\n/);
        expect(fs.readFileSync(path.join(definition, "cultures", "en-US.tmdl"), "utf8")).toMatch(
            /^cultureInfo en-US\n\n\tlinguisticMetadata =\n\t\t\t\{\n\t\t\t {2}"Version": "1\.0\.0",\n\t\t\t {2}"Language": "en-US"\n\t\t\t\}\n\t\tcontentType: json\n/,
        );
        const dateColumns = fs
            .readdirSync(path.join(definition, "tables"))
            .flatMap((f) =>
                fs
                    .readFileSync(path.join(definition, "tables", f), "utf8")
                    .split(/\n(?=\t(?:\/\/\/|column|measure|partition))/),
            )
            .filter((block) => /^\t(\/\/\/.*\n\t)?column /.test(block) && block.includes("dataType: dateTime"));
        expect(dateColumns.length).toBeGreaterThan(5);
        for (const column of dateColumns)
            expect(column).toContain("\t\tannotation UnderlyingDateTimeDataType = Date\n");
    });

    it("regenerates without a change: no file reported as changed, every file left as Desktop saved it", async () => {
        const out = path.join(work, "p");
        expect((await generate(out)).code).toBe(0);
        saveAsDesktop(out);
        const saved = snapshot(out);
        const again = await generate(out);
        expect(again).toMatchObject({ code: 0, err: "" });
        expect(again.out).toMatch(/already up to date, left as they were\) and kept 4 file\(s\) you added/);
        const after = snapshot(out);
        expect([...after.keys()]).toEqual([...saved.keys()]);
        const rewritten = [...saved].filter(([file, bytes]) => !after.get(file)!.equals(bytes)).map(([f]) => f);
        expect(rewritten).toEqual([]);
        expect(fs.readFileSync(path.join(out, MODEL, "definition", "model.tmdl"), "utf8")).toContain(
            "annotation PBIDesktopVersion = 2.149.1429.0",
        );
    });

    it("still stops at a real change saved by Desktop, naming only that file", async () => {
        const out = path.join(work, "p");
        expect((await generate(out)).code).toBe(0);
        saveAsDesktop(out);
        const charges = `${MODEL}/definition/tables/Charges.tmdl`;
        const text = fs.readFileSync(path.join(out, charges), "utf8");
        expect(text).toContain("formatString: \\$#,0");
        put(out, charges, text.replace("formatString: \\$#,0", "formatString: \\$#,0.00"));
        const before = snapshot(out);
        const refused = await generate(out);
        expect(refused.code).toBe(1);
        expect(refused.err).toMatch(/holds 1 generated file\(s\) changed since/);
        expect(refused.err).toContain(charges);
        expect(snapshot(out)).toEqual(before);
    });
});
