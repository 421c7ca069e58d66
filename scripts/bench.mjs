// npm run bench: the visual in Chromium (each view: median full and resize-only update at
// 100 to 30,000 rows, peak JS heap) and the .pbiviz size, then the connector's validator
// benchmark (bench/validator.ts: 1,000,000 CSV lines) and the PostgreSQL validation benchmark
// (bench/postgres.ts: 10,000,000 rows generated in a throwaway server). Prints tables; merges
// bench/results.json.
//   node scripts/bench.mjs [--views cost,goals] [--rows 100,1000] [--shapes goals-300x24,cost-250x10x12]
//                          [--skip-validator] [--skip-postgres] [--check]
// --views or --shapes alone runs only what it names ("--views none" runs no row sweep).
// --check exits 1 when a target is missed. Run `npm run package` first (npm test does).
import { spawnSync } from "node:child_process";
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
const list = (text) =>
    text
        ?.split(",")
        .map((item) => item.trim())
        .filter(Boolean);

console.log("> Visual benchmark (Chromium)");
let bench;
try {
    bench = await runVisualBench({
        views: list(option("--views")) ?? (option("--shapes") ? [] : undefined),
        rows: list(option("--rows"))?.map(Number),
        // Named shapes only, or none when only views are named.
        shapes: list(option("--shapes")) ?? (option("--views") ? [] : undefined),
        log: (line) => console.log(line),
    });
} catch (error) {
    console.error(`\nVisual benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
}
mergeResults("visual", bench);
console.log(`\n${formatTable(bench)}\n`);

/** Runs a connector benchmark; each prints its own table and merges its figures into bench/results.json. */
function runConnectorBench(title, file, skipFlag) {
    if (args.includes(skipFlag)) return false;
    console.log(`> ${title} (bench/${file})`);
    const result = spawnSync(path.join(root, "node_modules", ".bin", "tsx"), [path.join(root, "bench", file)], {
        cwd: root,
        stdio: "inherit",
    });
    if (result.status === 0) return false;
    console.error(`${title} failed (exit code ${result.status ?? result.signal}).`);
    return true;
}
const validatorFailed = runConnectorBench("Validator benchmark", "validator.ts", "--skip-validator");
// Without PostgreSQL's binaries it fails, saying how to install them (or --skip-postgres).
const postgresFailed = runConnectorBench("PostgreSQL validation benchmark", "postgres.ts", "--skip-postgres");

console.log(`\nResults: ${resultsFile}`);
const missed = bench.targets.filter((target) => target.met === false);
if (bench.problems.length > 0 || validatorFailed || postgresFailed || (args.includes("--check") && missed.length > 0))
    process.exit(1);
