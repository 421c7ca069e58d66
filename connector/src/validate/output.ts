/**
 * The validator's --out folder: clean tables (<table>.csv, the schema's column names, ISO dates,
 * plain "." decimals, UTF-8 without BOM), quarantined rows (<table>.rejected.csv) and report.json.
 * Everything is written into a staging folder next to --out and renamed into place at the end,
 * so a failed or interrupted run leaves the previous output as it was.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export class OutputError extends Error {}

export const REPORT_FILE = "report.json";

const NEEDS_QUOTES = /[",\n\r]/;

export function csvField(value: string): string {
    return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A CSV file written through a 1 MB buffer with synchronous writes: bounded memory, no backpressure to manage. */
export class CsvSink {
    private fd: number;
    private buffer: string[] = [];
    private size = 0;
    rows = 0;

    /** `mayNeedQuotes[i]` false for columns whose values never hold quotes, commas or line breaks (numbers, dates). */
    constructor(
        readonly file: string,
        header: string[],
        private readonly mayNeedQuotes: boolean[] | null = null,
    ) {
        this.fd = fs.openSync(file, "w");
        this.push(header.map(csvField).join(","));
    }

    private push(line: string): void {
        this.buffer.push(line);
        this.size += line.length + 1;
        if (this.size >= 1 << 20) this.flush();
    }

    private flush(): void {
        if (this.buffer.length === 0) return;
        fs.writeSync(this.fd, `${this.buffer.join("\n")}\n`, null, "utf8");
        this.buffer = [];
        this.size = 0;
    }

    /** Writes one row; quotes the values that need it in place (the caller's array is scratch). */
    write(values: string[]): void {
        const quoting = this.mayNeedQuotes;
        for (let i = 0; i < values.length; i++) {
            if (quoting === null || quoting[i]) values[i] = csvField(values[i]);
        }
        this.rows++;
        this.push(values.join(","));
    }

    private closed = false;

    close(): void {
        if (this.closed) return;
        this.closed = true;
        this.flush();
        fs.closeSync(this.fd);
    }
}

export class OutputFolder {
    readonly staging: string;
    private readonly sinks: CsvSink[] = [];

    /** Checks --out (new, empty, or an earlier validator output) and creates the staging folder. */
    constructor(readonly target: string) {
        const resolved = path.resolve(target);
        if (fs.existsSync(resolved)) {
            if (!fs.statSync(resolved).isDirectory())
                throw new OutputError(`Output ${target} exists and is not a folder.`);
            const entries = fs.readdirSync(resolved);
            if (entries.length > 0 && !entries.includes(REPORT_FILE)) {
                throw new OutputError(
                    `Output folder ${target} is not empty and holds no ${REPORT_FILE} from an earlier validation: choose a new or empty folder (nothing was written).`,
                );
            }
        }
        const parent = path.dirname(resolved);
        try {
            fs.mkdirSync(parent, { recursive: true });
            this.staging = fs.mkdtempSync(path.join(parent, `.${path.basename(resolved)}.tmp-`));
            fs.chmodSync(this.staging, 0o755); // mkdtemp makes it private; the output is an ordinary folder
        } catch (error) {
            throw new OutputError(`Cannot write to ${parent} (${(error as Error).message}).`);
        }
    }

    sink(name: string, header: string[], mayNeedQuotes: boolean[] | null = null): CsvSink {
        const sink = new CsvSink(path.join(this.staging, name), header, mayNeedQuotes);
        this.sinks.push(sink);
        return sink;
    }

    /** Writes report.json and renames the staging folder into place (replacing an earlier output). */
    commit(reportJson: string): void {
        const target = path.resolve(this.target);
        const old = `${this.staging}.old`;
        try {
            fs.writeFileSync(path.join(this.staging, REPORT_FILE), reportJson, "utf8");
            const replacing = fs.existsSync(target);
            if (replacing) fs.renameSync(target, old);
            try {
                fs.renameSync(this.staging, target);
            } catch (error) {
                if (replacing) fs.renameSync(old, target);
                throw error;
            }
            if (replacing) fs.rmSync(old, { recursive: true, force: true });
        } catch (error) {
            this.abort();
            throw new OutputError(
                `Could not write the output to ${this.target} (${(error as Error).message}); nothing was changed.`,
            );
        }
    }

    abort(): void {
        for (const sink of this.sinks) {
            try {
                sink.close();
            } catch {
                /* the staging folder is removed below anyway */
            }
        }
        fs.rmSync(this.staging, { recursive: true, force: true });
    }
}
