/**
 * Value parsers for the validator: decimals, whole numbers and dates as the mapping file says the
 * state writes them. Each returns the value in the clean CSV's invariant form (a plain decimal
 * with "." and a leading "-", ISO yyyy-MM-dd dates) or, when it does not parse, why not in plain
 * words. Built once per run; the hot path (about ten calls a row) is a regex test.
 */
import { Mapping } from "../mapping";

export interface NumberFormat {
    decimalSeparator: string;
    /** "" when the state writes no grouping. */
    thousandsSeparator: string;
    /** Symbols allowed around currency amounts, e.g. ["$"]; none by default. */
    currencySymbols: readonly string[];
    /** Whether "(1,234.50)" means -1234.50 in currency columns. */
    accountingNegatives: boolean;
}

/**
 * Parsers return null when the value parses (the result is then in `text` and `value`) or the
 * problem in plain words. No object per call: the validator calls them about ten million times
 * on a 1,000,000-line file.
 */
export interface ParseResult {
    text: string;
    value: number;
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The culture's separators (Intl), overridden by the mapping's own. */
export function numberFormat(mapping: Mapping): NumberFormat {
    let decimal = ".";
    let group = ",";
    try {
        const parts = new Intl.NumberFormat(mapping.culture).formatToParts(1234567.5);
        decimal = parts.find((p) => p.type === "decimal")?.value ?? decimal;
        group = parts.find((p) => p.type === "group")?.value ?? group;
    } catch {
        // An unknown culture keeps the en-US separators; the mapping may still set its own.
    }
    return {
        decimalSeparator: mapping.decimalSeparator ?? decimal,
        thousandsSeparator: mapping.thousandsSeparator ?? group,
        currencySymbols: mapping.currencySymbols ?? [],
        accountingNegatives: mapping.accountingNegatives ?? false,
    };
}

function describeSeparator(sep: string): string {
    if (sep === "") return "none";
    if (sep === " ") return "space";
    if (sep === "\u00a0" || sep === "\u202f") return "non-breaking space";
    return `"${sep}"`;
}

/**
 * Whether `raw` is digits with an optional leading minus and, when `point`, one "." between digits
 * (/^-?\d+(?:\.\d+)?$/, tested by character: on the millions of amounts a line a regex costs more).
 * At most `maxDigits` digits before the point.
 */
function isPlainNumber(raw: string, point: boolean, maxDigits: number): boolean {
    const length = raw.length;
    let i = length > 0 && raw.charCodeAt(0) === 45 ? 1 : 0;
    const start = i;
    while (i < length) {
        const c = raw.charCodeAt(i);
        if (c < 48 || c > 57) break;
        i++;
    }
    if (i === start || i - start > maxDigits) return false;
    if (i === length) return true;
    if (!point || raw.charCodeAt(i) !== 46 || i === length - 1) return false;
    for (i++; i < length; i++) {
        const c = raw.charCodeAt(i);
        if (c < 48 || c > 57) return false;
    }
    return true;
}
/** The model's Currency type (a fixed decimal number): ±922,337,203,685,477.5807. */
const CURRENCY_MAX = 922337203685477.5807;
const CURRENCY_RANGE =
    "is outside the Currency type's range of ±922,337,203,685,477.5807 (the refresh would fail on it)";
const INT64_MAX = 9223372036854775807n;

/** digits.fraction × 10^exponent as a plain decimal ("1.5", 3 -> "1500"); null beyond 400 digits. */
export function shiftDecimal(integer: string, fraction: string, exponent: number): string | null {
    if (Math.abs(exponent) > 400) return null;
    const digits = `${integer}${fraction}`;
    const point = integer.length + exponent;
    let whole: string;
    let frac: string;
    if (point <= 0) {
        whole = "0";
        frac = `${"0".repeat(-point)}${digits}`;
    } else if (point >= digits.length) {
        whole = `${digits}${"0".repeat(point - digits.length)}`;
        frac = "";
    } else {
        whole = digits.slice(0, point);
        frac = digits.slice(point);
    }
    whole = whole.replace(/^0+(?=\d)/, "");
    frac = frac.replace(/0+$/, "");
    return frac === "" ? whole : `${whole}.${frac}`;
}
const CURRENCY_LIKE = /[$€£¥₹¢]|^[A-Z]{3}\s|\s[A-Z]{3}$/;

export class NumberParser implements ParseResult {
    text = "";
    value = 0;
    private readonly grouped: RegExp;
    /** Whether the plain form (digits, "-", ".") is this format's: the decimal separator is ".". */
    private readonly pointDecimals: boolean;
    private readonly example: string;
    readonly expectation: string;
    readonly wholeExpectation: string;

    constructor(readonly format: NumberFormat) {
        const d = escapeRegex(format.decimalSeparator);
        const t = format.thousandsSeparator ? escapeRegex(format.thousandsSeparator) : null;
        const integer = t ? `(?:\\d{1,3}(?:${t}\\d{3})+|\\d+)` : "\\d+";
        // Integer part, optional fraction (".5" allowed), optional exponent when there is no grouping.
        this.grouped = new RegExp(`^(${integer}|)(?:${d}(\\d+))?(?:[eE]([+-]?\\d+))?$`);
        this.pointDecimals = format.decimalSeparator === ".";
        const grouping = format.thousandsSeparator ? `1${format.thousandsSeparator}234` : "1234";
        this.example = `${grouping}${format.decimalSeparator}50`;
        this.expectation = `a number such as ${this.example} or -${this.example} (decimal separator ${describeSeparator(format.decimalSeparator)}, thousands separator ${describeSeparator(format.thousandsSeparator)})`;
        this.wholeExpectation = `a whole number such as ${grouping}`;
    }

    /** Currency symbols and accounting negatives only when `currency` and the mapping allow them. */
    /** A decimal; `value` is only computed when `needValue` (most columns need only the clean text). */
    decimal(raw: string, currency: boolean, needValue = true): string | null {
        if (isPlainNumber(raw, this.pointDecimals, Infinity)) {
            this.text = raw;
            // Only long values can leave the Currency range (15 integer digits fit).
            if (currency && raw.length > 15 && Math.abs(Number(raw)) > CURRENCY_MAX) return CURRENCY_RANGE;
            this.value = needValue ? Number(raw) : NaN;
            return null;
        }
        let s = raw.trim();
        if (s === "") return "is empty";
        let negative = false;
        if (s.startsWith("(") && s.endsWith(")")) {
            if (!currency) return "is in parentheses (an accounting negative), which only currency columns may use";
            if (!this.format.accountingNegatives) {
                return 'is an accounting negative in parentheses, which the mapping does not allow (set "accountingNegatives": true, or export it with a minus sign)';
            }
            negative = true;
            s = s.slice(1, -1).trim();
        }
        if (s.startsWith("-") || s.startsWith("+") || s.startsWith("\u2212")) {
            if (negative) return `is not ${this.expectation}`;
            negative = s[0] !== "+";
            s = s.slice(1);
        }
        let symbol: string | undefined;
        for (const candidate of this.format.currencySymbols) {
            if (s.startsWith(candidate)) {
                symbol = candidate;
                s = s.slice(candidate.length).trim();
                break;
            }
            if (s.endsWith(candidate)) {
                symbol = candidate;
                s = s.slice(0, -candidate.length).trim();
                break;
            }
        }
        if (symbol !== undefined && !currency)
            return `has a currency symbol "${symbol}", which only currency columns may have`;
        if (symbol !== undefined && (s.startsWith("-") || s.startsWith("\u2212"))) {
            // "$-12.00": the sign after the symbol.
            if (negative) return `is not ${this.expectation}`;
            negative = true;
            s = s.slice(1);
        }
        const match = this.grouped.exec(s);
        if (!match || (match[1] === "" && match[2] === undefined)) {
            if (CURRENCY_LIKE.test(raw)) {
                return currency
                    ? 'has a currency symbol or code the mapping does not allow (add it to "currencySymbols", e.g. ["$"])'
                    : "has a currency symbol, which only currency columns may have";
            }
            return `is not ${this.expectation}`;
        }
        const integer = (match[1] || "0").split(this.format.thousandsSeparator || "\u0000").join("");
        // Plain decimals in --out, as the README promises: an exponent is shifted into the digits.
        const plain =
            match[3] !== undefined
                ? shiftDecimal(integer, match[2] ?? "", Number(match[3]))
                : match[2] !== undefined
                  ? `${integer}.${match[2]}`
                  : integer;
        if (plain === null) return "is too large a number";
        const value = Number(plain);
        if (!Number.isFinite(value)) return "is too large a number";
        if (currency && Math.abs(value) > CURRENCY_MAX) return CURRENCY_RANGE;
        this.text = negative && value !== 0 ? `-${plain}` : plain;
        this.value = negative ? -value : value;
        return null;
    }

    /** A whole number (grouping allowed, no fraction). */
    whole(raw: string): string | null {
        if (isPlainNumber(raw, false, 15)) {
            this.text = raw;
            this.value = Number(raw);
            return null;
        }
        const problem = this.decimal(raw, false);
        if (problem !== null) return problem === "is empty" ? problem : `is not ${this.wholeExpectation}`;
        if (!/^-?\d+$/.test(this.text)) return `is not ${this.wholeExpectation}`;
        // Exact digits (beyond 2^53 too), within the Int64 type of the model's whole-number columns.
        const digits = BigInt(this.text);
        if (digits > INT64_MAX || digits < -INT64_MAX - 1n)
            return "is outside the whole-number (Int64) range of ±9,223,372,036,854,775,807";
        this.text = digits.toString();
        return null;
    }
}

const MONTH_CACHE = new Map<string, { short: string[]; long: string[] }>();
function monthNames(culture: string): { short: string[]; long: string[] } {
    let names = MONTH_CACHE.get(culture);
    if (!names) {
        const make = (month: "short" | "long"): string[] => {
            const format = new Intl.DateTimeFormat(culture, { month, timeZone: "UTC" });
            return Array.from({ length: 12 }, (_, i) =>
                format
                    .format(new Date(Date.UTC(2001, i, 15)))
                    .replace(/\.$/, "")
                    .toLowerCase(),
            );
        };
        names = { short: make("short"), long: make("long") };
        MONTH_CACHE.set(culture, names);
    }
    return names;
}

export class DateFormatError extends Error {}

/** Excel's day 0: serial dates count days from 1899-12-30 (its 1900 leap-year bug included). */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/**
 * What a date that does not match the format seems to be: a US or day-first date, an ISO date,
 * a date with a time (with or without a time zone), an Excel serial number. `dateFormat` is the
 * format that reads it (null when none does: a time zone, a serial number).
 */
export interface DateLook {
    kind: "date" | "date-time" | "serial";
    /** "a US date, month first", "a date and time", "an Excel serial date, day 45474 = 2024-07-01". */
    what: string;
    dateFormat: string | null;
}

export function recogniseDate(raw: string): DateLook | null {
    const t = raw.trim();
    let m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?: (\d{1,2}):\d{2}(:\d{2})?)?$/.exec(t);
    if (m) {
        const [first, sep, second] = [Number(m[1]), m[2], Number(m[3])];
        const time =
            m[5] === undefined ? "" : ` ${m[5].length === 1 ? "H" : "HH"}:mm${m[6] !== undefined ? ":ss" : ""}`;
        const width = (a: string, b: string): string =>
            `${m![1].length === 1 ? a : a + a}${sep}${m![3].length === 1 ? b : b + b}${sep}yyyy${time}`;
        const date = (dateFormat: string, what: string): DateLook => ({ kind: "date", what, dateFormat });
        if (first > 12 && second <= 12) return date(width("d", "M"), "a day-first date");
        if (sep === "/") return date(width("M", "d"), "a US date, month first");
        return date(width("d", "M"), "a day-first date");
    }
    if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return { kind: "date", what: "an ISO date", dateFormat: "yyyy-MM-dd" };
    m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
    if (m)
        return m[7] !== undefined
            ? { kind: "date-time", what: "a date and time with a time zone", dateFormat: null }
            : {
                  kind: "date-time",
                  what: "a date and time",
                  dateFormat: `yyyy-MM-dd${t[10] === "T" ? "'T'" : " "}HH:mm${m[6] !== undefined ? ":ss" : ""}`,
              };
    m = /^(\d{5})(?:\.\d+)?$/.exec(t);
    if (m && Number(m[1]) >= 10000 && Number(m[1]) <= 109574) {
        const day = new Date(EXCEL_EPOCH + Number(m[1]) * 86_400_000).toISOString().slice(0, 10);
        return { kind: "serial", what: `an Excel serial date, day ${m[1]} = ${day}`, dateFormat: null };
    }
    return null;
}

/** The fix a date message names for what the date looks like ("" when there is none): the mapping file's for CSV exports. */
export type DateFix = (look: DateLook) => string;

export const MAPPING_DATE_FIX: DateFix = (look) => {
    if (look.kind === "serial")
        return `it looks like ${look.what}: format the column as a date, yyyy-MM-dd, before exporting`;
    if (look.kind === "date-time")
        return `it is ${look.what}: export the date alone, yyyy-MM-dd${look.dateFormat ? `, or set "dateFormat": "${look.dateFormat}" in the mapping file` : ""}`;
    return `it looks like ${look.what}: set "dateFormat": "${look.dateFormat}" in the mapping file`;
};

/**
 * What a date that does not match the format seems to be, with the fix: a dateFormat for US or
 * day-first dates, an Excel serial number, a date with a time. "" when nothing fits, or when the
 * format that reads it is the one given.
 */
export function dateSuggestion(raw: string, format: string, fix: DateFix = MAPPING_DATE_FIX): string {
    const look = recogniseDate(raw);
    if (!look || (look.kind === "date" && look.dateFormat === format)) return "";
    const text = fix(look);
    return text ? ` (${text})` : "";
}

type Part = "year4" | "year2" | "month" | "monthShort" | "monthLong" | "day" | "ignore";

/**
 * A .NET-style date format ("yyyy-MM-dd", "MM/dd/yyyy", "d.M.yyyy", "dd-MMM-yyyy") compiled to a
 * regex. Time tokens (HH, mm, ss, tt) are accepted and ignored, as Date.FromText would.
 */
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (year: number, month: number): number =>
    month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : DAYS[month - 1];

/** The number written in raw[start, end), or -1 when a character is not a digit. */
function digits(raw: string, start: number, end: number): number {
    let n = 0;
    for (let i = start; i < end; i++) {
        const c = raw.charCodeAt(i) - 48;
        if (c < 0 || c > 9) return -1;
        n = n * 10 + c;
    }
    return n;
}

/** Year * 12 + month of a date value from DateParser (its values are year * 372 + month * 31 + day). */
export const monthOf = (value: number): number => Math.floor((value - 1) / 31);

export class DateParser implements ParseResult {
    text = "";
    value = 0;
    private readonly iso: boolean;
    private readonly regex: RegExp;
    private readonly parts: Part[] = [];
    private readonly months: { short: string[]; long: string[] };
    readonly expectation: string;

    constructor(
        readonly format: string,
        culture: string,
        /** How a message names the fix for a date written another way (the mapping file's, for CSV exports). */
        private readonly fix: DateFix = MAPPING_DATE_FIX,
    ) {
        let culturalNames: { short: string[]; long: string[] };
        try {
            culturalNames = monthNames(culture);
        } catch {
            culturalNames = monthNames("en-US");
        }
        this.months = culturalNames;
        const tokens: [RegExp, Part, string][] = [
            [/^yyyy/, "year4", "(\\d{4})"],
            [/^yy/, "year2", "(\\d{2})"],
            [/^MMMM/, "monthLong", "([^\\d\\s.,/-]+)"],
            [/^MMM/, "monthShort", "([^\\d\\s.,/-]+)\\.?"],
            [/^MM/, "month", "(\\d{2})"],
            [/^M/, "month", "(\\d{1,2})"],
            [/^dd/, "day", "(\\d{2})"],
            [/^d/, "day", "(\\d{1,2})"],
            [/^(HH|hh)/, "ignore", "(\\d{2})"],
            [/^(H|h)/, "ignore", "(\\d{1,2})"],
            [/^mm/, "ignore", "(\\d{2})"],
            [/^ss/, "ignore", "(\\d{2})"],
            [/^f{1,7}/, "ignore", "(\\d+)"],
            [/^tt/, "ignore", "([AaPp][Mm])"],
        ];
        let rest = format;
        let pattern = "^";
        while (rest.length > 0) {
            const token = tokens.find(([re]) => re.test(rest));
            if (token) {
                const length = (token[0].exec(rest) as RegExpExecArray)[0].length;
                pattern += token[2];
                this.parts.push(token[1]);
                rest = rest.slice(length);
                continue;
            }
            if (rest[0] === "'" || rest[0] === '"') {
                const end = rest.indexOf(rest[0], 1);
                if (end < 0) throw new DateFormatError(`dateFormat "${format}" has an unclosed quote`);
                pattern += escapeRegex(rest.slice(1, end));
                rest = rest.slice(end + 1);
                continue;
            }
            if (/^[a-zA-Z]/.test(rest))
                throw new DateFormatError(
                    `dateFormat "${format}" uses "${rest[0]}", which the validator does not understand (use yyyy, yy, MMMM, MMM, MM, M, dd, d and separators)`,
                );
            pattern += escapeRegex(rest[0]);
            rest = rest.slice(1);
        }
        const has = (p: Part[]): boolean => this.parts.some((x) => p.includes(x));
        if (!has(["year4", "year2"]) || !has(["month", "monthShort", "monthLong"]) || !has(["day"])) {
            throw new DateFormatError(`dateFormat "${format}" needs a year, a month and a day`);
        }
        this.regex = new RegExp(`${pattern}$`, "i");
        this.iso = format === "yyyy-MM-dd";
        this.expectation = `a date written ${format}`;
    }

    parse(raw: string): string | null {
        if (this.iso && raw.length === 10 && raw.charCodeAt(4) === 45 && raw.charCodeAt(7) === 45) {
            // yyyy-MM-dd, the default: digits read in place, the value kept as it is.
            const year = digits(raw, 0, 4);
            const month = digits(raw, 5, 7);
            const day = digits(raw, 8, 10);
            if (year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month)) {
                this.text = raw;
                this.value = year * 372 + month * 31 + day;
                return null;
            }
        }
        const match = this.regex.exec(raw) ?? this.regex.exec(raw.trim());
        if (!match)
            return raw.trim() === ""
                ? "is empty"
                : `is not ${this.expectation}${dateSuggestion(raw, this.format, this.fix)}`;
        let year = 0;
        let month = 0;
        let day = 0;
        for (let i = 0; i < this.parts.length; i++) {
            const text = match[i + 1];
            switch (this.parts[i]) {
                case "year4":
                    year = Number(text);
                    break;
                case "year2":
                    year = Number(text) + (Number(text) < 50 ? 2000 : 1900);
                    break;
                case "month":
                    month = Number(text);
                    break;
                case "monthShort":
                    month = this.months.short.indexOf(text.toLowerCase()) + 1;
                    break;
                case "monthLong":
                    month = this.months.long.indexOf(text.toLowerCase()) + 1;
                    break;
                case "day":
                    day = Number(text);
                    break;
                default:
                    break;
            }
        }
        if (month < 1 || month > 12)
            return `has no month ${month === 0 ? "name it knows" : month} (expected ${this.expectation})${dateSuggestion(raw, this.format, this.fix)}`;
        if (year < 1) return `is not a real date (years run from 0001 to 9999)`;
        const days = daysIn(year, month);
        if (day < 1 || day > days)
            return `is not a real date (${year}-${String(month).padStart(2, "0")} has ${days} days)`;
        this.text = `${String(year).padStart(4, "0")}-${month < 10 ? "0" : ""}${month}-${day < 10 ? "0" : ""}${day}`;
        // An ordering key (not a day count): compares dates, never shown.
        this.value = year * 372 + month * 31 + day;
        return null;
    }
}
