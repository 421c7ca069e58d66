/**
 * The Power BI Project (PBIP): the `.pbip` shortcut, the semantic model folder (TMDL or model.bim)
 * and a one-page report bound to it by relative path. Written atomically: everything is built in
 * a temporary folder next to the target and renamed into place, so a failed run leaves no
 * half-written project (and an earlier project stays as it was).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { SemanticModel, stableId } from "./model";
import { modelToTmdl } from "./tmdl";
import { modelToBim } from "./bim";

export type ModelFormat = "tmdl" | "bim";

const SCHEMA_BASE = "https://developer.microsoft.com/json-schemas/fabric";
export const SCHEMAS = {
    pbip: `${SCHEMA_BASE}/pbip/pbipProperties/1.0.0/schema.json`,
    platform: `${SCHEMA_BASE}/gitIntegration/platformProperties/2.0.0/schema.json`,
    pbism: `${SCHEMA_BASE}/item/semanticModel/definitionProperties/1.0.0/schema.json`,
    pbir: `${SCHEMA_BASE}/item/report/definitionProperties/2.0.0/schema.json`,
    version: `${SCHEMA_BASE}/item/report/definition/versionMetadata/1.0.0/schema.json`,
    report: `${SCHEMA_BASE}/item/report/definition/report/3.3.0/schema.json`,
    pages: `${SCHEMA_BASE}/item/report/definition/pagesMetadata/1.1.0/schema.json`,
    page: `${SCHEMA_BASE}/item/report/definition/page/2.1.0/schema.json`,
} as const;

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function platform(type: "SemanticModel" | "Report", name: string): string {
    return json({
        $schema: SCHEMAS.platform,
        metadata: { type, displayName: name },
        config: { version: "2.0", logicalId: stableId(`item/${type}/${name}`) },
    });
}

/** Every file of the project, keyed by path relative to the output folder ("/" separators). */
export function projectFiles(model: SemanticModel, format: ModelFormat = "tmdl"): Map<string, string> {
    const name = model.name;
    const sm = `${name}.SemanticModel`;
    const report = `${name}.Report`;
    const files = new Map<string, string>();
    files.set(
        `${name}.pbip`,
        json({
            $schema: SCHEMAS.pbip,
            version: "1.0",
            artifacts: [{ report: { path: report } }],
            settings: { enableAutoRecovery: true },
        }),
    );
    files.set(".gitignore", "**/.pbi/localSettings.json\n**/.pbi/cache.abf\n");
    // Version 4.0 and above lets the model be stored as TMDL (definition/) as well as model.bim.
    files.set(`${sm}/definition.pbism`, json({ $schema: SCHEMAS.pbism, version: "4.2", settings: {} }));
    files.set(`${sm}/.platform`, platform("SemanticModel", name));
    if (format === "tmdl") {
        for (const [file, content] of modelToTmdl(model)) files.set(`${sm}/definition/${file}`, content);
    } else {
        files.set(`${sm}/model.bim`, json(modelToBim(model)));
    }
    files.set(
        `${report}/definition.pbir`,
        json({
            $schema: SCHEMAS.pbir,
            version: "4.0",
            datasetReference: { byPath: { path: `../${sm}` } },
        }),
    );
    files.set(`${report}/.platform`, platform("Report", name));
    files.set(`${report}/definition/version.json`, json({ $schema: SCHEMAS.version, version: "2.0.0" }));
    files.set(`${report}/definition/report.json`, json({ $schema: SCHEMAS.report, themeCollection: {} }));
    files.set(
        `${report}/definition/pages/pages.json`,
        json({ $schema: SCHEMAS.pages, pageOrder: ["scorecard"], activePageName: "scorecard" }),
    );
    files.set(
        `${report}/definition/pages/scorecard/page.json`,
        json({
            $schema: SCHEMAS.page,
            name: "scorecard",
            displayName: "Scorecard",
            displayOption: "FitToPage",
            height: 720,
            width: 1280,
        }),
    );
    return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export class OutputError extends Error {}

function describe(error: unknown): string {
    const e = error as NodeJS.ErrnoException;
    return e && e.code ? `${e.code}: ${e.message}` : String(error);
}

export interface WriteOptions {
    /** Files of the project already in `outDir` (relative paths) to carry over unchanged. */
    keep?: readonly string[];
}

/** Throws unless `outDir` is new, empty, or holds an earlier project of the same name. */
export function checkOutput(outDir: string, projectName: string): void {
    const target = path.resolve(outDir);
    if (fs.existsSync(target)) {
        if (!fs.statSync(target).isDirectory()) throw new OutputError(`Output ${outDir} exists and is not a folder.`);
        const entries = fs.readdirSync(target);
        if (entries.length > 0 && !entries.includes(`${projectName}.pbip`)) {
            throw new OutputError(
                `Output folder ${outDir} is not empty and holds no ${projectName}.pbip: choose a new or empty folder (nothing was written).`,
            );
        }
    }
}

/**
 * Writes the files into `outDir` atomically. `outDir` must be new, empty, or hold an earlier
 * project of the same name (which is replaced as a whole, but for the files `options.keep` names):
 * other folders are never overwritten.
 */
export function writeProject(
    outDir: string,
    files: Map<string, string>,
    projectName: string,
    options: WriteOptions = {},
): void {
    const target = path.resolve(outDir);
    const parent = path.dirname(target);
    checkOutput(outDir, projectName);
    try {
        fs.mkdirSync(parent, { recursive: true });
    } catch (error) {
        throw new OutputError(`Cannot create the output's parent folder ${parent} (${describe(error)}).`);
    }
    let staging: string;
    try {
        staging = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.tmp-`));
    } catch (error) {
        throw new OutputError(`Cannot write to ${parent} (${describe(error)}).`);
    }
    const old = `${staging}.old`;
    try {
        for (const [relative, content] of files) {
            const file = path.join(staging, ...relative.split("/"));
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, content, { encoding: "utf8" }); // Node writes UTF-8 without BOM
        }
        for (const relative of options.keep ?? []) {
            const file = path.join(staging, ...relative.split("/"));
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.copyFileSync(path.join(target, ...relative.split("/")), file);
        }
        const replacing = fs.existsSync(target);
        if (replacing) fs.renameSync(target, old);
        try {
            fs.renameSync(staging, target);
        } catch (error) {
            if (replacing) fs.renameSync(old, target); // put the earlier project back
            throw error;
        }
        if (replacing) fs.rmSync(old, { recursive: true, force: true });
    } catch (error) {
        fs.rmSync(staging, { recursive: true, force: true });
        throw new OutputError(`Could not write the project to ${outDir} (${describe(error)}); nothing was changed.`);
    }
}
