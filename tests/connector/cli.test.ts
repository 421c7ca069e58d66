/** @jest-environment node */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { EXIT_UNEXPECTED, run } from "../../connector/src/commands";
import { runCli as cli } from "../support/cli";
import { BASE } from "./validateSupport";
import { writeProject } from "../../connector/src/pbip";

const ROOT = path.join(__dirname, "..", "..");
const SAMPLE = path.join(ROOT, "connector", "sample");
let work: string;

beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "connector-cli-"));
});
afterEach(() => {
    fs.rmSync(work, { recursive: true, force: true });
});

function listFiles(dir: string): string[] {
    return fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
        .sort();
}

describe("connector CLI: usage errors exit 2 with a message and the usage", () => {
    it.each([
        [[], /No command given/],
        [["frobnicate"], /Unknown command "frobnicate"/],
        [["generate", "--source", "csv", "--folder", SAMPLE, "--out", "x", "--bogus"], /Unknown option '--bogus'/],
        [["generate", "--folder", SAMPLE, "--out", "x"], /Missing --source/],
        [["generate", "--source", "oracle", "--out", "x"], /Unknown source "oracle": use csv, sqlserver or postgres/],
        [["generate", "--source", "csv", "--out", "x"], /--source csv needs --folder/],
        [["generate", "--source", "sqlserver", "--server", "s", "--out", "x"], /needs --server and --database/],
        [["generate", "--source", "csv", "--folder", SAMPLE], /Missing --out/],
        [
            ["generate", "--source", "csv", "--folder", SAMPLE, "--out", "x", "--format", "pbix"],
            /Unknown format "pbix"/,
        ],
        [
            ["generate", "--source", "csv", "--folder", SAMPLE, "--out", "x", "--fiscal-year-start", "13"],
            /a month number from 1 to 12/,
        ],
        [
            ["generate", "--source", "csv", "--folder", SAMPLE, "--out", "x", "--min-agencies", "0"],
            /Invalid --min-agencies "0": a whole number of agencies, 1 or more/,
        ],
        [["generate", "--source", "csv", "--folder", SAMPLE, "--out", "x", "--name", "a/b"], /Invalid --name/],
        [
            ["generate", "--source", "csv", "--folder", SAMPLE, "--out", "x", "--validated", "--mapping", "m.json"],
            /--validated reads a validate --out folder, whose files need no --mapping/,
        ],
        [
            ["generate", "--source", "postgres", "--server", "s", "--database", "d", "--out", "x", "--validated"],
            /--validated is for --source csv/,
        ],
    ])("%j", async (args, message) => {
        const result = await cli(...(args as string[]));
        expect(result.code).toBe(2);
        expect(result.err).toMatch(message);
        expect(result.err).toContain("Usage:");
        expect(fs.existsSync(path.join(ROOT, "x"))).toBe(false);
    });
});

describe("connector CLI: generate --validated", () => {
    it("refuses a folder that is not a validate --out folder (exit 1), writing nothing", async () => {
        const result = await cli("generate", "--source", "csv", "--folder", SAMPLE, "--out", "x", "--validated");
        expect(result.code).toBe(1);
        expect(result.err).toContain(
            `${SAMPLE} is not a validate --out folder (it has no validate-manifest.json): run validate --folder <exports> --out ${SAMPLE} first.`,
        );
        expect(fs.existsSync(path.join(ROOT, "x"))).toBe(false);
    });
});

describe("connector CLI: generate", () => {
    it("writes the sample project: pbip, model, report; UTF-8 without BOM; same bytes every run", async () => {
        const out = path.join(work, "sample");
        const first = await cli("generate", "--source", "csv", "--folder", SAMPLE, "--out", out);
        expect(first).toMatchObject({ code: 0, err: "" });
        const files = listFiles(out);
        expect(files).toEqual(
            expect.arrayContaining([
                "Agency IT Scorecard.pbip",
                "Agency IT Scorecard.SemanticModel/definition.pbism",
                "Agency IT Scorecard.SemanticModel/.platform",
                "Agency IT Scorecard.SemanticModel/definition/database.tmdl",
                "Agency IT Scorecard.SemanticModel/definition/model.tmdl",
                "Agency IT Scorecard.SemanticModel/definition/relationships.tmdl",
                "Agency IT Scorecard.SemanticModel/definition/expressions.tmdl",
                "Agency IT Scorecard.SemanticModel/definition/tables/Charges.tmdl",
                "Agency IT Scorecard.Report/definition.pbir",
            ]),
        );
        const contents = new Map(files.map((f) => [f, fs.readFileSync(path.join(out, f))]));
        for (const [, bytes] of contents)
            expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
        expect(contents.get("Agency IT Scorecard.SemanticModel/definition/expressions.tmdl")!.toString()).toContain(
            `expression SourceFolder = "${SAMPLE}"`,
        );

        // Regenerating over the earlier project replaces it with identical bytes and leaves no temp folders.
        expect((await cli("generate", "--source", "csv", "--folder", SAMPLE, "--out", out)).code).toBe(0);
        expect(listFiles(out)).toEqual(files);
        for (const f of files) expect(fs.readFileSync(path.join(out, f)).equals(contents.get(f)!)).toBe(true);
        expect(fs.readdirSync(work)).toEqual(["sample"]);
    });

    it("writes model.bim with --format bim, and SQL sources need no folder", async () => {
        const out = path.join(work, "bim");
        const result = await cli(
            "generate",
            "--source",
            "postgres",
            "--server",
            "pg01",
            "--database",
            "billing",
            "--out",
            out,
            "--format",
            "bim",
            "--name",
            "State",
        );
        expect(result.code).toBe(0);
        const bim = JSON.parse(fs.readFileSync(path.join(out, "State.SemanticModel", "model.bim"), "utf8"));
        // Import from a database has an incremental refresh policy on charges by default, hence RangeStart and RangeEnd.
        expect(bim.model.expressions.map((e: { name: string }) => e.name)).toEqual([
            "Server",
            "Database",
            "FiscalYearStartMonth",
            "RangeStart",
            "RangeEnd",
            "FollowUpBusinessDays",
            "OnTrackTolerancePoints",
            "AtRiskTolerancePoints",
        ]);
        expect(JSON.stringify(bim)).toContain("PostgreSQL.Database(Server, Database)");
    });

    it("applies a mapping file, and rejects a bad one clearly", async () => {
        const source = path.join(work, "export");
        fs.cpSync(SAMPLE, source, { recursive: true });
        fs.renameSync(path.join(source, "agencies.csv"), path.join(source, "agency_list.csv"));
        const mapping = path.join(work, "map.json");
        fs.writeFileSync(
            mapping,
            JSON.stringify({
                tables: { agencies: { file: "agency_list.csv", columns: { Agency: "SubAccountName" } } },
            }),
        );
        const out = path.join(work, "mapped");
        expect(
            (await cli("generate", "--source", "csv", "--folder", source, "--out", out, "--mapping", mapping)).code,
        ).toBe(0);
        const agencies = fs.readFileSync(
            path.join(out, "Agency IT Scorecard.SemanticModel", "definition", "tables", "Agencies.tmdl"),
            "utf8",
        );
        expect(agencies).toContain("agency_list.csv");
        // The mapping's header reaches the M as a rename to the canonical name (matched ignoring case).
        expect(agencies).toContain('#"agency" = "SubAccountName"');

        fs.writeFileSync(mapping, JSON.stringify({ tables: { agencies: { columns: { Agency: "Name" } } } }));
        const bad = await cli(
            "generate",
            "--source",
            "csv",
            "--folder",
            source,
            "--out",
            path.join(work, "bad"),
            "--mapping",
            mapping,
        );
        expect(bad.code).toBe(1);
        expect(bad.err).toMatch(/"Name" is not a column of agencies/);
        fs.writeFileSync(mapping, "{ not json");
        expect(
            (
                await cli(
                    "generate",
                    "--source",
                    "csv",
                    "--folder",
                    source,
                    "--out",
                    path.join(work, "bad"),
                    "--mapping",
                    mapping,
                )
            ).err,
        ).toMatch(/is not valid JSON/);
        expect(fs.existsSync(path.join(work, "bad"))).toBe(false);
    });
});

describe("connector CLI: failures exit 1 and write nothing", () => {
    it("a missing source folder", async () => {
        const out = path.join(work, "out");
        const result = await cli("generate", "--source", "csv", "--folder", path.join(work, "nope"), "--out", out);
        expect(result.code).toBe(1);
        expect(result.err).toMatch(/Source folder .*nope does not exist/);
        expect(fs.existsSync(out)).toBe(false);
    });

    it("a source folder without the expected files, naming them", async () => {
        const source = path.join(work, "partial");
        fs.mkdirSync(source);
        fs.copyFileSync(path.join(SAMPLE, "charges.csv"), path.join(source, "charges.csv"));
        const result = await cli("generate", "--source", "csv", "--folder", source, "--out", path.join(work, "out"));
        expect(result.code).toBe(1);
        expect(result.err).toMatch(/lacks agencies\.csv, services\.csv, headcount\.csv/);
    });

    it("an unwritable output (its parent is a file)", async () => {
        const blocker = path.join(work, "file.txt");
        fs.writeFileSync(blocker, "keep me");
        const result = await cli(
            "generate",
            "--source",
            "csv",
            "--folder",
            SAMPLE,
            "--out",
            path.join(blocker, "project"),
        );
        expect(result.code).toBe(1);
        expect(result.err).toMatch(/Cannot (create|write)/);
        expect(fs.readFileSync(blocker, "utf8")).toBe("keep me");
        expect(fs.readdirSync(work)).toEqual(["file.txt"]);
    });

    it("an output folder holding something else is left untouched", async () => {
        const out = path.join(work, "documents");
        fs.mkdirSync(out);
        fs.writeFileSync(path.join(out, "budget.xlsx"), "x");
        const result = await cli("generate", "--source", "csv", "--folder", SAMPLE, "--out", out);
        expect(result.code).toBe(1);
        expect(result.err).toMatch(/not empty/);
        expect(fs.readdirSync(out)).toEqual(["budget.xlsx"]);
    });

    it("a write that fails midway removes its temporary folder and keeps the earlier project", () => {
        const out = path.join(work, "proj");
        fs.mkdirSync(out);
        fs.writeFileSync(path.join(out, "P.pbip"), "earlier");
        // "a" as a file and as a folder: the second write fails after the first succeeded.
        const files = new Map([
            ["P.pbip", "new"],
            ["a", "file"],
            ["a/b", "clash"],
        ]);
        expect(() => writeProject(out, files, "P")).toThrow(/nothing was changed/);
        expect(fs.readFileSync(path.join(out, "P.pbip"), "utf8")).toBe("earlier");
        expect(fs.readdirSync(work)).toEqual(["proj"]);
    });

    it("sets a non-zero process exit code when run as a program", () => {
        const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
        const result = spawnSync(
            tsx,
            ["connector/src/cli.ts", "generate", "--source", "oracle", "--out", path.join(work, "o")],
            { cwd: ROOT, encoding: "utf8" },
        );
        expect(result.status).toBe(2);
        expect(result.stderr).toMatch(/Unknown source "oracle"/);
    }, 30_000);
});

describe("connector CLI: one error path", () => {
    // A failure no command expects (here the output stream breaking) is a bug: every command
    // reports it with its stack and the same exit code, never validate's 1 ("rows quarantined").
    it.each([
        ["help", () => ["help"]],
        ["generate", () => ["generate", "--source", "csv", "--folder", SAMPLE, "--out", path.join(work, "g")]],
        ["sample", () => ["sample", "--out", path.join(work, "s")]],
        ["validate", () => ["validate", "--folder", BASE]],
    ])("an unexpected error in %s exits 2 with its stack", async (_name, args) => {
        let err = "";
        const code = await run(args(), {
            out: () => {
                throw new TypeError("stdout closed");
            },
            err: (t) => {
                err += t;
            },
        });
        expect(code).toBe(EXIT_UNEXPECTED);
        expect(EXIT_UNEXPECTED).toBe(2);
        expect(err).toMatch(/^Unexpected error: TypeError: stdout closed\n\s+at /);
    });
});
