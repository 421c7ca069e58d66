/** @jest-environment node */
/**
 * The validator's corpus: one small bad folder per problem the issue names
 * (tests/fixtures/validate/cases/<case>/: the files that differ from the valid base, and
 * case.json with the exact messages, counts and exit code expected).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "csv-parse/sync";
import { CASES, counts, groupLines, problemLines, readCase, runCase, BASE } from "./validateSupport";
import { validateFolder } from "../../connector/src/validate";
import { DEFAULT_MAPPING } from "../../connector/src/mapping";
import { references, TABLE_ORDER } from "../../connector/src/validate/tables";
import { sourceTables, VALIDATION_RULES } from "../../connector/src/schema";

const SAMPLE = path.join(__dirname, "..", "..", "connector", "sample");
const caseNames = fs.readdirSync(CASES).sort();
const work: string[] = [];
afterAll(() => {
    for (const dir of work) fs.rmSync(dir, { recursive: true, force: true });
});

describe("validator corpus", () => {
    it("has a case for each problem the issue lists", () => {
        expect(caseNames).toEqual(
            expect.arrayContaining([
                "missing-file",
                "missing-column",
                "header-case-and-spaces",
                "extra-column",
                "bad-decimal",
                "decimal-comma",
                "currency-allowed",
                "currency-not-allowed",
                "bad-integer",
                "date-format",
                "date-outside-date-table",
                "rating",
                "duplicate-key",
                "unknown-reference",
                "users-not-positive",
                "goal-rules",
                "no-headcount",
                "bom-crlf",
                "quoted-newlines",
                "blank-lines",
                "trailing-delimiter",
                "wrong-delimiter",
                "invalid-utf8",
                "truncated-last-line",
                "unclosed-quote",
                "access-table",
                "follow-up-rules",
            ]),
        );
    });

    it.each(caseNames)("%s: exact messages, counts and exit code", async (name) => {
        const spec = readCase(name);
        const expected = spec.expected;
        if (!expected) throw new Error(`${name}/case.json has no expected results`);
        const { report, work: dir, outDir } = await runCase(name, true);
        work.push(dir);
        expect(problemLines(report)).toEqual(expected.problems);
        expect(groupLines(report)).toEqual(expected.groups);
        expect(counts(report)).toEqual(expected.counts);
        expect({ exitCode: report.exitCode, errors: report.totals.errors, warnings: report.totals.warnings }).toEqual({
            exitCode: expected.exitCode,
            errors: expected.errors,
            warnings: expected.warnings,
        });
        for (const table of report.tables) {
            expect(table.rowsRead).toBe(table.accepted + table.quarantined);
            for (const file of table.files) expect(file.rowsRead).toBe(file.accepted + file.quarantined);
        }
        // The output folder: report.json is the report; clean and rejected CSVs hold exactly the rows counted.
        const out = outDir as string;
        expect(JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8"))).toEqual(
            JSON.parse(JSON.stringify(report)),
        );
        for (const table of report.tables) {
            const clean = path.join(out, `${table.table}.csv`);
            if (table.status === "missing") {
                expect(fs.existsSync(clean)).toBe(false);
                continue;
            }
            expect(parse(fs.readFileSync(clean), { columns: true })).toHaveLength(table.accepted);
            const rejected = path.join(out, `${table.table}.rejected.csv`);
            if (table.quarantined === 0) {
                expect(fs.existsSync(rejected)).toBe(false);
            } else {
                const rows = parse(fs.readFileSync(rejected), {
                    columns: (h: string[]) => h.map((c, i) => (i < 3 ? c : `c${i}`)),
                    relax_column_count: true,
                }) as Record<string, string>[];
                expect(rows).toHaveLength(table.quarantined);
                for (const row of rows) {
                    expect(Number(row.line)).toBeGreaterThanOrEqual(2);
                    expect(row.reason.length).toBeGreaterThan(10);
                }
            }
        }
        for (const [file, content] of Object.entries(spec.out ?? {})) {
            expect(fs.readFileSync(path.join(out, file), "utf8")).toBe(content);
        }
    });
});

describe("validator order and references come from the schema", () => {
    it("has a corpus case for every rule the schema declares (both validators read that one list)", () => {
        const triggered = new Set(
            caseNames.flatMap((name) => (readCase(name).expected?.groups ?? []).map((g) => g.split(" ")[1])),
        );
        expect(VALIDATION_RULES.map((r) => r.code).filter((code) => !triggered.has(code))).toEqual([]);
    });

    it("checks every input table, each after the tables it refers to (headcount before charges)", () => {
        const order: readonly string[] = TABLE_ORDER;
        expect([...order].sort()).toEqual(
            sourceTables()
                .map((t) => t.source as string)
                .sort(),
        );
        const refs = references();
        expect([...refs.keys()].sort()).toEqual([
            "agency_access",
            "charges",
            "follow_ups",
            "goal_checkins",
            "goal_measurements",
            "goals",
            "headcount",
            "survey_responses",
        ]);
        // A follow-up on an unknown response is a warning (the row is kept); every other unknown key an error.
        expect(refs.get("follow_ups")?.get("x_ResponseId")).toMatchObject({
            target: "survey_responses",
            severity: "warning",
        });
        expect(refs.get("goal_checkins")?.get("x_GoalId")).toMatchObject({ target: "goals", severity: "error" });
        for (const [from, columns] of refs) {
            for (const ref of columns.values()) expect(order.indexOf(ref.target)).toBeLessThan(order.indexOf(from));
        }
        expect(order.indexOf("headcount")).toBeLessThan(order.indexOf("charges"));
    });
});

describe("validator on the sample", () => {
    it("finds the sample clean (its maintain goal gives its direction) and writes its tables back byte for byte", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "validate-sample-"));
        work.push(dir);
        const out = path.join(dir, "clean");
        const report = await validateFolder({ folder: SAMPLE, mapping: DEFAULT_MAPPING, out });
        expect(report.exitCode).toBe(0);
        expect(report.totals).toMatchObject({ errors: 0, warnings: 0, quarantined: 0 });
        expect(report.problems.map((g) => g.code)).toEqual([]);
        expect(report.tables.map((t) => [t.table, t.rowsRead])).toEqual([
            ["agencies", 40],
            ["services", 25],
            ["teams", 12],
            ["goals", 34],
            ["headcount", 960],
            ["charges", 12545],
            ["goal_measurements", 575],
            ["survey_responses", 2913],
            ["follow_ups", 1001],
            ["goal_checkins", 139],
            ["agency_access", 7],
        ]);
        for (const table of report.tables) {
            expect(fs.readFileSync(path.join(out, `${table.table}.csv`), "utf8")).toBe(
                fs.readFileSync(path.join(SAMPLE, `${table.table}.csv`), "utf8"),
            );
        }
    });

    it("finds the corpus base clean with no problem at all", async () => {
        const report = await validateFolder({ folder: BASE, mapping: DEFAULT_MAPPING });
        expect(report.problems).toEqual([]);
        expect(report.exitCode).toBe(0);
    });
});
