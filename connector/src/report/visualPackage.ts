/**
 * The packaged visual (`dist/<guid>.<version>.pbiviz`): a ZIP holding `package.json` and
 * `resources/<guid>.pbiviz.json` (the visual's metadata, capabilities, js and css). The report
 * carries it unpacked, byte for byte, the way Power BI Desktop stores a visual imported from a file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readZip, ZipError } from "./zip";

export class VisualPackageError extends Error {}

export interface DataRole {
    name: string;
    kind: string;
}

export interface VisualPackage {
    /** The .pbiviz file it was read from. */
    file: string;
    guid: string;
    version: string;
    displayName: string;
    /** The package's data roles (its capabilities.json). */
    roles: DataRole[];
    /** Every file of the package by its path inside the ZIP, as text (UTF-8, byte for byte). */
    files: Map<string, string>;
}

/** The repository root: connector/src/report/ is three levels down. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function readVisualPackage(file: string): VisualPackage {
    let entries: Map<string, Buffer>;
    try {
        entries = readZip(fs.readFileSync(file));
    } catch (error) {
        const reason =
            error instanceof ZipError ? error.message : ((error as NodeJS.ErrnoException).code ?? String(error));
        throw new VisualPackageError(`Cannot read the packaged visual ${file} (${reason}).`);
    }
    const files = new Map<string, string>();
    for (const [name, bytes] of entries) {
        try {
            files.set(name, utf8.decode(bytes));
        } catch {
            throw new VisualPackageError(
                `The packaged visual ${file} holds ${name}, which is not UTF-8 text: is it a .pbiviz?`,
            );
        }
    }
    const metadataFile = [...files.keys()].find((name) => /^resources\/[^/]+\.pbiviz\.json$/.test(name));
    if (!files.has("package.json") || !metadataFile) {
        throw new VisualPackageError(
            `${file} is not a packaged Power BI visual: it lacks package.json or resources/<guid>.pbiviz.json.`,
        );
    }
    let metadata: {
        visual?: { guid?: unknown; version?: unknown; displayName?: unknown };
        capabilities?: { dataRoles?: unknown };
    };
    try {
        metadata = JSON.parse(files.get(metadataFile) as string);
    } catch (error) {
        throw new VisualPackageError(`${file}: ${metadataFile} is not valid JSON (${(error as Error).message}).`);
    }
    const guid = metadata.visual?.guid;
    if (typeof guid !== "string" || !/^[A-Za-z0-9_]+$/.test(guid) || metadataFile !== `resources/${guid}.pbiviz.json`) {
        throw new VisualPackageError(`${file}: the visual's guid is missing or does not match ${metadataFile}.`);
    }
    const roles = Array.isArray(metadata.capabilities?.dataRoles)
        ? (metadata.capabilities.dataRoles as Array<{ name?: unknown; kind?: unknown }>).map((r) => ({
              name: String(r.name),
              kind: String(r.kind),
          }))
        : [];
    return {
        file,
        guid,
        version: String(metadata.visual?.version ?? ""),
        displayName: String(metadata.visual?.displayName ?? guid),
        roles,
        files,
    };
}

/**
 * The .pbiviz to embed: the one given, else `dist/<guid>.<version>.pbiviz` named by pbiviz.json,
 * else the only `dist/*.pbiviz`. Fails, saying how to build it, when there is none.
 */
export function findVisualPackage(explicit: string | undefined, root: string = REPO_ROOT): string {
    if (explicit) {
        if (!fs.existsSync(explicit) || !fs.statSync(explicit).isFile())
            throw new VisualPackageError(`The packaged visual ${explicit} (--visual) does not exist.`);
        return explicit;
    }
    const dist = path.join(root, "dist");
    const found = fs.existsSync(dist)
        ? fs
              .readdirSync(dist)
              .filter((f) => f.endsWith(".pbiviz"))
              .sort()
        : [];
    let expected: string | undefined;
    try {
        const pbiviz = JSON.parse(fs.readFileSync(path.join(root, "pbiviz.json"), "utf8"));
        expected = `${pbiviz.visual.guid}.${pbiviz.visual.version}.pbiviz`;
    } catch {
        expected = undefined;
    }
    if (expected && found.includes(expected)) return path.join(dist, expected);
    if (found.length === 1) return path.join(dist, found[0]);
    if (found.length === 0) {
        throw new VisualPackageError(
            `No packaged visual in ${dist}: the report embeds the Agency IT Scorecard visual, so run \`npm run package\` first (or pass --visual <file.pbiviz>).`,
        );
    }
    throw new VisualPackageError(
        `${dist} holds several packaged visuals (${found.join(", ")}) and none is ${expected ?? "named by pbiviz.json"}: pass --visual <file.pbiviz>.`,
    );
}
