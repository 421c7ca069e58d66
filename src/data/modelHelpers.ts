import powerbi from "powerbi-visuals-api";
import { exactFormatter, Formatter } from "./format";
import PrimitiveValue = powerbi.PrimitiveValue;

/**
 * Helpers every model uses: localized templates, dates as hosts send them, and formatters that
 * format each value once.
 */

/** Fills "{0}", "{1}"... in a localized template. */
export function fill(template: string, ...values: (string | number)[]): string {
    return template.replace(/\{(\d)\}/g, (match, index: string) => {
        const value = values[Number(index)];
        return value === undefined ? match : String(value);
    });
}

/** "A, B, C" or, past `shown` names, "A, B, C and 4 more" (the template fills in the count). */
export function nameList(names: readonly string[], andMore: string, shown = 3): string {
    const listed = names.slice(0, shown).join(", ");
    return names.length > shown ? `${listed} ${fill(andMore, names.length - shown)}` : listed;
}

const DAY = 86_400_000;

/**
 * A date from a date role: a Date, an ISO string or epoch milliseconds, as hosts send them.
 * An ISO date without a time is that day at local midnight. Anything else is no date.
 */
export function toDate(value: PrimitiveValue | undefined | null): Date | null {
    let date: Date | null = null;
    if (value instanceof Date) date = new Date(value.getTime());
    else if (typeof value === "number" && Number.isFinite(value)) date = new Date(value);
    else if (typeof value === "string") {
        const text = value.trim();
        const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
        if (dateOnly) {
            const [year, month, day] = [Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3])];
            date = new Date(year, month, day);
            if (date.getMonth() !== month || date.getDate() !== day) date = null; // 2026-02-30 is no date
        } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) date = new Date(text);
    }
    return date && !Number.isNaN(date.getTime()) ? date : null;
}

/**
 * toDate, reading each distinct date, text or number once: a goal register repeats a few start
 * and due dates over 30,000 rows. Equal values give the same Date object, so it is read, never changed.
 */
export function memoDates(limit = 10000): (value: PrimitiveValue | undefined | null) => Date | null {
    const read = new Map<string | number, Date | null>();
    return (value) => {
        // A Date is read as its time, as epoch milliseconds are.
        const key = value instanceof Date ? value.getTime() : value;
        if (typeof key !== "string" && typeof key !== "number") return toDate(value);
        let date = read.get(key);
        if (date === undefined) {
            date = toDate(key);
            if (read.size < limit) read.set(key, date);
        }
        return date;
    };
}

export function startOfDay(date: Date): Date {
    return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

/** Whole calendar days from a to b (negative when b is earlier); DST days count as one. */
export function daysBetween(a: Date, b: Date): number {
    return Math.round((startOfDay(b).getTime() - startOfDay(a).getTime()) / DAY);
}

const intlObjects = new Map<string, unknown>();

/**
 * An Intl formatter made once per locale and options and kept: making one costs a good part of a
 * millisecond, a fixed cost of every update otherwise. `key` names the locale and options.
 */
export function sharedIntl<T>(key: string, make: () => T): T {
    let made = intlObjects.get(key) as T | undefined;
    if (made === undefined) {
        made = make();
        intlObjects.set(key, made);
    }
    return made;
}

/** How every view sorts names: numbers in names by value ("Agency 9" before "Agency 10"), case and accents alike. */
export function nameCollator(locale: string): Intl.Collator {
    return sharedIntl(`collator ${locale}`, () => new Intl.Collator(locale, { numeric: true, sensitivity: "base" }));
}

/** A formatter that formats each value once: ratings, counts, targets and shares repeat across rows. */
export function memoFormatter(format: Formatter, limit = 10000): Formatter {
    const done = new Map<number | null, string>();
    return (value) => {
        let text = done.get(value);
        if (text === undefined) {
            text = format(value);
            if (done.size < limit) done.set(value, text);
        }
        return text;
    };
}

/** One memoized exact formatter per format string, for measures whose rows carry their own format strings. */
export function formatterCache(locale: string): (format: string | undefined) => Formatter {
    const formatters = new Map<string, Formatter>();
    return (format) => {
        const cacheKey = format ?? "";
        let formatter = formatters.get(cacheKey);
        if (!formatter) {
            formatter = memoFormatter(exactFormatter(format, locale));
            formatters.set(cacheKey, formatter);
        }
        return formatter;
    };
}

/** The radix sort's digits: 11, 11 and 10 bits of a 32-bit word. */
const DIGIT_BITS = 11;
const DIGIT_MASK = (1 << DIGIT_BITS) - 1;

/**
 * Indices of `values` largest first, in linear time: a radix sort of the numbers' bits (a
 * comparison sort of 30,000 agencies calls its comparator some 450,000 times). Equal values are
 * ordered by `tie`; indices without a value (`hasValue` 0) go last, ordered by `tie` too.
 */
export function orderByValueDescending(
    values: Float64Array,
    hasValue: Uint8Array,
    tie: (a: number, b: number) => number,
): number[] {
    const valued: number[] = [];
    const blank: number[] = [];
    for (let index = 0; index < values.length; index++) (hasValue[index] ? valued : blank).push(index);
    // Each value as two 32-bit words that sort as unsigned integers in descending order of the value.
    const count = valued.length;
    const high = new Uint32Array(values.length);
    const low = new Uint32Array(values.length);
    const bits = new DataView(new ArrayBuffer(8));
    // Indexed loops: an unoptimized iterator makes a result object for each of 30,000 indices.
    for (let at = 0; at < count; at++) {
        const index = valued[at];
        bits.setFloat64(0, values[index] + 0); // -0 sorts as 0
        let hi = bits.getUint32(0);
        let lo = bits.getUint32(4);
        // Ascending as unsigned: negatives have every bit flipped, positives only the sign bit.
        if (hi & 0x80000000) {
            hi = ~hi;
            lo = ~lo;
        } else hi ^= 0x80000000;
        high[index] = ~hi >>> 0;
        low[index] = ~lo >>> 0;
    }
    // A radix sort of the high words (sign, exponent and the fraction's first 20 bits), in three
    // digits of 11 bits, orders every value but those within about a millionth of each other;
    // runs of equal high words are then ordered by their low words and the tie-break.
    let order = valued;
    let next = new Array<number>(count);
    const counts = new Uint32Array(1 << DIGIT_BITS);
    for (let shift = 0; shift < 32; shift += DIGIT_BITS) {
        counts.fill(0);
        for (let at = 0; at < count; at++) counts[(high[order[at]] >>> shift) & DIGIT_MASK]++;
        let start = 0;
        for (let digit = 0; digit < counts.length; digit++) {
            const digits = counts[digit];
            counts[digit] = start;
            start += digits;
        }
        for (let at = 0; at < count; at++) {
            const index = order[at];
            next[counts[(high[index] >>> shift) & DIGIT_MASK]++] = index;
        }
        [order, next] = [next, order];
    }
    const byLowThenTie = (a: number, b: number) => low[a] - low[b] || tie(a, b);
    for (let first = 0; first < count;) {
        let end = first + 1;
        while (end < count && high[order[end]] === high[order[first]]) end++;
        if (end - first === 2) {
            if (byLowThenTie(order[first], order[first + 1]) > 0)
                [order[first], order[first + 1]] = [order[first + 1], order[first]];
        } else if (end - first > 2) {
            const run = order.slice(first, end).sort(byLowThenTie);
            for (let index = first; index < end; index++) order[index] = run[index - first];
        }
        first = end;
    }
    blank.sort(tie);
    for (const index of blank) order.push(index);
    return order;
}
