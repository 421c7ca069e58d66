/** @jest-environment node */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_MAPPING, parseMapping } from "../../connector/src/mapping";
import { latestCompleteFiscalYear, openingFiscalYear } from "../../connector/src/report/openingYear";

/** The first of each month from `from` (yyyy-MM) for `count` months. */
function months(from: string, count: number): string[] {
    const [year, month] = from.split("-").map(Number);
    return Array.from({ length: count }, (_, i) => {
        const m = month - 1 + i;
        return `${year + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}-01`;
    });
}

describe("the fiscal year the report opens on", () => {
    it.each([
        // July 2023 to November 2025 with a July start: FY2024 and FY2025 whole, FY2026 5 of 12 months.
        ["a year in progress after two whole years", months("2023-07", 29), 7, "FY2025"],
        // January start: 2024 whole, 2025 to March.
        ["a January start", months("2024-01", 15), 1, "FY2024"],
        // August 2024 to July 2025: FY2025 lacks July 2024, FY2026 has only July 2025.
        ["no whole fiscal year", months("2024-08", 12), 7, null],
        // A month missing in the middle of FY2025 (January 2025), FY2024 whole.
        ["a month missing", months("2023-07", 24).filter((d) => d !== "2025-01-01"), 7, "FY2024"],
        ["no charges", [], 7, null],
    ])("%s", (_case, dates, startMonth, expected) => {
        expect(latestCompleteFiscalYear(dates as string[], startMonth as number)).toBe(expected);
    });

    let dir: string;
    beforeAll(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "opening-"));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("reads a CSV charges file as the mapping says (renamed column, day-first dates, semicolons)", () => {
        const rows = months("2023-07", 13).map((iso) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)};10`);
        fs.writeFileSync(path.join(dir, "bills.csv"), ["\uFEFFBill Month;Amount", ...rows, "not a date;1"].join("\n"));
        const mapping = parseMapping({
            dateFormat: "dd/MM/yyyy",
            delimiter: ";",
            tables: { charges: { file: "bills.csv", columns: { "Bill Month": "ChargePeriodStart" } } },
        });
        // July 2023 to July 2024: FY2024 whole.
        expect(openingFiscalYear({ kind: "csv", folder: dir }, mapping, 7)).toBe("FY2024");
    });

    it("opens on no year where the charges cannot be read at generation time", () => {
        expect(openingFiscalYear({ kind: "postgres", server: "pg01", database: "billing" }, DEFAULT_MAPPING, 7)).toBe(
            null,
        );
        expect(openingFiscalYear({ kind: "sqlserver", server: "sql01", database: "Billing" }, DEFAULT_MAPPING, 7)).toBe(
            null,
        );
        // A folder that is not on this machine.
        expect(openingFiscalYear({ kind: "csv", folder: path.join(dir, "absent") }, DEFAULT_MAPPING, 7)).toBe(null);
        const monthly = parseMapping({ tables: { charges: { folder: "monthly" } } });
        expect(openingFiscalYear({ kind: "csv", folder: dir }, monthly, 7)).toBe(null);
    });
});
