/** @jest-environment node */
/**
 * Property: random corruptions of the sample files never crash the validator and never lose a
 * row. For every table and file, rows read = accepted + quarantined; the clean and rejected CSVs
 * (read back with csv-parse, a different parser from the validator's) hold exactly those rows;
 * and when a corrupted file has no quote characters, every non-blank line after the header is
 * exactly one row read, counted independently of the validator.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { parse } from "csv-parse/sync";
import { validateFolder } from "../../connector/src/validate";
import { DEFAULT_MAPPING } from "../../connector/src/mapping";

const SAMPLE = path.join(__dirname, "..", "..", "connector", "sample");
const TABLES = [
    "agencies",
    "services",
    "teams",
    "goals",
    "headcount",
    "charges",
    "goal_measurements",
    "survey_responses",
    "agency_access",
    "follow_ups",
    "goal_checkins",
];

/** The sample, with the long tables cut to their first 150 lines to keep each run short. */
const ORIGINAL = new Map<string, Buffer>(
    TABLES.map((t): [string, Buffer] => {
        const text = fs.readFileSync(path.join(SAMPLE, `${t}.csv`));
        let end = 0;
        for (let i = 0; i < 150 && end !== -1; i++) end = text.indexOf(10, end + 1);
        return [t, end === -1 ? text : text.subarray(0, end + 1)];
    }),
);

const TOKENS = [
    '"',
    ",",
    ";",
    "\n",
    "\r\n",
    "\r",
    "\t",
    " ",
    '""',
    ",,",
    "(1,234.50)",
    "$",
    "x",
    "-",
    "\ufeff",
    "é",
    "😀",
]
    .map((t) => Buffer.from(t))
    .concat([
        Buffer.from([0xe9]),
        Buffer.from([0xc3]),
        Buffer.from([0xff, 0xfe]),
        Buffer.from([0xe2, 0x82]),
        Buffer.from([0x80]),
        Buffer.from([0]),
    ]);

type Edit =
    | { kind: "insert"; at: number; token: number }
    | { kind: "delete"; at: number; length: number }
    | { kind: "truncate"; at: number }
    | { kind: "duplicateLine"; at: number }
    | { kind: "blankLine"; at: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
    {
        weight: 5,
        arbitrary: fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), token: fc.nat(TOKENS.length - 1) }),
    },
    {
        weight: 2,
        arbitrary: fc.record({
            kind: fc.constant("delete" as const),
            at: fc.nat(),
            length: fc.integer({ min: 1, max: 40 }),
        }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("duplicateLine" as const), at: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("blankLine" as const), at: fc.nat() }) },
);

function apply(bytes: Buffer, e: Edit): Buffer {
    const at = bytes.length === 0 ? 0 : e.at % (bytes.length + 1);
    switch (e.kind) {
        case "insert":
            return Buffer.concat([bytes.subarray(0, at), TOKENS[e.token], bytes.subarray(at)]);
        case "delete":
            return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + e.length)]);
        case "truncate":
            return bytes.subarray(0, at);
        case "duplicateLine":
        case "blankLine": {
            const start = bytes.lastIndexOf(10, at - 1) + 1;
            const stop = bytes.indexOf(10, at);
            const line =
                stop === -1
                    ? Buffer.concat([bytes.subarray(start), Buffer.from("\n")])
                    : bytes.subarray(start, stop + 1);
            return Buffer.concat([
                bytes.subarray(0, start),
                e.kind === "blankLine" ? Buffer.from("\n") : line,
                bytes.subarray(start),
            ]);
        }
    }
}

/** Rows a quote-free file must yield: non-blank lines after the first non-blank line (the header). */
function expectedRows(bytes: Buffer): number {
    const text = new TextDecoder("utf-8").decode(bytes); // strips a leading BOM, replaces bad bytes
    const lines = text.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    const nonBlank = lines.map((l) => l.replace(/\r$/, "")).filter((l) => l.split(",").some((f) => f.trim() !== ""));
    return Math.max(0, nonBlank.length - 1);
}

let work: string;
beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "validate-property-"));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

let run = 0;
it("random corruptions of the sample never crash the validator and never lose a row", async () => {
    await fc.assert(
        fc.asyncProperty(
            fc.array(
                fc.record({ table: fc.constantFrom(...TABLES), edits: fc.array(edit, { minLength: 1, maxLength: 4 }) }),
                { minLength: 1, maxLength: 3 },
            ),
            async (corruptions) => {
                const dir = path.join(work, `run-${run++}`);
                const folder = path.join(dir, "billing");
                fs.mkdirSync(folder, { recursive: true });
                const files = new Map<string, Buffer>(ORIGINAL);
                for (const c of corruptions) files.set(c.table, c.edits.reduce(apply, files.get(c.table) as Buffer));
                for (const [t, bytes] of files) fs.writeFileSync(path.join(folder, `${t}.csv`), bytes);
                const out = path.join(dir, "out");
                const report = await validateFolder({ folder, mapping: DEFAULT_MAPPING, out });
                for (const table of report.tables) {
                    expect(table.rowsRead).toBe(table.accepted + table.quarantined);
                    const bytes = files.get(table.table) as Buffer;
                    const unreadable = report.problems.some(
                        (g) => g.file === `${table.table}.csv` && (g.code === "not-text" || g.code === "empty-file"),
                    );
                    if (!unreadable && !bytes.includes(34)) expect(table.rowsRead).toBe(expectedRows(bytes));
                    expect(
                        parse(fs.readFileSync(path.join(out, `${table.table}.csv`)), { columns: true }),
                    ).toHaveLength(table.accepted);
                    const rejected = path.join(out, `${table.table}.rejected.csv`);
                    const rows = fs.existsSync(rejected)
                        ? (parse(fs.readFileSync(rejected), { relax_column_count: true, from_line: 2 }) as string[][])
                        : [];
                    expect(rows).toHaveLength(table.quarantined);
                    const lines = table.files[0]?.lines ?? 0;
                    for (const row of rows) {
                        expect(Number(row[1])).toBeGreaterThanOrEqual(2);
                        expect(Number(row[1])).toBeLessThanOrEqual(lines);
                    }
                }
                fs.rmSync(dir, { recursive: true, force: true });
            },
        ),
        { numRuns: 60 },
    );
}, 120_000);
