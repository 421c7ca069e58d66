/**
 * Validator benchmark: `npx tsx bench/validator.ts [--rows N] [--keep]`.
 *
 * Generates a billing folder in a temporary directory (the sample's small tables plus a charges
 * file of N lines, default 1,000,000, about 100 MB), then runs, each in its own child process so
 * its peak RSS is its own (process.resourceUsage().maxRSS):
 *   - csv-parse alone and papaparse alone, streaming the charges file (the parser choice);
 *   - the full validator (all eight tables) without and with --out.
 * Prints a table and merges the figures into bench/results.json under the key "validator".
 * Importable: `runValidatorBench({ rows })` returns the same figures.
 */
/* eslint-disable powerbi-visuals/non-literal-fs-path -- a Node tool writing the files it generates */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";

const ROOT = path.join(__dirname, "..");
const SAMPLE = path.join(ROOT, "connector", "sample");
const RESULTS = path.join(__dirname, "results.json");
/** Both parsers read the file in the validator's chunk size (connector/src/validate/source.ts). */
const CHUNK_BYTES = 1 << 16;

export interface Measurement {
    name: string;
    rows: number;
    seconds: number;
    /** User + system CPU time of the child: steadier than wall time on a shared machine. */
    cpuSeconds: number;
    /** Of those, loading the modules (TypeScript through tsx, zod, papaparse): all of it for the baseline. */
    loadSeconds: number;
    loadCpuSeconds: number;
    peakRssMB: number;
    note: string;
}

export interface ValidatorBench {
    lines: number;
    megabytes: number;
    node: string;
    cpus: number;
    measurements: Measurement[];
    /** 1-minute load average when the bench started: above the CPU count, wall times are inflated. */
    loadAverage: number;
    chosenParser: "papaparse";
    /** The issue's target for `validate --out`, and whether wall time, CPU time and memory meet it. */
    target: { seconds: number; peakRssMB: number; wallMet: boolean; cpuMet: boolean; memoryMet: boolean };
}

/** The target: 1,000,000 charge lines validated with --out writing in 2 s (scaled to the lines run), under 200 MB. */
export const TARGET = { task: "validate --out", secondsPerMillionLines: 2, peakRssMB: 200 } as const;

/** A small seeded PRNG (mulberry32): the same file every run, no Math.random. */
function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

function column(file: string, index: number): string[] {
    return fs
        .readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(",")[index]);
}

/** Writes the bench folder: sample tables plus a charges file of `lines` lines (header included). */
export function generateBenchFolder(dir: string, lines: number): number {
    fs.mkdirSync(dir, { recursive: true });
    for (const file of fs.readdirSync(SAMPLE)) {
        if (file.endsWith(".csv") && file !== "charges.csv")
            fs.copyFileSync(path.join(SAMPLE, file), path.join(dir, file));
    }
    const agencies = column(path.join(SAMPLE, "agencies.csv"), 0);
    const services = column(path.join(SAMPLE, "services.csv"), 0);
    const units = column(path.join(SAMPLE, "services.csv"), 3);
    const months: string[] = [];
    for (let m = 0; m < 24; m++)
        months.push(`${2023 + Math.floor((m + 6) / 12)}-${String(((m + 6) % 12) + 1).padStart(2, "0")}-01`);
    const categories = ["Usage", "Usage", "Usage", "Purchase", "Tax", "Credit", "Adjustment"];
    const random = prng(20240701);
    const fd = fs.openSync(path.join(dir, "charges.csv"), "w");
    fs.writeSync(
        fd,
        "InvoiceId,ChargePeriodStart,SubAccountId,ServiceName,ChargeCategory,PricingQuantity,PricingUnit,BilledCost,EffectiveCost\n",
    );
    let buffer: string[] = [];
    for (let i = 1; i < lines; i++) {
        const a = Math.floor(random() * agencies.length);
        const s = Math.floor(random() * services.length);
        const month = months[Math.floor(random() * months.length)];
        const category = categories[Math.floor(random() * categories.length)];
        const quantity = (random() * 500).toFixed(2);
        const sign = category === "Credit" ? "-" : "";
        const billed = `${sign}${(random() * 20000).toFixed(2)}`;
        const effective = `${sign}${(random() * 20000).toFixed(2)}`;
        const service = services[s].includes(",") ? `"${services[s]}"` : services[s];
        buffer.push(
            `INV-${month.slice(0, 7).replace("-", "")}-${agencies[a]}-${String(i).padStart(8, "0")},${month},${agencies[a]},${service},${category},${quantity},${units[s]},${billed},${effective}\n`,
        );
        if (buffer.length === 20000) {
            fs.writeSync(fd, buffer.join(""));
            buffer = [];
        }
    }
    fs.writeSync(fd, buffer.join(""));
    fs.closeSync(fd);
    return fs.statSync(path.join(dir, "charges.csv")).size;
}

/** One measured task, run in this process (the child). Prints a JSON line. */
async function child(task: string, dir: string): Promise<void> {
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    let loaded: { at: bigint; cpu: NodeJS.CpuUsage } | null = null;
    const markLoaded = (): void => {
        loaded = { at: process.hrtime.bigint(), cpu: process.cpuUsage(cpuStart) };
    };
    let rows = 0;
    let removeAfter: string | null = null;
    const file = path.join(dir, "charges.csv");
    if (task === "baseline") {
        await import("../connector/src/validate/index");
    } else if (task === "csv-parse") {
        const { parse } = await import("csv-parse");
        markLoaded();
        await new Promise<void>((resolve, reject) => {
            const parser = fs
                .createReadStream(file, { highWaterMark: CHUNK_BYTES })
                .pipe(parse({ relax_column_count: true, record_delimiter: ["\r\n", "\n"] }));
            parser.on("data", () => {
                rows++;
            });
            parser.on("end", resolve);
            parser.on("error", reject);
        });
    } else if (task === "papaparse") {
        const Papa = (await import("papaparse")).default;
        markLoaded();
        await new Promise<void>((resolve, reject) => {
            Papa.parse<string[]>(
                fs.createReadStream(file, { encoding: "utf8", highWaterMark: CHUNK_BYTES }) as unknown as File,
                {
                    delimiter: ",",
                    newline: "\n",
                    step: () => {
                        rows++;
                    },
                    complete: () => resolve(),
                    error: (e: Error) => reject(e),
                },
            );
        });
    } else if (task === "reader") {
        const { readCsv } = await import("../connector/src/validate/source");
        markLoaded();
        await readCsv(file, { delimiter: ",", encoding: 65001 }, () => {
            rows++;
        });
    } else {
        const { validateFolder } = await import("../connector/src/validate/index");
        const { DEFAULT_MAPPING } = await import("../connector/src/mapping");
        markLoaded();
        const out = task === "validate --out" ? path.join(dir, "..", `${path.basename(dir)}-out`) : null;
        const report = await validateFolder({ folder: dir, mapping: DEFAULT_MAPPING, out });
        rows = report.totals.rowsRead;
        if (report.totals.rowsRead !== report.totals.accepted + report.totals.quarantined)
            throw new Error("counts do not add up");
        removeAfter = out;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpuStart);
    // Removing the output is the bench's tidying, not part of the validation measured.
    if (removeAfter) fs.rmSync(removeAfter, { recursive: true, force: true });
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const peakRssMB = process.resourceUsage().maxRSS / 1024;
    const at = loaded as { at: bigint; cpu: NodeJS.CpuUsage } | null;
    const loadSeconds = at ? Number(at.at - start) / 1e9 : seconds;
    const loadCpuSeconds = at ? (at.cpu.user + at.cpu.system) / 1e6 : cpuSeconds;
    process.stdout.write(`${JSON.stringify({ rows, seconds, cpuSeconds, peakRssMB, loadSeconds, loadCpuSeconds })}\n`);
}

const TASKS: [string, string][] = [
    ["baseline", "Node + tsx + the validator's modules loaded, no data (the RSS floor)"],
    ["csv-parse", "parse only: csv-parse 7 stream, charges file"],
    ["papaparse", "parse only: papaparse 5.5 stream, charges file"],
    ["reader", "the validator's reader alone (source.ts readCsv: decoding, line accounting, rows), charges file"],
    ["validate", "full validator, 8 tables, no --out"],
    ["validate --out", "full validator, 8 tables, writing clean CSV + report"],
];

export function runValidatorBench(
    options: { rows?: number; keep?: boolean; log?: (line: string) => void } = {},
): ValidatorBench {
    const lines = options.rows ?? 1_000_000;
    const log = options.log ?? ((line: string) => console.log(line));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "validator-bench-"));
    const folder = path.join(dir, "billing");
    const loadAverage = os.loadavg()[0];
    try {
        log(`Generating ${lines.toLocaleString("en-US")} charge lines in ${folder} ...`);
        const bytes = generateBenchFolder(folder, lines);
        const measurements: Measurement[] = [];
        for (const [task, note] of TASKS) {
            const result = spawnSync(process.execPath, [...process.execArgv, __filename, "--child", task, folder], {
                encoding: "utf8",
                maxBuffer: 1 << 24,
            });
            if (result.status !== 0) throw new Error(`bench task ${task} failed:\n${result.stderr}`);
            const figures = JSON.parse(result.stdout.trim().split("\n").pop() as string) as {
                rows: number;
                seconds: number;
                cpuSeconds: number;
                peakRssMB: number;
                loadSeconds: number;
                loadCpuSeconds: number;
            };
            const round = (x: number): number => Math.round(x * 100) / 100;
            measurements.push({
                name: task,
                rows: figures.rows,
                seconds: round(figures.seconds),
                cpuSeconds: round(figures.cpuSeconds),
                loadSeconds: round(figures.loadSeconds),
                loadCpuSeconds: round(figures.loadCpuSeconds),
                peakRssMB: Math.round(figures.peakRssMB),
                note,
            });
            log(
                `  ${task}: ${figures.seconds.toFixed(2)} s (CPU ${figures.cpuSeconds.toFixed(2)} s), peak RSS ${Math.round(figures.peakRssMB)} MB`,
            );
        }
        const measured = measurements.find((m) => m.name === TARGET.task) as Measurement;
        const seconds = Math.round(((TARGET.secondsPerMillionLines * lines) / 1e6) * 100) / 100;
        const bench: ValidatorBench = {
            lines,
            megabytes: Math.round((bytes / 1e6) * 10) / 10,
            node: process.version,
            cpus: os.cpus().length,
            loadAverage: Math.round(loadAverage * 10) / 10,
            measurements,
            chosenParser: "papaparse",
            target: {
                seconds,
                peakRssMB: TARGET.peakRssMB,
                wallMet: measured.seconds <= seconds,
                cpuMet: measured.cpuSeconds <= seconds,
                memoryMet: measured.peakRssMB < TARGET.peakRssMB,
            },
        };
        return bench;
    } finally {
        if (options.keep) log(`Kept ${folder}`);
        else fs.rmSync(dir, { recursive: true, force: true });
    }
}

const met = (yes: boolean): string => (yes ? "met" : "NOT met");

/** The target task's time without its module loading, wall and CPU. */
function alone(bench: ValidatorBench): string {
    const m = bench.measurements.find((x) => x.name === TARGET.task) as Measurement;
    return `${(m.seconds - m.loadSeconds).toFixed(2)} s wall, ${(m.cpuSeconds - m.loadCpuSeconds).toFixed(2)} s CPU`;
}

export function formatBench(bench: ValidatorBench): string {
    const rows = bench.measurements.map((m) => [
        m.name,
        m.rows.toLocaleString("en-US"),
        m.seconds.toFixed(2),
        m.cpuSeconds.toFixed(2),
        `${m.loadSeconds.toFixed(2)} / ${m.loadCpuSeconds.toFixed(2)}`,
        String(m.peakRssMB),
        m.note,
    ]);
    const header = ["task", "rows", "wall s", "CPU s", "loading wall / CPU s", "peak RSS MB", "what"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r: string[]): string =>
        r
            .map((c, i) => (i >= 1 && i <= 5 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
            .join("  ")
            .trimEnd();
    return [
        `Validator benchmark: ${bench.lines.toLocaleString("en-US")}-line charges file (${bench.megabytes} MB), Node ${bench.node}, ${bench.cpus} CPUs, load average ${bench.loadAverage}`,
        line(header),
        ...rows.map(line),
        `Target (${TARGET.task} in ${bench.target.seconds} s, loading included, under ${bench.target.peakRssMB} MB): wall time ${met(bench.target.wallMet)}, CPU time ${met(bench.target.cpuMet)}, memory ${met(bench.target.memoryMet)}; validating alone, loading apart: ${alone(bench)}${bench.loadAverage > bench.cpus ? ` (load average above the ${bench.cpus} CPUs: wall times are inflated)` : ""}. Parser: ${bench.chosenParser}.`,
    ].join("\n");
}

/** Merges the figures into bench/results.json under "validator" (other keys are kept). */
export function saveResults(bench: ValidatorBench, file = RESULTS): void {
    let results: Record<string, unknown> = {};
    try {
        results = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    } catch {
        // No results yet, or unreadable: start afresh.
    }
    results.validator = bench;
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, `${JSON.stringify(results, null, 2)}\n`, "utf8");
    fs.renameSync(temp, file);
}

if (require.main === module) {
    const args = process.argv.slice(2);
    if (args[0] === "--child") {
        child(args[1], args[2]).catch((error: Error) => {
            process.stderr.write(`${error.stack ?? error.message}\n`);
            process.exitCode = 1;
        });
    } else {
        const rowsAt = args.indexOf("--rows");
        const rows = rowsAt >= 0 ? Number(args[rowsAt + 1]) : undefined;
        if (rows !== undefined && (!Number.isInteger(rows) || rows < 2)) {
            console.error("Usage: npx tsx bench/validator.ts [--rows N (2 or more lines)] [--keep]");
            process.exitCode = 2;
        } else {
            const bench = runValidatorBench({ rows, keep: args.includes("--keep") });
            console.log(formatBench(bench));
            saveResults(bench);
            console.log(`Saved to ${path.relative(process.cwd(), RESULTS) || RESULTS} (key "validator").`);
        }
    }
}
