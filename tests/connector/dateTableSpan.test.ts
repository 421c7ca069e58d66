/** @jest-environment node */
/**
 * The dates the Date table can hold, as both validators quarantine what lies outside: the
 * generated M builds whole fiscal years around the data, so the only limit is M's years 1 to 9999
 * for the first and last fiscal year. Worked out here from the M's own formulas, day by day.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { datePartition } from "../../connector/src/m";
import { DATE_TABLE_SPAN, dateTableSpan } from "../../connector/src/schema";

const README = path.join(__dirname, "..", "..", "connector", "README.md");

/** Every day of the given years, as [year, month, day]. */
function days(years: number[]): [number, number, number][] {
    const all: [number, number, number][] = [];
    for (const year of years)
        for (let month = 1; month <= 12; month++) {
            const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
            const length = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
            for (let day = 1; day <= length; day++) all.push([year, month, day]);
        }
    return all;
}
const iso = ([y, m, d]: [number, number, number]): string =>
    `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;

/** Whether the M's Date table steps can be evaluated for a table whose only date is this one (#date takes years 1 to 9999). */
function buildable([year, month]: [number, number, number], firstMonth: number): boolean {
    const startYear = month >= firstMonth ? year : year - 1;
    const endYear = month >= firstMonth ? year + 1 : year;
    return startYear >= 1 && endYear <= 9999;
}

describe("the Date table's span", () => {
    const m = datePartition();
    const edges = days([1, 2, 9998, 9999]);

    it("is computed from the steps of the generated M", () => {
        expect(m).toContain(
            "StartYear = if Date.Month(Earliest) >= FirstMonth then Date.Year(Earliest) else Date.Year(Earliest) - 1",
        );
        expect(m).toContain(
            "EndYear = if Date.Month(Latest) >= FirstMonth then Date.Year(Latest) + 1 else Date.Year(Latest)",
        );
        expect(m).toContain("StartDate = #date(StartYear, FirstMonth, 1)");
        expect(m).toContain("EndDate = Date.AddDays(#date(EndYear, FirstMonth, 1), -1)");
        expect(m).toContain("FirstMonth = FiscalYearStartMonth");
    });

    it.each(Array.from({ length: 12 }, (_, i) => i + 1))(
        "holds exactly the days M can build with start month %i",
        (s) => {
            const held = edges.filter((d) => buildable(d, s)).map(iso);
            const span = dateTableSpan(s);
            expect(held.filter((d) => d < span.first || d > span.last)).toEqual([]);
            expect(edges.map(iso).filter((d) => d >= span.first && d <= span.last && !held.includes(d))).toEqual([]);
        },
    );

    it("that the validators accept is the days every start month can build (the parameter can change after validation)", () => {
        const everywhere = edges.filter((d) => [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].every((s) => buildable(d, s)));
        const { first, last } = DATE_TABLE_SPAN;
        expect(edges.map(iso).filter((d) => d >= first && d <= last)).toEqual(everywhere.map(iso));
        expect(DATE_TABLE_SPAN).toEqual({ first: "0001-12-01", last: "9998-12-31" });
    });

    it("is stated in the connector README", () => {
        const readme = fs.readFileSync(README, "utf8");
        expect(readme).toContain(`${DATE_TABLE_SPAN.first} to ${DATE_TABLE_SPAN.last}`);
    });
});
