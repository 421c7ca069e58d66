/**
 * The validator's --out folder: clean tables (<table>.csv, the schema's column names, ISO dates,
 * plain "." decimals, UTF-8 without BOM), quarantined rows (<table>.rejected.csv) and report.json.
 * Everything is written into a staging folder next to --out and renamed into place at the end,
 * so a failed or interrupted run leaves the previous output as it was; a manifest lists what was
 * written, so a later run replaces only a folder holding nothing else.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export class OutputError extends Error {}

export const REPORT_FILE = "report.json";

const NEEDS_QUOTES = /[",\n\r]/;

export function csvField(value: string): string {
    return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Characters gathered before a write: 64 K (measured: less CPU than 1 M, whose strings live long enough to be copied by the garbage collector). */
const FLUSH_CHARS = 1 << 16;

/**
 * A CSV file written in pieces of about 64 K characters with synchronous writes: bounded memory,
 * and a write returns only once the kernel took it, so there is no backpressure to manage. Rows
 * are joined into one string and encoded into one reused buffer: writing 100 MB as strings, for
 * which writeSync makes a fresh buffer each time, took 0.13 s of CPU (0.11 s in the kernel mapping
 * fresh memory), from one reused buffer 0.02 s.
 */
export class CsvSink {
    private fd: number;
    private pending = "";
    /** Room for FLUSH_CHARS of the longest UTF-8 (3 bytes per UTF-16 unit); grown for a longer text (a long last row). */
    private bytes = Buffer.allocUnsafe(FLUSH_CHARS * 3);
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
        this.pending += `${line}\n`;
        if (this.pending.length >= FLUSH_CHARS) this.flush();
    }

    private flush(): void {
        const text = this.pending;
        if (text === "") return;
        this.pending = "";
        if (text.length * 3 > this.bytes.length) this.bytes = Buffer.allocUnsafe(text.length * 3);
        const length = this.bytes.write(text, 0, "utf8");
        let written = 0;
        while (written < length) written += fs.writeSync(this.fd, this.bytes, written, length - written);
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

    /** Writes one row given as its CSV line, already as write() would write it. */
    writeLine(line: string): void {
        this.rows++;
        this.push(line);
    }

    private closed = false;

    close(): void {
        if (this.closed) return;
        this.closed = true;
        this.flush();
        fs.closeSync(this.fd);
    }
}

/** What the validator wrote into an --out folder: the only files a later run may replace. */
export const MANIFEST_FILE = "validate-manifest.json";
/** Staging folders are named `.<out>.validate-tmp-<pid>-<random>`, so a later run can tell a dead run's from a live one's. */
const STAGING_INFIX = ".validate-tmp-";
/** Marker inside a staging folder: a later run removes only folders holding it. */
const STAGING_MARKER = ".validate-staging";

interface Manifest {
    tool: "agency-it-scorecard validate";
    files: string[];
}

function isAlive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === "EPERM";
    }
}

/** The folder's real path when it exists (symlinks resolved), else its absolute path. */
function realOrResolved(dir: string): string {
    const resolved = path.resolve(dir);
    try {
        return fs.realpathSync(resolved);
    } catch {
        return resolved;
    }
}

const isInside = (child: string, parent: string): boolean => {
    const relative = path.relative(parent, child);
    return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
};

/** Entries of an existing --out folder that an earlier validation did not write (all of them when there is no manifest). */
export function foreignEntries(dir: string): string[] {
    const entries = fs.readdirSync(dir);
    if (entries.length === 0) return [];
    let manifest: Manifest | null = null;
    try {
        const parsed = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), "utf8")) as Manifest;
        if (parsed && Array.isArray(parsed.files)) manifest = parsed;
    } catch {
        manifest = null;
    }
    const ours = new Set([MANIFEST_FILE, ...(manifest?.files ?? [])]);
    return entries.filter((e) => !manifest || !ours.has(e) || !fs.lstatSync(path.join(dir, e)).isFile()).sort();
}

export class OutputFolder {
    readonly staging: string;
    private readonly sinks: CsvSink[] = [];

    /**
     * Checks --out (new, empty, or an earlier validation output holding only the files its
     * manifest lists; never the source folder or a folder holding it), removes staging folders
     * that killed runs left behind, and creates this run's staging folder.
     */
    constructor(
        readonly target: string,
        source: string,
    ) {
        const resolved = realOrResolved(target);
        const sourceDir = realOrResolved(source);
        if (isInside(sourceDir, resolved))
            throw new OutputError(
                resolved === sourceDir
                    ? `Output ${target} is the source folder: the validator never writes over the exports it reads. Choose another folder for --out (nothing was written).`
                    : `Output ${target} holds the source folder ${source}: replacing it would delete the exports. Choose another folder for --out (nothing was written).`,
            );
        if (fs.existsSync(resolved)) {
            if (!fs.statSync(resolved).isDirectory())
                throw new OutputError(`Output ${target} exists and is not a folder.`);
            this.refuseForeign(target, resolved);
        }
        const parent = path.dirname(resolved);
        const prefix = `.${path.basename(resolved)}${STAGING_INFIX}`;
        try {
            fs.mkdirSync(parent, { recursive: true });
            removeDeadStaging(parent, prefix);
            this.staging = fs.mkdtempSync(path.join(parent, `${prefix}${process.pid}-`));
            fs.chmodSync(this.staging, 0o755); // mkdtemp makes it private; the output is an ordinary folder
            fs.writeFileSync(path.join(this.staging, STAGING_MARKER), `${process.pid}\n`);
        } catch (error) {
            throw new OutputError(`Cannot write to ${parent} (${(error as Error).message}).`);
        }
    }

    private refuseForeign(target: string, resolved: string): void {
        const foreign = foreignEntries(resolved);
        if (foreign.length === 0) return;
        const shown = foreign.slice(0, 5).join(", ") + (foreign.length > 5 ? `, and ${foreign.length - 5} more` : "");
        throw new OutputError(
            `Output folder ${target} holds files an earlier validation did not write (${shown}; its ${MANIFEST_FILE} lists what it wrote): choose a new or empty folder (nothing was written or removed).`,
        );
    }

    sink(name: string, header: string[], mayNeedQuotes: boolean[] | null = null): CsvSink {
        const sink = new CsvSink(path.join(this.staging, name), header, mayNeedQuotes);
        this.sinks.push(sink);
        return sink;
    }

    /** Writes report.json and the manifest, and renames the staging folder into place (replacing an earlier output of ours). */
    commit(reportJson: string): void {
        const target = realOrResolved(this.target);
        const old = `${this.staging}.old`;
        try {
            fs.writeFileSync(path.join(this.staging, REPORT_FILE), reportJson, "utf8");
            fs.rmSync(path.join(this.staging, STAGING_MARKER));
            const files = fs.readdirSync(this.staging).sort();
            const manifest: Manifest = { tool: "agency-it-scorecard validate", files };
            fs.writeFileSync(path.join(this.staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, "utf8");
            const replacing = fs.existsSync(target);
            // Checked again: a file added to the folder while this run read the exports is kept.
            if (replacing) this.refuseForeign(this.target, target);
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
            if (error instanceof OutputError) throw error;
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

/** Staging folders (and their ".old" twins) of runs that are no longer running: killed mid-way. */
function removeDeadStaging(parent: string, prefix: string): void {
    for (const entry of fs.readdirSync(parent)) {
        if (!entry.startsWith(prefix)) continue;
        const pid = Number(/^(\d+)-/.exec(entry.slice(prefix.length))?.[1]);
        if (!Number.isInteger(pid) || pid <= 0 || isAlive(pid)) continue;
        const dir = path.join(parent, entry);
        // Only folders this tool made: the staging marker, or a complete output's manifest (a ".old" twin).
        const ours = [STAGING_MARKER, MANIFEST_FILE].some((f) => fs.existsSync(path.join(dir, f)));
        if (ours) fs.rmSync(dir, { recursive: true, force: true });
    }
}
