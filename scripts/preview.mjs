// npm start's last step (or `node scripts/preview.mjs` after `npm run package`): writes
// out/preview/index.html, every view of the packaged visual on the sample data, in one file
// that opens from disk with no server and no network.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";

const here = path.dirname(fileURLToPath(import.meta.url));
const { writePreview } = await tsImport(
    pathToFileURL(path.join(here, "..", "tests", "browser", "harness", "preview.ts")).href,
    import.meta.url,
);

const quiet = process.argv.includes("--quiet");
try {
    const result = await writePreview();
    if (quiet) console.log(`Wrote ${result.file}`);
    else
        console.log(`Preview:       ${result.file}
                 Every view (${result.views.join(", ")}) of ${path.basename(result.pbiviz)} on the sample data.
                 Open it in a browser: ${pathToFileURL(result.file).href}
                 (for example: chromium ${result.file}); it needs no server and no network.`);
} catch (error) {
    console.error(`Preview failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
}
