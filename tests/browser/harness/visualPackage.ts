/**
 * The shipped artifact, read as Power BI reads it: dist/*.pbiviz is a zip whose
 * resources/<guid>.pbiviz.json holds the visual's JS, CSS, capabilities and strings.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import JSZip from "jszip";
import * as ts from "typescript";

export const projectRoot = path.resolve(__dirname, "..", "..", "..");

export interface VisualPackage {
    file: string;
    /** Size of the .pbiviz in bytes. */
    size: number;
    guid: string;
    displayName: string;
    apiVersion: string;
    js: string;
    css: string;
    capabilities: unknown;
    stringResources: Record<string, Record<string, string>>;
}

export function findPbiviz(root = projectRoot): string {
    const dist = path.join(root, "dist");
    const files = fs.existsSync(dist) ? fs.readdirSync(dist).filter((file) => file.endsWith(".pbiviz")) : [];
    if (files.length === 0) throw new Error(`No .pbiviz in ${dist}: run \`npm run package\` first (npm test does).`);
    // Several versions side by side: the newest file is the one just packaged.
    files.sort((a, b) => fs.statSync(path.join(dist, b)).mtimeMs - fs.statSync(path.join(dist, a)).mtimeMs);
    return path.join(dist, files[0]);
}

export async function readVisualPackage(file = findPbiviz()): Promise<VisualPackage> {
    const bytes = fs.readFileSync(file);
    const zip = await JSZip.loadAsync(bytes);
    const entry = Object.keys(zip.files).find((name) => /^resources\/[^/]+\.pbiviz\.json$/.test(name));
    if (!entry) throw new Error(`${file} has no resources/<guid>.pbiviz.json: not a packaged visual.`);
    const json = JSON.parse(await zip.file(entry)!.async("string"));
    return {
        file,
        size: bytes.length,
        guid: json.visual.guid,
        displayName: json.visual.displayName,
        apiVersion: json.apiVersion,
        js: json.content.js,
        css: json.content.css ?? "",
        capabilities: json.capabilities,
        stringResources: json.stringResources ?? {},
    };
}

let harnessScript: string | undefined;

/** page.ts as a browser module script (types stripped; it imports types only). */
export function hostPageScript(): string {
    if (harnessScript === undefined) {
        const source = fs.readFileSync(path.join(__dirname, "page.ts"), "utf8");
        harnessScript = ts.transpileModule(source, {
            compilerOptions: {
                target: ts.ScriptTarget.ES2022,
                module: ts.ModuleKind.ESNext,
                verbatimModuleSyntax: false,
            },
            fileName: "page.ts",
        }).outputText;
    }
    return harnessScript;
}

/** Text safe inside an inline <script> or <style> element. */
export function inlineSafe(text: string): string {
    return text.replace(/<\/(script|style)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

export interface HostPageParts {
    title: string;
    /** Each either inline text or a URL. */
    visualJs: { inline: string } | { src: string };
    visualCss: { inline: string } | { href: string };
    harnessJs: { inline: string } | { src: string };
    /** Extra markup and module script of the page (the preview's layout and startup). */
    bodyHtml?: string;
    startScript?: string;
    pageCss?: string;
}

/**
 * The host page: window.powerbi first (the visual registers itself only if it exists), then the
 * visual's CSS and JS as Power BI injects them, then the harness. Works from http:// and file://.
 */
export function hostPageHtml(parts: HostPageParts): string {
    const css =
        "inline" in parts.visualCss
            ? `<style>${inlineSafe(parts.visualCss.inline)}</style>`
            : `<link rel="stylesheet" href="${parts.visualCss.href}">`;
    const js =
        "inline" in parts.visualJs
            ? `<script>${inlineSafe(parts.visualJs.inline)}</script>`
            : `<script src="${parts.visualJs.src}"></script>`;
    const harness =
        "inline" in parts.harnessJs
            ? `<script type="module">${inlineSafe(parts.harnessJs.inline)}</script>`
            : `<script type="module" src="${parts.harnessJs.src}"></script>`;
    const start = parts.startScript ? `<script type="module">${inlineSafe(parts.startScript)}</script>` : "";
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<meta http-equiv="Content-Security-Policy" content="default-src 'self' 'unsafe-inline' data:; connect-src 'none'">
<title>${parts.title}</title>
<style>html, body { margin: 0; background: #ffffff; font-family: "Segoe UI", helvetica, arial, sans-serif; }${parts.pageCss ?? ""}</style>
${css}
<script>window.powerbi = { visuals: { plugins: {} } };</script>
${js}
</head>
<body>
${parts.bodyHtml ?? ""}
${harness}
${start}
</body>
</html>
`;
}
