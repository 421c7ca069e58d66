/**
 * The static preview: one HTML file that shows every view of the packaged visual on the sample
 * data, with no server and no network. The visual's JS and CSS (from dist/*.pbiviz), the host
 * page's script and the sample DataView descriptions are all inlined, so it opens from file://.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { hostPageHtml, hostPageScript, projectRoot, readVisualPackage, type VisualPackage } from "./visualPackage";
import { viewCases } from "./views";
import type { DataViewJson } from "./types";

export interface PreviewResult {
    file: string;
    pbiviz: string;
    views: string[];
}

interface PreviewView {
    view: string;
    title: string;
    data: DataViewJson;
}

const escapeHtml = (text: string) =>
    text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

// Runs in the page after the harness: one visual per view, remounted for high contrast or a locale.
const startScript = `
const data = JSON.parse(document.getElementById("ais-data").textContent);
const visuals = [];
function render() {
    const highContrast = document.getElementById("ais-hc").checked;
    const locale = document.getElementById("ais-locale").value;
    document.body.classList.toggle("hc", highContrast);
    for (const { harness, view, container } of visuals) {
        harness.mount({ guid: data.guid, viewport: data.viewport, host: { highContrast, locale }, stringResources: data.stringResources, container });
        harness.setData(view.data);
        harness.update(2);
    }
}
for (const view of data.views) {
    const container = document.getElementById("ais-view-" + view.view);
    visuals.push({ harness: window.aisCreateHarness(), view, container });
}
document.getElementById("ais-hc").addEventListener("change", render);
document.getElementById("ais-locale").addEventListener("change", render);
render();
document.body.dataset.ready = "true";
`;

const pageCss = `
body { padding: 16px 24px; color: #252423; }
body.hc { background: #000000; color: #ffff00; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px 24px; margin-bottom: 8px; }
h1 { font-size: 20px; font-weight: 600; margin: 0; }
h2 { font-size: 15px; font-weight: 600; margin: 24px 0 8px 0; }
.meta { font-size: 12px; color: #605e5c; }
body.hc .meta { color: #ffff00; }
.frame { border: 1px solid #c8c6c4; display: inline-block; background: inherit; }
label { font-size: 13px; }
`;

export function previewHtml(pkg: VisualPackage, views: PreviewView[], viewport = { width: 960, height: 540 }): string {
    const data = { guid: pkg.guid, stringResources: pkg.stringResources, viewport, views };
    const sections = views
        .map(
            (view) => `<section>
<h2>${escapeHtml(view.title)}</h2>
<div class="frame"><div id="ais-view-${view.view}"></div></div>
</section>`,
        )
        .join("\n");
    const locales = Object.keys(pkg.stringResources).length > 0 ? Object.keys(pkg.stringResources) : ["en-US"];
    const body = `<header>
<h1>${escapeHtml(pkg.displayName)}: preview on the sample data</h1>
<label><input type="checkbox" id="ais-hc"> High contrast</label>
<label>Locale <select id="ais-locale">${locales.map((locale) => `<option${locale === "en-US" ? " selected" : ""}>${escapeHtml(locale)}</option>`).join("")}</select></label>
</header>
<p class="meta">${escapeHtml(path.basename(pkg.file))} (${(pkg.size / 1024).toFixed(1)} KB, API ${escapeHtml(pkg.apiVersion)}), on connector/sample as the sample report binds it.
Clicks, Ctrl-click, right-click and the keyboard work as in Power BI, without cross-filtering.</p>
${sections}
<script type="application/json" id="ais-data">${JSON.stringify(data).replace(/</g, "\\u003c")}</script>`;
    return hostPageHtml({
        title: `${pkg.displayName} preview`,
        visualJs: { inline: pkg.js },
        visualCss: { inline: pkg.css },
        harnessJs: { inline: hostPageScript() },
        bodyHtml: body,
        startScript,
        pageCss,
    });
}

/** Writes out/preview/index.html (or into `outDir`) from the newest dist/*.pbiviz. */
export async function writePreview(outDir = path.join(projectRoot, "out", "preview")): Promise<PreviewResult> {
    const pkg = await readVisualPackage();
    const views = viewCases.map((view) => ({ view: view.view, title: view.title, data: view.sample() }));
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, "index.html");
    const temporary = `${file}.tmp`;
    fs.writeFileSync(temporary, previewHtml(pkg, views));
    fs.renameSync(temporary, file);
    return { file, pbiviz: pkg.file, views: views.map((view) => view.view) };
}
