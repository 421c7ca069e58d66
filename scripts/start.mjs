// npm start: the main job on the shipped sample data. Packages the visual, generates the sample
// Power BI project (semantic model and report) from connector/sample, and says where everything is.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);

function run(title, command, args) {
    console.log(`\n> ${title}`);
    const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
    if (result.status !== 0) {
        console.error(`\n${title} failed (exit code ${result.status ?? result.signal}).`);
        process.exit(result.status || 1);
    }
}

run("Packaging the visual", bin("pbiviz"), ["package", "--no-stats"]);
const pbiviz = readdirSync(path.join(root, "dist")).find((file) => file.endsWith(".pbiviz"));

const sampleOut = path.join(root, "out", "sample");
// The sample project is a build product: regenerate it over an earlier run.
run("Generating the sample semantic model and report", bin("tsx"), [
    "connector/src/cli.ts",
    "generate",
    "--source",
    "csv",
    "--folder",
    "connector/sample",
    "--out",
    sampleOut,
    "--force",
]);
const pbip = readdirSync(sampleOut).find((file) => file.endsWith(".pbip"));

// A page that shows every view of the packaged visual on the sample data, without Power BI.
const preview = path.join(root, "out", "preview", "index.html");
run("Writing the preview of every view", process.execPath, [path.join(root, "scripts", "preview.mjs"), "--quiet"]);

console.log(`
Done.
  Visual:        ${path.join(root, "dist", pbiviz ?? "(missing)")}
                 Import it in Power BI: Visualizations pane > ... > Import a visual from a file.
  Sample report: ${path.join(sampleOut, pbip ?? "(missing)")}
                 The semantic model and a ready report: three pages with this visual, two drill-through tables.
                 Open it in Power BI Desktop (File > Open), set the SourceFolder parameter to
                 ${path.join(root, "connector", "sample")} if it differs, and refresh.
  Preview:       ${preview}
                 Every view of the visual on the sample data, before importing it: open
                 ${pathToFileURL(preview).href} in a browser (one file, no server, no network).
`);
