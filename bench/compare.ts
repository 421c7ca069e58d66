/**
 * Two packaged visuals measured against each other on the benchmark's shapes:
 *   npx tsx bench/compare.ts --against <other.pbiviz> [--shapes goals-300x24,cost-250x10x12] [--rounds 5]
 * A shape is a bench shape's name or "<view>:<rows>" ("satisfaction:24000"); all bench shapes by default.
 *
 * This checkout's dist/*.pbiviz ("this") and the other file ("other") each get their own browser,
 * and every shape is measured in rounds that alternate which goes first (this, other, other,
 * this, ...), so a change in the machine's load falls on both alike. Each round is the benchmark's
 * own measurement (npm run bench: medians of 7-21 updates); the table gives the median over
 * rounds and this/other. Nothing is written to bench/results.json: this is for comparing a change
 * with main (package main into another folder and pass its .pbiviz), not for the figures reported.
 */
import * as os from "node:os";
import { openSession, type Session } from "../tests/browser/harness/browser";
import { benchShapes, benchSize, median, shapeNamed } from "../tests/browser/harness/bench";
import { viewCases, type ViewCase } from "../tests/browser/harness/views";

interface Figures {
    fullMs: number[];
    resizeMs: number[];
    peakHeapMB: number[];
}

function option(name: string): string | undefined {
    const index = process.argv.indexOf(name);
    return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
    const against = option("--against");
    if (!against)
        throw new Error("Name the other package: --against <file.pbiviz> (npm run package writes one to dist/).");
    const rounds = Number(option("--rounds") ?? 5);
    const names =
        option("--shapes")
            ?.split(",")
            .map((name) => name.trim()) ?? benchShapes.map((shape) => shape.name);
    const shapes = names.flatMap((name) => shapeNamed(name) ?? []);
    const unknown = names.filter((name) => !shapeNamed(name));
    if (unknown.length > 0)
        throw new Error(
            `No bench shape ${unknown.join(", ")}; the shapes: ${benchShapes.map((s) => s.name).join(", ")}, or <view>:<rows>.`,
        );

    const viewport = { width: 960, height: 540 };
    const sessions: [string, Session][] = [
        ["this", await openSession()],
        ["other", await openSession({ pbiviz: against })],
    ];
    try {
        console.log(`this:  ${sessions[0][1].pkg.file}\nother: ${sessions[1][1].pkg.file}`);
        console.log(`${rounds} rounds a shape, load ${os.loadavg()[0].toFixed(2)} at start\n`);
        console.log(
            `${"shape".padEnd(30)} ${"".padEnd(5)}  full (ms)  resize (ms)  peak heap (MB)   this/other: full  resize`,
        );
        for (const shape of shapes) {
            const view = viewCases.find((one) => one.view === shape.view) as ViewCase;
            const data = shape.data();
            const figures = new Map<string, Figures>(
                sessions.map(([name]) => [name, { fullMs: [], resizeMs: [], peakHeapMB: [] }]),
            );
            for (let round = 0; round < rounds; round++) {
                const order = round % 2 === 0 ? sessions : [...sessions].reverse();
                for (const [name, session] of order) {
                    const { result } = await benchSize(session, view, shape.rows, viewport, data);
                    const kept = figures.get(name) as Figures;
                    kept.fullMs.push(result.fullMs);
                    kept.resizeMs.push(result.resizeMs);
                    kept.peakHeapMB.push(result.peakHeapMB);
                }
            }
            const summary = (name: string) => {
                const kept = figures.get(name) as Figures;
                return {
                    full: median(kept.fullMs),
                    resize: median(kept.resizeMs),
                    heap: Math.max(...kept.peakHeapMB),
                };
            };
            const mine = summary("this");
            const theirs = summary("other");
            for (const [name, figure] of [
                ["this", mine],
                ["other", theirs],
            ] as const) {
                const ratios =
                    name === "this"
                        ? `${(mine.full / theirs.full).toFixed(2).padStart(17)} ${(mine.resize / theirs.resize).toFixed(2).padStart(7)}`
                        : "";
                console.log(
                    `${(name === "this" ? shape.name : "").padEnd(30)} ${name.padEnd(5)} ${figure.full.toFixed(2).padStart(10)} ${figure.resize.toFixed(2).padStart(12)} ${figure.heap.toFixed(1).padStart(15)}${ratios}`,
                );
            }
        }
        for (const [name, session] of sessions)
            if (session.problems.length > 0) console.log(`\n${name}: ${session.problems.join("\n")}`);
    } finally {
        for (const [, session] of sessions) await session.close();
    }
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
});
