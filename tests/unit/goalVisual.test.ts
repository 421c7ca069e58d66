import powerbi from "powerbi-visuals-api";
import { clock } from "../../src/clock";
import { dataViewFromSpec } from "../support/genericDataView";
import { GoalFact, goalDataView } from "../support/goalDataViews";
import { mountVisual, UpdateType, withObjects } from "../support/host";

jest.mock("../../src/textMeasurer", () => jest.requireActual("../support/fakeTextMeasurer"));

const date = (year: number, month: number, day: number) => new Date(year, month - 1, day);
const START = date(2026, 1, 1);
const DUE = date(2026, 6, 30);
const days = `0.0 "days"`;

const facts: GoalFact[] = [
    {
        team: "Service Desk",
        goal: "Resolution time",
        actual: 6.6,
        target: 5,
        baseline: 10,
        start: START,
        due: DUE,
        format: days,
    },
    {
        team: "Service Desk",
        goal: "First-call fix",
        actual: 0.8,
        target: 0.8,
        baseline: 0.6,
        start: START,
        due: DUE,
        format: "0%",
    },
    {
        team: "Service Desk",
        goal: "Satisfaction",
        actual: 3.6,
        target: 4.2,
        baseline: 3.5,
        start: START,
        due: DUE,
        format: "0.0",
    },
    {
        team: "Cloud",
        goal: "Agencies on state cloud",
        actual: 0.82,
        target: 0.95,
        baseline: 0.4,
        start: START,
        due: date(2026, 12, 31),
        format: "0%",
    },
    {
        team: "Cloud",
        goal: "Satisfaction",
        actual: 4.3,
        target: 4.2,
        baseline: 3.5,
        start: START,
        due: DUE,
        format: "0.0",
    },
];

let mounted: ReturnType<typeof mountVisual>;
beforeEach(() => {
    clock.set(date(2026, 5, 16));
    mounted = mountVisual();
});
afterEach(() => {
    mounted.unmount();
    clock.reset();
});

const q = (selector: string) => [...mounted.element.querySelectorAll<SVGGElement>(selector)];
const headers = () => q("g.ais-goal-team");
const goalRows = () => q("g.ais-goal-goal");
const text = (node: Element, selector: string) => node.querySelector(selector)?.textContent ?? "";
const teamHeader = (name: string) => headers().find((node) => text(node, "text.ais-team-name") === name)!;
/** Rows in drawing order, as "team" and "  goal" (by its accessible name: a drawn name may be shortened). */
const outline = () =>
    q("g.ais-goal-row").map((node) =>
        node.classList.contains("ais-goal-team")
            ? text(node, "text.ais-team-name")
            : `  ${node.getAttribute("aria-label")!.split(", ")[0]}`,
    );
/** A goal's row, found by its accessible name (the drawn name may be shortened). */
const goalRow = (name: string, team?: string) =>
    goalRows().find((node) => {
        if (!node.getAttribute("aria-label")!.startsWith(`${name}, `)) return false;
        if (!team) return true;
        // The goal's header is the nearest team row above it.
        let previous = node.previousElementSibling;
        while (previous && !previous.classList.contains("ais-goal-team")) previous = previous.previousElementSibling;
        return previous ? text(previous, "text.ais-team-name") === team : false;
    })!;
const click = (target: Element, init: MouseEventInit = {}) =>
    target.dispatchEvent(new MouseEvent("click", { bubbles: true, ...init }));
const key = (target: Element, name: string) =>
    target.dispatchEvent(new KeyboardEvent("keydown", { key: name, bubbles: true }));
const num = (element: Element | null, attribute: string) => Number(element!.getAttribute(attribute));
/** The pattern an element is filled with ("url(#id)"), or null for a plain color. */
const patternOf = (element: Element) => {
    const id = /^url\(#(.+)\)$/.exec(element.getAttribute("fill") ?? "")?.[1];
    return id ? mounted.element.querySelector(`pattern#${id}`) : null;
};
const message = () =>
    [...mounted.element.querySelectorAll(".ais-message h2, .ais-message p")].map((node) => node.textContent);
const selections = () => mounted.callsOf("selection").map((call) => [call.method, ...call.args]);

describe("the goal view as a user sees it", () => {
    it("groups goals under team headers with a summary", () => {
        mounted.update(goalDataView(facts));
        expect(outline()).toEqual([
            "Cloud",
            "  Agencies on state cloud",
            "  Satisfaction",
            "Service Desk",
            "  Resolution time",
            "  First-call fix",
            "  Satisfaction",
        ]);
        expect(text(teamHeader("Service Desk"), "text.ais-team-summary")).toBe(
            "1 of 3 met or on track, 1 at risk, 1 behind",
        );
        expect(text(teamHeader("Cloud"), "text.ais-team-summary")).toBe("2 of 2 met or on track");
        expect(mounted.element.querySelector(".ais-goals")!.classList.contains("ais-hidden")).toBe(false);
        expect(mounted.callsOf("events").map((call) => call.method)).toEqual(["renderingStarted", "renderingFinished"]);
    });

    it("labels each goal with its values in its own format, progress, a status badge with icon and word, and the due date", () => {
        mounted.update(goalDataView(facts));
        const row = goalRow("Resolution time");
        // Lower is better here (target below baseline): an arrow says so.
        expect(text(row, "text.ais-goal-value")).toBe("↓ 6.6 days / 5.0 days");
        expect(text(row, "text.ais-goal-progress")).toBe("68%");
        expect(text(row, ".ais-badge text")).toBe("▲ At risk");
        expect(text(row, "text.ais-goal-due")).toBe("due in 45 days");
        expect(text(goalRow("First-call fix"), "text.ais-goal-value")).toBe("80% / 80%");
        expect(text(goalRow("First-call fix"), ".ais-badge text")).toBe("✓ Met");
        expect(text(goalRow("Agencies on state cloud"), "text.ais-goal-due")).toBe("due Dec 31, 2026");
        expect(row.getAttribute("aria-label")).toBe(
            "Resolution time, At risk, 6.6 days / 5.0 days, lower is better, 68%, due in 45 days",
        );
    });

    it("draws the span from baseline to target, the actual's bar, and today's expected progress as a tick", () => {
        mounted.update(goalDataView(facts));
        const row = goalRow("Resolution time");
        const band = row.querySelector("rect.ais-band")!;
        const bar = row.querySelector("rect.ais-actual")!;
        const tick = row.querySelector("line.ais-expected-line")!;
        const baselineX = num(band, "x");
        const span = num(band, "width");
        expect(num(bar, "x")).toBeCloseTo(baselineX, 5);
        expect(num(bar, "width") / span).toBeCloseTo(0.68, 5);
        expect((num(tick, "x1") - baselineX) / span).toBeCloseTo(135 / 180, 5);
        expect(num(row.querySelector("line.ais-target"), "x1")).toBeCloseTo(baselineX + span, 5);
        // The bar carries the status twice, as the badge does: its color and its pattern (the badge has its word).
        const pattern = patternOf(bar)!;
        expect(pattern.querySelector("rect")!.getAttribute("fill")).toBe(
            row.querySelector(".ais-badge rect")!.getAttribute("fill"),
        );
        expect(pattern.querySelector("path")!.getAttribute("d")).not.toBe("");
    });

    it("clamps values beyond the axis and marks them", () => {
        mounted.update(
            goalDataView([
                { team: "T", goal: "Far beyond", actual: 300, target: 100, baseline: 0, start: START, due: DUE },
                { team: "T", goal: "Backwards", actual: -80, target: 100, baseline: 0, start: START, due: DUE },
            ]),
        );
        const beyond = goalRow("Far beyond");
        const band = beyond.querySelector("rect.ais-band")!;
        const bar = beyond.querySelector("rect.ais-actual")!;
        expect(num(bar, "x") + num(bar, "width")).toBeLessThanOrEqual(num(band, "x") + num(band, "width") * 1.2 + 1e-6);
        expect(text(beyond, "text.ais-overflow")).toBe("▶");
        expect(text(beyond, "text.ais-goal-progress")).toBe("300%");
        expect(text(goalRow("Backwards"), "text.ais-overflow")).toBe("◀");
        expect(goalRow("Backwards").querySelector("text.ais-overflow")!.classList.contains("ais-hidden")).toBe(false);
    });

    it("collapses and expands a team, updating the other rows in place", () => {
        mounted.update(goalDataView(facts));
        const resolution = goalRow("Resolution time");
        click(teamHeader("Cloud").querySelector("text.ais-toggle")!);
        expect(outline()).toEqual(["Cloud", "Service Desk", "  Resolution time", "  First-call fix", "  Satisfaction"]);
        expect(teamHeader("Cloud").getAttribute("aria-expanded")).toBe("false");
        expect(text(teamHeader("Cloud"), "text.ais-toggle")).toBe("▸");
        expect(text(teamHeader("Cloud"), "text.ais-team-summary")).toBe("2 of 2 met or on track");
        expect(goalRow("Resolution time")).toBe(resolution);
        expect(mounted.callsOf("selection")).toEqual([]); // the toggle does not select the team
        key(teamHeader("Cloud"), "ArrowRight");
        expect(outline()).toHaveLength(7);
        key(teamHeader("Service Desk"), "ArrowLeft");
        expect(outline()).toEqual(["Cloud", "  Agencies on state cloud", "  Satisfaction", "Service Desk"]);
        // Collapsing is view state: a new DataView keeps it.
        mounted.update(goalDataView(facts));
        expect(outline()).toHaveLength(4);
    });

    it("sorts by the Format pane's choice", () => {
        mounted.update(withObjects(goalDataView(facts), { goals: { sort: "status" } }));
        expect(outline()).toEqual([
            "Service Desk",
            "  Satisfaction",
            "  Resolution time",
            "  First-call fix",
            "Cloud",
            "  Agencies on state cloud",
            "  Satisfaction",
        ]);
        mounted.update(withObjects(goalDataView(facts), { goals: { sort: "progress" } }));
        expect(outline()).toEqual([
            "Service Desk",
            "  Satisfaction",
            "  Resolution time",
            "  First-call fix",
            "Cloud",
            "  Agencies on state cloud",
            "  Satisfaction",
        ]);
        expect(goalRows().map((node) => text(node, "text.ais-goal-progress"))).toEqual([
            "14%",
            "68%",
            "100%",
            "76%",
            "114%",
        ]);
    });

    it("takes the tolerances and colors from the Format pane", () => {
        mounted.update(
            withObjects(goalDataView(facts), {
                goals: { onTrackTolerance: 10, metColor: { solid: { color: "#123456" } } },
            }),
        );
        expect(text(goalRow("Resolution time"), ".ais-badge text")).toBe("● On track");
        expect(goalRow("First-call fix").querySelector(".ais-badge rect")!.getAttribute("fill")).toBe("#123456");
    });

    it("shows each goal's history of actuals against its target when Period is bound", () => {
        const months = [1, 2, 3, 4].map((month) => date(2026, month, 1));
        const history: GoalFact[] = months.map((period, index) => ({
            team: "Service Desk",
            goal: "Resolution time",
            period,
            actual: 10 - index,
            target: 5,
            baseline: 10,
            start: START,
            due: DUE,
            format: days,
        }));
        mounted.update(goalDataView(history, { period: true }), UpdateType.Data, { width: 1000, height: 400 });
        const row = goalRow("Resolution time");
        expect(text(row, "text.ais-goal-value")).toBe("↓ 7.0 days / 5.0 days"); // the latest month's actual
        const path = row.querySelector("path.ais-history-line")!.getAttribute("d")!;
        expect(path.match(/[ML]/g)).toHaveLength(4);
        const target = row.querySelector("line.ais-history-target")!;
        const ys = path
            .slice(1)
            .split(/[L]/)
            .map((point) => Number(point.split(",")[1]));
        // Resolution time falls toward the target line: the last point is the closest to it.
        const distance = ys.map((y) => Math.abs(y - num(target, "y1")));
        expect(distance[3]).toBeLessThan(distance[0]);
        expect(row.querySelector("g.ais-history")!.classList.contains("ais-hidden")).toBe(false);
    });

    it("shows the tooltip with the sentence that explains the status", () => {
        mounted.update(goalDataView(facts));
        goalRow("Resolution time").dispatchEvent(
            new MouseEvent("mousemove", { bubbles: true, clientX: 10, clientY: 10 }),
        );
        const shown = mounted.callsOf("tooltip", "show")[0].args[0] as powerbi.extensibility.TooltipShowOptions;
        expect(shown.dataItems!.map((item) => item.displayName)).toEqual([
            "Team",
            "Goal",
            "Baseline",
            "Target",
            "Actual",
            "Progress",
            "Expected progress",
            "Due date",
            "At risk",
            "Judged on",
        ]);
        expect(shown.dataItems![8].value).toBe(
            "Needs 1.6 days less by Jun 30, 2026 to meet the target; 68% done, 75% expected by today.",
        );
        expect((shown.identities[0] as unknown as { key: string }).key).toBe("team=Service Desk&goal=Resolution time");
    });

    it("marks a goal the model says is behind or at risk without a current plan, in words, and says it in the tooltip", () => {
        // The model's flag: 1 for Resolution time (at risk), 0 elsewhere.
        const flagged = facts.map((fact) => ({ ...fact, planMissing: fact.goal === "Resolution time" ? 1 : 0 }));
        mounted.update(goalDataView(flagged, { planMissing: true }));
        const marks = () =>
            goalRows()
                .filter((row) => !row.querySelector("text.ais-goal-plan")!.classList.contains("ais-hidden"))
                .map((row) => `${text(row, "text.ais-goal-name")}: ${text(row, "text.ais-goal-plan")}`);
        expect(marks()).toEqual(["Resolution time: ⚑ No plan"]);
        const row = goalRow("Resolution time");
        expect(row.getAttribute("aria-label")).toBe(
            "Resolution time, At risk, ⚑ No plan, 6.6 days / 5.0 days, lower is better, 68%, due in 45 days",
        );
        // The mark sits between the badge and the due date, and they do not overlap.
        const badgeRight =
            Number(
                row
                    .querySelector(".ais-badge")!
                    .getAttribute("transform")!
                    .match(/translate\(([\d.]+)/)![1],
            ) + num(row.querySelector(".ais-badge rect"), "width");
        expect(num(row.querySelector("text.ais-goal-plan"), "x")).toBeGreaterThan(badgeRight);
        expect(num(row.querySelector("text.ais-goal-due"), "x")).toBeGreaterThan(
            num(row.querySelector("text.ais-goal-plan"), "x"),
        );
        row.dispatchEvent(new MouseEvent("mousemove", { bubbles: true, clientX: 10, clientY: 10 }));
        const shown = mounted.callsOf("tooltip", "show")[0].args[0] as powerbi.extensibility.TooltipShowOptions;
        expect(shown.dataItems!.find((item) => item.displayName === "Improvement plan")?.value).toBe(
            "Missing: behind or at risk with no plan since its last status change",
        );

        // The model's flag changes: the mark follows, in place.
        mounted.update(
            goalDataView(
                flagged.map((fact) => ({ ...fact, planMissing: 0 })),
                { planMissing: true },
            ),
        );
        expect(marks()).toEqual([]);
    });

    it("without the Improvement plan missing well, draws no mark and no plan line, as before", () => {
        mounted.update(goalDataView(facts.map((fact) => ({ ...fact, planMissing: 1 }))));
        expect(
            goalRows().every((row) => row.querySelector("text.ais-goal-plan")!.classList.contains("ais-hidden")),
        ).toBe(true);
        expect(
            goalRows()
                .map((row) => text(row, "text.ais-goal-plan"))
                .filter(Boolean),
        ).toEqual([]);
        goalRow("Resolution time").dispatchEvent(
            new MouseEvent("mousemove", { bubbles: true, clientX: 10, clientY: 10 }),
        );
        const shown = mounted.callsOf("tooltip", "show")[0].args[0] as powerbi.extensibility.TooltipShowOptions;
        expect(shown.dataItems!.map((item) => item.displayName)).not.toContain("Improvement plan");
    });

    it("scrolls when the goals do not fit, drawing only the rows in view", () => {
        const many: GoalFact[] = Array.from({ length: 120 }, (_, i) => ({
            team: `Team ${String(i % 12).padStart(2, "0")}`,
            goal: `Goal ${i}`,
            actual: i,
            target: 100,
            baseline: 0,
            start: START,
            due: DUE,
        }));
        mounted.update(goalDataView(many));
        const chart = mounted.element.querySelector("svg.ais-goal-chart")!;
        const rowHeight = 26; // 9 pt (12 px) text
        expect(num(chart, "height")).toBe(132 * rowHeight + 4); // 12 headers and 120 goals
        const scroller = mounted.element.querySelector<HTMLElement>(".ais-goals .ais-scroll")!;
        // The pinned header band takes its height off the 400 px; the rows scroll under it.
        const header = num(mounted.element.querySelector("svg.ais-goal-header-svg"), "height");
        expect(header).toBeGreaterThan(0);
        const view = 400 - header;
        expect(scroller.style.height).toBe(`${view}px`);
        const drawn = () => q("g.ais-goal-row").map((node) => Number(node.getAttribute("aria-posinset")));
        // The rows in view (the last in part) and 12 more below them.
        const inView = Math.ceil(view / rowHeight);
        expect(drawn()).toEqual(Array.from({ length: inView + 12 }, (_, i) => i + 1));
        expect(q("g.ais-goal-row")[0].getAttribute("aria-setsize")).toBe("132");
        const first = goalRow("Goal 12");
        // Scroll down 50 rows: rows 39 to 78 are drawn, each at its own place.
        let scrollTop = 50 * rowHeight;
        Object.defineProperty(scroller, "scrollTop", {
            configurable: true,
            get: () => scrollTop,
            set: (value: number) => {
                scrollTop = value;
            },
        });
        scroller.dispatchEvent(new Event("scroll"));
        const lastDrawn = Math.ceil((scrollTop + view) / rowHeight) + 12;
        expect(drawn()).toEqual(Array.from({ length: lastDrawn - 38 }, (_, i) => i + 39));
        const ys = q("g.ais-goal-row").map((node) =>
            Number(/translate\(0,([\d.]+)\)/.exec(node.getAttribute("transform")!)![1]),
        );
        expect(ys[0]).toBe(38 * rowHeight);
        expect(ys.every((y, i) => i === 0 || y === ys[i - 1] + rowHeight)).toBe(true);
        expect(first.isConnected).toBe(false);
        // The keyboard walks the whole list, scrolling as it goes.
        const last = q("g.ais-goal-row").at(-1)!;
        expect(last.getAttribute("aria-posinset")).toBe(String(lastDrawn));
        key(last, "ArrowDown");
        expect(document.activeElement?.getAttribute("aria-posinset")).toBe(String(lastDrawn + 1));
        expect(scrollTop).toBe((lastDrawn + 1) * rowHeight - view);
        key(document.activeElement!, "ArrowUp");
        expect(document.activeElement?.getAttribute("aria-posinset")).toBe(String(lastDrawn));
    });

    it("keeps the badge and bullet in a small visual, dropping the other columns", () => {
        mounted.update(goalDataView(facts), UpdateType.Resize, { width: 220, height: 120 });
        const row = goalRow("Resolution time");
        expect(row.querySelector("text.ais-goal-due")!.classList.contains("ais-hidden")).toBe(true);
        expect(row.querySelector(".ais-badge")!.classList.contains("ais-hidden")).toBe(false);
        expect(num(row.querySelector("rect.ais-band"), "width")).toBeGreaterThan(0);
    });
});

describe("goal selection", () => {
    beforeEach(() => mounted.update(goalDataView(facts)));

    it("selects a goal by team and goal, adds with Ctrl, and clears on empty space", () => {
        click(goalRow("Satisfaction", "Cloud"));
        expect(goalRow("Satisfaction", "Service Desk").classList.contains("ais-dimmed")).toBe(true);
        expect(goalRow("Satisfaction", "Cloud").classList.contains("ais-dimmed")).toBe(false);
        click(goalRow("Resolution time"), { ctrlKey: true });
        click(mounted.element.querySelector(".ais-goals rect.ais-background")!);
        expect(selections()).toEqual([
            ["select", "team=Cloud&goal=Satisfaction", false],
            ["select", "team=Service Desk&goal=Resolution time", true],
            ["clear"],
        ]);
        expect(goalRows().some((node) => node.classList.contains("ais-dimmed"))).toBe(false);
    });

    it("selects a team from its header, keeping its goals lit", () => {
        click(teamHeader("Service Desk"));
        expect(selections()).toEqual([["select", "team=Service Desk", false]]);
        expect(goalRow("Resolution time").classList.contains("ais-dimmed")).toBe(false);
        expect(goalRow("Agencies on state cloud").classList.contains("ais-dimmed")).toBe(true);
        expect(teamHeader("Cloud").classList.contains("ais-dimmed")).toBe(true);
        key(teamHeader("Cloud"), "Enter");
        expect(selections()[1]).toEqual(["select", "team=Cloud", false]);
    });

    it("opens the context menu with the item's identity", () => {
        goalRow("First-call fix").dispatchEvent(
            new MouseEvent("contextmenu", { bubbles: true, cancelable: true, clientX: 5, clientY: 6 }),
        );
        teamHeader("Cloud").dispatchEvent(
            new MouseEvent("contextmenu", { bubbles: true, cancelable: true, clientX: 7, clientY: 8 }),
        );
        expect(selections()).toEqual([
            ["showContextMenu", "team=Service Desk&goal=First-call fix", { x: 5, y: 6 }],
            ["showContextMenu", "team=Cloud", { x: 7, y: 8 }],
        ]);
    });

    it("shows a bookmark's selection", () => {
        mounted.restoreSelection(["team=Cloud&goal=Satisfaction"]);
        expect(goalRow("Satisfaction", "Cloud").getAttribute("aria-selected")).toBe("true");
        expect(goalRow("Satisfaction", "Service Desk").classList.contains("ais-dimmed")).toBe(true);
    });

    it("does not select when the host does not allow interactions, but still collapses", () => {
        mounted.unmount();
        mounted = mountVisual({ allowInteractions: false });
        mounted.update(goalDataView(facts));
        click(goalRow("Resolution time"));
        click(teamHeader("Cloud"));
        expect(mounted.callsOf("selection")).toEqual([]);
        click(teamHeader("Cloud").querySelector("text.ais-toggle")!);
        expect(outline()).toHaveLength(5);
    });

    it("without Team bound, selects goals by goal alone", () => {
        mounted.update(goalDataView(facts.slice(0, 2), { team: false }));
        expect(outline()).toEqual(["All goals", "  Resolution time", "  First-call fix"]);
        click(goalRow("First-call fix"));
        click(teamHeader("All goals"));
        expect(selections()).toEqual([["select", "goal=First-call fix", false]]);
    });
});

describe("bad input and messages", () => {
    it("names the missing fields, then draws once they are bound", () => {
        const full = goalDataView(facts);
        const onlyTeam: powerbi.DataView = {
            metadata: { columns: full.metadata.columns.filter((c) => c.roles?.team) },
            categorical: { categories: full.categorical!.categories!.filter((c) => c.source.roles?.team) },
        };
        mounted.update(onlyTeam);
        expect(message()).toContain("To show this view, add these fields: Goal, Actual, Target");
        mounted.update(full);
        expect(goalRows()).toHaveLength(5);
        expect(mounted.element.querySelector(".ais-message")!.classList.contains("ais-hidden")).toBe(true);
    });

    it("gives a per-row note for every kind of bad row, without an exception or a console error", () => {
        mounted.update(
            goalDataView([
                { team: "Only team", goal: "Zero span", actual: 5, target: 5, baseline: 5, start: START, due: DUE },
                {
                    team: "Only team",
                    goal: "Null target",
                    actual: 5,
                    target: null,
                    baseline: 1,
                    start: START,
                    due: DUE,
                },
                {
                    team: "Only team",
                    goal: "Backwards dates",
                    actual: 5,
                    target: 10,
                    baseline: 0,
                    start: DUE,
                    due: START,
                },
                { team: "Only team", goal: "No dates", actual: 5, target: 10, baseline: 0 },
                { team: "Only team", goal: "Text", actual: "five", target: 10, baseline: 0, start: START, due: DUE },
                {
                    team: "Only team",
                    goal: "Infinite",
                    actual: Number.POSITIVE_INFINITY,
                    target: 10,
                    baseline: 0,
                    start: START,
                    due: DUE,
                },
            ]),
            UpdateType.Data,
            { width: 1400, height: 400 },
        );
        expect(text(goalRow("Zero span"), "text.ais-goal-note")).toBe(
            "Target equals baseline: status from actual against target only.",
        );
        expect(text(goalRow("Zero span"), ".ais-badge text")).toBe("✓ Met");
        expect(goalRow("Zero span").querySelector("g.ais-bullet")!.classList.contains("ais-hidden")).toBe(true);
        expect(text(goalRow("Null target"), "text.ais-goal-note")).toBe("No target.");
        expect(text(goalRow("Backwards dates"), ".ais-badge text")).toBe("✕ Missed");
        expect(text(goalRow("No dates"), "text.ais-goal-due")).toBe("No start or due date: only Met or Not met.");
        expect(text(goalRow("Text"), "text.ais-goal-note")).toBe("Not a number: Actual");
        expect(text(goalRow("Infinite"), ".ais-badge text")).toBe("– No data");
        expect(mounted.callsOf("events").map((call) => call.method)).toEqual(["renderingStarted", "renderingFinished"]);
    });

    it("one goal, then no rows, then the cost fields", () => {
        mounted.update(goalDataView([facts[0]]));
        expect(outline()).toEqual(["Service Desk", "  Resolution time"]);
        mounted.update(goalDataView([]));
        expect(message()).toEqual(["Team goals", "The fields are bound, but there is no data to show."]);
        expect(mounted.element.querySelector(".ais-goals")!.classList.contains("ais-hidden")).toBe(true);
    });
});

describe("Format pane and high contrast", () => {
    it("offers only the cards that do something in the goal view, with all the data label options", () => {
        mounted.update(goalDataView(facts));
        const cards = mounted.visual.getFormattingModel().cards as powerbi.visuals.FormattingCard[];
        expect(cards.map((card) => card.uid)).toEqual(["view-card", "labels-card", "goals-card"]);
        const labels = cards.find((card) => card.uid === "labels-card")!;
        expect(labels.topLevelToggle).toBeDefined();
        expect(
            (labels.groups as powerbi.visuals.FormattingGroup[])
                .flatMap((group) => (group.slices ?? []) as powerbi.visuals.FormattingSlice[])
                .map((slice) => slice.displayName),
        ).toEqual(["Property_Color", "Property_FontSize", "Property_DisplayUnits", "Property_Decimals"]);
    });

    it("has a Team goals card grouped into status rules, rows and a color per status", () => {
        mounted.update(goalDataView(facts));
        const cards = mounted.visual.getFormattingModel().cards as powerbi.visuals.FormattingCard[];
        const goals = cards.find((card) => card.uid.startsWith("goals"))!;
        expect((goals.groups as powerbi.visuals.FormattingGroup[]).map((group) => group.displayName)).toEqual([
            "Group_StatusRules",
            "Group_Rows",
            "Group_StatusColors",
        ]);
        const slices = goals.groups.flatMap((group) =>
            "slices" in group ? (group.slices ?? []) : [],
        ) as powerbi.visuals.FormattingSlice[];
        expect(slices.map((slice) => slice.displayName)).toEqual([
            "Property_Goals_OnTrack",
            "Property_Goals_AtRisk",
            "Property_Goals_Sort",
            "Status_Met",
            "Status_OnTrack",
            "Status_AtRisk",
            "Status_Behind",
            "Status_Missed",
            "Status_NotMet",
            "Status_NoData",
        ]); // the test host's localization manager returns keys
    });

    it("uses only the palette's foreground and background, with words on every badge", () => {
        mounted.unmount();
        mounted = mountVisual({ highContrast: true });
        mounted.update(
            goalDataView(
                facts.map((fact) => ({ ...fact, planMissing: 1 })),
                { planMissing: true },
            ),
        );
        // The "no plan" mark is text in the text color, like the goal names: a glyph and a word.
        expect(new Set(q("text.ais-goal-plan").map((node) => node.getAttribute("fill")))).toEqual(
            new Set(["currentColor"]),
        );
        expect(text(goalRow("Resolution time"), "text.ais-goal-plan")).toBe("⚑ No plan");
        // Bars: the foreground, or a pattern of the foreground on the background (one per status).
        const paints = new Set(
            q("rect.ais-actual").map((rect) => {
                const pattern = patternOf(rect);
                return pattern
                    ? `${pattern.querySelector("rect")!.getAttribute("fill")} ${pattern.querySelector("path")!.getAttribute("stroke")}`
                    : rect.getAttribute("fill");
            }),
        );
        expect(paints).toEqual(new Set(["#FFFF00", "#000000 #FFFF00"]));
        const badgeFills = new Set(q(".ais-badge rect").map((rect) => rect.getAttribute("fill")));
        expect([...badgeFills]).toEqual(["#000000"]);
        expect(new Set(q(".ais-badge text").map((node) => node.getAttribute("fill")))).toEqual(new Set(["#FFFF00"]));
        expect(q(".ais-badge text").every((node) => /\S+ \S+/.test(node.textContent ?? ""))).toBe(true);
        // The stylesheet's colors and dimming are off; the band, target and tick take the foreground.
        expect(mounted.element.querySelector(".ais-goals")!.classList.contains("ais-hc")).toBe(true);
        expect(
            new Set(q("rect.ais-band").map((rect) => `${rect.getAttribute("fill")} ${rect.getAttribute("stroke")}`)),
        ).toEqual(new Set(["none #FFFF00"]));
        expect(
            new Set(
                q("line.ais-target, line.ais-expected-line, path.ais-expected").map((line) =>
                    line.getAttribute("stroke"),
                ),
            ),
        ).toEqual(new Set(["#FFFF00"]));
        // A selection is shown in the selected color, not by dimming the rest: its text and its bar.
        click(goalRow("Resolution time"));
        expect(goalRow("Resolution time").style.color).toBe("rgb(0, 255, 255)");
        expect(goalRow("First-call fix").style.color).toBe("");
        const barPaint = (name: string) => {
            const rect = goalRow(name).querySelector("rect.ais-actual")!;
            const pattern = patternOf(rect);
            return {
                paint: pattern
                    ? `${pattern.querySelector("rect")!.getAttribute("fill")} ${pattern.querySelector("path")?.getAttribute("stroke") ?? ""}`.trim()
                    : rect.getAttribute("fill"),
                stroke: rect.getAttribute("stroke"),
            };
        };
        // The selected bar: the selection color (#00FFFF), solid or as its pattern's lines on the background.
        expect([["#00FFFF"], ["#000000 #00FFFF"]]).toContainEqual([barPaint("Resolution time").paint]);
        expect(barPaint("Resolution time").stroke).toBe("#00FFFF");
        expect([["#FFFF00"], ["#000000 #FFFF00"]]).toContainEqual([barPaint("First-call fix").paint]);
        expect(barPaint("First-call fix").stroke).toBe("#FFFF00");
    });
});

describe("speed (sanity check in jsdom; the browser benchmark measures Chromium)", () => {
    it("updates 300 goals with 24 periods of history (7,200 rows)", () => {
        const rows: GoalFact[] = [];
        for (let g = 0; g < 300; g++) {
            for (let m = 0; m < 24; m++) {
                rows.push({
                    team: `Team ${g % 40}`,
                    goal: `Goal ${g}`,
                    period: date(2025, m + 1, 1),
                    actual: 50 + ((g * 7 + m * 3) % 60),
                    target: g % 3 === 0 ? 20 : 100,
                    baseline: g % 3 === 0 ? 80 : 0,
                    start: START,
                    due: date(2026, 1 + (g % 12), 28),
                });
            }
        }
        const dataView = goalDataView(rows, { period: true });
        const started = performance.now();
        mounted.update(dataView);
        const first = performance.now() - started;
        const again = performance.now();
        mounted.update(goalDataView(rows, { period: true }));
        const second = performance.now() - again;
        // 40 headers and 300 goals, of which the rows in view are drawn.
        expect(num(mounted.element.querySelector("svg.ais-goal-chart"), "height")).toBe(340 * 26 + 4); // 26 px rows at 9 pt text
        expect(q("g.ais-goal-row").length).toBeLessThan(40);
        if (process.env.GOAL_TIMING)
            process.stdout.write(
                `goal view, 7,200 rows in jsdom: first update ${first.toFixed(0)} ms, next ${second.toFixed(0)} ms\n`,
            );
        expect(first + second).toBeLessThan(20000);
    });
});

describe("the goal view under another visual's cross-highlight", () => {
    it("dims the goals the highlight leaves out and keeps the highlighted ones", () => {
        const dataView = dataViewFromSpec({
            categories: [
                { role: "team", values: ["Desk", "Desk", "Cloud"] },
                { role: "goal", values: ["Resolution time", "First-call fix", "Adoption"] },
            ],
            measures: [
                { role: "actual", values: [[8, 70, 50]] },
                { role: "target", values: [[5, 80, 95]] },
                { role: "baseline", values: [[10, 60, 20]] },
            ],
        });
        const actual = dataView.categorical!.values!.grouped()[0].values.find((column) => column.source.roles?.actual)!;
        actual.highlights = [8, null, null] as unknown as powerbi.PrimitiveValue[];
        const mounted = mountVisual();
        try {
            mounted.update(dataView);
            const goalRow = (name: string) =>
                [...mounted.element.querySelectorAll("g.ais-goal-goal")].find(
                    (row) => row.querySelector("text.ais-goal-name")!.textContent === name,
                )!;
            expect(goalRow("Resolution time").classList.contains("ais-dimmed")).toBe(false);
            expect(goalRow("First-call fix").classList.contains("ais-dimmed")).toBe(true);
            expect(goalRow("Adoption").classList.contains("ais-dimmed")).toBe(true);
        } finally {
            mounted.unmount();
        }
    });
});

describe("goal values in their unit, as data labels", () => {
    // The formats the model's dynamic format string gives a goal in % and one in minutes.
    const unitFacts: GoalFact[] = [
        {
            team: "Ops",
            goal: "Availability",
            actual: 89.99,
            target: 99,
            baseline: 80,
            start: START,
            due: DUE,
            format: '#,0.0"%"',
        },
        {
            team: "Ops",
            goal: "Outage minutes",
            actual: 1500,
            target: 600,
            baseline: 2400,
            start: START,
            due: DUE,
            format: '#,0" min"',
        },
    ];
    const values = () => unitFacts.map((fact) => text(goalRow(fact.goal!), "text.ais-goal-value"));
    const labels = (objects: powerbi.DataViewObject) =>
        mounted.update(withObjects(goalDataView(unitFacts), { labels: objects }), UpdateType.Data, {
            width: 1000,
            height: 300,
        });

    it("shows each value in the format string Power BI sends with it", () => {
        labels({});
        expect(values()).toEqual(["90.0% / 99.0%", "↓ 1,500 min / 600 min"]);
    });

    it("applies Decimal places and Display units, and the tooltip keeps the full format", () => {
        labels({ decimals: 2 });
        expect(values()).toEqual(["89.99% / 99.00%", "↓ 1,500.00 min / 600.00 min"]);
        labels({ displayUnits: 1000, decimals: 1 });
        expect(values()[1]).toBe("↓ 1.5K min / 0.6K min");
        goalRow("Outage minutes").dispatchEvent(new MouseEvent("mousemove", { bubbles: true }));
        const shown = mounted
            .callsOf("tooltip")
            .filter((call) => call.method === "show")
            .pop();
        const items = (shown!.args[0] as { dataItems: { displayName: string; value: string }[] }).dataItems;
        expect(items.find((item) => item.displayName === "Target")?.value).toBe("600 min");
    });

    it("hides the values and progress when Data labels are off, and colors them as Data labels' Color says", () => {
        labels({ color: { solid: { color: "#123456" } } });
        expect(goalRow("Availability").querySelector("text.ais-goal-value")!.getAttribute("fill")).toBe("#123456");
        labels({ show: false });
        for (const selector of ["text.ais-goal-value", "text.ais-goal-progress"])
            expect(goalRow("Availability").querySelector(selector)!.classList.contains("ais-hidden")).toBe(true);
    });
});

describe("the goal view's header band", () => {
    const keyTexts = () => q("g.ais-goal-key text").map((node) => node.textContent);
    const columns = () => q("text.ais-goal-column").map((node) => node.textContent);

    it("names each column and keys the target and expected marks, with the arrow only when a goal is lower-is-better", () => {
        mounted.update(goalDataView(facts), UpdateType.Data, { width: 1000, height: 400 });
        expect(columns()).toEqual(["Goal", "Progress to target", "Actual / target", "% done", "Status", "Due"]);
        expect(keyTexts()).toEqual(["Target", "Expected so far", "↓ Lower is better"]);
        // The key draws each mark as the rows do: the target's solid line, expected progress's dashed
        // line under its triangle (the same classes as the rows' marks, so the same stroke and dashes).
        const shownMarks = (item: string) =>
            q(`g.ais-goal-key-${item} line, g.ais-goal-key-${item} path`)
                .filter((node) => !node.classList.contains("ais-hidden"))
                .map(
                    (node) =>
                        `${node.tagName} ${[...node.classList].filter((name) => name !== "ais-goal-key-line" && name !== "ais-goal-key-mark").join(" ")}`,
                );
        const rowMarks = (selector: string) => q(`g.ais-goal-goal ${selector}`)[0];
        expect(shownMarks("target")).toEqual(["line ais-target"]);
        expect(shownMarks("expected")).toEqual(["line ais-expected-line", "path ais-expected"]);
        expect(shownMarks("lower")).toEqual([]);
        expect(rowMarks("line.ais-target")).toBeDefined();
        expect(rowMarks("line.ais-expected-line")).toBeDefined();
        // The triangle sits on top of the dashed line, as in a row.
        const keyLine = q("g.ais-goal-key-expected line")[0];
        const triangleTip = Number(
            /L[\d.-]+,([\d.-]+)/.exec(q("g.ais-goal-key-expected path")[0].getAttribute("d")!)![1],
        );
        expect(triangleTip).toBe(num(keyLine, "y1"));
        const higher = facts.filter((fact) => fact.goal !== "Resolution time");
        mounted.update(goalDataView(higher), UpdateType.Data, { width: 1000, height: 400 });
        expect(keyTexts()).toEqual(["Target", "Expected so far"]);
    });

    it("keeps the status and due columns under their headers when a resize moves them", () => {
        const translateX = (node: Element | null) =>
            Number(/translate\(([-\d.]+)/.exec(node?.getAttribute("transform") ?? "")?.[1] ?? NaN);
        const headerX = (name: string) =>
            num(q("text.ais-goal-column").find((node) => node.textContent === name) ?? null, "x");
        const seen: number[] = [];
        for (const [type, width] of [
            [UpdateType.Data, 1000],
            [UpdateType.Resize, 800],
        ] as const) {
            mounted.update(goalDataView(facts), type, { width, height: 400 });
            for (const row of goalRows()) {
                // Where a row's column starts in the chart: its group's place plus its own.
                const group = translateX(row.querySelector("g.ais-goal-columns"));
                expect(group + translateX(row.querySelector("g.ais-badge"))).toBeCloseTo(headerX("Status"), 5);
                expect(group + num(row.querySelector("text.ais-goal-due"), "x")).toBeCloseTo(headerX("Due"), 5);
            }
            seen.push(headerX("Due"));
        }
        expect(seen[1]).toBeLessThan(seen[0]);
    });

    it("is outside the scroll area, so it stays while the rows scroll", () => {
        mounted.update(goalDataView(facts));
        const header = mounted.element.querySelector(".ais-goals .ais-goal-header")!;
        expect(header.closest(".ais-scroll")).toBeNull();
        expect(header.nextElementSibling?.classList.contains("ais-scroll")).toBe(true);
    });
});
