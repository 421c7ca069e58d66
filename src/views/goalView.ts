import { ScaleLinear, scaleLinear } from "d3-scale";
import { select, Selection } from "d3-selection";
import { line } from "d3-shape";
import { GoalItem, GoalTeam, GoalViewModel, HistoryPoint } from "../data/goalModel";
import { GoalStatusName } from "../data/goalStatus";
import { createChartFrame, NAME_COLUMN_SHARE, namesAboveBars, scrollbarWidthIn, sizeChart } from "./chartFrame";
import { HatchPatterns, hatchStroke } from "./hatchPatterns";
import { wrap } from "./wrapText";
import { handleRowKey, isMultiSelect, RovingTabStop, showTooltipOnFocus } from "./rowKeys";
import { CachedHeight, keepDrawn, rowWindow, RowWindow, widthSample } from "./rowWindow";
import { ItemEvents, Palette, TextMeasurer, Viewport } from "./viewTypes";
import { changedAttr, changedClass, changedText, DrawnFrom, placeWithin, redrawn } from "./changedWrites";

export type GoalRowDatum = GoalItem | GoalTeam;

export interface GoalEvents extends ItemEvents<GoalRowDatum> {
    /** Collapse or expand a team. */
    toggle(team: GoalTeam): void;
}

export interface GoalViewOptions {
    fontSize: number;
    /** Data labels' Show: the values and progress columns. */
    showValues: boolean;
    /** Data labels' Color, for those columns (high contrast draws them in the foreground). */
    valueColor: string;
    statusColors: Record<GoalStatusName, string>;
    /** Keys of the collapsed teams. */
    collapsed: ReadonlySet<string>;
    /** Keys of the selected goals and teams; the rest is dimmed while any is selected. */
    selected: ReadonlySet<string>;
    palette: Palette;
    labels: GoalViewLabels;
}

/** The view's localized words: toggles' accessible names, the header band's columns and key. */
export interface GoalViewLabels {
    collapse: string;
    expand: string;
    columns: Record<GoalColumn, string>;
    key: { target: string; expected: string; lower: string };
}

export type GoalColumn = "goal" | "progress" | "values" | "done" | "status" | "due" | "trend";

/**
 * How each status fills its bar as well as its color, so bars are told apart without color (the
 * common color vision deficiencies, high contrast): the hatch of its index (hatchPatterns.ts; 0
 * is solid). No data has no bar.
 */
export const statusHatches: Record<GoalStatusName, number> = {
    Met: 0,
    "On track": 1,
    "At risk": 3,
    Behind: 4,
    Missed: 5,
    "Not met": 2,
    "No data": 0,
};
const statusPattern = (status: GoalStatusName) => hatchStroke(statusHatches[status]);
const patternTile = 6;
/** The most lines a name above its bar takes. */
const nameLines = 2;
let viewInstances = 0;

interface Layout {
    width: number;
    rowHeight: number;
    bandHeight: number;
    /** Names above the bars (narrow visuals): two lines a row. */
    narrow: boolean;
    /** Narrow: the name's lines above the bar (0 beside it) and their height. */
    nameLines: number;
    nameLineHeight: number;
    /** Middles of the (first) name line and of the bullet line (the same line when not narrow). */
    nameMiddle: number;
    bulletMiddle: number;
    /** Header band: key lines and the columns line. */
    lineHeight: number;
    key: { text: string; mark: "target" | "expected" | "lower"; x: number; line: number; width: number }[];
    keyLines: number;
    headerHeight: number;
    nameLeft: number;
    nameRight: number;
    plotLeft: number;
    plotRight: number;
    valueRight: number;
    progressRight: number;
    badgeLeft: number;
    badgeWidth: number;
    /** Where the "no plan" mark starts, after the badge (its width is 0 when no goal has one). */
    planLeft: number;
    dueLeft: number;
    dueWidth: number;
    historyLeft: number;
    showValues: boolean;
    showProgress: boolean;
    showDue: boolean;
    showHistory: boolean;
    /** Width of the values column and of the progress column. */
    valueWidth: number;
    progressWidth: number;
    height: number;
}

const padding = 8;
const gap = 8;
const historyWidth = 56;
/** The badge's text weight: drawn and measured at it. */
const badgeFontWeight = "600";

type Div = Selection<HTMLDivElement, unknown, null, undefined>;

interface Widths {
    name: number;
    value: number;
    /** Headers and key texts, by column and key item. */
    headers: Record<GoalColumn, number>;
    keys: { target: number; expected: number; lower: number };
    anyLower: boolean;
    progress: number;
    badge: number;
    plan: number;
    due: number;
}

interface DrawState {
    items: GoalRowDatum[];
    layout: Layout;
    x: ScaleLinear<number, number>;
    options: GoalViewOptions;
    /** Height of the scrolling area. */
    height: number;
    hasHighlights: boolean;
}

/**
 * The widest of some texts: the longest few by character count are measured, so thousands of
 * goals cost a handful of measurements.
 */
function widest(texts: string[], measure: (text: string) => number): number {
    let longest = 0;
    for (const text of texts) longest = Math.max(longest, text.length);
    let width = 0;
    let measured = 0;
    for (const text of texts) {
        if (text.length < longest * 0.8 || measured >= 40) continue;
        measured++;
        width = Math.max(width, measure(text));
    }
    return width;
}
type Row = Selection<SVGGElement, GoalRowDatum, null, undefined>;

const rowKey = (datum: GoalRowDatum) => `${datum.kind}:${datum.key}`;
/** Marks a lower-is-better goal's values: the bar still grows toward the target, left to right. */
const lowerMark = "↓";
const valueLabel = (goal: GoalItem) =>
    goal.direction === "lower" && goal.valueText ? `${lowerMark} ${goal.valueText}` : goal.valueText;

/**
 * Team goals as bullet rows, grouped under collapsible team headers. Rows (headers and goals)
 * are joined by key and updated in place; a collapsed team's goals leave the join. Only the rows
 * in view (and a few around them) are drawn: the chart keeps its full height for the scroll bar,
 * and scrolling draws the rows that come into view.
 */
export class GoalView {
    private readonly root: Div;
    private readonly notes: Div;
    private readonly header: Div;
    private readonly headerSvg: Selection<SVGSVGElement, unknown, null, undefined>;
    private readonly scroller: Div;
    private readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
    private readonly background: Selection<SVGRectElement, unknown, null, undefined>;
    private readonly patterns: Selection<SVGDefsElement, unknown, null, undefined>;
    /** High contrast: the statuses' hatches in the foreground and, for selected rows, the selection color (as the cost view's). */
    private readonly hatches: HatchPatterns;
    private readonly rows: Selection<SVGGElement, unknown, null, undefined>;
    /** Pattern ids are unique per visual: a report page may show several. */
    private readonly patternPrefix = `ais-goal-pattern-${++viewInstances}`;
    private state: DrawState | null = null;
    private readonly tabStop = new RovingTabStop<GoalRowDatum>(rowKey);
    private widths: { model: GoalViewModel; fontSize: number; labels: GoalViewLabels; value: Widths } | null = null;
    private readonly notesHeight = new CachedHeight();
    private readonly historyPaths = new WeakMap<GoalItem, { key: string; path: string | null }>();
    /** What each goal row's columns, and its bullet's paint, were last drawn from. */
    private readonly drawnColumns = new DrawnFrom();
    private readonly paintedBullets = new DrawnFrom();
    private readonly goalNames = new WeakMap<GoalItem, { lower: string; name: string }>();
    /** The scroll position, kept from scroll events: reading it during an update would force a layout. */
    private scrollTop = 0;
    /** The rows drawn last: a resize by a row or two keeps them (keepDrawn). */
    private drawnWindow: RowWindow | null = null;

    constructor(
        parent: HTMLElement,
        private readonly measurer: TextMeasurer,
        private readonly events: GoalEvents,
    ) {
        ({
            root: this.root,
            notes: this.notes,
            scroller: this.scroller,
            svg: this.svg,
            background: this.background,
        } = createChartFrame(parent, { root: "ais-goals ais-hidden", chart: "ais-goal-chart", legend: false }, events));
        // The header band stays put above the scrolling rows: what each column is, and the marks' key.
        this.header = this.root.insert("div", ".ais-scroll").attr("class", "ais-goal-header");
        this.headerSvg = this.header.append("svg").attr("class", "ais-goal-header-svg").attr("aria-hidden", "true");
        this.patterns = this.svg.append("defs");
        this.hatches = new HatchPatterns(this.svg);
        this.rows = this.svg
            .append("g")
            .attr("class", "ais-goal-rows")
            .attr("role", "tree")
            .attr("aria-multiselectable", "true");

        this.scroller.on("scroll", () => {
            this.scrollTop = this.scroller.node()?.scrollTop ?? 0;
            this.drawRows();
        });
    }

    show(visible: boolean): void {
        this.root.classed("ais-hidden", !visible);
    }

    render(model: GoalViewModel, viewport: Viewport, options: GoalViewOptions): void {
        const { palette } = options;
        // In high contrast the stylesheet's colors and dimming are off (ais-hc): only the palette paints.
        this.root
            .classed("ais-hc", palette.isHighContrast)
            .style("width", `${viewport.width}px`)
            .style("height", `${viewport.height}px`)
            .style("font-size", `${options.fontSize}px`)
            .style("color", () => (palette.isHighContrast ? palette.foreground : null));
        this.notes
            .selectAll<HTMLParagraphElement, string>("p")
            .data(model.notes)
            .join("p")
            .call(changedText, (note) => note);
        const notesHeight = this.notesHeight.read(
            `${viewport.width}|${options.fontSize}|${model.notes.join("\n")}`,
            () => this.notes.node()?.offsetHeight ?? 0,
        );

        const items: GoalRowDatum[] = [];
        for (const team of model.teams) {
            items.push(team);
            if (!options.collapsed.has(team.key)) items.push(...team.goals);
        }
        const viewHeight = Math.max(0, viewport.height - notesHeight);
        let layout = this.chooseLayout(model, items, viewport.width, viewHeight, options);
        // Rows taller than the scroll area bring a scrollbar: they are laid out in what it leaves.
        if (layout.height > viewHeight - layout.headerHeight) {
            const scrollbar = scrollbarWidthIn(this.root.node() as HTMLElement);
            if (scrollbar > 0)
                layout = this.chooseLayout(model, items, viewport.width - scrollbar, viewHeight, options);
        }
        const height = Math.max(0, viewHeight - layout.headerHeight);
        this.scroller.style("height", `${height}px`);
        const x = scaleLinear()
            .domain([model.axis[0], model.axis[1]])
            .range([layout.plotLeft, layout.plotRight])
            .clamp(true);

        this.renderPatterns(options);
        this.hatches.render(options.palette);
        this.renderHeader(layout, options);
        sizeChart({ svg: this.svg, background: this.background }, layout.width, layout.height);
        this.state = { items, layout, x, options, height, hasHighlights: model.hasHighlights };
        this.drawRows();
    }

    /** One pattern per status: its marks over the status color (high contrast uses the shared hatches). */
    private renderPatterns(options: GoalViewOptions): void {
        const { palette, statusColors } = options;
        const entries = palette.isHighContrast
            ? []
            : (Object.keys(statusHatches) as GoalStatusName[]).filter((status) => statusPattern(status));
        const patterns = this.patterns
            .selectAll<SVGPatternElement, GoalStatusName>("pattern")
            .data(entries, (status) => status)
            .join((enter) => {
                const pattern = enter
                    .append("pattern")
                    .attr("patternUnits", "userSpaceOnUse")
                    .attr("width", patternTile)
                    .attr("height", patternTile);
                pattern.append("rect").attr("width", patternTile).attr("height", patternTile);
                pattern.append("path").attr("fill", "none").attr("stroke-width", 1.5);
                return pattern;
            })
            .call(changedAttr, "id", (status) => this.patternId(status));
        patterns.select("rect").call(changedAttr, "fill", (status) => statusColors[status]);
        patterns
            .select("path")
            .call(changedAttr, "d", (status) => statusPattern(status))
            .call(changedAttr, "stroke", "#ffffff");
    }

    private patternId(status: GoalStatusName): string {
        return `${this.patternPrefix}-${status.replace(/\s+/g, "-").toLowerCase()}`;
    }

    /**
     * The bar's paint: its status's pattern, or its color when the status has none. In high contrast
     * the pattern or fill is the foreground, or the selection color on a selected row.
     */
    private barFill(goal: GoalItem, options: GoalViewOptions, selected: boolean): string {
        const { palette } = options;
        if (palette.isHighContrast)
            return statusPattern(goal.status)
                ? this.hatches.fill(statusHatches[goal.status], selected)
                : selected
                  ? palette.foregroundSelected
                  : palette.foreground;
        return statusPattern(goal.status) ? `url(#${this.patternId(goal.status)})` : options.statusColors[goal.status];
    }

    /** The header band: the key of the marks, then what each column shows, at the rows' column positions. */
    private renderHeader(layout: Layout, options: GoalViewOptions): void {
        const { fontSize, labels, palette } = options;
        const hc = palette.isHighContrast;
        this.header.style("height", `${layout.headerHeight}px`);
        this.headerSvg.call(changedAttr, "width", layout.width).call(changedAttr, "height", layout.headerHeight);
        const lineMiddle = (line: number) => line * layout.lineHeight + layout.lineHeight / 2;

        const keys = this.headerSvg
            .selectAll<SVGGElement, Layout["key"][number]>("g.ais-goal-key")
            .data(layout.key, (item) => item.mark)
            .join((enter) => {
                const item = enter.append("g").attr("class", (item) => `ais-goal-key ais-goal-key-${item.mark}`);
                // The marks themselves: the target's solid line; expected progress's dashed line under its triangle.
                item.append("line").attr("class", "ais-goal-key-line");
                item.append("path").attr("class", "ais-goal-key-mark");
                item.append("text").attr("class", "ais-goal-key-text").attr("dominant-baseline", "central");
                return item;
            })
            .call(changedAttr, "transform", (item) => `translate(${item.x},${lineMiddle(item.line)})`);
        // As tall as a row's band, the triangle above it, within the key's line.
        const half = Math.min(Math.round(layout.bandHeight / 2), Math.floor(layout.lineHeight / 2) - 5);
        keys.select("line")
            .call(changedAttr, "class", (item) =>
                item.mark === "lower"
                    ? "ais-goal-key-line ais-hidden"
                    : `ais-goal-key-line ${item.mark === "target" ? "ais-target" : "ais-expected-line"}`,
            )
            .call(changedAttr, "x1", 5)
            .call(changedAttr, "x2", 5)
            .call(changedAttr, "y1", (item) => (item.mark === "target" ? -half - 2 : -half))
            .call(changedAttr, "y2", (item) => (item.mark === "target" ? half + 2 : half))
            .call(changedAttr, "stroke", hc ? palette.foreground : null);
        keys.select("path")
            .call(changedAttr, "d", (item) => (item.mark === "expected" ? expectedMarkPath(5, -half) : null))
            .call(
                changedAttr,
                "class",
                (item) => `ais-goal-key-mark${item.mark === "expected" ? " ais-expected" : " ais-hidden"}`,
            )
            .call(changedAttr, "fill", (item) => (item.mark === "expected" ? (hc ? palette.foreground : null) : "none"))
            .call(changedAttr, "stroke", hc ? palette.foreground : null);
        keys.select("text")
            .call(changedAttr, "x", (item) => (item.mark === "lower" ? 0 : keyMarkWidth))
            .call(changedAttr, "fill", "currentColor")
            .call(changedText, (item) =>
                this.measurer.fit(item.text, fontSize, item.width - (item.mark === "lower" ? 0 : keyMarkWidth)),
            );

        const columnsMiddle = lineMiddle(layout.keyLines);
        const columns: { column: GoalColumn; x: number; width: number; anchor: "start" | "end"; shown: boolean }[] = [
            {
                column: "goal",
                x: layout.narrow ? layout.nameLeft : layout.nameRight,
                width: layout.narrow ? 0 : layout.nameRight - layout.nameLeft,
                anchor: "end",
                shown: !layout.narrow,
            },
            {
                column: "progress",
                x: layout.plotLeft,
                width: layout.plotRight - layout.plotLeft,
                anchor: "start",
                shown: true,
            },
            {
                column: "values",
                x: layout.valueRight,
                width: layout.valueWidth,
                anchor: "end",
                shown: layout.showValues,
            },
            {
                column: "done",
                x: layout.progressRight,
                width: layout.progressWidth,
                anchor: "end",
                shown: layout.showProgress,
            },
            { column: "status", x: layout.badgeLeft, width: layout.badgeWidth, anchor: "start", shown: true },
            { column: "due", x: layout.dueLeft, width: layout.dueWidth, anchor: "start", shown: layout.showDue },
            { column: "trend", x: layout.historyLeft, width: historyWidth, anchor: "start", shown: layout.showHistory },
        ];
        this.headerSvg
            .selectAll<SVGTextElement, (typeof columns)[number]>("text.ais-goal-column")
            .data(
                columns.filter((column) => column.shown),
                (column) => column.column,
            )
            .join((enter) => enter.append("text").attr("class", "ais-goal-column").attr("dominant-baseline", "central"))
            .call(changedAttr, "x", (column) => column.x)
            .call(changedAttr, "y", columnsMiddle)
            .call(changedAttr, "text-anchor", (column) => column.anchor)
            .call(changedAttr, "fill", "currentColor")
            .call(changedText, (column) => this.measurer.fit(labels.columns[column.column], fontSize, column.width));
    }

    /** Draws the rows in view; called on every render and scroll. */
    private drawRows(): void {
        if (!this.state) return;
        const { items, layout, x, options, height } = this.state;
        // The browser keeps the scroll position within the list; so does the kept copy.
        const scrollTop = (this.scrollTop = Math.max(0, Math.min(this.scrollTop, layout.height - height)));
        const window = rowWindow(scrollTop, height, 0, layout.rowHeight, items.length);
        const { first, last } = (this.drawnWindow = keepDrawn(window, this.drawnWindow, items.length));
        const anySelected = options.selected.size > 0;
        const isActive = (datum: GoalRowDatum) =>
            options.selected.has(datum.key) || (datum.kind === "goal" && options.selected.has(datum.teamKey));
        // Another visual's cross-highlight dims the goals it does not highlight, like a selection.
        const isHighlighted = (datum: GoalRowDatum) => datum.kind === "goal" && datum.highlighted === true;
        const { hasHighlights } = this.state;
        const inSelectionColor = (datum: GoalRowDatum) =>
            options.palette.isHighContrast && ((anySelected && isActive(datum)) || isHighlighted(datum));
        const rows = this.rows
            .selectAll<SVGGElement, GoalRowDatum>("g.ais-goal-row")
            .data(items.slice(first, last), rowKey)
            .join((enter) =>
                enter
                    .append("g")
                    .each((datum, index, nodes) =>
                        this.enterRow(select<SVGGElement, GoalRowDatum>(nodes[index]), datum),
                    ),
            );
        rows.call(changedAttr, "transform", (_, index) => `translate(0,${(first + index) * layout.rowHeight})`)
            .call(changedAttr, "aria-posinset", (_, index) => first + index + 1)
            .call(changedAttr, "aria-setsize", items.length)
            .call(changedAttr, "aria-selected", (datum) => String(options.selected.has(datum.key)))
            .call(
                changedClass,
                "ais-dimmed",
                (datum) =>
                    !options.palette.isHighContrast &&
                    ((anySelected && !isActive(datum)) ||
                        (hasHighlights && datum.kind === "goal" && !isHighlighted(datum))),
            )
            .call(changedClass, "ais-selected", (datum) => options.selected.has(datum.key))
            // High contrast cannot dim: the selection is drawn in the palette's selected color instead.
            .style("color", (datum) => (inSelectionColor(datum) ? options.palette.foregroundSelected : null));
        // As wide as the rows, not the svg (which may be wider): the focus ring and scrolling into view keep to them.
        rows.select("rect.ais-hit")
            .call(changedAttr, "width", layout.width)
            .call(changedAttr, "height", layout.rowHeight);
        this.tabStop.apply(rows);

        this.renderTeams(
            rows.filter((datum) => datum.kind === "team") as Selection<SVGGElement, GoalTeam, SVGGElement, unknown>,
            layout,
            options,
        );
        this.renderGoals(
            rows.filter((datum) => datum.kind === "goal") as Selection<SVGGElement, GoalItem, SVGGElement, unknown>,
            layout,
            x,
            options,
            inSelectionColor,
        );
    }

    /**
     * One line a goal when its name, bullet, badge and due date fit; else names go above the bars
     * (by the rule every view with bars follows, namesAboveBars, and when the due date would not
     * fit beside them), so the due date stays (what an agency head needs most) and names are not cut.
     */
    private chooseLayout(
        model: GoalViewModel,
        items: GoalRowDatum[],
        width: number,
        viewHeight: number,
        options: GoalViewOptions,
    ): Layout {
        const wide = this.layout(model, items, width, viewHeight, options, false);
        const widths = this.widths!.value;
        if (!namesAboveBars(width, widths.name) && (wide.showDue || widths.due === 0)) return wide;
        return this.layout(model, items, width, viewHeight, options, true);
    }

    private layout(
        model: GoalViewModel,
        items: GoalRowDatum[],
        width: number,
        viewHeight: number,
        options: GoalViewOptions,
        narrow: boolean,
    ): Layout {
        const { fontSize, labels } = options;
        const lineRowHeight = Math.max(20, Math.round(fontSize * 2.2));
        const bandHeight = Math.round(lineRowHeight * 0.5);
        const indent = Math.round(fontSize * 1.4);
        // Column widths depend on the model, text size and words only: measured once per model.
        if (
            !this.widths ||
            this.widths.model !== model ||
            this.widths.fontSize !== fontSize ||
            this.widths.labels !== labels
        ) {
            // A bounded sample and the rows in view: texts are formatted only for the goals measured.
            const window = rowWindow(this.scrollTop, viewHeight, 0, lineRowHeight, items.length);
            const goals = widthSample(items, window).filter((item): item is GoalItem => item.kind === "goal");
            const measure = (text: string) => this.measurer.width(text, fontSize);
            const columnNames = Object.keys(labels.columns) as GoalColumn[];
            this.widths = {
                model,
                fontSize,
                labels,
                value: {
                    name: widest(
                        goals.map((goal) => goal.name),
                        measure,
                    ),
                    value: widest(goals.map(valueLabel), measure),
                    progress: widest(
                        goals.map((goal) => goal.progressText),
                        measure,
                    ),
                    // Measured at the weight it is drawn, or the bold text overflows its badge.
                    badge: widest(
                        goals.map((goal) => `${goal.statusIcon} ${goal.statusText}`),
                        (text) => this.measurer.width(text, fontSize, badgeFontWeight),
                    ),
                    // One text for every marked goal, so one goal with it anywhere (not only in the sample) sizes it.
                    plan: this.measurer.width(model.planMark, fontSize, badgeFontWeight),
                    due: widest(
                        goals.map((goal) => goal.dueText || (goal.bar ? goal.note : "")),
                        measure,
                    ),
                    headers: Object.fromEntries(
                        columnNames.map((column) => [column, measure(labels.columns[column])]),
                    ) as Record<GoalColumn, number>,
                    keys: {
                        target: measure(labels.key.target),
                        expected: measure(labels.key.expected),
                        lower: measure(`${lowerMark} ${labels.key.lower}`),
                    },
                    anyLower: model.teams.some((team) => team.goals.some((goal) => goal.direction === "lower")),
                },
            };
        }
        const widths = this.widths.value;
        const { plan: planWidth, headers } = widths;
        const nameLeft = padding + indent;
        // Narrow: the name on its own line above the bullet and badge, two lines when one would cut it.
        const nameLineHeight = Math.round(fontSize * 1.3);
        const nameRoom = Math.max(0, width - nameLeft - padding);
        const nameLineCount = narrow ? (widths.name > nameRoom ? nameLines : 1) : 0;
        const nameBlock = nameLineCount * nameLineHeight + (narrow ? 2 : 0);
        const rowHeight = lineRowHeight + nameBlock;
        let nameWidth = narrow ? 0 : Math.max(40, Math.min(widths.name + 4, width * NAME_COLUMN_SHARE));
        // Short columns are at least as wide as their header, so the header reads whole.
        const badgeWidth = Math.max(widths.badge + 12, headers.status);
        const valueWidth = Math.max(widths.value, headers.values);
        const progressWidth = Math.max(widths.progress, headers.done);
        let showHistory = model.hasHistory;
        // A row's note can be long: the due column stays within a share of the width and shortens it.
        const dueWidth = Math.max(Math.min(widths.due, Math.max(100, width * 0.22)), widths.due > 0 ? headers.due : 0);
        let showDue = widths.due > 0;
        let showProgress = options.showValues && widths.progress > 0;
        let showValues = options.showValues && widths.value > 0;
        const used = () =>
            nameLeft +
            (narrow ? 0 : nameWidth + gap) +
            (showValues ? valueWidth + gap : 0) +
            (showProgress ? progressWidth + gap : 0) +
            badgeWidth +
            gap +
            (planWidth > 0 ? planWidth + gap : 0) +
            (showDue ? dueWidth + gap : 0) +
            (showHistory ? historyWidth + gap : 0) +
            padding;
        // In a small visual the bullet and the badge matter most; of the rest the due date is what
        // an agency head needs most, so it goes last.
        if (width - used() < 60 && showHistory) showHistory = false;
        if (width - used() < 60 && showProgress) showProgress = false;
        // The values in their unit before the names' last words: names give up some width first.
        if (width - used() < 60 && showValues) nameWidth = Math.min(nameWidth, Math.max(80, width * 0.2));
        if (width - used() < 60 && showValues) showValues = false;
        if (width - used() < 60 && showDue) showDue = false;
        const plotWidth = Math.max(30, width - used());

        const nameRight = nameLeft + nameWidth;
        const plotLeft = narrow ? nameLeft : nameRight + gap;
        const plotRight = plotLeft + plotWidth;
        const valueRight = plotRight + gap + (showValues ? valueWidth : 0);
        const progressRight = valueRight + (showValues ? gap : 0) + (showProgress ? progressWidth : 0);
        const badgeLeft = progressRight + gap;
        const planLeft = badgeLeft + badgeWidth + gap;
        const dueLeft = planLeft + (planWidth > 0 ? planWidth + gap : 0);
        const historyLeft = dueLeft + (showDue ? dueWidth + gap : 0);

        // The key flows over as many lines as it needs: target and expected marks, and the arrow of
        // lower-is-better goals when there are any.
        const lineHeight = Math.max(18, Math.round(fontSize * 1.7));
        const keyItems: { text: string; mark: "target" | "expected" | "lower"; width: number }[] = [
            { text: labels.key.target, mark: "target", width: keyMarkWidth + widths.keys.target },
            { text: labels.key.expected, mark: "expected", width: keyMarkWidth + widths.keys.expected },
        ];
        if (widths.anyLower)
            keyItems.push({ text: `${lowerMark} ${labels.key.lower}`, mark: "lower", width: widths.keys.lower });
        const key: Layout["key"] = [];
        let line = 0;
        let left = padding;
        const room = Math.max(0, width - 2 * padding);
        for (const item of keyItems) {
            const itemWidth = Math.min(item.width, room);
            if (left > padding && left + itemWidth > width - padding) {
                line++;
                left = padding;
            }
            key.push({ ...item, x: left, line, width: itemWidth });
            left += itemWidth + 2 * gap;
        }
        const keyLines = line + 1;
        return {
            width,
            rowHeight,
            bandHeight,
            narrow,
            nameLineHeight,
            nameLines: nameLineCount,
            nameMiddle: narrow ? 2 + nameLineHeight / 2 : rowHeight / 2,
            bulletMiddle: nameBlock + lineRowHeight / 2,
            lineHeight,
            key,
            keyLines,
            headerHeight: (keyLines + 1) * lineHeight,
            nameLeft,
            nameRight,
            plotLeft,
            plotRight,
            valueRight,
            progressRight,
            badgeLeft,
            badgeWidth,
            planLeft,
            dueLeft,
            dueWidth,
            historyLeft,
            showValues,
            showProgress,
            showDue,
            showHistory,
            valueWidth,
            progressWidth,
            height: items.length * rowHeight + 4,
        };
    }

    private enterRow(row: Row, datum: GoalRowDatum): void {
        row.attr("class", `ais-goal-row ais-goal-${datum.kind}`)
            .attr("tabindex", -1)
            .attr("focusable", "true")
            .attr("role", "treeitem")
            .attr("aria-level", datum.kind === "team" ? 1 : 2);
        row.append("rect").attr("class", "ais-hit").attr("fill", "transparent");
        if (datum.kind === "team") {
            row.append("text")
                .attr("class", "ais-toggle")
                .attr("dominant-baseline", "central")
                .attr("role", "button")
                .on("click", (event: MouseEvent, team) => {
                    event.stopPropagation();
                    this.events.toggle(team as GoalTeam);
                });
            row.append("text").attr("class", "ais-team-name").attr("dominant-baseline", "central");
            const summary = row.append("text").attr("class", "ais-team-summary");
            for (let line = 0; line < nameLines; line++) summary.append("tspan").attr("dominant-baseline", "central");
        } else {
            const name = row.append("text").attr("class", "ais-goal-name").attr("text-anchor", "end");
            // A tspan per line from the start, so a resize that wraps a name anew makes no node.
            for (let line = 0; line < nameLines; line++) name.append("tspan").attr("dominant-baseline", "central");
            const bullet = row.append("g").attr("class", "ais-bullet");
            bullet.append("rect").attr("class", "ais-band");
            bullet.append("rect").attr("class", "ais-actual");
            bullet.append("line").attr("class", "ais-target");
            // Expected progress: a dashed line through the band under a small triangle, unlike the target's solid line.
            bullet.append("line").attr("class", "ais-expected-line");
            bullet.append("path").attr("class", "ais-expected");
            bullet.append("text").attr("class", "ais-overflow").attr("dominant-baseline", "central");
            row.append("text").attr("class", "ais-goal-note").attr("dominant-baseline", "central");
            // The columns right of the bullet in one group, placed from the plot's right edge: a
            // resize moves the group, and its texts keep their places within it.
            const columns = row.append("g").attr("class", "ais-goal-columns");
            columns
                .append("text")
                .attr("class", "ais-goal-value")
                .attr("text-anchor", "end")
                .attr("dominant-baseline", "central");
            columns
                .append("text")
                .attr("class", "ais-goal-progress")
                .attr("text-anchor", "end")
                .attr("dominant-baseline", "central");
            const badge = columns.append("g").attr("class", "ais-badge");
            badge.append("rect").attr("rx", 3);
            badge.append("text").attr("dominant-baseline", "central").attr("font-weight", badgeFontWeight);
            columns
                .append("text")
                .attr("class", "ais-goal-plan")
                .attr("dominant-baseline", "central")
                .attr("font-weight", badgeFontWeight);
            columns.append("text").attr("class", "ais-goal-due").attr("dominant-baseline", "central");
            const history = columns.append("g").attr("class", "ais-history");
            history.append("line").attr("class", "ais-history-target");
            history.append("path").attr("class", "ais-history-line").attr("fill", "none");
        }

        row.on("click", (event: MouseEvent, item) => {
            event.stopPropagation();
            this.events.select(item, isMultiSelect(event));
        });
        row.on("contextmenu", (event: MouseEvent, item) => {
            event.preventDefault();
            event.stopPropagation();
            this.events.contextMenu(item, event.clientX, event.clientY);
        });
        row.on("mousemove", (event: MouseEvent, item) => this.events.showTooltip(item, event.clientX, event.clientY));
        row.on("mouseleave", () => this.events.hideTooltip());
        row.on("keydown", (event: KeyboardEvent, item) => this.onKey(event, item));
        row.on("focus", (_event: FocusEvent, item) =>
            this.tabStop.focused(item, this.rows.selectAll<SVGGElement, GoalRowDatum>("g.ais-goal-row")),
        );
        showTooltipOnFocus(row, this.events);
    }

    private renderTeams(
        rows: Selection<SVGGElement, GoalTeam, SVGGElement, unknown>,
        layout: Layout,
        options: GoalViewOptions,
    ): void {
        const { fontSize } = options;
        const middle = layout.nameMiddle;
        rows.call(changedAttr, "aria-expanded", (team) => String(!options.collapsed.has(team.key))).call(
            changedAttr,
            "aria-label",
            (team) => `${team.name}: ${team.summary}`,
        );
        rows.select("text.ais-toggle")
            .call(changedAttr, "x", padding)
            .call(changedAttr, "y", middle)
            .call(changedAttr, "fill", "currentColor")
            .call(changedAttr, "aria-label", (team) =>
                options.collapsed.has(team.key) ? options.labels.expand : options.labels.collapse,
            )
            .call(changedText, (team) => (options.collapsed.has(team.key) ? "▸" : "▾"));
        const nameLeft = layout.nameLeft;
        const room = Math.max(0, layout.width - nameLeft - padding);
        // Narrow: the summary goes on the second line, under the name.
        const nameMax = layout.narrow ? room : Math.max(40, room * 0.5);
        const fitText = (text: string, room: number) => this.measurer.fit(text, fontSize, room);
        const summaryLeft = (team: GoalTeam) =>
            layout.narrow ? nameLeft : nameLeft + Math.min(nameMax, this.measurer.width(team.name, fontSize)) + 2 * gap;
        rows.select<SVGTextElement>("text.ais-team-name")
            .call(changedAttr, "x", nameLeft)
            .call(changedAttr, "y", middle)
            .call(changedAttr, "fill", "currentColor")
            .call(changedText, (team) => this.measurer.fit(team.name, fontSize, nameMax));
        const measure = (text: string) => this.measurer.width(text, fontSize);
        // Narrow: the summary under the name, on the lines the goals' names take (a row's height).
        const summaryLines = layout.narrow ? Math.max(1, Math.min(nameLines, layout.nameLines)) : 1;
        rows.select<SVGTextElement>("text.ais-team-summary")
            .call(changedAttr, "fill", "currentColor")
            .each(function (team) {
                const left = summaryLeft(team);
                const room = Math.max(0, layout.width - left - padding);
                const fit = (text: string) => fitText(text, room);
                const lines =
                    summaryLines > 1 ? wrap(team.summary, room, measure, fit, summaryLines) : [fit(team.summary)];
                select(this)
                    .selectAll<SVGTSpanElement, unknown>("tspan")
                    .call(changedAttr, "x", left)
                    .call(changedAttr, "y", (_, index) =>
                        layout.narrow ? layout.nameMiddle + (index + 1) * layout.nameLineHeight : layout.bulletMiddle,
                    )
                    .call(changedText, (_, index) =>
                        index < lines.length - 1 ? `${lines[index]} ` : (lines[index] ?? ""),
                    );
            });
    }

    private renderGoals(
        rows: Selection<SVGGElement, GoalItem, SVGGElement, unknown>,
        layout: Layout,
        x: ScaleLinear<number, number>,
        options: GoalViewOptions,
        inSelectionColor: (goal: GoalItem) => boolean,
    ): void {
        const { palette, fontSize, statusColors } = options;
        const hc = palette.isHighContrast;
        const middle = layout.bulletMiddle;
        const bandTop = middle - layout.bandHeight / 2;
        // Tall enough for the status's pattern to read.
        const barHeight = Math.max(6, Math.round(layout.bandHeight * 0.7));
        const barTop = middle - barHeight / 2;
        const statusColor = (goal: GoalItem) => (hc ? palette.foreground : statusColors[goal.status]);
        const lower = options.labels.key.lower;

        rows.call(changedAttr, "aria-label", (goal) => this.goalName(goal, lower));
        const nameWidth = layout.narrow ? layout.width - layout.nameLeft - padding : layout.nameRight - layout.nameLeft;
        const fitName = (text: string) => this.measurer.fit(text, fontSize, nameWidth);
        const measureName = (text: string) => this.measurer.width(text, fontSize);
        rows.select<SVGTextElement>("text.ais-goal-name")
            .call(changedAttr, "text-anchor", layout.narrow ? "start" : "end")
            .call(changedAttr, "fill", "currentColor")
            .each(function (goal) {
                const lines = layout.narrow
                    ? wrap(goal.name, nameWidth, measureName, fitName, layout.nameLines)
                    : [fitName(goal.name)];
                select(this)
                    .selectAll<SVGTSpanElement, unknown>("tspan")
                    .call(changedAttr, "x", layout.narrow ? layout.nameLeft : layout.nameRight)
                    // A one-line name sits on the line just above its bar.
                    .call(
                        changedAttr,
                        "y",
                        (_, index) =>
                            layout.nameMiddle +
                            (layout.narrow ? layout.nameLines - lines.length + index : index) * layout.nameLineHeight,
                    )
                    // A space between lines, so the name reads whole as the row's text.
                    .call(changedText, (_, index) =>
                        index < lines.length - 1 ? `${lines[index]} ` : (lines[index] ?? ""),
                    );
            });

        const bullets = rows
            .select<SVGGElement>("g.ais-bullet")
            .call(changedClass, "ais-hidden", (goal) => goal.bar === null);
        // The marks' places follow the scale; their paint does not, and is written only when it changes.
        const paintKey = [
            bandTop,
            layout.bandHeight,
            barTop,
            barHeight,
            hc,
            palette.foreground,
            palette.foregroundSelected,
            palette.background,
            ...Object.values(statusColors),
        ].join("|");
        bullets
            .select("rect.ais-band")
            .call(changedAttr, "x", x(0))
            .call(changedAttr, "width", Math.max(0, x(1) - x(0)));
        bullets
            .select("rect.ais-actual")
            .call(changedAttr, "x", (goal) => Math.min(x(0), x(goal.bar?.end ?? 0)))
            .call(changedAttr, "width", (goal) => Math.abs(x(goal.bar?.end ?? 0) - x(0)));
        bullets.select("line.ais-target").call(changedAttr, "x1", x(1)).call(changedAttr, "x2", x(1));
        bullets
            .select("line.ais-expected-line")
            .call(changedClass, "ais-hidden", (goal) => goal.expectedTick === null)
            .call(changedAttr, "x1", (goal) => x(goal.expectedTick ?? 0))
            .call(changedAttr, "x2", (goal) => x(goal.expectedTick ?? 0));
        bullets
            .select("path.ais-expected")
            .call(changedClass, "ais-hidden", (goal) => goal.expectedTick === null)
            .call(changedAttr, "d", (goal) => expectedMarkPath(x(goal.expectedTick ?? 0), bandTop));
        const unpainted = redrawn(bullets, this.paintedBullets, (goal) => `${paintKey}|${inSelectionColor(goal)}`);
        unpainted
            .select("rect.ais-band")
            .call(changedAttr, "y", bandTop)
            .call(changedAttr, "height", layout.bandHeight)
            .call(changedAttr, "fill", hc ? "none" : null)
            .call(changedAttr, "stroke", hc ? palette.foreground : null);
        unpainted
            .select("rect.ais-actual")
            .call(changedAttr, "y", barTop)
            .call(changedAttr, "height", barHeight)
            .call(changedAttr, "fill", (goal) => this.barFill(goal, options, inSelectionColor(goal)))
            .call(changedAttr, "stroke", (goal) =>
                hc
                    ? inSelectionColor(goal)
                        ? palette.foregroundSelected
                        : palette.foreground
                    : statusColors[goal.status],
            )
            .call(changedAttr, "stroke-width", 1);
        unpainted
            .select("line.ais-target")
            .call(changedAttr, "y1", bandTop - 2)
            .call(changedAttr, "y2", bandTop + layout.bandHeight + 2)
            .call(changedAttr, "stroke", hc ? palette.foreground : null);
        unpainted
            .select("line.ais-expected-line")
            .call(changedAttr, "y1", bandTop)
            .call(changedAttr, "y2", bandTop + layout.bandHeight)
            .call(changedAttr, "stroke", hc ? palette.foreground : null);
        unpainted
            .select("path.ais-expected")
            .call(changedAttr, "fill", hc ? palette.foreground : null)
            .call(changedAttr, "stroke", hc ? palette.foreground : null);
        bullets
            .select("text.ais-overflow")
            .call(changedClass, "ais-hidden", (goal) => !goal.bar?.overflow)
            // A hidden mark keeps its place: nothing is laid out for it.
            .filter((goal) => Boolean(goal.bar?.overflow))
            .call(changedAttr, "x", (goal) => (goal.bar?.overflow === "low" ? x.range()[0] - 1 : x.range()[1] + 1))
            .call(changedAttr, "text-anchor", (goal) => (goal.bar?.overflow === "low" ? "end" : "start"))
            .call(changedAttr, "y", middle)
            .call(changedAttr, "fill", "currentColor")
            .call(changedText, (goal) =>
                goal.bar?.overflow === "low" ? "◀" : goal.bar?.overflow === "high" ? "▶" : "",
            );

        rows.select<SVGTextElement>("text.ais-goal-note")
            .call(changedClass, "ais-hidden", (goal) => goal.bar !== null)
            .call(changedAttr, "x", layout.plotLeft)
            .call(changedAttr, "y", middle)
            .call(changedAttr, "fill", "currentColor")
            .call(changedText, (goal) =>
                goal.bar === null ? this.measurer.fit(goal.note, fontSize, layout.plotRight - layout.plotLeft) : "",
            );

        // Within the columns' group, places are from the plot's right edge.
        const columnsLeft = layout.plotRight;
        const within = (at: number) => placeWithin(at, columnsLeft);
        const columns = rows
            .select<SVGGElement>("g.ais-goal-columns")
            .call(changedAttr, "transform", `translate(${columnsLeft},0)`);
        // Everything the columns are drawn from besides the goal: a resize that keeps their widths
        // and places within the group (most do) draws nothing in them again.
        const columnsKey = [
            ...[layout.valueRight, layout.progressRight, layout.badgeLeft, layout.planLeft, layout.dueLeft].map(within),
            within(layout.historyLeft),
            layout.valueWidth,
            layout.progressWidth,
            layout.badgeWidth,
            layout.dueWidth,
            layout.showValues,
            layout.showProgress,
            layout.showDue,
            layout.showHistory,
            middle,
            bandTop,
            layout.bandHeight,
            fontSize,
            hc,
            palette.foreground,
            palette.background,
            options.valueColor,
            ...Object.values(statusColors),
        ].join("|");
        const stale = redrawn(columns, this.drawnColumns, columnsKey);
        const valueFill = hc ? "currentColor" : options.valueColor;
        stale
            .select("text.ais-goal-value")
            .call(changedClass, "ais-hidden", !layout.showValues)
            .call(changedAttr, "x", within(layout.valueRight))
            .call(changedAttr, "y", middle)
            .call(changedAttr, "fill", valueFill)
            .call(changedText, (goal) => this.measurer.fit(valueLabel(goal), fontSize, layout.valueWidth));
        stale
            .select("text.ais-goal-progress")
            .call(changedClass, "ais-hidden", !layout.showProgress)
            .call(changedAttr, "x", within(layout.progressRight))
            .call(changedAttr, "y", middle)
            .call(changedAttr, "fill", valueFill)
            .call(changedText, (goal) => this.measurer.fit(goal.progressText, fontSize, layout.progressWidth));

        const badges = stale
            .select<SVGGElement>("g.ais-badge")
            .call(changedAttr, "transform", `translate(${within(layout.badgeLeft)},${bandTop})`);
        badges
            .select("rect")
            .call(changedAttr, "width", layout.badgeWidth)
            .call(changedAttr, "height", layout.bandHeight)
            .call(changedAttr, "fill", hc ? palette.background : (goal: GoalItem) => statusColors[goal.status])
            .call(changedAttr, "stroke", hc ? palette.foreground : null);
        badges
            .select("text")
            .call(changedAttr, "x", 6)
            .call(changedAttr, "y", layout.bandHeight / 2)
            .call(changedAttr, "fill", hc ? palette.foreground : "#ffffff")
            .call(changedText, (goal) => `${goal.statusIcon} ${goal.statusText}`);

        // A goal behind or at risk without a current plan: a glyph and a word in the text color, so
        // it reads without color and in high contrast.
        stale
            .select("text.ais-goal-plan")
            .call(changedClass, "ais-hidden", (goal) => !goal.planMissing)
            .call(changedAttr, "x", within(layout.planLeft))
            .call(changedAttr, "y", middle)
            .call(changedAttr, "fill", "currentColor")
            .call(changedText, (goal) => goal.planMark);

        // A long note never runs past its column: it is shortened, and whole in the tooltip.
        stale
            .select("text.ais-goal-due")
            .call(changedClass, "ais-hidden", !layout.showDue)
            .call(changedAttr, "x", within(layout.dueLeft))
            .call(changedAttr, "y", middle)
            .call(changedAttr, "fill", "currentColor")
            .call(changedText, (goal) =>
                this.measurer.fit(goal.dueText || (goal.bar ? goal.note : ""), fontSize, layout.dueWidth),
            );

        const histories = stale
            .select<SVGGElement>("g.ais-history")
            .call(changedClass, "ais-hidden", !layout.showHistory);
        if (!layout.showHistory) return;
        const historyLeft = within(layout.historyLeft);
        const historyKey = `${historyLeft}|${bandTop}|${layout.bandHeight}`;
        histories.each((goal, index, nodes) => {
            const group = select(nodes[index]);
            const domain = goal.historyDomain;
            const y = scaleLinear()
                .domain(!domain ? [0, 1] : domain[0] === domain[1] ? [domain[0] - 1, domain[1] + 1] : domain)
                .range([bandTop + layout.bandHeight, bandTop]);
            // Made once per goal and place: a resize that only moves the columns keeps it.
            let known = this.historyPaths.get(goal);
            if (!known || known.key !== historyKey) {
                known = { key: historyKey, path: historyPath(goal.history, historyLeft, y) };
                this.historyPaths.set(goal, known);
            }
            const path = known.path;
            group
                .select("line.ais-history-target")
                .call(changedClass, "ais-hidden", goal.target === null)
                .call(changedAttr, "x1", historyLeft)
                .call(changedAttr, "x2", historyLeft + historyWidth)
                .call(changedAttr, "y1", y(goal.target ?? 0))
                .call(changedAttr, "y2", y(goal.target ?? 0))
                .call(changedAttr, "stroke", hc ? palette.foreground : null);
            group
                .select("path.ais-history-line")
                .call(changedAttr, "stroke", statusColor(goal))
                .call(changedAttr, "d", path);
        });
    }

    /** A goal row's accessible name, made once per goal and words: a resize or a scroll reuses it. */
    private goalName(goal: GoalItem, lower: string): string {
        const known = this.goalNames.get(goal);
        if (known && known.lower === lower) return known.name;
        const name = [
            goal.name,
            goal.statusText,
            goal.planMark,
            goal.valueText,
            goal.direction === "lower" ? lower.toLowerCase() : "",
            goal.progressText,
            goal.dueText,
        ]
            .filter(Boolean)
            .join(", ");
        this.goalNames.set(goal, { lower, name });
        return name;
    }

    private onKey(event: KeyboardEvent, item: GoalRowDatum): void {
        const current = event.currentTarget as SVGGElement;
        if (handleRowKey(event, item, this.events, (step) => this.focusNext(item, step))) return;
        // Left collapses an expanded team, Right expands a collapsed one.
        if ((event.key === "ArrowLeft" || event.key === "ArrowRight") && item.kind === "team") {
            event.preventDefault();
            const expanded = current.getAttribute("aria-expanded") === "true";
            if (expanded === (event.key === "ArrowLeft")) this.events.toggle(item);
        }
    }

    /** Moves the focus to the next or previous row, scrolling it into view (and so into the drawn rows). */
    private focusNext(item: GoalRowDatum, step: number): void {
        if (!this.state) return;
        const { items, layout, height } = this.state;
        const index = items.findIndex((one) => one === item) + step;
        if (index < 0 || index >= items.length) return;
        const scroller = this.scroller.node();
        if (scroller) {
            const top = index * layout.rowHeight;
            if (top < this.scrollTop) scroller.scrollTop = this.scrollTop = top;
            else if (top + layout.rowHeight > this.scrollTop + height)
                scroller.scrollTop = this.scrollTop = top + layout.rowHeight - height;
        }
        this.drawRows();
        const key = rowKey(items[index]);
        this.rows
            .selectAll<SVGGElement, GoalRowDatum>("g.ais-goal-row")
            .filter((datum) => rowKey(datum) === key)
            .node()
            ?.focus();
    }
}

/** The history of actuals, broken where a period has no value. */
function historyPath(points: HistoryPoint[], left: number, y: ScaleLinear<number, number>): string | null {
    if (!points.some((point) => point.value !== null)) return null;
    const step = points.length > 1 ? historyWidth / (points.length - 1) : 0;
    return line<HistoryPoint>()
        .defined((point) => point.value !== null)
        .x((_, index) => left + index * step)
        .y((point) => y(point.value as number))(points);
}

/** Width of a key item's mark and the space after it. */
const keyMarkWidth = 14;

/** The expected-progress mark: a small triangle pointing down at the band's top edge. */
function expectedMarkPath(x: number, bandTop: number): string {
    return `M${x - 4},${bandTop - 5} H${x + 4} L${x},${bandTop} Z`;
}
