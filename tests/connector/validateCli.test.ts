/** @jest-environment node */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { runCli as cli } from "../support/cli";
import { BASE, buildFolder } from "./validateSupport";

const ROOT = path.join(__dirname, "..", "..");
let work: string;
beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "validate-cli-"));
});
afterEach(() => {
    fs.rmSync(work, { recursive: true, force: true });
});

describe("connector validate: exit codes", () => {
    it("exits 0 on a clean folder and prints the table of counts", async () => {
        const result = await cli("validate", "--folder", BASE);
        expect(result).toMatchObject({ code: 0, err: "" });
        expect(result.out).toContain("Table              Rows read  Accepted  Quarantined  Blank lines  Status");
        expect(result.out).toContain("charges                    6         6            0            0  ok");
        expect(result.out).toContain(
            "Every row is accounted for: rows read = accepted + quarantined in each table, and every line of every file was read (as the header, a row or a blank line).",
        );
        expect(result.out).toContain("Clean: 34 rows accepted.");
    });

    it("exits 1 when rows are quarantined, grouping a repeated problem with its first lines", async () => {
        const folder = buildFolder(null, work);
        const lines = [
            "InvoiceId,ChargePeriodStart,SubAccountId,ServiceName,ChargeCategory,PricingQuantity,PricingUnit,BilledCost,EffectiveCost",
        ];
        for (let i = 0; i < 2000; i++)
            lines.push(`INV-${i},2024-07-01,AG01,Email and Calendar,Usage,1,User-Month,${i % 2 ? "n/a" : "8.00"},8.00`);
        fs.writeFileSync(path.join(folder, "charges.csv"), `${lines.join("\n")}\n`);
        const result = await cli("validate", "--folder", folder, "--examples", "3");
        expect(result.code).toBe(1);
        expect(result.out).toContain("charges.csv, column BilledCost: not a number (1,000)");
        expect(result.out).toContain(
            '    charges.csv line 3, column BilledCost: "n/a" is not a number such as 1,234.50 or -1,234.50',
        );
        expect(result.out).toContain("    ... and 997 more like these");
        expect(result.out).toContain("charges                2,000     1,000        1,000");
        expect(result.out).toContain("Not clean: 1,000 rows quarantined, 1,000 errors in charges.");
    });

    it.each([
        [["validate"], /validate needs --folder/],
        [["validate", "--folder", "x", "--bogus"], /Unknown option '--bogus'/],
        [["validate", "--folder", "x", "--examples", "0"], /Invalid --examples/],
    ])("exits 2 on usage errors: %j", async (args, message) => {
        const result = await cli(...(args as string[]));
        expect(result.code).toBe(2);
        expect(result.err).toMatch(message);
        expect(result.err).toContain("Usage:");
    });

    it("exits 2 when the folder is missing", async () => {
        const result = await cli("validate", "--folder", path.join(work, "nope"));
        expect(result.code).toBe(2);
        expect(result.err).toMatch(/Source folder .*nope does not exist or is not a folder/);
    });

    it.each([
        ["not JSON", "{", /is not valid JSON/],
        ["a typo", JSON.stringify({ delimitor: ";" }), /Unrecognized key.*delimitor/],
        [
            "an unknown column",
            JSON.stringify({ tables: { charges: { columns: { Amount: "Billed" } } } }),
            /"Billed" is not a column of charges/,
        ],
        ["clashing separators", JSON.stringify({ decimalSeparator: ",", thousandsSeparator: "," }), /must differ/],
        ["an unreadable date format", JSON.stringify({ dateFormat: "yyyy-MM-dd HH:mm zzz" }), /dateFormat .* uses "z"/],
        [
            "an encoding it cannot read",
            JSON.stringify({ encoding: 1200 }),
            /encoding 1200 is not one the validator reads/,
        ],
    ])("exits 2 on a bad mapping file: %s", async (_name, content, message) => {
        const mapping = path.join(work, "map.json");
        fs.writeFileSync(mapping, content);
        const result = await cli("validate", "--folder", BASE, "--mapping", mapping);
        expect(result.code).toBe(2);
        expect(result.err).toMatch(message);
    });

    it("exits 2 when the mapping file cannot be read", async () => {
        const result = await cli("validate", "--folder", BASE, "--mapping", path.join(work, "missing.json"));
        expect(result.code).toBe(2);
        expect(result.err).toMatch(/Cannot read the mapping file/);
    });

    it("exits 2 when an expected file cannot be read (here a folder named charges.csv), writing nothing", async () => {
        const folder = buildFolder(null, work);
        fs.rmSync(path.join(folder, "charges.csv"));
        fs.mkdirSync(path.join(folder, "charges.csv"));
        const out = path.join(work, "out");
        const result = await cli("validate", "--folder", folder, "--out", out);
        expect(result.code).toBe(2);
        expect(result.err).toMatch(/Cannot read .*charges\.csv \(EISDIR/);
        expect(fs.existsSync(out)).toBe(false);
        expect(fs.readdirSync(work).sort()).toEqual(["billing"]);
    });
});

describe("connector validate: files it cannot read", () => {
    it("reports a binary file as not read and never says every row is accounted for or Clean", async () => {
        const folder = buildFolder(null, work);
        const binary = Buffer.alloc(5000, 0);
        binary.write("PK", 0);
        fs.writeFileSync(path.join(folder, "charges.csv"), binary);
        const result = await cli("validate", "--folder", folder);
        expect(result.code).toBe(1);
        expect(result.out).toContain(
            "Not read: charges.csv (5,000 bytes) could not be read as CSV text, so none of its rows are counted.",
        );
        expect(result.out).not.toContain("Every row is accounted for");
        expect(result.out).not.toContain("Clean:");
        expect(result.out).toContain("Not clean: 0 rows quarantined, 1 errors in charges.");
    });
});

describe("connector validate --out", () => {
    it("writes clean tables, rejected rows and report.json, and replaces its own earlier output", async () => {
        const folder = buildFolder(null, work);
        fs.appendFileSync(path.join(folder, "headcount.csv"), "AG03,2024-09-01,0\n");
        const out = path.join(work, "clean");
        const first = await cli("validate", "--folder", folder, "--out", out);
        expect(first.code).toBe(1);
        expect(fs.readdirSync(out).sort()).toEqual([
            "agencies.csv",
            "agency_access.csv",
            "charges.csv",
            "follow_ups.csv",
            "goal_checkins.csv",
            "goal_measurements.csv",
            "goals.csv",
            "headcount.csv",
            "headcount.rejected.csv",
            "report.json",
            "services.csv",
            "survey_responses.csv",
            "teams.csv",
            "validate-manifest.json",
        ]);
        expect(JSON.parse(fs.readFileSync(path.join(out, "validate-manifest.json"), "utf8")).files).toEqual(
            fs
                .readdirSync(out)
                .filter((f) => f !== "validate-manifest.json")
                .sort(),
        );
        expect(fs.readFileSync(path.join(out, "headcount.rejected.csv"), "utf8")).toBe(
            "file,line,reason,SubAccountId,x_Month,x_Users\n" +
                'headcount.csv,8,"x_Users: ""0"" users: must be above 0 (cost per user divides by it; leave the month out instead)",AG03,2024-09-01,0\n',
        );
        const report = JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8"));
        expect(report).toMatchObject({
            exitCode: 1,
            verdict: "quarantined",
            totals: { rowsRead: 35, accepted: 34, quarantined: 1 },
        });
        // Fixed, run again into the same folder: replaced whole, the rejected file gone.
        fs.writeFileSync(path.join(folder, "headcount.csv"), fs.readFileSync(path.join(BASE, "headcount.csv")));
        const second = await cli("validate", "--folder", folder, "--out", out);
        expect(second.code).toBe(0);
        expect(fs.existsSync(path.join(out, "headcount.rejected.csv"))).toBe(false);
        expect(fs.readdirSync(work).sort()).toEqual(["billing", "clean"]);
    });

    it("refuses a non-empty folder that is not its own output (exit 2), touching nothing", async () => {
        const out = path.join(work, "mine");
        fs.mkdirSync(out);
        fs.writeFileSync(path.join(out, "budget.xlsx"), "x");
        const result = await cli("validate", "--folder", BASE, "--out", out);
        expect(result.code).toBe(2);
        expect(result.err).toContain(
            `Output folder ${out} holds files an earlier validation did not write (budget.xlsx; its validate-manifest.json lists what it wrote): choose a new or empty folder (nothing was written or removed).`,
        );
        expect(fs.readdirSync(out)).toEqual(["budget.xlsx"]);
        expect(fs.readdirSync(work)).toEqual(["mine"]);
    });

    it("refuses its own earlier output once a foreign file is added to it, leaving every file as it was", async () => {
        const out = path.join(work, "clean");
        expect((await cli("validate", "--folder", BASE, "--out", out)).code).toBe(0);
        fs.writeFileSync(path.join(out, "notes.txt"), "mine");
        fs.mkdirSync(path.join(out, "drafts"));
        const before = new Map(fs.readdirSync(out).map((f) => [f, fs.statSync(path.join(out, f)).mtimeMs]));
        const report = fs.readFileSync(path.join(out, "report.json"), "utf8");
        const result = await cli("validate", "--folder", BASE, "--out", out);
        expect(result.code).toBe(2);
        expect(result.err).toContain("holds files an earlier validation did not write (drafts, notes.txt;");
        expect(new Map(fs.readdirSync(out).map((f) => [f, fs.statSync(path.join(out, f)).mtimeMs]))).toEqual(before);
        expect(fs.readFileSync(path.join(out, "report.json"), "utf8")).toBe(report);
        expect(fs.readdirSync(work)).toEqual(["clean"]);
    });

    it("refuses a folder holding report.json but no manifest (not known to be its own)", async () => {
        const out = path.join(work, "old");
        fs.mkdirSync(out);
        fs.writeFileSync(path.join(out, "report.json"), "{}");
        fs.writeFileSync(path.join(out, "charges.csv"), "mine");
        const result = await cli("validate", "--folder", BASE, "--out", out);
        expect(result.code).toBe(2);
        expect(result.err).toContain("(charges.csv, report.json;");
        expect(fs.readFileSync(path.join(out, "charges.csv"), "utf8")).toBe("mine");
    });

    it("refuses the source folder, and a folder holding it, as --out (exit 2), the exports untouched", async () => {
        const folder = buildFolder(null, work);
        // Even an earlier --out folder, validated again into itself, is a source.
        const out = path.join(work, "clean");
        expect((await cli("validate", "--folder", folder, "--out", out)).code).toBe(0);
        const snapshot = (dir: string): Record<string, string> =>
            Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));
        const outFiles = snapshot(out);
        const itself = await cli("validate", "--folder", out, "--out", out);
        expect(itself.code).toBe(2);
        expect(itself.err).toContain(
            `Output ${out} is the source folder: the validator never writes over the exports it reads. Choose another folder for --out (nothing was written).`,
        );
        expect(snapshot(out)).toEqual(outFiles);
        const sourceFiles = snapshot(folder);
        const parent = await cli("validate", "--folder", folder, "--out", work);
        expect(parent.code).toBe(2);
        expect(parent.err).toContain(
            `Output ${work} holds the source folder ${folder}: replacing it would delete the exports.`,
        );
        expect(snapshot(folder)).toEqual(sourceFiles);
        expect(fs.readdirSync(work).sort()).toEqual(["billing", "clean"]);
    });

    it("after a run killed mid-way (SIGKILL), the next run removes its temporary folder", async () => {
        const folder = buildFolder(null, work);
        const header = fs.readFileSync(path.join(BASE, "charges.csv"), "utf8").split("\n")[0];
        const lines = [header];
        for (let i = 0; i < 400_000; i++)
            lines.push(`INV-${i},2024-07-01,AG01,Email and Calendar,Usage,1,User-Month,8.00,8.00`);
        fs.writeFileSync(path.join(folder, "charges.csv"), `${lines.join("\n")}\n`);
        const out = path.join(work, "clean");
        const staging = (): string[] => fs.readdirSync(work).filter((e) => e.startsWith(".clean.validate-tmp-"));
        // tsx as a loader in the same process (its cli would run the validator in a child that SIGKILL leaves running).
        const child = spawn(process.execPath, [
            "--import",
            "tsx",
            path.join(ROOT, "connector", "src", "cli.ts"),
            "validate",
            "--folder",
            folder,
            "--out",
            out,
        ]);
        const exited = new Promise<string | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
        // Killed once the charges are being written (its staging folder holds charges.csv).
        const deadline = Date.now() + 60_000;
        while (!staging().some((s) => fs.existsSync(path.join(work, s, "charges.csv"))) && Date.now() < deadline)
            await new Promise((resolve) => setTimeout(resolve, 20));
        child.kill("SIGKILL");
        expect(await exited).toBe("SIGKILL");
        expect(staging()).toHaveLength(1);
        expect(fs.existsSync(out)).toBe(false);
        fs.writeFileSync(path.join(folder, "charges.csv"), fs.readFileSync(path.join(BASE, "charges.csv")));
        const next = await cli("validate", "--folder", folder, "--out", out);
        expect(next.code).toBe(0);
        expect(staging()).toEqual([]);
        expect(fs.readdirSync(work).sort()).toEqual(["billing", "clean"]);
    }, 90_000);

    it("refuses an output path that is a file (exit 2)", async () => {
        const out = path.join(work, "file.txt");
        fs.writeFileSync(out, "x");
        const result = await cli("validate", "--folder", BASE, "--out", out);
        expect(result.code).toBe(2);
        expect(result.err).toMatch(/exists and is not a folder/);
    });
});

describe("connector validate as a program", () => {
    it("sets the process exit code (1 for quarantined rows) and prints the report", () => {
        const folder = buildFolder("rating", work);
        const result = spawnSync(
            process.execPath,
            [
                path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"),
                path.join(ROOT, "connector", "src", "cli.ts"),
                "validate",
                "--folder",
                folder,
            ],
            { encoding: "utf8" },
        );
        expect(result.status).toBe(1);
        expect(result.stdout).toContain(
            'survey_responses.csv line 3, column x_Rating: "6" is not a rating from 1 to 5',
        );
    });
});
