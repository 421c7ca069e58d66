// npm run bench: the visual in Chromium (each view: median full and resize-only update at
// 100 to 30,000 rows, peak JS heap) and the .pbiviz size, then the connector's validator
// benchmark when it is there (bench/validator.ts). Prints tables; merges bench/results.json.
//   node scripts/bench.mjs [--views cost,goals] [--rows 100,1000] [--skip-validator] [--check]
// --check exits 1 when a target is missed. Run `npm run package` first (npm test does).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const harness = (name) => pathToFileURL(path.join(root, "tests", "browser", "harness", name)).href;
const { runVisualBench, mergeResults, formatTable, resultsFile } = await tsImport(harness("bench.ts"), import.meta.url);

const args = process.argv.slice(2);
const option = (name) => {
    const index = args.indexOf(name);
    return index >= 0 ? args[index + 1] : undefined;
};
const list = (text) => text?.split(",").map((item) => item.trim()).filter(Boolean);

console.log("> Visual benchmark (Chromium)");
let bench;
try {
    bench = await runVisualBench({
        views: list(option("--views")),
        rows: list(option("--rows"))?.map(Number),
        log: (line) => console.log(line),
    });
} catch (error) {
    console.error(`\nVisual benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
}
mergeResults("visual", bench);
console.log(`\n${formatTable(bench)}\n`);

const validator = ["validator.ts", "validator.mjs"].map((file) => path.join(root, "bench", file)).find((file) => existsSync(file));
let validatorFailed = false;
if (validator && !args.includes("--skip-validator")) {
    console.log(`> Validator benchmark (${path.relative(root, validator)})`);
    const command = validator.endsWith(".ts") ? path.join(root, "node_modules", ".bin", "tsx") : process.execPath;
    // It prints its own table and merges its figures into bench/results.json under "validator".
    const result = spawnSync(command, [validator], { cwd: root, stdio: "inherit" });
    validatorFailed = result.status !== 0;
    if (validatorFailed) console.error(`Validator benchmark failed (exit code ${result.status ?? result.signal}).`);
} else if (!validator) {
    console.log("(No bench/validator.ts yet: the connector's validator benchmark joins this run when it lands.)");
}

console.log(`\nResults: ${resultsFile}`);
const missed = bench.targets.filter((target) => target.met === false);
if (bench.problems.length > 0 || validatorFailed || (args.includes("--check") && missed.length > 0)) process.exit(1);
