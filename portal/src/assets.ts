/**
 * The page's static files, built once when the server starts: the page scripts bundled by
 * esbuild with powerbi-client (never loaded from a CDN), the stylesheet, and in the demo the
 * packaged visual (dist/*.pbiviz) with the preview host's script.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { build } from "esbuild";
import { hostPageScript, readVisualPackage } from "../../tests/browser/harness/visualPackage";

export interface Asset {
    type: string;
    body: string;
}

const pageFolder = path.join(__dirname, "page");
const JS = "text/javascript; charset=utf-8";

async function bundle(entry: string): Promise<string> {
    const result = await build({
        entryPoints: [path.join(pageFolder, entry)],
        bundle: true,
        write: false,
        format: "esm",
        target: "es2020",
        platform: "browser",
        legalComments: "inline",
        logLevel: "silent",
    });
    return result.outputFiles[0].text;
}

export interface PortalAssets {
    files: Map<string, Asset>;
    /** The packaged visual's guid and strings (demo only), for the demo page's script. */
    visual: { guid: string; stringResources: Record<string, Record<string, string>> } | null;
}

export async function portalAssets(mode: "powerbi" | "demo"): Promise<PortalAssets> {
    const assets = new Map<string, Asset>();
    assets.set("/assets/portal.css", {
        type: "text/css; charset=utf-8",
        body: fs.readFileSync(path.join(pageFolder, "portal.css"), "utf8"),
    });
    if (mode === "powerbi") {
        assets.set("/assets/embed.js", { type: JS, body: await bundle("embed.ts") });
        return { files: assets, visual: null };
    }
    const pkg = await readVisualPackage();
    assets.set("/assets/demo-host.js", { type: JS, body: "window.powerbi = { visuals: { plugins: {} } };\n" });
    assets.set("/assets/visual.js", { type: JS, body: pkg.js });
    assets.set("/assets/visual.css", { type: "text/css; charset=utf-8", body: pkg.css });
    assets.set("/assets/harness.js", { type: JS, body: hostPageScript() });
    assets.set("/assets/demo.js", { type: JS, body: await bundle("demo.ts") });
    return { files: assets, visual: { guid: pkg.guid, stringResources: pkg.stringResources } };
}
