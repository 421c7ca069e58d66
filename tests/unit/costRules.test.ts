import { summarizeCost, CostRow } from "../../src/data/costRules";

// The rules every cost figure in this product follows (README "How cost per user is computed"):
// users are a per-agency-per-period figure: never summed across service rows, averaged across
// periods; the statewide figure is total cost over total users, not the mean of agency ratios.

const row = (agency: string, period: string, service: string, cost: number | null, users: number | null): CostRow => ({
    agency,
    period,
    service,
    cost,
    users,
});

describe("cost per user", () => {
    it("does not sum users across service rows of the same agency and period", () => {
        const summary = summarizeCost([
            row("Revenue", "2026-01", "SaaS", 600, 100),
            row("Revenue", "2026-01", "IaaS", 400, 100),
        ]);
        const revenue = summary.agencies.get("Revenue")!;
        expect(revenue.cost).toBe(1000);
        expect(revenue.averageUsers).toBe(100);
        expect(revenue.costPerUser).toBe(10);
    });

    it("averages users across periods rather than summing them", () => {
        const summary = summarizeCost([
            row("Revenue", "2026-01", "SaaS", 1000, 90),
            row("Revenue", "2026-02", "SaaS", 1000, 110),
            row("Revenue", "2026-03", "SaaS", 1000, 100),
        ]);
        const revenue = summary.agencies.get("Revenue")!;
        expect(revenue.averageUsers).toBe(100);
        expect(revenue.costPerUser).toBe(30); // a quarter's cost over the average monthly users
    });

    it("computes the statewide figure as total cost over total users, not the mean of agency ratios", () => {
        const summary = summarizeCost([
            row("Small", "2026-01", "SaaS", 1000, 10), // 100 per user
            row("Large", "2026-01", "SaaS", 9000, 990), // about 9.09 per user
        ]);
        expect(summary.statewide.cost).toBe(10000);
        expect(summary.statewide.averageUsers).toBe(1000);
        expect(summary.statewide.costPerUser).toBe(10);
        const meanOfRatios = (100 + 9000 / 990) / 2;
        expect(summary.statewide.costPerUser).not.toBeCloseTo(meanOfRatios);
    });

    it("averages statewide users over periods of the monthly totals across agencies", () => {
        const summary = summarizeCost([
            row("A", "2026-01", "SaaS", 100, 10),
            row("B", "2026-01", "SaaS", 100, 30),
            row("A", "2026-02", "SaaS", 100, 20),
            row("B", "2026-02", "IaaS", 100, 30),
            row("B", "2026-02", "SaaS", 100, 30),
        ]);
        // month totals: 40 and 50 -> average 45 users; cost 500
        expect(summary.statewide.averageUsers).toBe(45);
        expect(summary.statewide.costPerUser).toBeCloseTo(500 / 45, 10);
    });

    it("nets credits against charges", () => {
        const summary = summarizeCost([
            row("Parks", "2026-01", "SaaS", 500, 50),
            row("Parks", "2026-01", "IaaS", -800, 50),
        ]);
        const parks = summary.agencies.get("Parks")!;
        expect(parks.cost).toBe(-300);
        expect(parks.costPerUser).toBe(-6);
    });

    it("leaves cost per user blank, not Infinity, when users are zero, missing or not numbers", () => {
        const summary = summarizeCost([
            row("Zero", "2026-01", "SaaS", 500, 0),
            row("Missing", "2026-01", "SaaS", 500, null),
            row("NaN", "2026-01", "SaaS", 500, Number.NaN),
        ]);
        for (const name of ["Zero", "Missing", "NaN"]) {
            expect(summary.agencies.get(name)!.costPerUser).toBeNull();
        }
        expect(summary.agencies.get("Missing")!.averageUsers).toBeNull();
        expect(summary.statewide.costPerUser).toBeNull();
    });

    it("ignores periods without a headcount when averaging an agency's users", () => {
        const summary = summarizeCost([
            row("Revenue", "2026-01", "SaaS", 100, 40),
            row("Revenue", "2026-02", "SaaS", 100, null),
            row("Revenue", "2026-03", "SaaS", 100, 60),
        ]);
        expect(summary.agencies.get("Revenue")!.averageUsers).toBe(50);
        expect(summary.agencies.get("Revenue")!.costPerUser).toBe(6);
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
