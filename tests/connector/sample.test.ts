/** @jest-environment node */
import * as fs from "node:fs";
import * as path from "node:path";
import { generateSample, SAMPLE_STATUS_DATE, seededRandom } from "../../connector/sample/generate";
import {
    computeReference,
    DATED_COLUMNS,
    fiscalYearOf,
    readCsv,
    ReferenceFigures,
} from "../../connector/src/reference";
import { businessDaysBetween } from "../../connector/src/followUpReference";
import { renderReadme, renderRootReadme } from "../../connector/src/docs";
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
    it("matches a fresh computation from the CSVs (npm run connector -- sample rewrites it)", () => {
        expect(computeReference(SAMPLE, SAMPLE_STATUS_DATE)).toEqual(expected);
    });

    it("spans the Date table over whole fiscal years holding every date of every table, goals' due dates too", () => {
        // The reference's hand list of dated columns is the schema's (the M reads the schema's).
        const fromSchema = Object.fromEntries(
            TABLES.filter((t) => t.source !== null && t.columns.some((c) => c.kind === "date")).map((t) => [
                t.source,
                t.columns.filter((c) => c.kind === "date").map((c) => c.source),
            ]),
        );
        expect(DATED_COLUMNS).toEqual(fromSchema);
        const { first, last, fiscalYears } = expected.dateTable;
        // July 1 to June 30 with the default July start, one name per fiscal year between.
        expect(first.slice(5)).toBe("07-01");
        expect(last.slice(5)).toBe("06-30");
        expect(fiscalYears[0]).toBe(`FY${Number(first.slice(0, 4)) + 1}`);
        expect(fiscalYears[fiscalYears.length - 1]).toBe(`FY${last.slice(0, 4)}`);
        const latestDue = csv("goals").reduce((m, g) => (g.x_DueDate > m ? g.x_DueDate : m), "");
        const latestResponse = csv("survey_responses").reduce(
            (m, r) => (r.x_ResponseDate > m ? r.x_ResponseDate : m),
            "",
        );
        const earliestCharge = csv("charges").reduce(
            (m, c) => (c.ChargePeriodStart < m ? c.ChargePeriodStart : m),
            "9",
        );
        const latestCharge = csv("charges").reduce((m, c) => (c.ChargePeriodStart > m ? c.ChargePeriodStart : m), "");
        expect(first <= earliestCharge && latestDue <= last && latestResponse <= last).toBe(true);
        // Goals are due after the last charge period: a calendar of the charges alone would miss them.
        expect(fiscalYearOf(latestDue)).toBeGreaterThan(fiscalYearOf(latestCharge));
    });

    it("agrees with plain arithmetic for the statewide figure and one agency", () => {
        // A full year with a headcount in every month: cost over average users, the same as
        // cost over user-months x 12.
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
        expect(expected.costPerUser.statewide.userMonths!).toBeCloseTo(users * 12, 6);
        expect(expected.costPerUser.statewide.uncoveredCost).toBe(0);
        expect(expected.costPerUser.months).toBe(12);
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

    it("gives the statewide cost per agency: the year's billed cost over the distinct agencies billed", () => {
        const fy = Number(expected.costPerUser.fiscalYear.slice(2));
        const charges = csv("charges").filter((c) => fiscalYearOf(c.ChargePeriodStart) === fy);
        const cost = charges.reduce((s, c) => s + Number(c.BilledCost), 0);
        const agencies = new Set(charges.map((c) => c.SubAccountId)).size;
        const figure = expected.costPerUser.statewideCostPerAgency;
        expect(figure.agencies).toBe(agencies);
        expect(figure.costPerAgency!).toBeCloseTo(cost / agencies, 2);
        // Adding each month's count of agencies would count an agency once per month it was billed.
        const monthly = new Map<string, Set<string>>();
        for (const c of charges)
            monthly.set(c.ChargePeriodStart, (monthly.get(c.ChargePeriodStart) ?? new Set()).add(c.SubAccountId));
        const summedMonthly = [...monthly.values()].reduce((s, m) => s + m.size, 0);
        expect(summedMonthly).toBeGreaterThan(agencies);
        // Blank below the minimum agencies: two agencies' figure would let one read the other's bill.
        const two = expected.costPerUser.agencies.slice(0, 2).map((a) => a.agencyId);
        const pair = computeReference(SAMPLE, SAMPLE_STATUS_DATE, { agencies: two }).costPerUser;
        expect(pair.statewideCostPerAgency).toEqual({ agencies: 2, costPerAgency: null });
        const lower = computeReference(SAMPLE, SAMPLE_STATUS_DATE, { agencies: two, minimumAgencies: 2 });
        expect(lower.costPerUser.statewideCostPerAgency.costPerAgency!).toBeCloseTo(pair.statewide.billedCost / 2, 2);
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

describe("expected.json: follow-ups and improvement plans", () => {
    const f = expected.followUps;
    const allowed = f.businessDays;

    it("counts business days across weekends, the response day not counted", () => {
        // 2025-06-06 is a Friday.
        expect(businessDaysBetween("2025-06-06", "2025-06-06")).toBe(0);
        expect(businessDaysBetween("2025-06-06", "2025-06-07")).toBe(0); // Saturday
        expect(businessDaysBetween("2025-06-06", "2025-06-09")).toBe(1); // Monday
        expect(businessDaysBetween("2025-06-06", "2025-06-20")).toBe(10); // two weeks later
        expect(businessDaysBetween("2025-06-07", "2025-06-08")).toBe(0); // a weekend
        expect(businessDaysBetween("2025-06-09", "2025-06-06")).toBe(0); // backwards
    });

    it("judges the latest fiscal year on its last day with the default of 10 business days", () => {
        expect(f.fiscalYear).toBe(expected.costPerUser.fiscalYear);
        expect(f.asOf).toBe("2025-06-30");
        expect(allowed).toBe(10);
        expect(f.agencies).toHaveLength(40);
    });

    it("has every follow-up state and kind the issue asks of the sample", () => {
        const states = new Set(f.agencies.map((a) => a.state));
        for (const s of ["Overdue", "Open", "Contacted"]) expect(states).toContain(s);
        // Some on time, some late, some never made.
        const responses = new Map(csv("survey_responses").map((r) => [r.x_ResponseId, r]));
        const followUps = csv("follow_ups");
        const waits = followUps.map((x) =>
            businessDaysBetween(responses.get(x.x_ResponseId)!.x_ResponseDate, x.x_ContactedOn),
        );
        expect(waits.some((w) => w <= allowed)).toBe(true);
        expect(waits.some((w) => w > allowed)).toBe(true);
        const followed = new Set(followUps.map((x) => x.x_ResponseId));
        const low = csv("survey_responses").filter((r) => Number(r.x_Rating) < 4);
        expect(
            low.filter((r) => !followed.has(r.x_ResponseId) && r.x_ResponseDate < "2025-06-01").length,
        ).toBeGreaterThan(10);
        expect(followUps.every((x) => Number(responses.get(x.x_ResponseId)!.x_Rating) < 4)).toBe(true);
    });

    it("adds up: the statewide counts are the agencies' sums, overdue within open", () => {
        for (const key of ["lowRatings", "open", "overdue", "contacted", "contactedOnTime", "due"] as const)
            expect(f.agencies.reduce((sum, a) => sum + a[key], 0)).toBe(f.statewide[key]);
        for (const a of f.agencies) {
            expect(a.overdue).toBeLessThanOrEqual(a.open);
            expect(a.open + a.contacted).toBe(a.lowRatings);
            if (a.onTimeShare !== null) expect(a.onTimeShare).toBeCloseTo(a.contactedOnTime / a.due, 6);
        }
        // The ratings below 4 of the year are the ones the model's Ratings Below 4 counts.
        const fy = Number(f.fiscalYear.slice(2));
        expect(f.statewide.lowRatings).toBe(
            csv("survey_responses").filter((r) => Number(r.x_Rating) < 4 && fiscalYearOf(r.x_ResponseDate) === fy)
                .length,
        );
    });

    it("works one agency out by hand: overdue means no contact after more than 10 business days", () => {
        const agency = f.agencies.find((a) => a.state === "Open")!;
        const fy = Number(f.fiscalYear.slice(2));
        const contacts = new Set(csv("follow_ups").map((x) => x.x_ResponseId));
        const mine = csv("survey_responses").filter(
            (r) =>
                r.SubAccountId === agency.agencyId && Number(r.x_Rating) < 4 && fiscalYearOf(r.x_ResponseDate) === fy,
        );
        const open = mine.filter((r) => !contacts.has(r.x_ResponseId));
        expect(agency.open).toBe(open.length);
        expect(agency.overdue).toBe(0);
        // Open and not overdue: each open one is at most 10 business days old on June 30 (so from mid-June).
        for (const r of open) expect(r.x_ResponseDate >= "2025-06-16").toBe(true);
    });

    it("restates the goal status independently and agrees with the goal figures on the same day", () => {
        const plans = expected.improvementPlans;
        expect(plans.asOf).toBe(expected.goals.asOf);
        expect(plans.goals.map((g) => [g.goalId, g.status])).toEqual(
            expected.goals.goals.map((g) => [g.goalId, g.status]),
        );
    });

    it("marks At risk and Behind goals without a plan since their last status change, and has both kinds", () => {
        const plans = expected.improvementPlans.goals;
        const needing = plans.filter((g) => g.status === "At risk" || g.status === "Behind");
        expect(needing.some((g) => g.improvementPlanMissing === 1)).toBe(true);
        expect(needing.some((g) => g.improvementPlanMissing === 0)).toBe(true);
        for (const g of plans) {
            if (g.status !== "At risk" && g.status !== "Behind") expect(g.improvementPlanMissing).toBeNull();
            else if (g.improvementPlanMissing === 0) expect(g.improvementPlanDate! >= g.statusChangedOn!).toBe(true);
        }
        // Some goals were never checked in on, and no check-in is later than the day judged.
        expect(plans.some((g) => g.latestCheckIn === null && g.status !== "No data")).toBe(true);
        for (const g of plans) if (g.latestCheckIn) expect(g.latestCheckIn <= SAMPLE_STATUS_DATE).toBe(true);
    });
});

describe("root README", () => {
    it("states the cost rules and the goal status steps as src/data/rules.ts does (npm run connector -- docs)", () => {
        const readme = fs.readFileSync(path.join(SAMPLE, "..", "..", "README.md"), "utf8");
        expect(renderRootReadme(readme)).toBe(readme);
        expect(readme).toContain("times 12");
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
