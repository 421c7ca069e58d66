import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
    buildGoalModel,
    daysBetween,
    GoalItem,
    GoalSettings,
    GoalViewModel,
    teamSummary,
    toDate,
} from "../../src/data/goalModel";
import { DEFAULT_TOLERANCES, GoalStatusName } from "../../src/data/goalStatus";
import { memoDates } from "../../src/data/modelHelpers";
import { readRoleTable } from "../../src/data/roles";
import { englishLocalize } from "../../src/data/strings";
import { GoalBinding, GoalFact, goalDataView } from "../support/goalDataViews";

// Local calendar dates, as Power BI sends date measures.
const date = (year: number, month: number, day: number) => new Date(year, month - 1, day);
const TODAY = date(2026, 5, 16);
const START = date(2026, 1, 1);
const DUE = date(2026, 6, 30); // 45 days after TODAY
const defaults: GoalSettings = { tolerances: DEFAULT_TOLERANCES, sort: "team" };

function model(
    facts: GoalFact[],
    binding: GoalBinding = {},
    settings: Partial<GoalSettings> = {},
    today = TODAY,
    locale = "en-US",
): GoalViewModel {
    return buildGoalModel(
        readRoleTable(goalDataView(facts, binding)),
        { ...defaults, ...settings },
        { locale, localize: englishLocalize, today },
    );
}
const goalsOf = (m: GoalViewModel) => m.teams.flatMap((team) => team.goals);
const goal = (m: GoalViewModel, name: string, team?: string) =>
    goalsOf(m).find((g) => g.name === name && (!team || g.team === team))!;
const tip = (item: GoalItem, name: string) => item.tooltip.find((entry) => entry.displayName === name)?.value;

const days = `0.0 "days"`;
const resolution: GoalFact = {
    team: "Service Desk",
    goal: "Resolution time",
    actual: 6.6,
    target: 5,
    baseline: 10,
    start: START,
    due: DUE,
    format: days,
};

describe("goal view model", () => {
    it("gives the plan-missing mark once for the model when any goal is marked, and none when no goal is", () => {
        const marked = model(
            [
                { ...resolution, goal: "Uptime", planMissing: 0 },
                { ...resolution, team: "Cloud", goal: "Backups", planMissing: 1 },
            ],
            { planMissing: true },
        );
        expect(marked.planMark).toBe(`⚑ ${englishLocalize("Goal_PlanMissingMark")}`);
        expect(goal(marked, "Backups").planMark).toBe(marked.planMark);
        expect(model([{ ...resolution, planMissing: 0 }], { planMissing: true }).planMark).toBe("");
        expect(model([resolution]).planMark).toBe("");
    });

    it("groups goals by team, keeping goals with the same name in different teams apart", () => {
        const m = model([
            {
                team: "Service Desk",
                goal: "Satisfaction",
                actual: 4,
                target: 4.2,
                baseline: 3.5,
                start: START,
                due: DUE,
            },
            { team: "Cloud", goal: "Satisfaction", actual: 3, target: 4.2, baseline: 3.5, start: START, due: DUE },
            {
                team: "Service Desk",
                goal: "First-call fix",
                actual: 70,
                target: 80,
                baseline: 60,
                start: START,
                due: DUE,
            },
        ]);
        expect(m.teams.map((team) => [team.name, team.goals.map((g) => g.name)])).toEqual([
            ["Cloud", ["Satisfaction"]],
            ["Service Desk", ["Satisfaction", "First-call fix"]],
        ]);
        expect(m.goalCount).toBe(3);
        expect(goal(m, "Satisfaction", "Cloud").key).not.toBe(goal(m, "Satisfaction", "Service Desk").key);
        expect(goal(m, "Satisfaction", "Cloud").status).toBe("Behind");
        expect(goal(m, "Satisfaction", "Service Desk").status).toBe("On track");
    });

    it("works lower-is-better goals the right way round, with a sentence that explains the status", () => {
        const item = goal(model([resolution]), "Resolution time");
        expect(item.direction).toBe("lower");
        expect(item.progress).toBeCloseTo(0.68, 12); // (6.6 - 10) / (5 - 10)
        expect(item.expectedProgress).toBeCloseTo(135 / 180, 12); // Jan 1 to May 16, of Jan 1 to Jun 30
        expect(item.status).toBe("At risk"); // below 75% - 5 points, within 15 more
        expect(item.explanation).toBe(
            "Needs 1.6 days less by Jun 30, 2026 to meet the target; 68% done, 75% expected by today.",
        );
        expect(item.valueText).toBe("6.6 days / 5.0 days");
        expect(item.progressText).toBe("68%");
        // Exactly on the tolerance line is on track.
        expect(goal(model([{ ...resolution, actual: 6.5 }]), "Resolution time").status).toBe("On track");
        expect(item.dueText).toBe("due in 45 days");
    });

    it("formats each goal's values with its own measure's format string", () => {
        const m = model([
            {
                team: "Cloud",
                goal: "Agencies on state cloud",
                actual: 0.82,
                target: 0.95,
                baseline: 0.4,
                start: START,
                due: DUE,
                format: "0%",
            },
            {
                team: "Service Desk",
                goal: "Tickets closed",
                actual: 12500,
                target: 15000,
                baseline: 10000,
                start: START,
                due: DUE,
                format: "#,0",
            },
            {
                team: "Finance",
                goal: "Savings",
                actual: 250000,
                target: 400000,
                baseline: 0,
                start: START,
                due: DUE,
                format: "\\$#,0",
            },
            resolution,
        ]);
        expect(goal(m, "Agencies on state cloud").valueText).toBe("82% / 95%");
        expect(goal(m, "Tickets closed").valueText).toBe("12,500 / 15,000");
        expect(goal(m, "Savings").valueText).toBe("$250,000 / $400,000");
        expect(tip(goal(m, "Savings"), "Baseline")).toBe("$0");
        expect(goal(m, "Resolution time").actualText).toBe("6.6 days");
    });

    it("uses each measure's column format string when there is no dynamic one", () => {
        const m = model(
            [{ team: "Cloud", goal: "Share", actual: 0.5, target: 0.9, baseline: 0.1, start: START, due: DUE }],
            { actualFormat: "0.0%", targetFormat: "0%" },
        );
        expect(goal(m, "Share").valueText).toBe("50.0% / 90%");
    });

    it("shows progress as a true percent and clamps only the drawing, marking values beyond the axis", () => {
        const m = model([
            { team: "T", goal: "Beyond", actual: 150, target: 100, baseline: 0, start: START, due: DUE },
            { team: "T", goal: "Backwards", actual: -50, target: 100, baseline: 0, start: START, due: DUE },
            { team: "T", goal: "Inside", actual: 50, target: 100, baseline: 0, start: START, due: DUE },
        ]);
        expect(goal(m, "Beyond")).toMatchObject({
            progressText: "150%",
            bar: { end: m.axis[1], overflow: "high" },
            status: "Met",
        });
        expect(goal(m, "Backwards")).toMatchObject({
            progressText: "-50%",
            bar: { end: m.axis[0], overflow: "low" },
            status: "Behind",
        });
        expect(goal(m, "Inside").bar).toEqual({ end: 0.5, overflow: null });
        expect(goal(m, "Inside").expectedTick).toBeCloseTo(135 / 180, 12);
    });

    it("takes the latest period's actual and keeps the history in time order", () => {
        const m = model(
            [
                {
                    team: "Service Desk",
                    goal: "Resolution time",
                    period: date(2026, 3, 1),
                    actual: 8,
                    target: 5,
                    baseline: 10,
                    start: START,
                    due: DUE,
                },
                {
                    team: "Service Desk",
                    goal: "Resolution time",
                    period: date(2026, 1, 1),
                    actual: 9.5,
                    target: 5,
                    baseline: 10,
                    start: START,
                    due: DUE,
                },
                {
                    team: "Service Desk",
                    goal: "Resolution time",
                    period: date(2026, 2, 1),
                    actual: 9,
                    target: 5,
                    baseline: 10,
                    start: START,
                    due: DUE,
                },
                // A month with targets but no measurement yet does not blank the actual.
                {
                    team: "Service Desk",
                    goal: "Resolution time",
                    period: date(2026, 4, 1),
                    actual: null,
                    target: 5,
                    baseline: 10,
                    start: START,
                    due: DUE,
                },
            ],
            { period: true },
        );
        const item = goal(m, "Resolution time");
        expect(m.hasHistory).toBe(true);
        expect(item.actual).toBe(8);
        expect(item.history).toEqual([
            { period: "Jan 2026", value: 9.5 },
            { period: "Feb 2026", value: 9 },
            { period: "Mar 2026", value: 8 },
            { period: "Apr 2026", value: null },
        ]);
        expect(item.historyDomain).toEqual([5, 10]);
        expect(m.teams[0].goals).toHaveLength(1);
    });

    it("says when the goal is due: a countdown, overdue, today, or the date", () => {
        const dueText = (due: Date, actual = 50, today = TODAY) =>
            goal(
                model([{ team: "T", goal: "G", actual, target: 100, baseline: 0, start: START, due }], {}, {}, today),
                "G",
            ).dueText;
        expect(dueText(DUE)).toBe("due in 45 days");
        expect(dueText(date(2026, 5, 17))).toBe("due in 1 day");
        expect(dueText(TODAY)).toBe("due today");
        expect(dueText(date(2026, 5, 4))).toBe("overdue by 12 days");
        expect(dueText(date(2026, 5, 15))).toBe("overdue by 1 day");
        expect(dueText(date(2026, 12, 31))).toBe("due Dec 31, 2026");
        expect(dueText(DUE, 100)).toBe("due Jun 30, 2026"); // met: the countdown no longer matters
        // Later the same day is still the same day.
        expect(dueText(TODAY, 50, new Date(2026, 4, 16, 18, 30))).toBe("due today");
    });

    it("is judged on the calendar day: a goal due today is not yet missed at any hour", () => {
        const late = new Date(2026, 5, 30, 23, 0);
        expect(goal(model([{ ...resolution, actual: 5.2 }], {}, {}, late), "Resolution time").status).toBe("On track");
        expect(goal(model([{ ...resolution, actual: 5.2 }], {}, {}, date(2026, 7, 1)), "Resolution time").status).toBe(
            "Missed",
        );
    });

    it("explains met, missed and not-met goals in one sentence", () => {
        const after = date(2026, 7, 12);
        expect(goal(model([{ ...resolution, actual: 4.8 }]), "Resolution time").explanation).toBe(
            "Target met: 4.8 days against a target of 5.0 days.",
        );
        expect(goal(model([resolution], {}, {}, after), "Resolution time").explanation).toBe(
            "The due date, Jun 30, 2026, has passed and it still needs 1.6 days less to meet the target.",
        );
        expect(goal(model([{ ...resolution, start: null, due: null }]), "Resolution time").explanation).toBe(
            "Needs 1.6 days less to meet the target.",
        );
        expect(
            goal(model([{ team: "T", goal: "Up", actual: 3.9, target: 4.2, baseline: 3.5 }], { dates: false }), "Up")
                .explanation,
        ).toBe("Needs 0.3 more to meet the target.");
    });

    it("puts every figure in the tooltip", () => {
        const item = goal(model([resolution]), "Resolution time");
        expect(item.tooltip).toEqual([
            { displayName: "Team", value: "Service Desk" },
            { displayName: "Goal", value: "Resolution time" },
            { displayName: "Baseline", value: "10.0 days" },
            { displayName: "Target", value: "5.0 days" },
            { displayName: "Actual", value: "6.6 days" },
            { displayName: "Progress", value: "68.0%" },
            { displayName: "Expected progress", value: "75.0%" },
            { displayName: "Due date", value: "Jun 30, 2026 (due in 45 days)" },
            {
                displayName: "At risk",
                value: "Needs 1.6 days less by Jun 30, 2026 to meet the target; 68% done, 75% expected by today.",
            },
            { displayName: "Judged on", value: "May 16, 2026, today (bind As of for the model's day)" },
        ]);
    });

    it("judges on the model's as-of day when As of is bound, and says which day", () => {
        // Start Jan 1, due Jun 30 2026 (180 days); as of Mar 31 is 89 days in: 49.4% expected.
        // Resolution: 10 -> 5 days, actual 6.6: progress (6.6 - 10) / (5 - 10) = 68%: on track by
        // Mar 31 (68 >= 49.4 - 5), at risk by the viewer's May 16 (75% expected, 68 < 70).
        const asOfFact = { ...resolution, asOf: "2026-03-31" };
        const m = model([asOfFact], { asOf: true });
        const item = goal(m, "Resolution time");
        expect(item.status).toBe("On track");
        expect(item.expectedProgress).toBeCloseTo(89 / 180, 10);
        expect(tip(item, "Judged on")).toBe("Mar 31, 2026");
        expect(goal(model([resolution]), "Resolution time").status).toBe("At risk");
    });

    it("takes the goal's direction from the Direction well, needed when the target equals the baseline", () => {
        // "Keep at most 0 incidents": target 0 = baseline 0; 3 incidents are not met when lower is better.
        const incidents: GoalFact = { team: "Security", goal: "Incidents", actual: 3, target: 0, baseline: 0 };
        const m = model([{ ...incidents, direction: "lower" }], { direction: true, dates: false });
        expect(goal(m, "Incidents").direction).toBe("lower");
        expect(goal(m, "Incidents").status).toBe("Not met");
        // Without the well the direction is inferred (higher), and 3 >= 0 reads Met.
        expect(goal(model([incidents], { dates: false }), "Incidents").status).toBe("Met");
    });

    it("summarizes each team", () => {
        const m = model([
            { team: "Cloud", goal: "A", actual: 100, target: 100, baseline: 0, start: START, due: DUE },
            { team: "Cloud", goal: "B", actual: 80, target: 100, baseline: 0, start: START, due: DUE },
            { team: "Cloud", goal: "C", actual: 72, target: 100, baseline: 0, start: START, due: DUE },
            { team: "Cloud", goal: "D", actual: 65, target: 100, baseline: 0, start: START, due: DUE },
            { team: "Cloud", goal: "E", actual: 10, target: 100, baseline: 0, start: START, due: DUE },
        ]);
        expect(m.teams[0].counts).toEqual({ Met: 1, "On track": 2, "At risk": 1, Behind: 1 });
        expect(m.teams[0].summary).toBe("3 of 5 met or on track, 1 at risk, 1 behind");
        expect(m.teams[0].tooltip).toEqual([
            { displayName: "Team", value: "Cloud" },
            { displayName: "Team goals", value: "3 of 5 met or on track, 1 at risk, 1 behind" },
        ]);
    });

    it("takes the tolerances from the settings", () => {
        const facts: GoalFact[] = [
            { team: "T", goal: "G", actual: 65, target: 100, baseline: 0, start: START, due: DUE },
        ]; // 10 points behind 75%
        expect(goal(model(facts), "G").status).toBe("At risk");
        expect(goal(model(facts, {}, { tolerances: { onTrack: 0.1, atRisk: 0.15 } }), "G").status).toBe("On track");
        expect(goal(model(facts, {}, { tolerances: { onTrack: 0, atRisk: 0.05 } }), "G").status).toBe("Behind");
        // Nonsense tolerances fall back to the defaults.
        expect(goal(model(facts, {}, { tolerances: { onTrack: Number.NaN, atRisk: -1 } }), "G").status).toBe("At risk");
    });
});

describe("goal sorting", () => {
    const facts: GoalFact[] = [
        { team: "Service Desk", goal: "Met one", actual: 100, target: 100, baseline: 0, start: START, due: DUE },
        { team: "Service Desk", goal: "Behind one", actual: 20, target: 100, baseline: 0, start: START, due: DUE },
        { team: "Cloud", goal: "On track one", actual: 80, target: 100, baseline: 0, start: START, due: DUE },
        { team: "Apps", goal: "Missed one", actual: 90, target: 100, baseline: 0, start: START, due: date(2026, 5, 1) },
        { team: "Apps", goal: "At risk one", actual: 65, target: 100, baseline: 0, start: START, due: DUE },
        { team: "Apps", goal: "No data one", actual: null, target: 100, baseline: 0, start: START, due: DUE },
    ];
    const order = (m: GoalViewModel) =>
        m.teams.map((team) => `${team.name}: ${team.goals.map((g) => g.name).join(", ")}`);

    it("by team: teams by name, goals in the model's order", () => {
        expect(order(model(facts, {}, { sort: "team" }))).toEqual([
            "Apps: Missed one, At risk one, No data one",
            "Cloud: On track one",
            "Service Desk: Met one, Behind one",
        ]);
    });

    it("by status: the team with the worst goal first, worst goals first", () => {
        expect(order(model(facts, {}, { sort: "status" }))).toEqual([
            "Apps: Missed one, At risk one, No data one",
            "Service Desk: Behind one, Met one",
            "Cloud: On track one",
        ]);
    });

    it("by progress: lowest first, goals without progress last", () => {
        expect(order(model(facts, {}, { sort: "progress" }))).toEqual([
            "Service Desk: Behind one, Met one",
            "Apps: At risk one, Missed one, No data one",
            "Cloud: On track one",
        ]);
    });
});

describe("bad input gives a note, never an exception", () => {
    it("target equal to baseline: status from actual against target only", () => {
        const m = model([
            { team: "T", goal: "Reached", actual: 99.9, target: 99.9, baseline: 99.9, start: START, due: DUE },
            { team: "T", goal: "Short", actual: 99, target: 99.9, baseline: 99.9, start: START, due: DUE },
        ]);
        expect(goal(m, "Reached")).toMatchObject({
            status: "Met",
            progress: null,
            bar: null,
            note: "Target equals baseline: status from actual against target only.",
        });
        expect(goal(m, "Short")).toMatchObject({ status: "Not met", bar: null, progressText: "" });
        expect(tip(goal(m, "Short"), "Progress")).toBe("(Blank)");
    });

    it("null target, no actual and no baseline", () => {
        const m = model([
            { team: "T", goal: "No target", actual: 5, target: null, baseline: 1, start: START, due: DUE },
            { team: "T", goal: "No actual", actual: null, target: 5, baseline: 1, start: START, due: DUE },
            { team: "T", goal: "No baseline", actual: 5, target: 5, baseline: null, start: START, due: DUE },
        ]);
        expect(goal(m, "No target")).toMatchObject({
            status: "No data",
            note: "No target.",
            explanation: "No target, so the status cannot be judged.",
            bar: null,
        });
        expect(goal(m, "No actual")).toMatchObject({ status: "No data", note: "No actual value.", statusIcon: "–" });
        expect(goal(m, "No baseline")).toMatchObject({
            status: "Met",
            note: "No baseline: status from actual against target only.",
            bar: null,
        });
    });

    it("due date before start date, and missing dates", () => {
        const m = model([
            { team: "T", goal: "Backwards dates", actual: 50, target: 100, baseline: 0, start: DUE, due: START },
            { team: "T", goal: "No dates", actual: 50, target: 100, baseline: 0, start: null, due: null },
            { team: "T", goal: "No start", actual: 50, target: 100, baseline: 0, start: null, due: DUE },
        ]);
        expect(goal(m, "Backwards dates").note).toBe("Due date is before start date.");
        expect(goal(m, "Backwards dates").status).toBe("Missed");
        expect(goal(m, "No dates")).toMatchObject({
            status: "Not met",
            note: "No start or due date: only Met or Not met.",
            expectedTick: null,
            dueText: "",
        });
        expect(goal(m, "No start")).toMatchObject({ status: "Not met", dueText: "due in 45 days" });
        expect(m.notes).toEqual([]);
    });

    it("dates not bound: one note for the view, and only Met or Not met", () => {
        const m = model([{ team: "T", goal: "G", actual: 50, target: 100, baseline: 0 }], { dates: false });
        expect(m.notes).toEqual(["Bind Start date and Due date to judge each goal against the time elapsed."]);
        expect(goal(m, "G")).toMatchObject({ status: "Not met", note: "" });
    });

    it("text in a numeric role", () => {
        const m = model([
            { team: "T", goal: "Text actual", actual: "n/a", target: 100, baseline: 0, start: START, due: DUE },
            { team: "T", goal: "Text target", actual: 50, target: "TBD", baseline: "zero", start: START, due: DUE },
        ]);
        expect(goal(m, "Text actual")).toMatchObject({ status: "No data", note: "Not a number: Actual", bar: null });
        expect(goal(m, "Text target")).toMatchObject({ status: "No data", note: "Not a number: Target, Baseline" });
        expect(tip(goal(m, "Text target"), "No data")).toBe("Not a number: Target, Baseline");
    });

    it("accepts dates as Date objects, ISO strings and epoch milliseconds; anything else is no date", () => {
        const m = model([
            { team: "T", goal: "ISO", actual: 80, target: 100, baseline: 0, start: "2026-01-01", due: "2026-06-30" },
            {
                team: "T",
                goal: "ISO time",
                actual: 80,
                target: 100,
                baseline: 0,
                start: "2026-01-01T00:00:00",
                due: "2026-06-30T00:00:00",
            },
            {
                team: "T",
                goal: "Epoch",
                actual: 80,
                target: 100,
                baseline: 0,
                start: START.getTime(),
                due: DUE.getTime(),
            },
            { team: "T", goal: "Junk", actual: 80, target: 100, baseline: 0, start: "soon", due: true },
        ]);
        for (const name of ["ISO", "ISO time", "Epoch"]) {
            expect(goal(m, name).expectedProgress).toBeCloseTo(135 / 180, 12);
            expect(goal(m, name).status).toBe("On track");
        }
        expect(goal(m, "Junk")).toMatchObject({
            status: "Not met",
            expectedProgress: null,
            note: "No start or due date: only Met or Not met.",
        });
        expect(toDate("2026-02-30")).toBeNull();
        expect(toDate(Number.NaN)).toBeNull();
        expect(toDate("12/31/2026")).toBeNull();
    });

    it("reads a date repeated on many rows once, as the same day every time", () => {
        const read = memoDates();
        const first = read("2026-07-15");
        expect(first?.getTime()).toBe(date(2026, 7, 15).getTime());
        expect(read("2026-07-15")).toBe(first);
        expect(read(date(2026, 1, 1).getTime())?.getTime()).toBe(date(2026, 1, 1).getTime());
        expect(read(date(2026, 1, 1))?.getTime()).toBe(date(2026, 1, 1).getTime());
        expect(read("2026-02-30")).toBeNull();
        expect(read("2026-02-30")).toBeNull();
        expect(read(new Date(Number.NaN))).toBeNull();
        expect(read(null)).toBeNull();
    });

    it("blank names, one team only, no team bound, one goal", () => {
        const m = model([{ team: null, goal: null, actual: 1, target: 2, baseline: 0, start: START, due: DUE }]);
        expect(m.teams.map((team) => team.name)).toEqual(["(Blank)"]);
        expect(m.teams[0].goals[0].name).toBe("(Blank)");
        const noTeam = model(
            [{ team: "ignored", goal: "Only", actual: 1, target: 2, baseline: 0, start: START, due: DUE }],
            { team: false },
        );
        expect(noTeam.teams).toHaveLength(1);
        expect(noTeam.teams[0]).toMatchObject({ name: "All goals", row: -1 });
    });

    it("Baseline not bound: met or not met only, with a note", () => {
        const m = model([{ team: "T", goal: "G", actual: 3, target: 5, start: START, due: DUE }], { baseline: false });
        expect(goal(m, "G")).toMatchObject({
            status: "Not met",
            note: "No baseline: status from actual against target only.",
        });
    });
});

describe("days between dates", () => {
    it("counts calendar days, whatever the time of day", () => {
        expect(daysBetween(new Date(2026, 4, 16, 23, 59), new Date(2026, 4, 17, 0, 1))).toBe(1);
        expect(daysBetween(date(2026, 3, 1), date(2026, 4, 1))).toBe(31); // across a DST change in many zones
        expect(daysBetween(date(2026, 5, 16), date(2026, 5, 4))).toBe(-12);
    });
});

describe("in Spanish", () => {
    it("uses the es-ES strings, dates, numbers and plurals", () => {
        const spanish = JSON.parse(
            readFileSync(join(__dirname, "../../stringResources/es-ES/resources.resjson"), "utf8"),
        ) as Record<string, string>;
        const localize = (key: keyof typeof import("../../src/data/strings").englishStrings) => spanish[key] ?? key;
        const build = (fact: GoalFact) =>
            buildGoalModel(readRoleTable(goalDataView([fact])), defaults, { locale: "es-ES", localize, today: TODAY });
        const item = goal(build(resolution), "Resolution time");
        expect(item.statusText).toBe("En riesgo");
        expect(item.dueText).toBe("vence en 45 días");
        expect(item.explanation).toMatch(
            /^Necesita 1,6 days menos para el 30 jun\.?( de)? 2026 para cumplir la meta; 68\s?% logrado, 75\s?% esperado a hoy\.$/,
        );
        expect(goal(build({ ...resolution, due: date(2026, 5, 15) }), "Resolution time").dueText).toBe(
            "vencido hace 1 día",
        );
        expect(build(resolution).teams[0].summary).toBe("0 de 1 cumplidos o encaminados, 1 en riesgo");
        // On track is "Encaminado" (on course), not "En curso" (in progress).
        expect(goal(build({ ...resolution, actual: 6.3 }), "Resolution time").statusText).toBe("Encaminado");
    });

    it("counts each status in a team summary in the singular or the plural", () => {
        const spanish = JSON.parse(
            readFileSync(join(__dirname, "../../stringResources/es-ES/resources.resjson"), "utf8"),
        ) as Record<string, string>;
        const localize = (key: keyof typeof import("../../src/data/strings").englishStrings) => spanish[key] ?? key;
        const statuses = (list: GoalStatusName[]) => list.map((status) => ({ status }));
        expect(teamSummary(statuses(["Missed", "Missed", "Behind"]), localize, "es-ES").summary).toBe(
            "0 de 3 cumplidos o encaminados, 1 atrasado, 2 incumplidos",
        );
        expect(teamSummary(statuses(["Missed", "Not met", "Not met"]), localize, "es-ES").summary).toBe(
            "0 de 3 cumplidos o encaminados, 1 incumplido, 2 no cumplidos",
        );
    });
});
