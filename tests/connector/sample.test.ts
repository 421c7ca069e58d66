/** @jest-environment node */
import * as fs from "node:fs";
import * as path from "node:path";
import { generateSample, SAMPLE_STATUS_DATE, seededRandom } from "../../connector/sample/generate";
import { computeReference, fiscalYearOf, readCsv, ReferenceFigures } from "../../connector/src/reference";
import { renderReadme } from "../../connector/src/docs";
import { TABLES } from "../../connector/src/schema";

const SAMPLE = path.join(__dirname, "..", "..", "connector", "sample");
const expected: ReferenceFigures = JSON.parse(fs.readFileSync(path.join(SAMPLE, "expected.json"), "utf8"));
const csv = (name: string) => readCsv(path.join(SAMPLE, `${name}.csv`));

describe("sample data", () => {
    it("is reproduced byte for byte by the seeded generator", () => {
        const generated = generateSample();
        expect([...generated.keys()].sort()).toEqual(
            TABLES.filter((t) => t.source)
                .map((t) => `${t.source}.csv`)
                .sort(),
        );
        for (const [file, content] of generated) {
            expect([file, fs.readFileSync(path.join(SAMPLE, file), "utf8") === content]).toEqual([file, true]);
        }
    });

    it("uses a seeded generator whose sequence depends on the seed", () => {
        const a = seededRandom(1);
        const b = seededRandom(1);
        const c = seededRandom(2);
        const first = [a(), a(), a()];
        expect([b(), b(), b()]).toEqual(first);
        expect(c()).not.toBe(first[0]);
        expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    });

    it("has the size the issue describes and stays small", () => {
        expect(csv("agencies")).toHaveLength(40);
        expect(new Set(csv("charges").map((c) => c.ChargePeriodStart)).size).toBe(24);
        const services = csv("services");
        expect(services).toHaveLength(25);
        expect(new Set(services.map((s) => s.x_ServiceModel))).toEqual(
            new Set(["SaaS", "PaaS", "IaaS", "Managed Service", "On-Premises"]),
        );
        const teams = csv("teams");
        expect(teams).toHaveLength(12);
        const goals = csv("goals");
        for (const team of teams) {
            const count = goals.filter((g) => g.x_TeamId === team.x_TeamId).length;
            expect(count).toBeGreaterThanOrEqual(2);
            expect(count).toBeLessThanOrEqual(4);
        }
        expect(goals.some((g) => Number(g.x_Target) < Number(g.x_Baseline))).toBe(true); // lower-is-better goals exist
        expect(csv("survey_responses").length).toBeGreaterThan(2000);
        expect(csv("charges").some((c) => Number(c.BilledCost) < 0 && c.ChargeCategory === "Credit")).toBe(true);
        const bytes = fs.readdirSync(SAMPLE).reduce((sum, f) => sum + fs.statSync(path.join(SAMPLE, f)).size, 0);
        expect(bytes).toBeLessThan(3_000_000);
    });
});

describe("expected.json (reference figures)", () => {
    it("matches a fresh computation from the CSVs with the visual's rules", () => {
        expect(computeReference(SAMPLE, SAMPLE_STATUS_DATE)).toEqual(expected);
    });

    it("agrees with plain arithmetic for the statewide figure and one agency", () => {
        // Independent of summarizeCost: sum the year's lines, average the monthly headcounts.
        const fy = Number(expected.costPerUser.fiscalYear.slice(2));
        const charges = csv("charges").filter((c) => fiscalYearOf(c.ChargePeriodStart) === fy);
        const headcount = csv("headcount").filter((h) => fiscalYearOf(h.x_Month) === fy);
        const months = [...new Set(headcount.map((h) => h.x_Month))];
        const cost = charges.reduce((s, c) => s + Number(c.BilledCost), 0);
        const users =
            months.reduce(
                (s, m) => s + headcount.filter((h) => h.x_Month === m).reduce((t, h) => t + Number(h.x_Users), 0),
                0,
            ) / months.length;
        expect(months).toHaveLength(12);
        expect(expected.costPerUser.statewide.billedCost).toBeCloseTo(cost, 2);
        expect(expected.costPerUser.statewide.costPerUser!).toBeCloseTo(cost / users, 3);
        // The statewide figure is not the mean of the agencies' ratios.
        const meanOfRatios =
            expected.costPerUser.agencies.reduce((s, a) => s + a.costPerUser!, 0) /
            expected.costPerUser.agencies.length;
        expect(meanOfRatios).not.toBeCloseTo(expected.costPerUser.statewide.costPerUser!, 2);

        const agency = expected.costPerUser.agencies.find((a) => a.agencyName === "Department of Revenue")!;
        const own = charges
            .filter((c) => c.SubAccountId === agency.agencyId)
            .reduce((s, c) => s + Number(c.BilledCost), 0);
        const ownUsers =
            headcount.filter((h) => h.SubAccountId === agency.agencyId).reduce((s, h) => s + Number(h.x_Users), 0) / 12;
        expect(agency.costPerUser!).toBeCloseTo(own / ownUsers, 3);
        expect(expected.costPerUser.agencies).toHaveLength(40);
    });

    it("judges goals on the fixed date, with every status a user can meet", () => {
        expect(expected.goals.asOf).toBe(SAMPLE_STATUS_DATE);
        const statuses = new Set(expected.goals.goals.map((g) => g.status));
        for (const s of ["Met", "Missed", "On track", "At risk", "Behind", "No data", "Not met"])
            expect(statuses).toContain(s);
        // Spot check one goal by hand: latest measurement on or before the date, progress as a ratio.
        const goal = expected.goals.goals.find((g) => g.status === "Behind")!;
        const row = csv("goals").find((g) => g.x_GoalId === goal.goalId)!;
        const last = csv("goal_measurements")
            .filter((m) => m.x_GoalId === goal.goalId && m.x_MeasuredOn <= SAMPLE_STATUS_DATE)
            .sort((a, b) => (a.x_MeasuredOn < b.x_MeasuredOn ? 1 : -1))[0];
        expect(goal.actual).toBe(Number(last.x_Value));
        expect(goal.progress!).toBeCloseTo(
            (Number(last.x_Value) - Number(row.x_Baseline)) / (Number(row.x_Target) - Number(row.x_Baseline)),
            5,
        );
        const span = Date.parse(row.x_DueDate) - Date.parse(row.x_StartDate);
        const expectedProgress = (Date.parse(SAMPLE_STATUS_DATE) - Date.parse(row.x_StartDate)) / span;
        expect(goal.expectedProgress!).toBeCloseTo(expectedProgress, 5);
        expect(goal.progress!).toBeLessThan(expectedProgress - 0.2);
        expect(
            expected.goals.goals.some(
                (g) => g.direction === "lower" && (g.status === "Met" || g.status === "On track"),
            ),
        ).toBe(true);
    });
});

describe("connector README", () => {
    it("documents the current schema (regenerate with npm run connector -- docs)", () => {
        const readme = fs.readFileSync(path.join(SAMPLE, "..", "README.md"), "utf8");
        expect(renderReadme(readme)).toBe(readme);
        for (const table of TABLES)
            if (table.source) for (const c of table.columns) expect(readme).toContain(`\`${c.source}\``);
    });
});
