/**
 * The page's static files, built once when the server starts: the page script bundled by
 * esbuild with powerbi-client (never loaded from a CDN), and the stylesheet.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { build } from "esbuild";

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
}

export async function portalAssets(): Promise<PortalAssets> {
    const assets = new Map<string, Asset>();
    assets.set("/assets/portal.css", {
        type: "text/css; charset=utf-8",
        body: fs.readFileSync(path.join(pageFolder, "portal.css"), "utf8"),
    });
    assets.set("/assets/embed.js", { type: JS, body: await bundle("embed.ts") });
    return { files: assets };
}
