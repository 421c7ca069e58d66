/** @jest-environment node */
import { goalStatus, expectedProgress, GoalInput, GoalStatusName } from "../../src/data/goalStatus";

// Dates in UTC so the elapsed share is exact: 2026-01-01 to 2026-12-31 is 364 days, so picking
// "today" as start + k days gives expected progress k / 364.
const day = (iso: string): Date => new Date(`${iso}T00:00:00Z`);
const START = day("2026-01-01");
const DUE = day("2026-12-31");
const SPAN_DAYS = 364;
const MIDPOINT = new Date(START.getTime() + (SPAN_DAYS / 2) * 86_400_000); // expected = 0.5

const goal = (actual: number | null, overrides: Partial<GoalInput> = {}): GoalInput => ({
    actual,
    baseline: 0,
    target: 100,
    startDate: START,
    dueDate: DUE,
    ...overrides,
});

// Lower-is-better twin: baseline 100, target 0, so an actual of 100 - x is progress x / 100.
const lower = (actual: number | null, overrides: Partial<GoalInput> = {}): GoalInput =>
    goal(actual, { baseline: 100, target: 0, ...overrides });

describe("goalStatus: status table at half time (expected progress 50%, tolerances 5 and 15)", () => {
    const cases: Array<[string, GoalInput, GoalStatusName]> = [
        ["higher: 100% is met", goal(100), "Met"],
        ["higher: beyond target is met", goal(130), "Met"],
        ["higher: exactly expected - 5 pts is on track", goal(45), "On track"],
        ["higher: just below expected - 5 pts is at risk", goal(44.99), "At risk"],
        ["higher: exactly expected - 20 pts is at risk", goal(30), "At risk"],
        ["higher: just below expected - 20 pts is behind", goal(29.99), "Behind"],
        ["higher: moving the wrong way (negative progress) is behind", goal(-10), "Behind"],
        ["lower: target reached is met", lower(0), "Met"],
        ["lower: below target is met", lower(-5), "Met"],
        ["lower: exactly expected - 5 pts is on track", lower(55), "On track"],
        ["lower: just short of that is at risk", lower(55.01), "At risk"],
        ["lower: exactly expected - 20 pts is at risk", lower(70), "At risk"],
        ["lower: just short of that is behind", lower(70.01), "Behind"],
        ["lower: rising instead of falling is behind", lower(120), "Behind"],
        ["no actual is no data", goal(null), "No data"],
        ["no target is no data", goal(50, { target: null }), "No data"],
    ];
    it.each(cases)("%s", (_name, input, status) => {
        expect(goalStatus(input, MIDPOINT).status).toBe(status);
    });
});

describe("goalStatus: direction and progress", () => {
    it("reports lower-is-better when the target is below the baseline, with a true ratio", () => {
        const result = goalStatus(lower(40), MIDPOINT);
        expect(result.direction).toBe("lower");
        expect(result.progress).toBeCloseTo(0.6, 12);
        expect(result.expectedProgress).toBeCloseTo(0.5, 12);
    });

    it("keeps progress above 1 and below 0 (not clamped)", () => {
        expect(goalStatus(goal(150), MIDPOINT).progress).toBeCloseTo(1.5, 12);
        expect(goalStatus(goal(-20), MIDPOINT).progress).toBeCloseTo(-0.2, 12);
    });

    it("treats target == baseline as higher-is-better, with undefined progress", () => {
        const met = goalStatus(goal(10, { baseline: 10, target: 10 }), MIDPOINT);
        expect(met).toMatchObject({ status: "Met", progress: null, direction: "higher" });
        expect(goalStatus(goal(9, { baseline: 10, target: 10 }), MIDPOINT).status).toBe("Not met");
        expect(goalStatus(goal(9, { baseline: 10, target: 10 }), day("2027-01-05")).status).toBe("Missed");
    });

    it("without a baseline judges only met or not", () => {
        expect(goalStatus(goal(100, { baseline: null }), MIDPOINT).status).toBe("Met");
        expect(goalStatus(goal(50, { baseline: null }), MIDPOINT)).toMatchObject({ status: "Not met", progress: null });
    });
});

describe("goalStatus: dates", () => {
    it("is missed once the due date has passed without meeting the target", () => {
        expect(goalStatus(goal(99), day("2027-01-01")).status).toBe("Missed");
        expect(goalStatus(lower(1), day("2027-01-01")).status).toBe("Missed");
    });

    it("is still judged on pace on the due date itself (not yet passed)", () => {
        const result = goalStatus(goal(95), DUE);
        expect(result.expectedProgress).toBe(1);
        expect(result.status).toBe("On track");
    });

    it("stays met after the due date", () => {
        expect(goalStatus(goal(100), day("2027-06-01")).status).toBe("Met");
    });

    it("before the start date expects nothing, so any progress is on track", () => {
        const result = goalStatus(goal(0), day("2025-12-01"));
        expect(result.expectedProgress).toBe(0);
        expect(result.status).toBe("On track");
    });

    it.each([
        ["no start date", { startDate: null }],
        ["no due date", { dueDate: null }],
        ["no dates at all", { startDate: null, dueDate: null }],
    ])("with %s says only Met or Not met", (_name, dates) => {
        expect(goalStatus(goal(10, dates), day("2030-01-01")).status).toBe("Not met");
        expect(goalStatus(goal(100, dates), day("2030-01-01")).status).toBe("Met");
        expect(goalStatus(goal(10, dates), MIDPOINT).expectedProgress).toBeNull();
    });

    it("treats a zero span (start == due) as 0% expected before the date and 100% from it", () => {
        const same = day("2026-06-01");
        expect(expectedProgress(same, same, day("2026-05-31"))).toBe(0);
        expect(expectedProgress(same, same, same)).toBe(1);
        expect(goalStatus(goal(0, { startDate: same, dueDate: same }), day("2026-05-31")).status).toBe("On track");
        expect(goalStatus(goal(50, { startDate: same, dueDate: same }), same).status).toBe("Behind");
    });

    it("clamps expected progress to 0..1", () => {
        expect(expectedProgress(START, DUE, day("2020-01-01"))).toBe(0);
        expect(expectedProgress(START, DUE, day("2030-01-01"))).toBe(1);
        // 91 of 364 days elapsed
        expect(expectedProgress(START, DUE, day("2026-04-02"))).toBeCloseTo(91 / SPAN_DAYS, 12);
    });
});

describe("goalStatus: tolerances are parameters", () => {
    it("uses the caller's tolerances at their exact boundaries", () => {
        const tight = { onTrack: 0, atRisk: 0.1 };
        expect(goalStatus(goal(50), MIDPOINT, tight).status).toBe("On track");
        expect(goalStatus(goal(49.9), MIDPOINT, tight).status).toBe("At risk");
        expect(goalStatus(goal(40), MIDPOINT, tight).status).toBe("At risk");
        expect(goalStatus(goal(39.9), MIDPOINT, tight).status).toBe("Behind");
    });
});
