/** @jest-environment node */
/**
 * One reading of each raw value: a table of raw values and lines, each with a mapping, the
 * validator's decision, and what the generated Power Query M does with it, read from the
 * generated expression (its culture, type and steps). For numbers the M steps are evaluated on
 * the raw value by a small interpreter of the few M text functions they use (Power Query itself
 * cannot run here), so a test fails when the validator accepts a value the M would read otherwise.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseMapping, Mapping } from "../../connector/src/mapping";
import { tablePartition } from "../../connector/src/m";
import { findTable } from "../../connector/src/schema";
import { validateFolder } from "../../connector/src/validate";
import { NumberParser, numberFormat, DateParser } from "../../connector/src/validate/values";
import { BASE } from "./validateSupport";

const charges = findTable("Charges");
const partition = (mapping: Mapping): string =>
    tablePartition(charges, { kind: "csv", folder: "C:\\billing" }, mapping);

/** The step `name = ...` of a let expression (one step per line, as the generator writes them). */
function step(m: string, name: string): string {
    const line = m.split("\n").find((l) => l.trimStart().startsWith(`${name} = `));
    if (!line) throw new Error(`no step ${name} in\n${m}`);
    return line
        .trim()
        .replace(/,$/, "")
        .slice(name.length + 3);
}

const M_STRING = /"((?:[^"]|"")*)"/g;
const unquote = (s: string): string => s.slice(1, -1).replace(/""/g, '"');

/** Evaluates the generated ReadNumber function on a raw text: Text.Trim/Replace/StartsWith/EndsWith/Middle, Number.FromText "en-US". */
function evaluateReadNumber(fn: string, raw: string): number {
    const body = /=> let (.*) in (.*)$/.exec(fn);
    if (!body) throw new Error(`unexpected ReadNumber: ${fn}`);
    const env = new Map<string, unknown>([["raw", raw]]);
    const value = (expr: string): unknown => {
        expr = expr.trim();
        let m: RegExpExecArray | null;
        if (/^"/.test(expr)) return unquote(expr);
        if (/^[A-Za-z]+$/.test(expr)) return env.get(expr);
        if ((m = /^Text\.Trim\((.*)\)$/.exec(expr))) return (value(m[1]) as string).trim();
        if ((m = /^-(\w+)$/.exec(expr))) return -(env.get(m[1]) as number);
        if ((m = /^if (\w+) then (.*) else (.*)$/.exec(expr))) return env.get(m[1]) ? value(m[2]) : value(m[3]);
        if ((m = /^Text\.StartsWith\((\w+), "(.*)"\) and Text\.EndsWith\((\w+), "(.*)"\)$/.exec(expr))) {
            const t = env.get(m[1]) as string;
            return t.startsWith(m[2]) && t.endsWith(m[4]);
        }
        if ((m = /^Text\.Middle\((\w+), 1, Text\.Length\((\w+)\) - 2\)$/.exec(expr))) {
            const t = env.get(m[1]) as string;
            return t.slice(1, t.length - 1);
        }
        if (
            (m = /^List\.Accumulate\(\{(.*)\}, (\w+), \(text, symbol\) => Text\.Replace\(text, symbol, ""\)\)$/.exec(
                expr,
            ))
        ) {
            const symbols = (m[1].match(M_STRING) ?? []).map(unquote);
            return symbols.reduce((t, sym) => t.split(sym).join(""), env.get(m[2]) as string);
        }
        if ((m = /^Number\.FromText\((.*), "en-US"\)$/.exec(expr))) {
            const text = value(m[1]) as string;
            // Power Query's invariant number reading: sign, digits, one point, an exponent.
            if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text))
                throw new Error(`Number.FromText fails on ${text}`);
            return Number(text);
        }
        if ((m = /^Text\.Replace\((.*), ("(?:[^"]|"")*"), ("(?:[^"]|"")*")\)$/.exec(expr)))
            return (value(m[1]) as string).split(unquote(m[2])).join(unquote(m[3]));
        throw new Error(`the test's M interpreter does not know: ${expr}`);
    };
    // Steps are separated by ", " followed by a step name and " = ".
    for (const s of body[1].split(/, (?=[A-Z][A-Za-z]* = )/)) {
        const at = s.indexOf(" = ");
        env.set(s.slice(0, at), value(s.slice(at + 3)));
    }
    return value(body[2]) as number;
}

/** The M type a column ends with, from the Typed step. */
function mType(m: string, column: string): string {
    const typed = step(m, "Typed");
    const found = new RegExp(`\\{"${column}", ([^}]+)\\}`).exec(typed);
    return found ? found[1] : "(not typed)";
}

interface NumberCase {
    raw: string;
    mapping: object;
    column: "BilledCost" | "PricingQuantity";
    /** The validator: its canonical text, or a phrase of its message. */
    validator: { accepts: string } | { rejects: string };
}

const NUMBER_CASES: NumberCase[] = [
    {
        raw: "414,88",
        mapping: { decimalSeparator: ",", thousandsSeparator: "." },
        column: "BilledCost",
        validator: { accepts: "414.88" },
    },
    { raw: "1.234,50", mapping: { culture: "de-DE" }, column: "BilledCost", validator: { accepts: "1234.50" } },
    {
        raw: "1 234,50",
        mapping: { culture: "en-US", decimalSeparator: ",", thousandsSeparator: " " },
        column: "BilledCost",
        validator: { accepts: "1234.50" },
    },
    { raw: "$1,234.50", mapping: { currencySymbols: ["$"] }, column: "BilledCost", validator: { accepts: "1234.50" } },
    {
        raw: "($1,234.50)",
        mapping: { currencySymbols: ["$"], accountingNegatives: true },
        column: "BilledCost",
        validator: { accepts: "-1234.50" },
    },
    { raw: "-$3", mapping: { currencySymbols: ["$"] }, column: "BilledCost", validator: { accepts: "-3" } },
    { raw: "12 USD", mapping: { currencySymbols: ["USD"] }, column: "BilledCost", validator: { accepts: "12" } },
    { raw: " 12.5 ", mapping: {}, column: "PricingQuantity", validator: { accepts: "12.5" } },
    { raw: "\u22127.25", mapping: {}, column: "BilledCost", validator: { accepts: "-7.25" } },
    { raw: "1.5e3", mapping: {}, column: "PricingQuantity", validator: { accepts: "1500" } },
    { raw: "2.5E-3", mapping: {}, column: "PricingQuantity", validator: { accepts: "0.0025" } },
    { raw: "1E+16", mapping: {}, column: "BilledCost", validator: { rejects: "outside the Currency type's range" } },
    {
        raw: "-922337203685478",
        mapping: {},
        column: "BilledCost",
        validator: { rejects: "outside the Currency type's range" },
    },
    { raw: "922337203685477", mapping: {}, column: "BilledCost", validator: { accepts: "922337203685477" } },
    { raw: "- 5", mapping: {}, column: "BilledCost", validator: { rejects: "is not a number" } },
    { raw: "$5", mapping: {}, column: "BilledCost", validator: { rejects: "currency symbol" } },
    { raw: "(5)", mapping: {}, column: "BilledCost", validator: { rejects: "accounting negative" } },
    { raw: "414,88", mapping: {}, column: "BilledCost", validator: { rejects: "is not a number" } },
];

describe("numbers: the validator and the generated M read each value alike", () => {
    it.each(NUMBER_CASES)("$raw with $mapping in $column", ({ raw, mapping, column, validator }) => {
        const parsed = parseMapping(mapping);
        const parser = new NumberParser(numberFormat(parsed));
        const problem = parser.decimal(raw, column === "BilledCost");
        const m = partition(parsed);
        // The M reads the column with ReadNumber (then types it), whatever the culture.
        expect(step(m, "Numbers")).toContain(
            `{"${column}", each if _ = null then null else ReadNumber(_), type number}`,
        );
        expect(mType(m, column)).toBe(column === "BilledCost" ? "Currency.Type" : "type number");
        if ("accepts" in validator) {
            expect(problem).toBeNull();
            expect(parser.text).toBe(validator.accepts);
            expect(evaluateReadNumber(step(m, "ReadNumber"), raw)).toBe(Number(validator.accepts));
        } else {
            expect(problem).toContain(validator.rejects);
        }
    });

    it("every number option of the mapping reaches the M (each changes ReadNumber)", () => {
        const base = step(partition(parseMapping({})), "ReadNumber");
        for (const option of [
            { decimalSeparator: ",", thousandsSeparator: "." },
            { thousandsSeparator: "" },
            { currencySymbols: ["$"] },
            { accountingNegatives: true },
            { culture: "de-DE" },
        ])
            expect(step(partition(parseMapping(option)), "ReadNumber")).not.toBe(base);
    });
});

interface DateCase {
    raw: string;
    dateFormat?: string;
    culture?: string;
    validator: { accepts: string } | { rejects: string };
}

const DATE_CASES: DateCase[] = [
    { raw: "2024-07-01", validator: { accepts: "2024-07-01" } },
    { raw: " 2024-07-01 ", validator: { accepts: "2024-07-01" } },
    { raw: "07/01/2024", dateFormat: "MM/dd/yyyy", validator: { accepts: "2024-07-01" } },
    { raw: "1.7.2024", dateFormat: "d.M.yyyy", culture: "de-DE", validator: { accepts: "2024-07-01" } },
    { raw: "01-Jul-2024", dateFormat: "dd-MMM-yyyy", validator: { accepts: "2024-07-01" } },
    { raw: "0000-01-01", validator: { rejects: "years run from 0001" } },
    { raw: "2024-02-30", validator: { rejects: "is not a real date" } },
];

describe("dates: the validator and the generated M use the same format and culture", () => {
    it.each(DATE_CASES)("$raw as $dateFormat", ({ raw, dateFormat, culture, validator }) => {
        const parsed = parseMapping({ ...(dateFormat ? { dateFormat } : {}), ...(culture ? { culture } : {}) });
        const parser = new DateParser(parsed.dateFormat, parsed.culture);
        const problem = parser.parse(raw);
        const m = partition(parsed);
        expect(step(m, "Dates")).toContain(
            `{"ChargePeriodStart", each if _ = null then null else Date.FromText(Text.Trim(_), [Format = "${parsed.dateFormat}", Culture = "${parsed.culture}"]), type date}`,
        );
        if ("accepts" in validator) {
            expect(problem).toBeNull();
            expect(parser.text).toBe(validator.accepts);
        } else {
            expect(problem).toContain(validator.rejects);
        }
    });
});

describe("keys, headers and blank lines: both readers treat them alike", () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "reading-"));
    afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

    it("trims keys and the columns that refer to them, in the M and in --out", async () => {
        const m = partition(parseMapping({}));
        expect(step(m, "Keys")).toBe(
            'Table.TransformColumns(Blanks, {{"SubAccountId", Text.Trim, type text}, {"ServiceName", Text.Trim, type text}})',
        );
        const folder = path.join(work, "keys");
        fs.cpSync(BASE, folder, { recursive: true });
        const file = path.join(folder, "charges.csv");
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(",AG03,", ", AG03 ,"));
        const out = path.join(work, "keys-out");
        const report = await validateFolder({ folder, mapping: parseMapping({}), out });
        expect(report.exitCode).toBe(0);
        expect(fs.readFileSync(path.join(out, "charges.csv"), "utf8")).toBe(
            fs.readFileSync(path.join(BASE, "charges.csv"), "utf8"),
        );
    });

    it("matches headers ignoring case and surrounding spaces, after the mapping's renames, and renames them to the schema's", () => {
        const m = partition(parseMapping({ tables: { charges: { columns: { " Amount ": "BilledCost" } } } }));
        expect(step(m, "Canonical")).toContain('#"amount" = "BilledCost"');
        expect(step(m, "Canonical")).toContain('#"billedcost" = "BilledCost"');
        expect(step(m, "ReadFile")).toContain(
            "Table.TransformColumnNames(Promoted, each Record.FieldOrDefault(Canonical, Text.Lower(Text.Trim(_)), _))",
        );
    });

    it("skips lines whose fields are all empty or spaces, before the header too", () => {
        const readFile = step(partition(parseMapping({})), "ReadFile");
        expect(readFile).toContain(
            'NonBlank = Table.SelectRows(Lines, each not List.MatchesAll(Record.FieldValues(_), each _ = null or Text.Trim(_) = "")), Promoted = Table.PromoteHeaders(NonBlank',
        );
    });

    it("reads a validate --out folder with a strict, simple M: UTF-8, comma, ISO dates, no renames", () => {
        const m = tablePartition(
            charges,
            { kind: "csv", folder: "C:\\clean", validated: true },
            parseMapping({ delimiter: ";", dateFormat: "MM/dd/yyyy", decimalSeparator: "," }),
        );
        expect(step(m, "Source")).toBe(
            'Csv.Document(File.Contents(Text.TrimEnd(SourceFolder, {"\\", "/"}) & "\\charges.csv"), [Delimiter = ",", Encoding = 65001, QuoteStyle = QuoteStyle.Csv])',
        );
        expect(m).not.toContain("ReadNumber");
        expect(m).not.toContain("Canonical");
        expect(step(m, "Dates")).toContain('[Format = "yyyy-MM-dd", Culture = "en-US"]');
        expect(mType(m, "BilledCost")).toBe("Currency.Type");
        expect(step(m, "Typed")).toMatch(/, "en-US"\)$/);
    });
});
