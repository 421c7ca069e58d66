import powerbi from "powerbi-visuals-api";
import {
    dueWording,
    explainStatus,
    GoalColumns,
    goalFormats,
    goalHistory,
    goalNote,
    GoalValues,
    groupGoalRows,
    readGoalValues,
    rowsOfGoal,
    readPlanMissing,
    teamSummary,
} from "../../src/data/goalModel";
import { goalStatus, GoalStatusName } from "../../src/data/goalStatus";
import { readRoleTable } from "../../src/data/roles";
import { englishLocalize } from "../../src/data/strings";
import { GoalFact, goalDataView } from "../support/goalDataViews";
import DataViewValueColumn = powerbi.DataViewValueColumn;

// The pieces of buildGoalModel, each as a table. Local calendar dates, as Power BI sends date measures.
const date = (year: number, month: number, day: number) => new Date(year, month - 1, day);
const TODAY = date(2026, 5, 16);
const formats = goalFormats("en-US", englishLocalize, TODAY);
const column = (values: unknown[], format = "#,0.0"): DataViewValueColumn =>
    ({ source: { displayName: "m", format }, values }) as unknown as DataViewValueColumn;
const columnsOf = (measures: Partial<Record<keyof GoalColumns, unknown[]>>): GoalColumns => ({
    actual: measures.actual ? [column(measures.actual)] : [],
    target: measures.target ? [column(measures.target)] : [],
    baseline: measures.baseline ? [column(measures.baseline)] : [],
    startDate: measures.startDate ? [column(measures.startDate)] : [],
    dueDate: measures.dueDate ? [column(measures.dueDate)] : [],
    direction: measures.direction ? [column(measures.direction)] : [],
    asOf: measures.asOf ? [column(measures.asOf)] : [],
    planMissing: measures.planMissing ? [column(measures.planMissing)] : [],
});
const values = (overrides: Partial<GoalValues> = {}): GoalValues => ({
    actual: 60,
    target: 100,
    baseline: 0,
    startDate: date(2026, 1, 1),
    dueDate: date(2026, 6, 30),
    direction: null,
    planMissing: null,
    row: 0,
    formats: { actual: "#,0.0", target: "#,0.0", baseline: "#,0.0" },
    notNumber: [],
    tooLarge: [],
    highlighted: null,
    ...overrides,
});

describe("groupGoalRows: rows into teams and goals, each goal's rows in period order", () => {
    const fact = (team: string | null, goal: string, period?: Date): GoalFact => ({ team, goal, period, actual: 1 });
    const cases: Array<[string, GoalFact[], boolean, string[][]]> = [
        // name, rows, Period bound, [team, goal, rows in order, period labels in order] per goal
        [
            "one row per goal, no Period",
            [fact("A", "g1"), fact("A", "g2")],
            false,
            [
                ["A", "g1", "0", ""],
                ["A", "g2", "1", ""],
            ],
        ],
        [
            "same goal name in two teams: two goals",
            [fact("A", "g"), fact("B", "g")],
            false,
            [
                ["A", "g", "0", ""],
                ["B", "g", "1", ""],
            ],
        ],
        [
            "a goal's rows sorted by its periods' time, not the rows' order",
            [fact("A", "g", date(2026, 3, 1)), fact("A", "g", date(2026, 1, 1)), fact("A", "g", date(2026, 2, 1))],
            true,
            [["A", "g", "1,2,0", "Jan 2026,Feb 2026,Mar 2026"]],
        ],
        [
            "each goal holds only its own periods",
            [fact("A", "g1", date(2026, 1, 1)), fact("A", "g2", date(2026, 2, 1)), fact("A", "g2", date(2026, 3, 1))],
            true,
            [
                ["A", "g1", "0", "Jan 2026"],
                ["A", "g2", "1,2", "Feb 2026,Mar 2026"],
            ],
        ],
    ];
    it.each(cases)("%s", (_name, facts, period, expected) => {
        const grouped = groupGoalRows(readRoleTable(goalDataView(facts, { period })), englishLocalize, "en-US");
        const shown = grouped.teams.flatMap((team) =>
            team.goals.map((goal) => {
                const { rows, periods } = rowsOfGoal(grouped, goal);
                return [
                    team.name,
                    grouped.goalNames[goal],
                    rows.join(","),
                    period ? Array.from(periods, grouped.periodLabel).join(",") : "",
                ];
            }),
        );
        expect(shown).toEqual(expected);
        expect(grouped.goalCount).toBe(expected.length);
    });

    it("puts goals under All goals without Team, and says whether there is a history", () => {
        const grouped = groupGoalRows(
            readRoleTable(
                goalDataView([fact(null, "g", date(2026, 1, 1)), fact(null, "g", date(2026, 2, 1))], {
                    team: false,
                    period: true,
                }),
            ),
            englishLocalize,
            "en-US",
        );
        expect(grouped.teams.map((team) => [team.name, team.row])).toEqual([["All goals", -1]]);
        expect(grouped.hasHistory).toBe(true);
    });
});

describe("readGoalValues: one goal's latest values", () => {
    const cases: Array<[string, Partial<Record<keyof GoalColumns, unknown[]>>, number[], Partial<GoalValues>]> = [
        [
            "the latest row with a value",
            { actual: [10, 20, null], target: [100, 100, 100] },
            [0, 1, 2],
            { actual: 20, target: 100, row: 1 },
        ],
        [
            "text only when no row has a number",
            { actual: ["n/a", 5], target: [1, 1] },
            [0, 1],
            { actual: 5, notNumber: [] },
        ],
        [
            "text as the only value is named",
            { actual: ["n/a"], target: [1] },
            [0],
            { actual: null, notNumber: ["actual"] },
        ],
        [
            "a number too large to draw is no value, and named",
            { actual: [1e308], target: [1] },
            [0],
            { actual: null, tooLarge: ["actual"] },
        ],
        ["the smallest double is a value", { actual: [5e-324], target: [1] }, [0], { actual: 5e-324, tooLarge: [] }],
        [
            "dates as ISO text",
            { actual: [1], target: [2], dueDate: ["2026-06-30"] },
            [0],
            { dueDate: date(2026, 6, 30) },
        ],
        ["Improvement plan missing not bound: no flag", { actual: [1], target: [2] }, [0], { planMissing: null }],
        ["the model's 1: missing", { actual: [1], target: [2], planMissing: [1] }, [0], { planMissing: true }],
        ["the model's 0: not missing", { actual: [1], target: [2], planMissing: [0] }, [0], { planMissing: false }],
        [
            "the latest row with a flag decides",
            { actual: [1, 1, 1], target: [2, 2, 2], planMissing: [1, 0, null] },
            [0, 1, 2],
            { planMissing: false },
        ],
        ["blank or text: no flag", { actual: [1], target: [2], planMissing: ["yes"] }, [0], { planMissing: null }],
    ];
    it.each(cases)("%s", (_name, measures, rows, expected) => {
        expect(readGoalValues(rows, columnsOf(measures), false)).toMatchObject(expected);
    });
});

describe("readPlanMissing: the Improvement Plan Missing measure's flag, as the model computed it", () => {
    const cases: Array<[string, powerbi.PrimitiveValue | null | undefined, boolean | null]> = [
        ["1: missing", 1, true],
        ["0: not missing", 0, false],
        ["true: missing", true, true],
        ["false: not missing", false, false],
        ["blank: no flag", null, null],
        ["not sent: no flag", undefined, null],
        ["NaN: no flag", NaN, null],
        ["text: no flag", "1", null],
    ];
    it.each(cases)("%s", (_name, value, expected) => {
        expect(readPlanMissing(value)).toBe(expected);
    });
});

describe("goalNote: the first thing that keeps a row from being judged in full", () => {
    const cases: Array<[string, Partial<GoalValues>, boolean, string]> = [
        ["nothing wrong", {}, true, ""],
        ["text in Actual", { actual: null, notNumber: ["actual"] }, true, "Not a number: Actual"],
        ["too large a Target", { target: null, tooLarge: ["target"] }, true, "Too large to draw: Target"],
        ["no actual", { actual: null }, true, "No actual value."],
        ["no target", { target: null }, true, "No target."],
        ["no baseline", { baseline: null }, true, "No baseline: status from actual against target only."],
        [
            "target equal to baseline",
            { baseline: 100 },
            true,
            "Target equals baseline: status from actual against target only.",
        ],
        ["due before start", { startDate: date(2026, 7, 1) }, true, "Due date is before start date."],
        ["a missing date while dates are bound", { dueDate: null }, true, "No start or due date: only Met or Not met."],
        ["a missing date while dates are not bound", { dueDate: null }, false, ""],
    ];
    it.each(cases)("%s", (_name, overrides, datesBound, note) => {
        expect(goalNote(values(overrides), datesBound, englishLocalize)).toBe(note);
    });
});

describe("dueWording: a countdown while it matters, else the date", () => {
    const cases: Array<[string, Date | null, GoalStatusName, string]> = [
        ["no due date", null, "On track", ""],
        ["45 days away", date(2026, 6, 30), "On track", "due in 45 days"],
        ["tomorrow", date(2026, 5, 17), "At risk", "due in 1 day"],
        ["today", TODAY, "Behind", "due today"],
        ["yesterday", date(2026, 5, 15), "Missed", "overdue by 1 day"],
        ["12 days ago", date(2026, 5, 4), "Missed", "overdue by 12 days"],
        ["more than 90 days away: the date", date(2026, 12, 31), "On track", "due Dec 31, 2026"],
        ["met: the date, whenever", date(2026, 6, 30), "Met", "due Jun 30, 2026"],
    ];
    it.each(cases)("%s", (_name, due, status, text) => {
        expect(dueWording(due, status, formats)).toBe(text);
    });
});

describe("explainStatus: one sentence that explains the status", () => {
    const cases: Array<[string, Partial<GoalValues>, string]> = [
        ["met", { actual: 100 }, "Target met: 100.0 against a target of 100.0."],
        [
            "on pace to judge",
            { actual: 60 },
            "Needs 40.0 more by Jun 30, 2026 to meet the target; 60% done, 75% expected by today.",
        ],
        [
            "lower is better",
            { actual: 40, target: 0, baseline: 100 },
            "Needs 40.0 less by Jun 30, 2026 to meet the target; 60% done, 75% expected by today.",
        ],
        [
            "missed",
            { actual: 60, dueDate: date(2026, 5, 1) },
            "The due date, May 1, 2026, has passed and it still needs 40.0 more to meet the target.",
        ],
        ["no dates", { actual: 60, startDate: null, dueDate: null }, "Needs 40.0 more to meet the target."],
        ["no actual", { actual: null }, "No actual value yet, so the status cannot be judged."],
        ["no target", { target: null }, "No target, so the status cannot be judged."],
        ["too large to draw: the note", { actual: null, tooLarge: ["actual"] }, "Too large to draw: Actual"],
    ];
    it.each(cases)("%s", (_name, overrides, sentence) => {
        const goal = values(overrides);
        const note = goalNote(goal, true, englishLocalize);
        // Expected progress on May 16 of Jan 1 to Jun 30 is 135 / 180 days = 75%.
        expect(explainStatus(goal, goalStatus(goal, TODAY), note, formats)).toBe(sentence);
    });
});

describe("goalHistory: one point per period of the goal's own", () => {
    const cases: Array<
        [string, unknown[], string[], number | null, Array<[string, number | null]>, [number, number] | null]
    > = [
        [
            "one point per period",
            [1, 2, 3],
            ["Jan", "Feb", "Mar"],
            10,
            [
                ["Jan", 1],
                ["Feb", 2],
                ["Mar", 3],
            ],
            [0, 10],
        ],
        [
            "a period without a value breaks the line",
            [1, null, 3],
            ["Jan", "Feb", "Mar"],
            10,
            [
                ["Jan", 1],
                ["Feb", null],
                ["Mar", 3],
            ],
            [0, 10],
        ],
        ["two rows of one period: the later value", [1, 2], ["Jan", "Jan"], 10, [["Jan", 2]], [0, 10]],
        [
            "a value too large to draw is no point",
            [1e308, 4],
            ["Jan", "Feb"],
            10,
            [
                ["Jan", null],
                ["Feb", 4],
            ],
            [0, 10],
        ],
        ["no values and no target: no domain", [null], ["Jan"], null, [["Jan", null]], [0, 0]],
    ];
    it.each(cases)("%s", (_name, actuals, periods, target, points, domain) => {
        // Periods by their place in time order, as groupGoalRows gives them.
        const order = [...new Set(periods)];
        const history = goalHistory(
            actuals.map((_, index) => index),
            periods.map((period) => order.indexOf(period)),
            (index) => order[index],
            [column(actuals)],
            target,
            0,
        );
        expect(history.points.map((point) => [point.period, point.value])).toEqual(points);
        expect(history.domain).toEqual(domain);
    });
});

describe("teamSummary", () => {
    const cases: Array<[string, GoalStatusName[], string]> = [
        ["all good", ["Met", "On track"], "2 of 2 met or on track"],
        [
            "a mix, in the summary's order",
            ["Behind", "Met", "At risk", "No data"],
            "1 of 4 met or on track, 1 at risk, 1 behind, 1 no data",
        ],
        ["none", [], "0 of 0 met or on track"],
    ];
    it.each(cases)("%s", (_name, statuses, summary) => {
        expect(
            teamSummary(
                statuses.map((status) => ({ status })),
                englishLocalize,
                "en-US",
            ).summary,
        ).toBe(summary);
    });
});
