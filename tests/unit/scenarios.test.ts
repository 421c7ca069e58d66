/**
 * One rule, three engines: hand-worked scenarios (tests/fixtures/scenarios/: a small base state
 * and, per scenario, the files that differ from it) checked against the independent reference
 * computation (connector/src/reference.ts), the visual's data layer through DataViews shaped as
 * Power BI sends them for each binding, and the text of the generated DAX. The expected figures
 * are worked out below by hand, never by project code.
 *
 * The base: FY2025 (July 2024 to June 2025), every month:
 *   A1 Revenue:        Email 600 + Hosting 400 = 1,000, 100 users
 *   A2 Parks:          Email 500,                       50 users
 *   A3 Transportation: Hosting 2,000,                   100 users
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { computeReference, ReferenceOptions } from "../../connector/src/reference";
import { findTable } from "../../connector/src/schema";
import { daxReferences } from "../../connector/src/dax";
import { buildCostModel, CostViewModel } from "../../src/data/costModel";
import { buildGoalModel } from "../../src/data/goalModel";
import { DEFAULT_TOLERANCES } from "../../src/data/goalStatus";
import { readRoleTable } from "../../src/data/roles";
import { englishLocalize } from "../../src/data/strings";
import { costDataView, CostBinding } from "../support/dataViews";
import { goalDataView } from "../support/goalDataViews";
import { scenarioCostFacts, scenarioGoalFacts } from "../support/scenarioDataViews";

const SCENARIOS = path.join(__dirname, "..", "fixtures", "scenarios");
const work: string[] = [];
afterAll(() => {
    for (const dir of work) fs.rmSync(dir, { recursive: true, force: true });
});

/** The base with the scenario's files on top, in a temporary folder. */
function folderOf(scenario: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `scenario-${scenario}-`));
    work.push(dir);
    for (const from of ["base", scenario])
        for (const file of fs.readdirSync(path.join(SCENARIOS, from)))
            fs.copyFileSync(path.join(SCENARIOS, from, file), path.join(dir, file));
    return dir;
}

interface Expected {
    /** Cost per user (a year) by agency name. */
    agencies: Record<string, number>;
    statewide: number;
    /** Cost from months without a headcount, by agency name (0 when absent). */
    uncovered?: Record<string, number>;
    /** Months of the fiscal year with charges. */
    months?: number;
}

interface CostScenario {
    name: string;
    fiscalYear: number;
    options?: ReferenceOptions;
    expected: Expected;
}

const COST_SCENARIOS: CostScenario[] = [
    {
        name: "base",
        fiscalYear: 2025,
        // A1: 12 x 1,000 = 12,000 over 12 x 100 = 1,200 user-months, x 12 = 120
        // A2: 6,000 / 600 x 12 = 120; A3: 24,000 / 1,200 x 12 = 240
        // Statewide: 42,000 / 3,000 x 12 = 168 (not the mean of 120, 120 and 240, 160)
        expected: { agencies: { Revenue: 120, Parks: 120, Transportation: 240 }, statewide: 168, months: 12 },
    },
    {
        name: "month-end-headcount",
        fiscalYear: 2025,
        // Parks and Transportation dated on the last day of each month: still one headcount per
        // agency and month, so nothing changes: 120, 120, 240 and 168.
        expected: { agencies: { Revenue: 120, Parks: 120, Transportation: 240 }, statewide: 168 },
    },
    {
        name: "mid-month-snapshot",
        fiscalYear: 2025,
        // Revenue has a second snapshot on 2024-09-15 (110): the largest counts, September = 110.
        // Revenue: 12,000 / 1,210 x 12 = 119.0083; statewide: 42,000 / 3,010 x 12 = 167.4419
        expected: {
            agencies: { Revenue: 119.0083, Parks: 120, Transportation: 240 },
            statewide: 167.4419,
        },
    },
    {
        name: "reorganised-agency",
        fiscalYear: 2025,
        // Transportation (A3) July-December, then A4 January-June, each 6 x 2,000 = 12,000 over
        // 6 x 100 = 600 user-months: 240 each, not half the state's rate.
        // Statewide: 42,000 / (1,200 + 600 + 600 + 600) x 12 = 168
        expected: {
            agencies: { Revenue: 120, Parks: 120, Transportation: 240, "Transportation (new)": 240 },
            statewide: 168,
        },
    },
    {
        name: "month-without-headcount",
        fiscalYear: 2025,
        // Parks has charges in March 2025 (500) and no headcount: left out and shown.
        // Parks: 5,500 / 550 x 12 = 120; statewide: 41,500 / 2,950 x 12 = 168.8136
        expected: {
            agencies: { Revenue: 120, Parks: 120, Transportation: 240 },
            statewide: 168.8136,
            uncovered: { Revenue: 0, Parks: 500, Transportation: 0 },
        },
    },
    {
        name: "fiscal-year-in-progress",
        fiscalYear: 2026,
        options: { fiscalYear: 2026 },
        // FY2026 to date, July-November 2025: 5 of 12 months.
        // Revenue: 5,000 / 500 x 12 = 120; Parks: 2,500 / 250 x 12 = 120; Transportation:
        // 10,000 / 500 x 12 = 240; statewide: 17,500 / 1,250 x 12 = 168: a yearly rate, not 5/12 of it.
        expected: { agencies: { Revenue: 120, Parks: 120, Transportation: 240 }, statewide: 168, months: 5 },
    },
    {
        name: "base",
        fiscalYear: 2025,
        // An agency slicer on Revenue and Parks: (12,000 + 6,000) / (1,200 + 600) x 12 = 120.
        options: { agencies: ["A1", "A2"] },
        expected: { agencies: { Revenue: 120, Parks: 120 }, statewide: 120 },
    },
];

const BINDINGS: { label: string; binding: CostBinding }[] = [
    { label: "Period and Service", binding: { users: true, period: true, service: true } },
    { label: "Period, no Service", binding: { users: true, period: true } },
    { label: "Service, no Period", binding: { users: true, service: true, uncoveredCost: true } },
    { label: "neither", binding: { users: true, uncoveredCost: true } },
];

const byName = (m: CostViewModel) => new Map(m.bars.map((bar) => [bar.name, bar]));

describe.each(COST_SCENARIOS.map((s) => [`${s.name}${s.options?.agencies ? " (agency slicer)" : ""}`, s] as const))(
    "scenario %s",
    (_label, scenario) => {
        const folder = folderOf(scenario.name);
        const reference = computeReference(folder, "2025-03-31", scenario.options);

        it("the independent reference gives the hand-worked figures", () => {
            const figures = reference.costPerUser;
            expect(figures.fiscalYear).toBe(`FY${scenario.fiscalYear}`);
            if (scenario.expected.months !== undefined) expect(figures.months).toBe(scenario.expected.months);
            expect(figures.statewide.costPerUser).toBeCloseTo(scenario.expected.statewide, 3);
            const agencies = new Map(figures.agencies.map((a) => [a.agencyName, a]));
            expect([...agencies.keys()].sort()).toEqual(Object.keys(scenario.expected.agencies).sort());
            for (const [name, value] of Object.entries(scenario.expected.agencies))
                expect([name, agencies.get(name)!.costPerUser]).toEqual([name, expect.closeTo(value, 3)]);
            for (const [name, value] of Object.entries(scenario.expected.uncovered ?? {}))
                expect([name, agencies.get(name)!.uncoveredCost]).toEqual([name, value]);
        });

        it.each(BINDINGS.map((b) => [b.label, b.binding] as const))(
            "the visual's data layer gives them too, bound with %s",
            (_bindingLabel, binding) => {
                const facts = scenarioCostFacts(
                    folder,
                    scenario.fiscalYear,
                    scenario.options?.agencies,
                    binding.period === true,
                );
                const m = buildCostModel(
                    readRoleTable(costDataView(facts, binding)),
                    { measure: "auto", sort: "value", displayUnits: 1, decimals: null },
                    { locale: "en-US", localize: englishLocalize, paletteColor: () => "#000000" },
                );
                expect(m.measure).toBe("costPerUser");
                expect(m.reference.value).toBeCloseTo(scenario.expected.statewide, 3);
                const bars = byName(m);
                expect([...bars.keys()].sort()).toEqual(Object.keys(scenario.expected.agencies).sort());
                for (const [name, value] of Object.entries(scenario.expected.agencies))
                    expect([name, bars.get(name)!.value]).toEqual([name, expect.closeTo(value, 3)]);
                const uncovered = Object.entries(scenario.expected.uncovered ?? {}).filter(([, v]) => v !== 0);
                for (const [name, value] of uncovered)
                    expect(bars.get(name)!.tooltip).toContainEqual({
                        displayName: "Cost without headcount",
                        value: `$${value.toFixed(2)}, left out of cost per user`,
                    });
                if (uncovered.length > 0) expect(m.notes.join(" ")).toContain("left out of cost per user: Parks");
            },
        );
    },
);

describe("the generated DAX states the same rules", () => {
    const measure = (table: string, name: string) => findTable(table).measures.find((m) => m.name === name)!;

    it("User Months: the Date table's months and the agencies, the largest headcount of each agency-month", () => {
        // month-end-headcount, mid-month-snapshot, reorganised-agency: one figure per agency and month.
        const dax = measure("Headcount", "User Months").expression;
        expect(dax).toMatch(/^SUMX \(\s+VALUES \( 'Date'\[Month\] \)/);
        expect(dax).toContain("VALUES ( Agencies[SubAccountId] )");
        expect(dax).toContain("CALCULATE ( MAX ( Headcount[Users] ) )");
        expect(dax).not.toContain("Headcount[Month]");
    });

    it("Cost per User: the cost of agency-months with a headcount over user-months, times 12", () => {
        // month-without-headcount and fiscal-year-in-progress.
        const dax = measure("Charges", "Cost per User").expression;
        expect(daxReferences(dax).measures).toEqual(["User Months", "Cost with Headcount"]);
        expect(dax).toContain("* 12");
        const covered = measure("Charges", "Cost with Headcount").expression;
        expect(covered).toContain(
            "IF ( CALCULATE ( MAX ( Headcount[Users] ) ) > 0, CALCULATE ( SUM ( Charges[BilledCost] ) ) )",
        );
        expect(measure("Charges", "Cost without Headcount").expression).toBe("[Billed Cost] - [Cost with Headcount]");
    });

    it("Goal Status: the steps in the rules' order, the direction from data, the tolerances as model parameters", () => {
        const dax = measure("Goals", "Goal Status").expression;
        const statuses = [...dax.matchAll(/, "([A-Za-z ]+)",/g)].map((match) => match[1]);
        expect(statuses).toEqual(["No data", "Met", "Not met", "Missed", "Not met", "On track", "At risk"]);
        expect(dax).toContain('[Goal Direction] = "lower"');
        expect(dax).toContain("'Model Parameters'[On-track Tolerance Points]");
        expect(dax).toContain("'Model Parameters'[At-risk Tolerance Points]");
        expect(measure("Goals", "Goals at Risk or Behind").expression).toContain('IN { "At risk", "Behind" }');
        expect(measure("Survey Responses", "Ratings Below 4").expression).toContain(
            "KEEPFILTERS ( 'Survey Responses'[Rating] < 4 )",
        );
    });
});

describe("scenario target-equals-baseline: a goal to keep incidents at zero", () => {
    const folder = folderOf("target-equals-baseline");
    // G2: baseline 0, target 0, lower is better, 3 incidents on 2025-03-31, due 2025-12-31: not
    // met (3 > 0) and no pace can be judged: Not met. Read as higher-is-better it would be Met.
    // G1: (60 - 50) / (90 - 50) = 25% done; expected (Jan 1 to Mar 31: 89 of 364 days) = 24.45%;
    // 25% >= 24.45% - 5 points: On track, judged on the model's day (on the viewer's
    // 2026-12-01 it would be Missed).
    const expected = { "Patch within 30 days": "On track", "Keep incidents at zero": "Not met" };

    it("the independent reference says so", () => {
        const goals = computeReference(folder, "2025-03-31").goals.goals;
        expect(Object.fromEntries(goals.map((g) => [g.goal, g.status]))).toEqual(expected);
        expect(goals.find((g) => g.goalId === "G2")!.direction).toBe("lower");
    });

    it("the visual's data layer says so, with Direction and As of bound", () => {
        const facts = scenarioGoalFacts(folder, "2025-03-31");
        const m = buildGoalModel(
            readRoleTable(goalDataView(facts, { direction: true, asOf: true })),
            { tolerances: DEFAULT_TOLERANCES, sort: "team" },
            { locale: "en-US", localize: englishLocalize, today: new Date(2026, 11, 1) },
        );
        const goals = m.teams.flatMap((team) => team.goals);
        expect(Object.fromEntries(goals.map((g) => [g.name, g.status]))).toEqual(expected);
    });
});
