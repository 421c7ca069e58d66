import { addCount, followUpState, parseOpenList, sortedOpenList } from "../../src/data/followUps";
import { readRoleTable } from "../../src/data/roles";
import { buildSatisfactionModel, SatisfactionViewModel } from "../../src/data/satisfactionModel";
import { englishLocalize } from "../../src/data/strings";
import { satisfactionDataView, SatisfactionBinding, SatisfactionFact } from "../support/satisfactionDataViews";

describe("follow-up state of an agency", () => {
    it.each([
        // open, overdue, ratings below 4 -> state
        [null, null, 3, null],
        [0, 0, 0, null],
        [0, 0, 3, "contacted"],
        [2, 0, 3, "open"],
        [2, 1, 3, "overdue"],
        [null, 1, 3, "overdue"],
        [null, 0, 3, "contacted"],
        [3, null, 3, "open"],
    ] as const)("open %p, overdue %p, %p below 4: %p", (open, overdue, low, state) => {
        expect(followUpState({ open, overdue, list: [] }, low)).toBe(state);
    });

    it.each([
        [null, 2, 2, true],
        [1, 2, 3, true],
        [1, null, 1, true],
        [1, undefined, 1, true],
        [1, -1, 1, false],
        [1, "2", 1, false],
        [1, Number.NaN, 1, false],
        [1, Number.POSITIVE_INFINITY, 1, false],
    ] as const)("adds %p and %p to %p (ok: %p)", (total, value, sum, ok) => {
        expect(addCount(total, value)).toEqual({ total: sum, ok });
    });

    it("reads the list measure's lines, day then service, skipping anything else", () => {
        expect(parseOpenList("2025-06-20\tEmail and Calendar\n2025-06-18\t\nnot a day\tX\n2025-06-30")).toEqual([
            { day: "2025-06-20", service: "Email and Calendar" },
            { day: "2025-06-18", service: "" },
            { day: "2025-06-30", service: "" },
        ]);
        for (const value of [null, undefined, "", 42, true]) expect(parseOpenList(value)).toEqual([]);
        expect(
            sortedOpenList([
                { day: "2025-06-20", service: "B" },
                { day: "2025-06-18", service: "Z" },
                { day: "2025-06-20", service: "A" },
                { day: "2025-06-20", service: "A" },
            ]).map((o) => `${o.day} ${o.service}`),
        ).toEqual(["2025-06-18 Z", "2025-06-20 A", "2025-06-20 A", "2025-06-20 B"]);
    });
});

const settings = { lowResponseThreshold: 0, sort: "name" as const, colors: [], displayUnits: 0, decimals: null };
const model = (facts: SatisfactionFact[], binding: SatisfactionBinding): SatisfactionViewModel =>
    buildSatisfactionModel(readRoleTable(satisfactionDataView(facts, binding)), settings, {
        locale: "en-US",
        localize: englishLocalize,
    });

/** Two agencies: Revenue with two open ratings of 2 (one overdue) and one 3 contacted; Labor all contacted; Parks has no low rating. */
const facts: SatisfactionFact[] = [
    {
        agency: "Revenue",
        rating: 2,
        responses: 2,
        open: 2,
        overdue: 1,
        openList: "2025-06-02\tEmail and Calendar\n2025-06-25\t",
    },
    { agency: "Revenue", rating: 3, responses: 1, open: 0, overdue: 0 },
    { agency: "Revenue", rating: 5, responses: 4, open: 0, overdue: 0 },
    { agency: "Labor", rating: 1, responses: 2, open: 0, overdue: 0 },
    { agency: "Parks", rating: 4, responses: 3, open: 0, overdue: 0 },
];
const all = ["open", "overdue", "list"] as ("open" | "overdue" | "list")[];

describe("satisfaction view with the follow-up wells", () => {
    it("shows each agency's state with counts next to its follow-up share, and the statewide one", () => {
        const m = model(facts, { followUps: all });
        const byName = new Map(m.rows.map((r) => [r.name, r]));
        expect(byName.get("Revenue")).toMatchObject({
            followUpState: "overdue",
            openFollowUps: 2,
            overdueFollowUps: 1,
        });
        expect(byName.get("Revenue")!.followUpText).toBe("42.9% (3) ▲ 1 overdue");
        expect(byName.get("Labor")).toMatchObject({ followUpState: "contacted", openFollowUps: 0 });
        expect(byName.get("Labor")!.followUpText).toBe("100.0% (2) ✓ all contacted");
        expect(byName.get("Parks")!.followUpState).toBeNull(); // nothing to follow up
        expect(byName.get("Parks")!.followUpText).toBe("0.0% (0)");
        // The same texts in parts, for a view with less room: 3 of 7 below 4, one overdue.
        expect(byName.get("Revenue")!.followUpParts).toEqual({ share: "42.9%", count: "(3)", state: "▲ 1 overdue" });
        expect(byName.get("Parks")!.followUpParts).toEqual({ share: "0.0%", count: "(0)", state: "" });
        expect(m.statewide).toMatchObject({ followUpState: "overdue", openFollowUps: 2, overdueFollowUps: 1 });
    });

    it("says open (not overdue) when only the open well is bound, and counts it across services", () => {
        const m = model(
            [
                { agency: "Revenue", rating: 2, responses: 1, open: 1, service: "SaaS" },
                { agency: "Revenue", rating: 2, responses: 1, open: 1, service: "IaaS" },
            ],
            { followUps: ["open"], service: true },
        );
        expect(m.rows[0]).toMatchObject({ followUpState: "open", openFollowUps: 2, overdueFollowUps: null });
        expect(m.rows[0].followUpText).toBe("100.0% (2) ● 2 open");
    });

    it("says in the tooltip when an agency's follow-up share is above the statewide one, and by what", () => {
        const rows = new Map(model(facts, { followUps: all }).rows.map((r) => [r.name, r]));
        const lines = (name: string) => rows.get(name)!.tooltip.map((t) => `${t.displayName}: ${t.value}`);
        // Statewide: 5 of 12 responses below 4 (Revenue 3, Labor 2); Revenue's 3 of 7 and Labor's 2 of 2 are above it.
        expect(lines("Revenue")).toContain(
            `Follow-up share vs. statewide: Above statewide (${(500 / 12).toFixed(1)}%)`,
        );
        expect(lines("Labor")).toContain(`Follow-up share vs. statewide: Above statewide (${(500 / 12).toFixed(1)}%)`);
        expect(lines("Parks").join("\n")).not.toContain("vs. statewide");
    });

    it("lists the open ones in the tooltip, oldest first, by date and service", () => {
        const tooltip = model(facts, { followUps: all }).rows.find((r) => r.name === "Revenue")!.tooltip;
        const lines = tooltip.map((t) => `${t.displayName}: ${t.value}`);
        expect(lines).toEqual(
            expect.arrayContaining([
                "Follow-up: 2 open, 1 overdue",
                "Open since 2025-06-02: Email and Calendar",
                "Open since 2025-06-25: (no service)",
            ]),
        );
        expect(lines.indexOf("Open since 2025-06-02: Email and Calendar")).toBeLessThan(
            lines.indexOf("Open since 2025-06-25: (no service)"),
        );
    });

    it("counts a long list beyond the first eight", () => {
        const list = Array.from({ length: 11 }, (_, i) => `2025-06-${String(i + 10)}\tSvc`).join("\n");
        const tooltip = model([{ agency: "A", rating: 1, responses: 11, open: 11, openList: list }], {
            followUps: all,
        }).rows[0].tooltip;
        expect(tooltip.filter((t) => t.displayName.startsWith("Open since"))).toHaveLength(8);
        expect(tooltip.find((t) => t.displayName === "More open follow-ups")?.value).toBe("3");
    });

    it("works as today without the wells: no state, no extra tooltip lines", () => {
        const m = model(facts, {});
        for (const r of [m.statewide, ...m.rows]) {
            expect(r.followUpState).toBeNull();
            expect(r.openList).toEqual([]);
            expect(r.followUpText).not.toMatch(/open|overdue|contacted/);
            expect(r.tooltip.some((t) => t.displayName.startsWith("Open since"))).toBe(false);
        }
        expect(m.rows.find((r) => r.name === "Revenue")!.followUpText).toBe("42.9% (3)");
    });

    it("leaves out negative or text counts and says so in a note, never drawing NaN", () => {
        const m = model([{ agency: "A", rating: 1, responses: 1, open: -3, overdue: "x" }], {
            followUps: ["open", "overdue"],
        });
        expect(m.rows[0]).toMatchObject({ openFollowUps: 0, overdueFollowUps: 0, followUpState: "contacted" });
        expect(m.notes.join(" ")).toMatch(/Counts left out/);
        expect(m.rows[0].followUpText).not.toMatch(/NaN/);
    });
});
