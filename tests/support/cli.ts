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
