import powerbi from "powerbi-visuals-api";
import PrimitiveValue = powerbi.PrimitiveValue;

/** Where a period value sorts: by time for dates, by value for numbers, else in the model's order. */
export interface PeriodOrder {
    sortValue: number | null;
    firstSeen: number;
}

/** A period as a view lists it: its key, its label in the report's locale, and its order. */
export interface LabeledPeriod extends PeriodOrder {
    key: string;
    label: string;
}

/**
 * A period's key and sort value. Keys carry the value's type, so the number 5 and the text "5"
 * stay apart; equal dates are one period whatever Date object carries them.
 */
export function periodKeyOf(value: PrimitiveValue | null | undefined): { key: string; sortValue: number | null } {
    return { key: periodKey(value), sortValue: periodSortValue(value) };
}

function periodKey(value: PrimitiveValue | null | undefined): string {
    if (value instanceof Date) return `d${value.getTime()}`;
    if (typeof value === "number") return `n${value}`;
    return value === null || value === undefined ? "" : `s${String(value)}`;
}

/** Dates sort by time and numbers by value; anything else has no sort value (the model's order). */
export function periodSortValue(value: PrimitiveValue | null | undefined): number | null {
    if (value instanceof Date) return value.getTime();
    return typeof value === "number" ? value : null;
}

/** Periods in time order when they are dates or numbers, else in the order the model sent them. */
export function comparePeriods(a: PeriodOrder, b: PeriodOrder): number {
    return a.sortValue !== null && b.sortValue !== null ? a.sortValue - b.sortValue : a.firstSeen - b.firstSeen;
}
