/** @jest-environment node */
/**
 * Property: canonical rows, written in a random mapping's raw format (delimiter, separators,
 * currency symbols, accounting negatives, date format, header case and spaces, renamed headers,
 * padded keys, blank lines, CRLF, a BOM), then run through `validate --out`, come back as the
 * canonical rows byte for byte. The canonical files are the corpus base plus random charge lines;
 * the raw writer and the expected files are written here, independently of the validator's code.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { parse } from "csv-parse/sync";
import { validateFolder } from "../../connector/src/validate";
import { parseMapping } from "../../connector/src/mapping";
import { sourceTables, TableDef } from "../../connector/src/schema";
import { BASE } from "./validateSupport";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

interface RawFormat {
    delimiter: string;
    decimal: string;
    thousands: string;
    symbol: string | null;
    accounting: boolean;
    dateFormat: string;
    crlf: boolean;
    bom: boolean;
    renameBilledCost: boolean;
    headerStyle: number;
}

const rawFormat: fc.Arbitrary<RawFormat> = fc
    .record({
        delimiter: fc.constantFrom(",", ";", "\t", "|"),
        // [decimal, thousands] separators: en-US, de-DE, fr-FR style, none, Swiss.
        separators: fc.constantFrom<[string, string]>([".", ","], [",", "."], [",", " "], [".", ""], [".", "'"]),
        symbol: fc.constantFrom(null, "$", "USD"),
        accounting: fc.boolean(),
        dateFormat: fc.constantFrom("yyyy-MM-dd", "MM/dd/yyyy", "dd.MM.yyyy", "d/M/yyyy", "dd-MMM-yyyy"),
        crlf: fc.boolean(),
        bom: fc.boolean(),
        renameBilledCost: fc.boolean(),
        headerStyle: fc.nat(3),
    })
    .map(({ separators: [decimal, thousands], ...rest }) => ({ ...rest, decimal, thousands }));

function quote(value: string, delimiter: string): string {
    return value.includes(delimiter) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A canonical plain decimal written with the format's separators, grouping, symbol and negative style. */
function writeNumber(canonical: string, f: RawFormat, currency: boolean): string {
    const negative = canonical.startsWith("-");
    const [integer, fraction] = canonical.replace(/^-/, "").split(".");
    const grouped = f.thousands ? integer.replace(/\B(?=(\d{3})+(?!\d))/g, f.thousands) : integer;
    let text = fraction !== undefined ? `${grouped}${f.decimal}${fraction}` : grouped;
    if (currency && f.symbol) text = f.symbol === "$" ? `$${text}` : `${text} ${f.symbol}`;
    if (!negative) return text;
    return currency && f.accounting ? `(${text})` : `-${text}`;
}

function writeDate(iso: string, format: string): string {
    const [y, m, d] = iso.split("-");
    return format
        .replace("yyyy", y)
        .replace("MMM", MONTHS[Number(m) - 1])
        .replace("MM", m)
        .replace("dd", d)
        .replace(/\bM\b/, String(Number(m)))
        .replace(/\bd\b/, String(Number(d)));
}

function headerName(name: string, style: number): string {
    return [name, name.toLowerCase(), ` ${name.toUpperCase()} `, `  ${name}`][style];
}

/** The base tables as canonical records, by input table. */
const BASE_ROWS = new Map(
    sourceTables().map((t) => [
        t.source as string,
        parse(fs.readFileSync(path.join(BASE, `${t.source}.csv`)), { columns: true }) as Record<string, string>[],
    ]),
);

const decimal = (maxInteger: number, places: number): fc.Arbitrary<string> =>
    fc.tuple(fc.boolean(), fc.integer({ min: 0, max: maxInteger }), fc.nat(10 ** places - 1)).map(([neg, i, f]) => {
        const text = places > 0 ? `${i}.${String(f).padStart(places, "0")}` : String(i);
        return neg && !/^0(\.0+)?$/.test(text) ? `-${text}` : text;
    });

const chargeRow = fc.record({
    InvoiceId: fc.stringMatching(/^INV-[A-Za-z0-9 ,";|-]{1,12}[A-Za-z0-9]$/),
    ChargePeriodStart: fc
        .record({
            y: fc.integer({ min: 2000, max: 2030 }),
            m: fc.integer({ min: 1, max: 12 }),
            d: fc.integer({ min: 1, max: 28 }),
        })
        .map(({ y, m, d }) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`),
    SubAccountId: fc.constantFrom("AG01", "AG02", "AG03"),
    ServiceName: fc.constantFrom("Email and Calendar", "Managed Network", "Backup and Recovery"),
    ChargeCategory: fc.constantFrom("Usage", "Credit", "Tax", ""),
    PricingQuantity: decimal(100000, 1),
    PricingUnit: fc.constantFrom("User-Month", "TB-Month", ""),
    BilledCost: decimal(99_999_999, 2),
    EffectiveCost: fc.oneof(decimal(1_000_000, 2), fc.constant("")),
    padKey: fc.boolean(),
});

function writeTable(table: TableDef, rows: Record<string, string>[], f: RawFormat, pad: boolean[]): string {
    const eol = f.crlf ? "\r\n" : "\n";
    const names = table.columns.map((c) =>
        table.source === "charges" && c.source === "BilledCost" && f.renameBilledCost ? "Amount" : c.source,
    );
    const lines = [names.map((n) => quote(headerName(n, f.headerStyle), f.delimiter)).join(f.delimiter)];
    rows.forEach((row, r) => {
        const fields = table.columns.map((c) => {
            const value = row[c.source] ?? "";
            if (value === "") return "";
            if (c.kind === "date") return writeDate(value, f.dateFormat);
            if (c.kind === "number" || c.kind === "currency" || c.kind === "int")
                return quote(writeNumber(value, f, c.kind === "currency"), f.delimiter);
            const padded =
                pad[r] && table.source === "charges" && (c.source === "SubAccountId" || c.source === "ServiceName")
                    ? `  ${value} `
                    : value;
            return quote(padded, f.delimiter);
        });
        lines.push(fields.join(f.delimiter));
        if (r % 3 === 1) lines.push(f.delimiter.repeat(table.columns.length - 1)); // a blank line of delimiters
    });
    return `${f.bom ? "\ufeff" : ""}${lines.join(eol)}${eol}`;
}

/** The expected clean file: the schema's names and order, canonical values, LF, comma, quotes only where needed. */
function canonicalFile(table: TableDef, rows: Record<string, string>[]): string {
    const lines = [table.columns.map((c) => c.source).join(",")];
    for (const row of rows) lines.push(table.columns.map((c) => quote(row[c.source] ?? "", ",")).join(","));
    return `${lines.join("\n")}\n`;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "validate-roundtrip-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe("validate --out gives back canonical rows written in any mapping's raw format", () => {
    it("byte for byte, for every table", async () => {
        let run = 0;
        await fc.assert(
            fc.asyncProperty(rawFormat, fc.array(chargeRow, { minLength: 1, maxLength: 30 }), async (f, charges) => {
                const dir = path.join(work, `run-${run++}`);
                const folder = path.join(dir, "exports");
                fs.mkdirSync(folder, { recursive: true });
                const tables = new Map(BASE_ROWS);
                tables.set(
                    "charges",
                    charges.map(({ padKey: _pad, ...row }) => row),
                );
                for (const table of sourceTables()) {
                    const rows = tables.get(table.source as string) ?? [];
                    const pad = table.source === "charges" ? charges.map((c) => c.padKey) : rows.map(() => false);
                    fs.writeFileSync(path.join(folder, `${table.source}.csv`), writeTable(table, rows, f, pad));
                }
                const mapping = parseMapping({
                    delimiter: f.delimiter,
                    decimalSeparator: f.decimal,
                    thousandsSeparator: f.thousands,
                    dateFormat: f.dateFormat,
                    ...(f.symbol ? { currencySymbols: [f.symbol] } : {}),
                    accountingNegatives: f.accounting,
                    ...(f.renameBilledCost ? { tables: { charges: { columns: { Amount: "BilledCost" } } } } : {}),
                });
                const out = path.join(dir, "clean");
                const report = await validateFolder({ folder, mapping, out });
                expect(report.problems.filter((g) => g.severity === "error")).toEqual([]);
                expect(report.totals.quarantined).toBe(0);
                for (const table of sourceTables())
                    expect(fs.readFileSync(path.join(out, `${table.source}.csv`), "utf8")).toBe(
                        canonicalFile(table, tables.get(table.source as string) ?? []),
                    );
                fs.rmSync(dir, { recursive: true, force: true });
            }),
            { numRuns: 40, seed: 15 },
        );
    }, 120_000);
});
