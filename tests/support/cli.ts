import * as path from "node:path";
import { run } from "../../connector/src/commands";

export interface CliResult {
    code: number;
    out: string;
    err: string;
}

/** Runs the connector's command line in-process, collecting what it prints (one line per call). */
export async function runCli(...args: string[]): Promise<CliResult> {
    let out = "";
    let err = "";
    const code = await run(args, {
        out: (t) => {
            out += `${t}\n`;
        },
        err: (t) => {
            err += `${t}\n`;
        },
    });
    return { code, out, err };
}

/** `generate` from the sample CSVs into `out` (needs the packaged visual: npm test packages it first). */
export const generateSampleProject = (out: string, ...extra: string[]): Promise<CliResult> =>
    runCli(
        "generate",
        "--source",
        "csv",
        "--folder",
        path.join(__dirname, "..", "..", "connector", "sample"),
        "--out",
        out,
        ...extra,
    );
