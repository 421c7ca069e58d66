/**
 * Where an update's time goes: a CPU profile of the packaged visual in Chromium.
 *   npx tsx bench/profile.ts <shape> [full|resize] [--runs 20]
 * A shape is a bench shape's name or "<view>:<rows>" ("satisfaction:24000"). After two warm-up
 * full updates it profiles `runs` updates of the kind (a resize alternates two sizes, as the
 * benchmark's does), prints each update's time and the functions by inclusive and by self share
 * of the samples, and writes the profile to .tmp/profiles/ (Chromium's DevTools opens it).
 * Package with `npx pbiviz package --no-minify --no-stats` first for readable function names; the
 * benchmark's figures are the minified package's (npm run package). In a resize, the harness's
 * `timeUpdate` self time is the style and layout the update leaves, which the page forces.
 */
/* eslint-disable powerbi-visuals/non-literal-fs-path -- a Node tool writing the profile it makes */
import * as fs from "node:fs";
import * as path from "node:path";
import { openSession } from "../tests/browser/harness/browser";
import { benchShapes, shapeNamed } from "../tests/browser/harness/bench";
import { projectRoot } from "../tests/browser/harness/visualPackage";

interface ProfileNode {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
}

interface CpuProfile {
    nodes: ProfileNode[];
    samples?: number[];
}

/** Shares of the samples per function ("name file:line"): inclusive (each function once per sample) and self. */
function functionShares(profile: CpuProfile): { inclusive: Map<string, number>; self: Map<string, number> } {
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const parentOf = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
    const label = (node: ProfileNode) =>
        `${node.callFrame.functionName || "(anonymous)"} ${path.basename(node.callFrame.url) || "-"}:${node.callFrame.lineNumber + 1}`;
    const samples = profile.samples ?? [];
    const perNode = new Map<number, number>();
    for (const id of samples) perNode.set(id, (perNode.get(id) ?? 0) + 1);
    const inclusive = new Map<string, number>();
    const self = new Map<string, number>();
    for (const [id, count] of perNode) {
        const share = count / samples.length;
        const leaf = byId.get(id) as ProfileNode;
        self.set(label(leaf), (self.get(label(leaf)) ?? 0) + share);
        // A recursive function counts once per sample.
        const seen = new Set<string>();
        for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
            const name = label(byId.get(at) as ProfileNode);
            if (seen.has(name)) continue;
            seen.add(name);
            inclusive.set(name, (inclusive.get(name) ?? 0) + share);
        }
    }
    return { inclusive, self };
}

function option(name: string): string | undefined {
    const index = process.argv.indexOf(name);
    return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
    const args = process.argv.slice(2);
    const positional = args.filter((arg, index) => !arg.startsWith("--") && args[index - 1] !== "--runs");
    const [shapeName, kindArgument = "full"] = positional;
    const shape = shapeName ? shapeNamed(shapeName) : undefined;
    if (!shape)
        throw new Error(
            `Name a shape: ${benchShapes.map((one) => one.name).join(", ")}, or <view>:<rows> (satisfaction:24000).`,
        );
    if (kindArgument !== "full" && kindArgument !== "resize") throw new Error("The update is full or resize.");
    const kind: "full" | "resize" = kindArgument;
    const runs = Number(option("--runs") ?? 20);
    const viewport = { width: 960, height: 540 };
    const session = await openSession();
    try {
        await session.renew();
        await session.mount(viewport);
        await session.page.evaluate((data) => window.aisHarness.setData(data), shape.data());
        await session.page.evaluate((size) => {
            window.aisHarness.timeUpdate("full", size);
            window.aisHarness.timeUpdate("full", size);
        }, viewport);
        const devtools = await session.page.context().newCDPSession(session.page);
        await devtools.send("Profiler.enable");
        await devtools.send("Profiler.setSamplingInterval", { interval: 100 });
        await devtools.send("Profiler.start");
        const times = await session.page.evaluate(
            ({ size, kind, runs }) => {
                const other = { width: size.width - 20, height: size.height - 20 };
                return Array.from({ length: runs }, (_, run) =>
                    window.aisHarness.timeUpdate(kind, kind === "resize" && run % 2 === 0 ? other : size),
                );
            },
            { size: viewport, kind, runs },
        );
        const { profile } = (await devtools.send("Profiler.stop")) as { profile: CpuProfile };
        const folder = path.join(projectRoot, ".tmp", "profiles");
        fs.mkdirSync(folder, { recursive: true });
        const file = path.join(folder, `${shape.name.replace(/[^\w-]+/g, "-")}-${kind}.cpuprofile`);
        fs.writeFileSync(file, JSON.stringify(profile));

        console.log(`${shape.title}, ${runs} ${kind} updates (ms): ${times.map((ms) => ms.toFixed(1)).join(" ")}`);
        const { inclusive, self } = functionShares(profile);
        const top = (shares: Map<string, number>, count: number) =>
            [...shares]
                .sort((a, b) => b[1] - a[1])
                .slice(0, count)
                .map(([name, share]) => `${(100 * share).toFixed(1).padStart(6)}%  ${name}`)
                .join("\n");
        console.log(`\nInclusive share of the samples:\n${top(inclusive, 40)}`);
        console.log(`\nSelf share:\n${top(self, 25)}`);
        console.log(`\nProfile: ${path.relative(process.cwd(), file)}`);
    } finally {
        await session.close();
    }
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
});
