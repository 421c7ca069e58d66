/**
 * The visual's benchmark (npm run bench): for each view, in Chromium, the median time of a full
 * update (a new DataView) and of a resize-only update at several row counts, the peak JS heap,
 * and the size of the .pbiviz. Times are update() plus the style and layout it leaves (forced
 * in the page), measured with performance.now() in the page, so no Node round trip is counted.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openSession, type Session } from "./browser";
import { viewCases, type ViewCase } from "./views";
import {
    costAgenciesSynthetic,
    costServicesSynthetic,
    goalDistinctPeriodsSynthetic,
    goalRegisterSynthetic,
    goalSynthetic,
} from "./sampleData";
import { projectRoot } from "./visualPackage";
import type { DataViewJson, Viewport } from "./types";

export const resultsFile = path.join(projectRoot, "bench", "results.json");

/** The issue's targets. */
export const targets = {
    costFullMsAt30000: 50,
    costResizeMsAt30000: 10,
    goalsFullMsAt7200: 30,
    satisfactionFullMsAt24000: 40,
    pbivizKB: 150,
    shapePeakHeapMB: 100,
};

/** The shapes Power BI sends each view, beyond one row count per view. */
export interface BenchShape {
    name: string;
    title: string;
    view: ViewCase["view"];
    /** Rows as Power BI counts them (category rows x series). */
    rows: number;
    data(): DataViewJson;
}

export const REFERENCE_SHAPE = "cost-250x10x12";

export const benchShapes: BenchShape[] = [
    {
        name: "goals-30000-no-period",
        title: "goal view, 30,000 goals, no Period",
        view: "goals",
        rows: 30000,
        data: () => goalRegisterSynthetic(30000),
    },
    {
        name: "goals-30000-distinct-periods",
        title: "goal view, 30,000 rows of distinct periods (10,000 goals x 3)",
        view: "goals",
        rows: 30000,
        data: () => goalDistinctPeriodsSynthetic(30000),
    },
    {
        name: "goals-300x24",
        title: "goal view, 300 goals x 24 months",
        view: "goals",
        rows: 7200,
        data: () => goalSynthetic(7200),
    },
    {
        name: "cost-30000-agencies",
        title: "cost view, 30,000 agencies, one row each",
        view: "cost",
        rows: 30000,
        data: () => costAgenciesSynthetic(30000),
    },
    {
        name: REFERENCE_SHAPE,
        title: "cost view, 250 agencies x 10 services x 12 months",
        view: "cost",
        rows: 30000,
        data: () => costServicesSynthetic(250, 10, 12),
    },
];

/**
 * A shape by its name, or "<view>:<rows>" for the row sweep's synthetic data of a view
 * ("satisfaction:24000"), for the tools that measure one shape (bench/compare.ts, bench/profile.ts).
 */
export function shapeNamed(name: string): BenchShape | undefined {
    const [viewName, rows] = name.split(":");
    const view = viewCases.find((one) => one.view === viewName);
    if (rows === undefined || !view || !(Number(rows) > 0)) return benchShapes.find((shape) => shape.name === name);
    return {
        name,
        title: `${view.title}, ${rows} rows`,
        view: view.view,
        rows: Number(rows),
        data: () => view.synthetic(Number(rows)),
    };
}

export interface ShapeResult extends SizeResult {
    name: string;
    title: string;
    view: string;
}

export interface SizeResult {
    rows: number;
    runs: number;
    fullMs: number;
    resizeMs: number;
    /** Highest used JS heap seen after any update at this size. */
    peakHeapMB: number;
    /** Used JS heap before the first update (after garbage collection). */
    baselineHeapMB: number;
    items: number;
}

export interface ViewResult {
    view: string;
    /** False while the packaged visual only says "coming in a later release" for the view. */
    available: boolean;
    sizes: SizeResult[];
}

export interface VisualBench {
    date: string;
    chromium: string;
    node: string;
    cpus: number;
    loadAverage: number;
    viewport: Viewport;
    pbiviz: { file: string; bytes: number; kb: number };
    views: ViewResult[];
    shapes: ShapeResult[];
    targets: { name: string; target: string; measured: string; met: boolean | null }[];
    problems: string[];
}

export const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** More runs where they are cheap; at least 7 everywhere. */
const runsFor = (rows: number) => (rows <= 1000 ? 21 : rows <= 10000 ? 11 : 7);

export async function benchSize(
    session: Session,
    view: ViewCase,
    rows: number,
    viewport: Viewport,
    data: DataViewJson,
): Promise<{ result: SizeResult; available: boolean }> {
    // A new page for each size: its heap holds nothing of the sizes before.
    await session.renew();
    await session.mount(viewport);
    const runs = runsFor(rows);
    await session.page.evaluate((description) => window.aisHarness.setData(description), data);
    const run = await session.page.evaluate(
        ({ runs, viewport, itemSelector }) => window.aisHarness.benchmark(runs, viewport, itemSelector),
        { runs, viewport, itemSelector: view.selectors?.item ?? null },
    );
    return {
        available: run.available,
        result: {
            rows,
            runs,
            fullMs: median(run.fullMs),
            resizeMs: median(run.resizeMs),
            peakHeapMB: run.peakHeapBytes / 2 ** 20,
            baselineHeapMB: run.baselineHeapBytes / 2 ** 20,
            items: run.items,
        },
    };
}

export interface BenchOptions {
    views?: string[];
    /** Override the row counts (for a quick run). */
    rows?: number[];
    /** Only these shapes (by name); an empty list runs none. */
    shapes?: string[];
    log?: (line: string) => void;
}

export async function runVisualBench(options: BenchOptions = {}): Promise<VisualBench> {
    const log = options.log ?? (() => undefined);
    const viewport: Viewport = { width: 960, height: 540 };
    const session = await openSession();
    try {
        const views: ViewResult[] = [];
        for (const view of viewCases.filter((one) => !options.views || options.views.includes(one.view))) {
            const sizes: SizeResult[] = [];
            let available = true;
            for (const rows of options.rows ?? view.benchRows) {
                const measured = await benchSize(session, view, rows, viewport, view.synthetic(rows));
                available = measured.available;
                const result = {
                    ...measured.result,
                    fullMs: round(measured.result.fullMs),
                    resizeMs: round(measured.result.resizeMs),
                    peakHeapMB: round(measured.result.peakHeapMB, 1),
                    baselineHeapMB: round(measured.result.baselineHeapMB, 1),
                };
                sizes.push(result);
                log(
                    `  ${view.view.padEnd(12)} ${String(rows).padStart(6)} rows  full ${result.fullMs.toFixed(2).padStart(8)} ms  resize ${result.resizeMs.toFixed(2).padStart(7)} ms  heap ${result.peakHeapMB.toFixed(1).padStart(6)} MB${available ? "" : "  (view not in this build: message only)"}`,
                );
            }
            views.push({ view: view.view, available, sizes });
        }
        const shapes: ShapeResult[] = [];
        for (const shape of benchShapes.filter((one) => !options.shapes || options.shapes.includes(one.name))) {
            const view = viewCases.find((one) => one.view === shape.view) as ViewCase;
            const { result } = await benchSize(session, view, shape.rows, viewport, shape.data());
            const measured: ShapeResult = {
                ...result,
                name: shape.name,
                title: shape.title,
                view: shape.view,
                fullMs: round(result.fullMs),
                resizeMs: round(result.resizeMs),
                peakHeapMB: round(result.peakHeapMB, 1),
                baselineHeapMB: round(result.baselineHeapMB, 1),
            };
            shapes.push(measured);
            log(
                `  ${shape.name.padEnd(30)} full ${measured.fullMs.toFixed(2).padStart(8)} ms  resize ${measured.resizeMs.toFixed(2).padStart(7)} ms  heap ${measured.peakHeapMB.toFixed(1).padStart(6)} MB (before ${measured.baselineHeapMB.toFixed(1)})`,
            );
        }
        const reference = shapes.find((shape) => shape.name === REFERENCE_SHAPE);
        const shapeTargets = shapes.flatMap((shape) => [
            ...(shape.rows >= 30000 && shape.name !== REFERENCE_SHAPE
                ? [
                      {
                          name: `${shape.title}, full update`,
                          target: `<= 2x ${REFERENCE_SHAPE} (${reference ? `${round(2 * reference.fullMs)} ms` : "not measured"})`,
                          measured: `${shape.fullMs} ms`,
                          met: reference ? shape.fullMs <= 2 * reference.fullMs : null,
                      },
                  ]
                : []),
            {
                name: `${shape.title}, resize`,
                target: `<= 1/3 of its full update (${round(shape.fullMs / 3)} ms)`,
                measured: `${shape.resizeMs} ms`,
                met: shape.resizeMs <= shape.fullMs / 3,
            },
            {
                name: `${shape.title}, peak JS heap`,
                target: `< ${targets.shapePeakHeapMB} MB`,
                measured: `${shape.peakHeapMB} MB`,
                met: shape.peakHeapMB < targets.shapePeakHeapMB,
            },
        ]);
        const bytes = session.pkg.size;
        const at = (view: string, rows: number) =>
            views.find((one) => one.view === view)?.sizes.find((size) => size.rows === rows);
        const goalsAvailable = views.find((one) => one.view === "goals")?.available ?? false;
        const check = (
            name: string,
            target: string,
            measured: number | undefined,
            limit: number,
            unit: string,
            applies = true,
        ) => ({
            name,
            target,
            measured:
                measured === undefined
                    ? "not measured"
                    : `${round(measured)} ${unit}${applies ? "" : " (view not in this build)"}`,
            met: measured === undefined || !applies ? null : measured < limit,
        });
        return {
            date: new Date().toISOString(),
            chromium: session.context.browser()?.version() ?? "unknown",
            node: process.version,
            cpus: os.cpus().length,
            loadAverage: round(os.loadavg()[0]),
            viewport,
            pbiviz: { file: path.relative(projectRoot, session.pkg.file), bytes, kb: round(bytes / 1024, 1) },
            views,
            shapes,
            targets: [
                ...shapeTargets,
                check(
                    "cost view, full update, 30,000 rows",
                    `< ${targets.costFullMsAt30000} ms`,
                    at("cost", 30000)?.fullMs,
                    targets.costFullMsAt30000,
                    "ms",
                ),
                check(
                    "cost view, resize, 30,000 rows",
                    `< ${targets.costResizeMsAt30000} ms`,
                    at("cost", 30000)?.resizeMs,
                    targets.costResizeMsAt30000,
                    "ms",
                ),
                check(
                    "goal view, full update, 7,200 rows",
                    `< ${targets.goalsFullMsAt7200} ms`,
                    at("goals", 7200)?.fullMs,
                    targets.goalsFullMsAt7200,
                    "ms",
                    goalsAvailable,
                ),
                check(
                    "satisfaction view, full update, 24,000 rows",
                    `< ${targets.satisfactionFullMsAt24000} ms`,
                    at("satisfaction", 24000)?.fullMs,
                    targets.satisfactionFullMsAt24000,
                    "ms",
                    views.some((one) => one.view === "satisfaction"),
                ),
                check(".pbiviz size", `< ${targets.pbivizKB} KB`, bytes / 1024, targets.pbivizKB, "KB"),
            ],
            problems: [...session.problems],
        };
    } finally {
        await session.close();
    }
}

/** Merges the figures into bench/results.json under "visual"; other keys (the validator's) are kept. */
export function mergeResults(key: string, value: unknown, file = resultsFile): void {
    let current: Record<string, unknown> = {};
    if (fs.existsSync(file)) {
        try {
            current = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
        } catch {
            current = {};
        }
    }
    current[key] = value;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify(current, null, 2)}\n`);
    fs.renameSync(temporary, file);
}

export function formatTable(bench: VisualBench): string {
    const lines = [
        `Visual benchmark: Chromium ${bench.chromium}, Node ${bench.node}, ${bench.cpus} CPUs (load ${bench.loadAverage}), viewport ${bench.viewport.width}x${bench.viewport.height}`,
    ];
    if (bench.views.length > 0)
        lines.push("", "view          rows   full update (median)   resize (median)   peak JS heap (before)   runs");
    for (const view of bench.views) {
        for (const size of view.sizes) {
            lines.push(
                `${view.view.padEnd(12)} ${String(size.rows).padStart(6)}   ${`${size.fullMs.toFixed(2)} ms`.padStart(20)}   ${`${size.resizeMs.toFixed(2)} ms`.padStart(15)}   ${`${size.peakHeapMB.toFixed(1)} MB (${size.baselineHeapMB.toFixed(1)})`.padStart(21)}   ${String(size.runs).padStart(4)}${view.available ? "" : "   view not in this build"}`,
            );
        }
    }
    if (bench.shapes.length > 0) {
        lines.push(
            "",
            "shape                                                           rows   full update   resize     peak JS heap (before)",
        );
        for (const shape of bench.shapes) {
            lines.push(
                `${shape.title.padEnd(62)} ${String(shape.rows).padStart(6)}   ${`${shape.fullMs.toFixed(2)} ms`.padStart(11)}   ${`${shape.resizeMs.toFixed(2)} ms`.padStart(8)}   ${`${shape.peakHeapMB.toFixed(1)} MB (${shape.baselineHeapMB.toFixed(1)})`.padStart(21)}`,
            );
        }
    }
    lines.push(
        "",
        `.pbiviz: ${bench.pbiviz.file}, ${bench.pbiviz.kb} KB (${bench.pbiviz.bytes} bytes)`,
        "",
        "Targets:",
    );
    for (const target of bench.targets) {
        lines.push(
            `  ${target.met === null ? "n/a " : target.met ? "met " : "MISS"}  ${target.name}: ${target.measured} (target ${target.target})`,
        );
    }
    if (bench.problems.length > 0)
        lines.push(
            "",
            "Console errors or page errors during the run:",
            ...bench.problems.map((problem) => `  ${problem}`),
        );
    return lines.join("\n");
}
