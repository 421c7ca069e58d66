/** @jest-environment node */
import { TABLES } from "../../connector/src/schema";
import { checkMeasure, daxReferences } from "../../connector/src/dax";

const measures = TABLES.flatMap((t) => t.measures.map((m) => ({ table: t.name, ...m })));

describe("DAX measures", () => {
    it("include every measure the issue asks for, each with a format string (or text) and a description", () => {
        const names = measures.map((m) => m.name);
        expect(names).toEqual(
            expect.arrayContaining([
                "Billed Cost",
                "Effective Cost",
                "Average Users",
                "Cost per User",
                "Statewide Cost per User",
                "Cost per User vs Statewide %",
                "As-a-Service Share",
                "Goal Baseline",
                "Goal Target",
                "Goal Actual",
                "Goal Progress %",
                "Expected Progress %",
                "Goal Status",
                "Responses",
                "Average Rating",
                "Ratings Below 4",
                "Follow-up Rate",
            ]),
        );
        expect(new Set(names).size).toBe(names.length); // measure names are model-wide
        for (const m of measures) {
            expect(m.description.length).toBeGreaterThan(10);
            if (m.name !== "Goal Status") expect(m.formatString).not.toBe("");
        }
    });

    it.each(measures.map((m) => [m.name, m.expression] as const))(
        "%s refers only to existing tables, columns and measures",
        (_name, expression) => {
            expect(checkMeasure(expression, TABLES)).toEqual([]);
        },
    );

    it("Average Users never sums across months", () => {
        const get = (name: string) => measures.find((m) => m.name === name)!.expression;
        expect(daxReferences(get("Average Users")).columns).toEqual(
            expect.arrayContaining([{ table: "Headcount", column: "Month" }]),
        );
        expect(get("Average Users")).toMatch(/^AVERAGEX/);
    });
});

describe("the reference checker itself", () => {
    it("finds qualified columns, quoted tables and measures, and skips strings and variables", () => {
        const refs = daxReferences(
            "VAR X = [Billed Cost]\nRETURN CALCULATE ( COUNTROWS ( 'Survey Responses' ), Services[ServiceModel] = \"a ) [b]\", X > 1E-9 )",
        );
        expect(refs.measures).toEqual(["Billed Cost"]);
        expect(refs.tables).toEqual(["Survey Responses"]);
        expect(refs.columns).toEqual([{ table: "Services", column: "ServiceModel" }]);
    });

    it.each([
        ["an unknown measure", "[Billed Costs]", "unknown measure [Billed Costs]"],
        ["an unknown column", "SUM ( Charges[Cost] )", "unknown column Charges[Cost]"],
        ["an unknown table", "COUNTROWS ( Invoices )", "unknown table Invoices"],
        ["a missing parenthesis", "SUM ( Charges[BilledCost]", 'Unclosed "("'],
        ["an extra parenthesis", "SUM ( Charges[BilledCost] ) )", 'Unbalanced ")" at offset 28'],
        ["an unterminated string", 'IF ( 1, "Met )', "Unterminated string at offset 8"],
        [
            "an unterminated quoted name",
            "COUNTROWS ( 'Survey Responses )",
            "Unterminated quoted table name at offset 12",
        ],
    ])("reports %s", (_name, expression, problem) => {
        expect(checkMeasure(expression, TABLES)).toEqual([problem]);
    });
});
