import { summarizeCost, CostRow } from "../../src/data/costRules";

// The rules every cost figure in this product follows (README "How cost per user is computed"):
// users are a per-agency-per-period headcount (user-months), never summed across service rows and
// added across periods; cost per user is the cost of the months with a headcount over the
// user-months, times 12; the statewide figure is the same sums over every agency.

const row = (
    agency: string,
    period: string,
    service: string,
    cost: number | null,
    users: number | null,
    uncoveredCost?: number | null,
): CostRow => ({ agency, period, service, cost, users, uncoveredCost });

describe("cost per user", () => {
    it("does not sum users across service rows of the same agency and period", () => {
        const summary = summarizeCost([
            row("Revenue", "2026-01", "SaaS", 600, 100),
            row("Revenue", "2026-01", "IaaS", 400, 100),
        ]);
        const revenue = summary.agencies.get("Revenue")!;
        expect(revenue.cost).toBe(1000);
        expect(revenue.userMonths).toBe(100);
        expect(revenue.costPerUser).toBe(120); // 1,000 / 100 user-months x 12
    });

    it("adds user-months across periods, so a quarter's cost gives a yearly rate", () => {
        const summary = summarizeCost([
            row("Revenue", "2026-01", "SaaS", 1000, 90),
            row("Revenue", "2026-02", "SaaS", 1000, 110),
            row("Revenue", "2026-03", "SaaS", 1000, 100),
        ]);
        const revenue = summary.agencies.get("Revenue")!;
        expect(revenue.userMonths).toBe(300);
        expect(revenue.costPerUser).toBe(120); // 3,000 / 300 x 12
    });

    it("equals the year's cost over the users for a full year with a steady headcount", () => {
        const months = Array.from({ length: 12 }, (_, m) => `2025-${String(m + 1).padStart(2, "0")}`);
        const summary = summarizeCost(months.map((m) => row("Parks", m, "SaaS", 500, 50)));
        // 12 x 500 = 6,000 a year over 50 users = 120
        expect(summary.agencies.get("Parks")!.costPerUser).toBeCloseTo(120, 10);
    });

    it("computes the statewide figure as total cost over total user-months, not the mean of agency ratios", () => {
        const summary = summarizeCost([
            row("Small", "2026-01", "SaaS", 1000, 10), // 1,200 a year per user
            row("Large", "2026-01", "SaaS", 9000, 990), // about 109 a year per user
        ]);
        expect(summary.statewide.cost).toBe(10000);
        expect(summary.statewide.userMonths).toBe(1000);
        expect(summary.statewide.costPerUser).toBe(120); // 10,000 / 1,000 x 12
        const meanOfRatios = (1200 + (9000 / 990) * 12) / 2;
        expect(summary.statewide.costPerUser).not.toBeCloseTo(meanOfRatios);
    });

    it("gives the same statewide figure whether agencies cover the same months or not", () => {
        // A reorganised agency: Old for January, New for February; Steady both months.
        const summary = summarizeCost([
            row("Old", "2026-01", "SaaS", 100, 10),
            row("New", "2026-02", "SaaS", 100, 10),
            row("Steady", "2026-01", "SaaS", 300, 30),
            row("Steady", "2026-02", "SaaS", 300, 30),
        ]);
        // cost 800 over 10 + 10 + 60 = 80 user-months x 12 = 120; each agency 120 too
        expect(summary.statewide.costPerUser).toBeCloseTo(120, 10);
        for (const name of ["Old", "New", "Steady"])
            expect(summary.agencies.get(name)!.costPerUser).toBeCloseTo(120, 10);
    });

    it("nets credits against charges", () => {
        const summary = summarizeCost([
            row("Parks", "2026-01", "SaaS", 500, 50),
            row("Parks", "2026-01", "IaaS", -800, 50),
        ]);
        const parks = summary.agencies.get("Parks")!;
        expect(parks.cost).toBe(-300);
        expect(parks.costPerUser).toBe(-72); // -300 / 50 x 12
    });

    it("leaves cost per user blank, not Infinity, when users are zero, missing or not numbers", () => {
        const summary = summarizeCost([
            row("Zero", "2026-01", "SaaS", 500, 0),
            row("Missing", "2026-01", "SaaS", 500, null),
            row("NaN", "2026-01", "SaaS", 500, Number.NaN),
        ]);
        for (const name of ["Zero", "Missing", "NaN"]) {
            expect(summary.agencies.get(name)!.costPerUser).toBeNull();
            expect(summary.agencies.get(name)!.uncoveredCost).toBe(500);
        }
        expect(summary.agencies.get("Missing")!.userMonths).toBeNull();
        expect(summary.statewide.costPerUser).toBeNull();
        expect(summary.statewide.uncoveredCost).toBe(1500);
    });

    it("leaves the cost of months without a headcount out of cost per user, and keeps it apart", () => {
        const summary = summarizeCost([
            row("Revenue", "2026-01", "SaaS", 100, 40),
            row("Revenue", "2026-02", "SaaS", 100, null),
            row("Revenue", "2026-03", "SaaS", 100, 60),
        ]);
        const revenue = summary.agencies.get("Revenue")!;
        expect(revenue.userMonths).toBe(100);
        expect(revenue.coveredCost).toBe(200);
        expect(revenue.uncoveredCost).toBe(100);
        expect(revenue.costPerUser).toBe(24); // 200 / 100 x 12
        expect(revenue.periodsWithUsers).toBe(2);
    });

    it("takes the model's cost without headcount when Period is not bound", () => {
        // One row for the whole year: 1,200 of cost, of which 200 in months without a headcount.
        const summary = summarizeCost([row("Revenue", "", "SaaS", 1200, 100, 200)]);
        const revenue = summary.agencies.get("Revenue")!;
        expect(revenue.coveredCost).toBe(1000);
        expect(revenue.uncoveredCost).toBe(200);
        expect(revenue.costPerUser).toBe(120); // 1,000 / 100 x 12
    });

    it("adds up an agency's rows wherever they come, after names in order and out of it", () => {
        const summary = summarizeCost([
            row("Agriculture", "", "SaaS", 100, 10),
            row("Parks", "", "SaaS", 200, 20),
            row("Revenue", "", "SaaS", 300, 30),
            row("Parks", "", "IaaS", 50, 20),
            row("Banking", "", "SaaS", 400, 40),
            row("Revenue", "", "IaaS", 60, 30),
        ]);
        expect(summary.agencies.count).toBe(4);
        expect(summary.agencies.get("Parks")!.cost).toBe(250);
        expect(summary.agencies.get("Revenue")!.cost).toBe(360);
        expect(summary.agencies.get("Banking")!.costPerUser).toBe(120); // 400 / 40 x 12
        expect(summary.agencies.names.slice(0, 4)).toEqual(["Agriculture", "Parks", "Revenue", "Banking"]);
        expect(summary.statewide.cost).toBe(1110);
    });

    it("treats null and non-finite costs as no cost", () => {
        const summary = summarizeCost([
            row("Revenue", "2026-01", "SaaS", null, 10),
            row("Revenue", "2026-01", "IaaS", Number.POSITIVE_INFINITY, 10),
            row("Revenue", "2026-01", "PaaS", 50, 10),
        ]);
        expect(summary.agencies.get("Revenue")!.cost).toBe(50);
    });
});
