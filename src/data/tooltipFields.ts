import powerbi from "powerbi-visuals-api";
import { valueFormatter } from "powerbi-visuals-utils-formattingutils";
import { Role, RoleTable } from "./roles";
import PrimitiveValue = powerbi.PrimitiveValue;

export interface TooltipItem {
    displayName: string;
    value: string;
}

/**
 * Fields in the Tooltips well. Each is evaluated at the grain of the bound fields; an item (an
 * agency's bar or row, a goal) shows the value when it is the same on all of the item's rows, and
 * says it varies otherwise: adding up an unknown measure could be wrong
 * (a report-page tooltip, filtered to the agency, computes any measure exactly).
 */
export class TooltipFields {
    private readonly columns: { name: string; format?: string; bySeries: (PrimitiveValue[] | undefined)[] }[] = [];
    private readonly values = new Map<string, (PrimitiveValue | null | undefined)[]>();
    private readonly varies = new Map<string, boolean[]>();

    constructor(
        table: RoleTable,
        private readonly locale: string,
    ) {
        const first = table.series[0];
        for (const [index, column] of (first?.measures(Role.tooltips) ?? []).entries()) {
            this.columns.push({
                name: column.source.displayName,
                format: column.source.format,
                bySeries: table.series.map((series) => series.measures(Role.tooltips)[index]?.values),
            });
        }
    }

    /** Whether any field is in the Tooltips well: without one, items need not be read. */
    get hasFields(): boolean {
        return this.columns.length > 0;
    }

    /** Takes the Tooltips values of one category row for an item. */
    read(key: string, row: number): void {
        if (this.columns.length === 0) return;
        let seen = this.values.get(key);
        let varies = this.varies.get(key);
        if (!seen || !varies) {
            seen = this.columns.map(() => undefined);
            varies = this.columns.map(() => false);
            this.values.set(key, seen);
            this.varies.set(key, varies);
        }
        for (const [index, column] of this.columns.entries()) {
            for (const values of column.bySeries) {
                const value = values?.[row] ?? null;
                if (value === null) continue;
                const known = seen[index];
                if (known === undefined || known === null) seen[index] = value;
                else if (!sameValue(known, value)) varies[index] = true;
            }
        }
    }

    itemsFor(key: string, variesText: string): TooltipItem[] {
        const seen = this.values.get(key);
        const varies = this.varies.get(key);
        if (!seen) return [];
        return this.columns.map((column, index) => ({
            displayName: column.name,
            value: varies?.[index] ? variesText : formatAny(seen?.[index] ?? null, column.format, this.locale),
        }));
    }
}

function sameValue(a: PrimitiveValue, b: PrimitiveValue): boolean {
    return a instanceof Date && b instanceof Date
        ? a.getTime() === b.getTime()
        : a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function formatAny(value: PrimitiveValue | null, format: string | undefined, locale: string): string {
    if (value === null) return "";
    if (typeof value === "number" && !Number.isFinite(value)) return "";
    return valueFormatter.format(value, format, false, locale);
}
