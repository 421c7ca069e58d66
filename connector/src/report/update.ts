/**
 * Regenerating over an existing project. The connector records what it wrote in `.generated-files`
 * (one hash per file). On the next run:
 *  - a generated file still as the connector wrote it is replaced by the new version;
 *  - a generated file the user changed (e.g. moved a visual, edited a measure in Desktop) stops the
 *    run with a message naming it and nothing is written, unless --force replaces it;
 *  - everything else (pages and visuals added by hand, other custom visuals, Desktop's .pbi/
 *    settings) is kept as it is; pages.json keeps the user's pages and order, and report.json the
 *    user's own changes (theme, other visuals), with this visual's package registered.
 * JSON is compared as data (Desktop reorders and reindents it on save), TMDL as data too (see
 * canonicalTmdl: Desktop's order, blank lines and own annotations are no change), other text
 * without regard to line endings (git may check files out with CRLF). A file Desktop saved that
 * still holds what the connector would write is left as Desktop wrote it, so a save in Desktop
 * followed by a regeneration changes nothing; the culture file is Desktop's once written.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { canonicalTmdl, CULTURE_FILE } from "../tmdl";

export const MANIFEST = ".generated-files";

const MANIFEST_HEADER = [
    "# Files the Agency IT Scorecard connector generated, each with a hash of its content (JSON compared",
    "# as data, line endings ignored). Regenerating replaces those still unchanged, keeps files you",
    "# added, and stops before overwriting one you changed unless you pass --force. Do not edit.",
];

export class RegenerateRefused extends Error {
    constructor(
        message: string,
        readonly files: string[],
    ) {
        super(message);
    }
}

export interface UpdatePlan {
    /** Files to write, with the manifest. */
    files: Map<string, string>;
    /** Existing files (relative paths) the user added, carried over. */
    keep: string[];
    /** Generated files already as the connector would write them (perhaps saved by Desktop), left as they are. */
    unchanged: string[];
    /** Files the user had changed that --force replaces. */
    replaced: string[];
}

const JSON_FILE = /\.(json|pbir|pbism|pbip|platform)$/;

function canonical(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(canonical);
    if (value && typeof value === "object") {
        return Object.fromEntries(
            Object.keys(value)
                .sort()
                .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
        );
    }
    return value;
}

/** The hash the manifest records: JSON and TMDL as data, other text with LF line endings. */
export function contentHash(file: string, content: string | Buffer): string {
    let text = (typeof content === "string" ? content : content.toString("utf8")).replace(/\r\n/g, "\n");
    if (file.endsWith(".tmdl")) text = canonicalTmdl(text);
    if (JSON_FILE.test(file) || path.posix.basename(file) === ".platform") {
        try {
            text = JSON.stringify(canonical(JSON.parse(text.replace(/^\uFEFF/, ""))));
        } catch {
            // not JSON after all: hash the text
        }
    }
    return createHash("sha256").update(text, "utf8").digest("hex");
}

export function manifestText(files: Map<string, string>): string {
    const lines = [...files.keys()]
        .filter((f) => f !== MANIFEST)
        .sort()
        .map((f) => `${contentHash(f, files.get(f) as string)}  ${f}`);
    return `${[...MANIFEST_HEADER, ...lines].join("\n")}\n`;
}

export function parseManifest(text: string): Map<string, string> {
    const hashes = new Map<string, string>();
    for (const line of text.replace(/\r\n/g, "\n").split("\n")) {
        const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
        if (m) hashes.set(m[2], m[1]);
    }
    return hashes;
}

export function listFiles(dir: string): string[] {
    return fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
        .sort();
}

const parse = (text: string): Record<string, unknown> | undefined => {
    try {
        const value = JSON.parse(text.replace(/^\uFEFF/, ""));
        return value && typeof value === "object" && !Array.isArray(value) ? value : undefined;
    } catch {
        return undefined;
    }
};
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** pages.json: the user's order and active page, generated pages missing from it appended, pages whose folder is gone dropped. */
function mergePages(existing: string | undefined, generated: string, pageIds: Set<string>): string {
    const gen = parse(generated) as { pageOrder: string[]; activePageName: string };
    const old = existing === undefined ? undefined : parse(existing);
    const oldOrder = Array.isArray(old?.pageOrder)
        ? (old.pageOrder as unknown[]).filter((p): p is string => typeof p === "string")
        : [];
    const order = oldOrder.filter((id) => pageIds.has(id));
    for (const id of [...gen.pageOrder, ...[...pageIds].sort()]) if (!order.includes(id)) order.push(id);
    const merged: Record<string, unknown> = { ...gen, pageOrder: order };
    if (typeof old?.activePageName === "string" && pageIds.has(old.activePageName))
        merged.activePageName = old.activePageName;
    if (typeof old?.landingPageName === "string" && pageIds.has(old.landingPageName))
        merged.landingPageName = old.landingPageName;
    return json(merged);
}

/** report.json the user changed: theirs, with this visual's package registered in place of any earlier one. */
function mergeReport(existing: string, generated: string, ourGuids: Set<string>): string | undefined {
    const old = parse(existing);
    const gen = parse(generated) as { resourcePackages: Array<{ name: string }> };
    if (!old) return undefined;
    const packages = Array.isArray(old.resourcePackages)
        ? (old.resourcePackages as Array<{ name?: unknown; type?: unknown }>)
        : [];
    const others = packages.filter(
        (p) => !(p.type === "CustomVisual" && typeof p.name === "string" && ourGuids.has(p.name)),
    );
    return json({ ...old, resourcePackages: [...others, ...gen.resourcePackages] });
}

export interface PlanOptions {
    /** Replace generated files the user changed. */
    force: boolean;
    projectName: string;
    /**
     * What an earlier connector version wrote for the same inputs: the baseline for projects
     * generated before the manifest existed.
     */
    previous?: Map<string, string>;
}

/** Works out what to write over `outDir`; throws RegenerateRefused (having written nothing) on conflicts. */
export function planUpdate(outDir: string, generated: Map<string, string>, options: PlanOptions): UpdatePlan {
    const files = new Map(generated);
    const report = `${options.projectName}.Report`;
    const pagesFile = `${report}/definition/pages/pages.json`;
    const reportFile = `${report}/definition/report.json`;
    const existingList = fs.existsSync(path.join(outDir, `${options.projectName}.pbip`)) ? listFiles(outDir) : [];
    const existing = new Set(existingList);
    const read = (f: string): string => fs.readFileSync(path.join(outDir, f), "utf8");

    const previous = existing.has(MANIFEST)
        ? parseManifest(read(MANIFEST))
        : new Map([...(options.previous ?? new Map<string, string>())].map(([f, c]) => [f, contentHash(f, c)]));
    const asGenerated = (f: string): boolean =>
        previous.get(f) === contentHash(f, fs.readFileSync(path.join(outDir, f)));

    const conflicts: string[] = [];
    const unchanged: string[] = [];
    let modelChanged = false;
    for (const [file, content] of generated) {
        const inModel = file.startsWith(`${options.projectName}.SemanticModel/`);
        if (!existing.has(file)) {
            modelChanged ||= inModel;
            continue;
        }
        const current = contentHash(file, fs.readFileSync(path.join(outDir, file)));
        // Already what the connector would write (perhaps as Desktop saved it), or Desktop's own: keep those bytes.
        if (current === contentHash(file, content) || CULTURE_FILE.test(file)) {
            files.delete(file);
            unchanged.push(file);
            continue;
        }
        modelChanged ||= inModel;
        if (file === pagesFile || previous.get(file) === current) continue; // pages.json is merged below
        if (file === reportFile) {
            const guids = new Set(
                [...previous.keys(), ...generated.keys()]
                    .map((f) => (f.startsWith(`${report}/CustomVisuals/`) ? f.split("/")[2] : ""))
                    .filter((g) => g !== ""),
            );
            const merged = mergeReport(read(file), content, guids);
            if (merged !== undefined) {
                files.set(file, merged);
                continue;
            }
        }
        conflicts.push(file);
    }

    const keep: string[] = [];
    for (const file of existingList) {
        if (file === MANIFEST || generated.has(file)) continue;
        if (previous.has(file) && asGenerated(file)) continue; // generated before, no longer: remove
        if (modelChanged && file === `${options.projectName}.SemanticModel/.pbi/cache.abf`) continue; // data of the old model
        keep.push(file);
    }

    if (conflicts.length > 0 && !options.force) {
        const shown = conflicts
            .slice(0, 8)
            .map((f) => `  ${f}`)
            .join("\n");
        const more = conflicts.length > 8 ? `\n  ... and ${conflicts.length - 8} more` : "";
        throw new RegenerateRefused(
            `${outDir} holds ${conflicts.length} generated file(s) changed since the connector wrote them:\n${shown}${more}\n` +
                "Regenerating would overwrite them, so nothing was changed. Pass --force to replace them " +
                "(pages, visuals and other files you added are kept either way), or generate into a new folder.",
            conflicts,
        );
    }

    // pages.json lists the generated pages and every page folder that stays.
    const pageIds = new Set<string>();
    const pagePattern = new RegExp(
        `^${report.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/definition/pages/([^/]+)/page\\.json$`,
    );
    for (const f of [...files.keys(), ...keep, ...unchanged]) {
        const m = pagePattern.exec(f);
        if (m) pageIds.add(m[1]);
    }
    if (files.has(pagesFile))
        files.set(
            pagesFile,
            mergePages(existing.has(pagesFile) ? read(pagesFile) : undefined, files.get(pagesFile) as string, pageIds),
        );

    // The manifest records what the connector generated, so merged files still count as the user's.
    files.set(MANIFEST, manifestText(generated));
    return {
        files: new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
        keep,
        unchanged,
        replaced: options.force ? conflicts : [],
    };
}
