/** @jest-environment node */
import * as fs from "node:fs";
import * as path from "node:path";
import { TABLES } from "../../connector/src/schema";
import { checkMeasure, daxReferences } from "../../connector/src/dax";
import {
    DEFAULT_FOLLOW_UP_BUSINESS_DAYS,
    FOLLOW_UP_BELOW_RATING,
    MODEL_PARAMETERS,
} from "../../connector/src/schemaFollowUps";
import { MONTHS_PER_YEAR, PERIOD_COVERAGE_WORDING } from "../../src/data/rules";

const TEXT_MEASURES = [
    "Goal Status",
    "Goal Direction",
    "Follow-up State",
    "Follow-up Owner",
    "Follow-up Outcome",
    "Open Follow-up List",
    "Latest Check-in Note",
    "Latest Next Step",
    "Latest Improvement Plan",
    "Period Coverage",
];
const measures = TABLES.flatMap((t) => t.measures.map((m) => ({ table: t.name, ...m })));

describe("DAX measures", () => {
    it("include every measure the issue asks for, each with a format string (or text) and a description", () => {
        const names = measures.map((m) => m.name);
        expect(names).toEqual(
            expect.arrayContaining([
                "Billed Cost",
                "Effective Cost",
                "Average Users",
                "User Months",
                "Cost with Headcount",
                "Cost without Headcount",
                "Goal Direction",
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
                "Follow-up Business Days",
                "Open Follow-ups",
                "Overdue Follow-ups",
                "Follow-ups on Time %",
                "Median Days to Contact",
                "Follow-up State",
                "Follow-up Age",
                "Follow-up Owner",
                "Open Follow-up List",
                "Latest Check-in Date",
                "Latest Check-in Note",
                "Latest Next Step",
                "Improvement Plan Date",
                "Status Changed On",
                "Improvement Plan Missing",
                "Goals Without a Current Plan",
            ]),
        );
        expect(new Set(names).size).toBe(names.length); // measure names are model-wide
        for (const m of measures) {
            expect(m.description.length).toBeGreaterThan(10);
            // Text measures have no format string.
            if (!TEXT_MEASURES.includes(m.name)) expect(m.formatString).not.toBe("");
        }
    });

    it.each(measures.map((m) => [m.name, m.expression] as const))(
        "%s refers only to existing tables, columns and measures",
        (_name, expression) => {
            expect(checkMeasure(expression, TABLES)).toEqual([]);
        },
    );

    it("Period Coverage counts the Date table's months with a charge, of a fiscal year's months, in the rules' wording", () => {
        const coverage = measures.find((m) => m.name === "Period Coverage")!;
        expect(coverage.table).toBe("Charges");
        expect(daxReferences(coverage.expression).columns).toEqual(
            expect.arrayContaining([
                { table: "Date", column: "Month" },
                { table: "Date", column: "Fiscal Year" },
                { table: "Charges", column: "ChargePeriodStart" },
            ]),
        );
        // One fiscal year counts the rules' months of a year; the latest charge ignores the Date filter.
        expect(coverage.expression).toContain(
            `IF ( OneYear, ${MONTHS_PER_YEAR}, COUNTROWS ( VALUES ( 'Date'[Month] ) ) )`,
        );
        expect(coverage.expression).toContain("CALCULATE ( MAX ( Charges[ChargePeriodStart] ), ALL ( 'Date' ) )");
        // "FY2026 to date, 5 of 12 months": the wording's pieces, in order, around the variables.
        expect(PERIOD_COVERAGE_WORDING.inProgress).toBe("{0} to date, {1} of {2} months");
        expect(coverage.expression).toContain('Period & " to date, " & Covered & " of " & InPeriod & " months"');
        expect(coverage.expression).toContain('Period & ", " & Covered & " of " & InPeriod & " months"');
        // The visual's tooltip says a part of the period the same way: "5 of 12".
        const strings = JSON.parse(
            fs.readFileSync(path.join(__dirname, "..", "..", "stringResources", "en-US", "resources.resjson"), "utf8"),
        );
        expect(PERIOD_COVERAGE_WORDING.inProgress).toContain(
            strings.Tooltip_OfPeriods.replace("{1}", "{2}").replace("{0}", "{1}"),
        );
    });

    it("Average Users never sums across months", () => {
        const get = (name: string) => measures.find((m) => m.name === name)!.expression;
        // The Date table's months, not the distinct headcount dates (month-end snapshots would
        // otherwise count as months of their own).
        expect(daxReferences(get("Average Users")).columns).toEqual(
            expect.arrayContaining([{ table: "Date", column: "Month" }]),
        );
        expect(get("Average Users")).not.toContain("Headcount[Month]");
        expect(get("Average Users")).toMatch(/^AVERAGEX/);
    });
});

describe("follow-up and improvement-plan measures", () => {
    const get = (name: string) => measures.find((m) => m.name === name)!;

    it("compare ratings with the one follow-up threshold, never a copy of the number", () => {
        const comparisons = measures.flatMap((m) => m.expression.match(/'Survey Responses'\[Rating\] <[^)]*/g) ?? []);
        expect(comparisons.length).toBeGreaterThan(5);
        for (const c of comparisons) expect(c.trim()).toBe(`'Survey Responses'[Rating] < ${FOLLOW_UP_BELOW_RATING}`);
    });

    it("count business days with NETWORKDAYS after the response day, against the model parameter", () => {
        const overdue = get("Overdue Follow-ups").expression;
        expect(overdue).toContain("NETWORKDAYS ( [@Responded] + 1, AsOf )");
        expect(overdue).toContain("VAR Allowed = [Follow-up Business Days]");
        expect(get("Follow-up Business Days").expression).toBe("MAX ( 'Model Parameters'[Follow-up Business Days] )");
        expect(MODEL_PARAMETERS).toEqual([
            expect.objectContaining({ parameter: "FollowUpBusinessDays", value: DEFAULT_FOLLOW_UP_BUSINESS_DAYS }),
            expect.objectContaining({ parameter: "OnTrackTolerancePoints", value: 5 }),
            expect.objectContaining({ parameter: "AtRiskTolerancePoints", value: 15 }),
        ]);
        expect(DEFAULT_FOLLOW_UP_BUSINESS_DAYS).toBe(10);
    });

    it("judge follow-ups and plans on the As of Date, and the plan on the At risk and Behind statuses", () => {
        for (const name of ["Open Follow-ups", "Overdue Follow-ups", "Follow-ups on Time %", "Latest Check-in Date"])
            expect(daxReferences(get(name).expression).measures).toContain("As of Date");
        expect(get("Improvement Plan Missing").expression).toContain('Status IN { "At risk", "Behind" }');
        expect(get("Status Changed On").expression).toContain("CALCULATE ( [Goal Status], REMOVEFILTERS ( 'Date' )");
        expect(daxReferences(get("Overdue Follow-ups").expression).localColumns).toEqual(
            expect.arrayContaining(["@Responded", "@Contacted"]),
        );
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
        [
            "a column no ADDCOLUMNS added",
            'VAR T = ADDCOLUMNS ( Agencies, "@Cost", [Billed Cost] ) RETURN SUMX ( T, [@Costs] )',
            "[@Costs] is not added by ADDCOLUMNS in the measure",
        ],
    ])("reports %s", (_name, expression, problem) => {
        expect(checkMeasure(expression, TABLES)).toEqual([problem]);
    });
});
