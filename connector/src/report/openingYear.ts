/**
 * The fiscal year the report opens on: the latest with charges in every month of the year, so
 * the statewide card opens on a whole year. Known only where the connector can read the charges
 * when it generates the project: a CSV folder on this machine whose charges are one file (the
 * default charges.csv, or the mapping's `file`) in UTF-8. A database is read only by Power BI at
 * refresh (see connector/README.md), and so is a folder of monthly files or another encoding.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Papa from "papaparse";
import { MONTHS_PER_YEAR } from "../../../src/data/rules";
import { Mapping, tableMapping } from "../mapping";
import { canonicalHeaders, headerKey } from "../reading";
import { findTable } from "../schema";
import { SourceConfig } from "../m";
import { DateParser } from "../validate/values";

const UTF8 = 65001;

/** The fiscal year (named by the calendar year it ends in) of a year and month. */
const fiscalYearOf = (year: number, month: number, startMonth: number): number =>
    startMonth !== 1 && month >= startMonth ? year + 1 : year;

/** "FY2025": the latest fiscal year with a charge in each of its months, or null if none is whole. */
export function latestCompleteFiscalYear(chargeDates: Iterable<string>, startMonth: number): string | null {
    const months = new Map<number, Set<number>>();
    for (const iso of chargeDates) {
        const year = Number(iso.slice(0, 4));
        const month = Number(iso.slice(5, 7));
        const fiscalYear = fiscalYearOf(year, month, startMonth);
        months.set(fiscalYear, (months.get(fiscalYear) ?? new Set()).add(month));
    }
    const complete = [...months].filter(([, m]) => m.size === MONTHS_PER_YEAR).map(([year]) => year);
    return complete.length > 0 ? `FY${Math.max(...complete)}` : null;
}

/** The charges' dates (ISO), read as the validator reads them; null where they cannot be read now. */
export function readableChargeDates(source: SourceConfig, mapping: Mapping): string[] | null {
    if (source.kind !== "csv") return null;
    const charges = findTable("Charges");
    const tm = source.validated ? {} : tableMapping(mapping, "charges");
    if (tm.folder || (!source.validated && mapping.encoding !== UTF8)) return null;
    const file = path.join(source.folder, tm.file ?? "charges.csv");
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return null;
    const parsed = Papa.parse<string[]>(fs.readFileSync(file, "utf8").replace(/^\uFEFF/, ""), {
        delimiter: source.validated ? "," : mapping.delimiter,
        skipEmptyLines: "greedy",
    });
    const [header, ...rows] = parsed.data;
    if (!header) return null;
    const names = source.validated ? new Map<string, string>() : canonicalHeaders(charges, mapping);
    const index = header.findIndex((h) => (names.get(headerKey(h)) ?? h.trim()).toLowerCase() === "chargeperiodstart");
    if (index < 0) return null;
    const parser = new DateParser(source.validated ? "yyyy-MM-dd" : mapping.dateFormat, mapping.culture);
    const dates: string[] = [];
    // Rows the validator would quarantine (an unreadable date) count for nothing here either.
    for (const row of rows) if (row[index] !== undefined && parser.parse(row[index]) === null) dates.push(parser.text);
    return dates;
}

/** The fiscal year to open the report's fiscal-year slicers on, or null (no default selection). */
export function openingFiscalYear(source: SourceConfig, mapping: Mapping, startMonth: number): string | null {
    const dates = readableChargeDates(source, mapping);
    return dates === null ? null : latestCompleteFiscalYear(dates, startMonth);
}
