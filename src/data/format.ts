import { valueFormatter } from "powerbi-visuals-utils-formattingutils";

export type Formatter = (value: number | null) => string;

export interface LabelFormat {
    /** The measure's own format string from the model (e.g. "\$#,0.00"). */
    formatString?: string;
    /** 0 = auto, 1 = none, 1e3, 1e6, 1e9, 1e12 (Power BI's labelDisplayUnits values). */
    displayUnits: number;
    /** Decimal places; null keeps the format string's own. */
    decimals: number | null;
    locale: string;
}

/**
 * Auto display units keep labels whole up to 99,999 ("$1,219" rather than "$1.22K", which mixes
 * "$0.97K" with "$1.1K" in one column), and scale larger values by the largest one shown.
 */
const AUTO_UNITS_FROM = 100000;
function autoUnitsFor(largestAbsValue: number): number {
    return largestAbsValue < AUTO_UNITS_FROM ? 1 : largestAbsValue;
}

/** The largest scale of display units (Power BI's K, M, bn, T) at or below a value. */
function unitScale(units: number): number {
    let scale = 1;
    for (const step of [1e3, 1e6, 1e9, 1e12]) if (units >= step) scale = step;
    return scale;
}

/**
 * One precision for a whole column of scaled labels: three significant digits for its largest
 * value, and as many decimals for every value ("$2.10M" next to "$2.33M", not "$2.1M"). Null when
 * no unit scales the values: the format string's own decimals hold.
 */
export function columnDecimals(largestAbsValue: number, units: number): number | null {
    const scale = unitScale(units);
    if (scale === 1 || !Number.isFinite(largestAbsValue)) return null;
    const scaled = largestAbsValue / scale;
    const wholeDigits = scaled >= 1 ? Math.floor(Math.log10(scaled)) + 1 : 1;
    return Math.max(0, Math.min(2, 3 - wholeDigits));
}

/**
 * A label formatter: the measure's format string in the host's locale, with the Format pane's
 * display units and decimals; without chosen decimals, scaled labels share the column's precision.
 */
export function labelFormatter(format: LabelFormat, largestAbsValue: number, blank = ""): Formatter {
    const units = format.displayUnits === 0 ? autoUnitsFor(largestAbsValue) : format.displayUnits;
    const formatter = valueFormatter.create({
        format: format.formatString,
        value: units,
        precision: format.decimals ?? columnDecimals(largestAbsValue, units) ?? undefined,
        cultureSelector: format.locale,
    });
    return (value) => (value === null || !Number.isFinite(value) ? blank : formatter.format(value));
}

/**
 * Label formatters by format string and the largest value they show, made once each: rows whose
 * values carry their own format strings (a goal's unit) share them. Display units are chosen by
 * the largest value's power of 1,000, as Power BI chooses them, so the cache stays small.
 */
export function labelFormatterCache(
    labels: Omit<LabelFormat, "formatString">,
): (formatString: string | undefined, largestAbsValue: number) => Formatter {
    const formatters = new Map<string, Formatter>();
    return (formatString, largestAbsValue) => {
        const largest = Number.isFinite(largestAbsValue) ? Math.abs(largestAbsValue) : 0;
        const scale = largest < AUTO_UNITS_FROM ? 1 : 1000 ** Math.floor(Math.log10(largest) / 3);
        const key = `${formatString ?? ""}\u001f${scale}`;
        let formatter = formatters.get(key);
        if (!formatter) formatters.set(key, (formatter = labelFormatter({ ...labels, formatString }, scale)));
        return formatter;
    };
}

/** A formatter for tooltips: the measure's format string in full, no display units. */
export function exactFormatter(formatString: string | undefined, locale: string, blank = ""): Formatter {
    const formatter = valueFormatter.create({ format: formatString, cultureSelector: locale });
    return (value) => (value === null || !Number.isFinite(value) ? blank : formatter.format(value));
}

/** A signed percent, such as "+12.3%" or "-4.0%", in the host's locale. */
export function percentChangeFormatter(locale: string, blank = ""): Formatter {
    return exactFormatter("+0.0%;-0.0%;0.0%", locale, blank);
}

/** A plain percent share, such as "23.4%". */
export function shareFormatter(locale: string, blank = ""): Formatter {
    return exactFormatter("0.0%", locale, blank);
}
