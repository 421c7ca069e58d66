import { RoleTable, RoleName, toNumber } from "./roles";

/**
 * A figure the model computes for the whole page (a statewide reference measure): Power BI
 * evaluates it in every cell of the visual's query, each cell carrying the same value, so the first
 * finite number of the role in any series and row is the figure. Null when the role is not bound
 * or every cell is blank (the model withheld it, e.g. too few agencies).
 */
export function pageFigure(table: RoleTable, role: RoleName): number | null {
    for (const series of table.series) {
        const values = series.measure(role)?.values ?? [];
        for (let row = 0; row < values.length; row++) {
            const value = toNumber(values[row]);
            if (value !== null) return value;
        }
    }
    return null;
}
