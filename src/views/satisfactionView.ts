import { ScaleLinear, scaleLinear } from "d3-scale";
import { select, Selection } from "d3-selection";
import { line } from "d3-shape";
import { contrastRatio } from "../data/colorVision";
import { TrendPoint } from "../data/costModel";
import { Rating, RatingSegment, SatisfactionRow, SatisfactionViewModel } from "../data/satisfactionModel";
import { createChartFrame, NAME_COLUMN_SHARE, namesAboveBars, scrollbarWidthIn } from "./chartFrame";
import { HatchPatterns } from "./hatchPatterns";
import { handleRowKey, isMultiSelect, RovingTabStop, showTooltipOnFocus } from "./rowKeys";
import { widestText } from "./widestText";
import { CachedHeight, rowWindow, widthSample } from "./rowWindow";
import { changedAttr, changedClass, changedStyle, changedText } from "./changedWrites";
import { ItemEvents, Palette, TextMeasurer, Viewport } from "./viewTypes";
import { wrap } from "./wrapText";

/** The texts the view draws around the data (header and legend), already localized. */
export interface SatisfactionLabels {
    sideLow: string;
    sideHigh: string;
    average: string;
    responses: string;
    followUp: string;
    legend: string;
    noResponses: string;
    /** Each rating's words in the legend, ratings 1 to 5 ("1 Very dissatisfied"). */
    ratingNames: readonly string[];
    /** The mark before a follow-up share above the statewide one, and its key in the legend. */
    aboveMark: string;
    aboveKey: string;
    /** Said of a row with few responses, beside its bar when the responses column is not drawn. */
    few: string;
}

export interface SatisfactionViewOptions {
    fontSize: number;
    /** Each rating's share inside its segment, where it fits. */
    showLabels: boolean;
    /** The share labels' color; null picks black or white, whichever reads better on each segment. */
    labelColor: string | null;
    showTrend: boolean;
    selected: ReadonlySet<string>;
    palette: Palette;
    labels: SatisfactionLabels;
}

/** Where a header text sits: its line in the header band, its x and anchor, the text as fitted. */
interface HeaderText {
    line: number;
    x: number;
    anchor: "start" | "end";
    text: string;
}

interface Layout {
    width: number;
    /** Names above the bars (narrow visuals) instead of beside them. */
    stacked: boolean;
    /** Lines of name above the bar (0 beside it), each nameLineHeight high. */
    nameLines: number;
    nameLineHeight: number;
    rowHeight: number;
    /** Top of the bar line within a row (below the name line when stacked). */
    barLineTop: number;
    /** The follow-up state's own line under the bar line, where the share and state do not fit on one; 0 without. */
    stateLineHeight: number;
    lineHeight: number;
    barHeight: number;
    headerHeight: number;
    /** The header band and the statewide row: they stay while the rows scroll. */
    headHeight: number;
    nameLeft: number;
    nameRight: number;
    plotLeft: number;
    plotRight: number;
    averageRight: number;
    responsesRight: number;
    followUpRight: number;
    /**
     * The widest the follow-up text may be: a longer one is drawn without its count (whole in the
     * tooltip), and where even that is too long the state takes a line of its own.
     */
    followUpWidth: number;
    trendLeft: number;
    showNumbers: boolean;
    showTrend: boolean;
    header: Record<"sideLow" | "sideHigh" | "average" | "responses" | "followUp", HeaderText>;
    rowsHeight: number;
}

/** Each column's widest text, for the texts and size they were measured for (key). */
interface TextWidths {
    key: string;
    name: number;
    average: number;
    responses: number;
    followUp: number;
    /** The follow-up texts without their counts; their shares and their states alone (two lines). */
    followUpShort: number;
    followUpShare: number;
    followUpState: number;
    change: number;
}

const padding = 8;
/** A name above its bar takes up to two lines, so a long one is whole where one line would cut it. */
const maxNameLines = 2;
const sparkWidth = 56;
/** The bars are kept at least this wide while texts beside them can drop or wrap. */
const minPlotWidth = 60;
const gap = 10;
/** Deselected rows, and segments behind a cross-highlight: the segments' opacity. */
const DIMMED_OPACITY = 0.6;
const FADED_OPACITY = 0.4;
/** The page under the visual outside high contrast, for the share labels' contrast. */
const PAGE = "#ffffff";
const centerLineColor = "#252423";
const bold = "600";

type Div = Selection<HTMLDivElement, unknown, null, undefined>;
type Svg = Selection<SVGSVGElement, unknown, null, undefined>;
type Row = Selection<SVGGElement, SatisfactionRow, SVGGElement, unknown>;

/** A #rrggbb color drawn at `opacity` over `under`, as #rrggbb (the color itself when either cannot be read). */
function blend(color: string, opacity: number, under: string): string {
    const parse = (hex: string) => /^#?([0-9a-f]{6})$/i.exec(hex.trim());
    const top = parse(color);
    const bottom = parse(under);
    if (!top || !bottom || opacity >= 1) return color;
    const channels = (match: RegExpExecArray) => [0, 2, 4].map((at) => parseInt(match[1].slice(at, at + 2), 16));
    const [a, b] = [channels(top), channels(bottom)];
    return `#${a
        .map((channel, index) =>
            Math.round(opacity * channel + (1 - opacity) * b[index])
                .toString(16)
                .padStart(2, "0"),
        )
        .join("")}`;
}

/** Black or white, whichever has more contrast on a fill (4.6:1 or more, whatever the fill). */
function textOn(fill: string): string {
    return contrastRatio(fill, "#000000") >= contrastRatio(fill, "#ffffff") ? "#000000" : "#ffffff";
}

/**
 * One row per agency under a statewide row: a diverging stacked bar of ratings (1-3 left of the
 * center line, 4-5 right), the average, the responses and the follow-up share and count, with a
 * trend of the average when Period is bound. The header band and the statewide row stay on top
 * while the agency rows scroll under them. Rows are joined by agency and updated in place.
 */
export class SatisfactionView {
    private readonly root: Div;
    private readonly legend: Div;
    private readonly notes: Div;
    private readonly scroller: Div;
    /** The header band and the statewide row, outside the scrolling area. */
    private readonly head: Svg;
    private readonly svg: Svg;
    private readonly background: Selection<SVGRectElement, unknown, null, undefined>;
    private readonly header: Selection<SVGGElement, unknown, null, undefined>;
    private readonly state: Selection<SVGGElement, unknown, null, undefined>;
    private readonly rows: Selection<SVGGElement, unknown, null, undefined>;
    private readonly centers: Selection<SVGLineElement, unknown, null, undefined>[];
    /** In high contrast every rating is the foreground color: a hatch pattern per rating tells them apart. */
    private readonly hatches: HatchPatterns;
    private drawn: {
        model: SatisfactionViewModel;
        layout: Layout;
        x: ScaleLinear<number, number>;
        options: SatisfactionViewOptions;
        positions: Map<string, number>;
        scrollHeight: number;
    } | null = null;
    /** One Tab stop for the statewide row and the agency rows. */
    private readonly tabStop = new RovingTabStop<SatisfactionRow>((row) => row.key);
    /** The scroll position, kept from scroll events: reading it while rendering would force a layout. */
    private scrollTop = 0;
    private readonly chromeHeight = new CachedHeight();
    private readonly widths = new WeakMap<SatisfactionViewModel, TextWidths>();
    /** Each row's index by key, built once per model (data change), not on every resize. */
    private readonly positions = new WeakMap<SatisfactionViewModel, Map<string, number>>();

    constructor(
        parent: HTMLElement,
        private readonly measurer: TextMeasurer,
        private readonly events: ItemEvents<SatisfactionRow>,
    ) {
        const frame = createChartFrame(
            parent,
            { root: "ais-sat", chart: "ais-chart ais-sat-chart", legend: true },
            events,
        );
        ({
            root: this.root,
            notes: this.notes,
            scroller: this.scroller,
            svg: this.svg,
            background: this.background,
        } = frame);
        this.legend = frame.legend as Div;
        this.legend.append("span").attr("class", "ais-legend-title");
        this.head = this.root.insert("svg", ".ais-scroll").attr("class", "ais-chart ais-sat-head");
        this.hatches = new HatchPatterns(this.head);
        this.header = this.head.append("g").attr("class", "ais-sat-header");
        for (const name of ["side-low", "side-high", "col-average", "col-responses", "col-followup"]) {
            this.header.append("text").attr("class", `ais-sat-${name}`).attr("dominant-baseline", "central");
        }
        this.state = this.head.append("g").attr("class", "ais-sat-state");
        this.rows = this.svg
            .append("g")
            .attr("class", "ais-rows")
            .attr("role", "listbox")
            .attr("aria-multiselectable", "true");
        this.centers = [this.head, this.svg].map((svg) => svg.append("line").attr("class", "ais-sat-center"));

        this.scroller.on("scroll", () => {
            this.scrollTop = this.scroller.node()?.scrollTop ?? 0;
            this.renderWindow();
        });
    }

    show(visible: boolean): void {
        this.root.classed("ais-hidden", !visible);
    }

    render(model: SatisfactionViewModel, viewport: Viewport, options: SatisfactionViewOptions): void {
        const { palette } = options;
        this.root
            .style("width", `${viewport.width}px`)
            .style("height", `${viewport.height}px`)
            .style("font-size", `${options.fontSize}px`)
            .style("color", () => (palette.isHighContrast ? palette.foreground : null))
            .classed("ais-hc", palette.isHighContrast);

        this.hatches.render(palette);
        this.renderLegend(model, options);
        this.notes
            .selectAll<HTMLParagraphElement, string>("p")
            .data(model.notes)
            .join("p")
            .text((note) => note);
        const aboveShown = model.rows.some((row) => row.followUpAbove);
        const chromeHeight = this.chromeHeight.read(
            [viewport.width, options.fontSize, aboveShown, ...model.notes].join("\n"),
            () => (this.legend.node()?.offsetHeight ?? 0) + (this.notes.node()?.offsetHeight ?? 0),
        );

        // Rows that overflow leave the width a scrollbar takes: laid out again for what is left.
        const wide = this.layout(model, viewport.width, options);
        const overflows = wide.rowsHeight > viewport.height - chromeHeight - wide.headHeight;
        const scrollbar = overflows ? scrollbarWidthIn(this.root.node() as HTMLElement) : 0;
        const layout = scrollbar > 0 ? this.layout(model, viewport.width - scrollbar, options) : wide;
        const scrollHeight = Math.max(0, viewport.height - chromeHeight - layout.headHeight);
        this.scroller.style("height", `${scrollHeight}px`);
        const x = scaleLinear().domain(model.domain).range([layout.plotLeft, layout.plotRight]);
        const zero = x(0);

        this.head.attr("width", layout.width).attr("height", layout.headHeight);
        this.svg.attr("width", layout.width).attr("height", layout.rowsHeight);
        this.background.attr("width", layout.width).attr("height", layout.rowsHeight).attr("fill", "transparent");
        // Stacked, a center line through the rows would cross the names: each row draws its own on its bar.
        const centerColor = palette.isHighContrast ? palette.foreground : centerLineColor;
        this.centers[0]
            .attr("y1", layout.headerHeight - 2)
            .attr("y2", layout.stacked ? layout.headerHeight : layout.headHeight)
            .attr("x1", zero)
            .attr("x2", zero)
            .attr("stroke", centerColor);
        this.centers[1]
            .classed("ais-hidden", layout.stacked)
            .attr("y1", 0)
            .attr("y2", layout.rowsHeight)
            .attr("x1", zero)
            .attr("x2", zero)
            .attr("stroke", centerColor);
        this.renderHeader(layout, options);

        const stateRow = this.state
            .selectAll<SVGGElement, SatisfactionRow>("g.ais-sat-row")
            .data([model.statewide], () => "statewide")
            .join((enter) => this.enterStateRow(enter.append("g")))
            .attr("transform", `translate(0,${layout.headerHeight})`)
            .attr("aria-label", (row) => this.ariaLabel(row, options.labels));
        this.updateRow(stateRow, layout, x, options, false);

        let positions = this.positions.get(model);
        if (!positions) {
            positions = new Map(model.rows.map((row, index) => [row.key, index]));
            this.positions.set(model, positions);
        }
        this.drawn = { model, layout, x, options, positions, scrollHeight };
        this.renderWindow();
    }

    /**
     * Only the agency rows in and near the scrolled window are in the DOM (thousands of agencies
     * would otherwise mean tens of thousands of SVG nodes to lay out on every update); scrolling
     * draws the rows that come into view, joined by key as always.
     */
    private renderWindow(): void {
        if (!this.drawn) return;
        const { model, layout, x, options, positions, scrollHeight } = this.drawn;
        // As the browser does when the content shrinks.
        const scrollTop = (this.scrollTop = Math.max(0, Math.min(this.scrollTop, layout.rowsHeight - scrollHeight)));
        const { first, last } = rowWindow(scrollTop, scrollHeight, 0, layout.rowHeight, model.rows.length);
        const position = (row: SatisfactionRow) => positions.get(row.key) ?? 0;

        const anySelected = options.selected.size > 0;
        const hc = options.palette.isHighContrast;
        const rows = this.rows
            .selectAll<SVGGElement, SatisfactionRow>("g.ais-row")
            .data(model.rows.slice(first, Math.max(first, last)), (row) => row.key)
            .join((enter) => this.enterRow(enter.append("g")))
            .order();
        rows.call(changedAttr, "transform", (row) => `translate(0,${position(row) * layout.rowHeight})`)
            .call(changedAttr, "aria-setsize", model.rows.length)
            .call(changedAttr, "aria-posinset", (row) => position(row) + 1)
            .call(changedAttr, "aria-label", (row) => this.ariaLabel(row, options.labels))
            .call(changedAttr, "aria-selected", (row) => String(options.selected.has(row.key)))
            // High contrast allows no blended colors: selected rows are outlined in the selection color instead.
            .call(changedClass, "ais-dimmed", (row) => !hc && anySelected && !options.selected.has(row.key))
            .call(changedClass, "ais-selected", (row) => options.selected.has(row.key));
        this.updateRow(rows, layout, x, options, true);
        this.tabStop.apply(this.focusableRows());
    }

    /** The statewide row, then the drawn agency rows, in display order. */
    private focusableRows(): Selection<SVGGElement, SatisfactionRow, HTMLDivElement, unknown> {
        return this.root.selectAll<SVGGElement, SatisfactionRow>("g.ais-sat-row");
    }

    private ariaLabel(row: SatisfactionRow, labels: SatisfactionLabels): string {
        return [
            row.name,
            row.averageText,
            row.responsesText,
            row.followUpAbove ? labels.aboveKey : "",
            row.followUpText,
        ]
            .filter((part) => part !== "")
            .join(", ");
    }

    private renderLegend(model: SatisfactionViewModel, options: SatisfactionViewOptions): void {
        const { palette, labels } = options;
        this.legend.select(".ais-legend-title").text(labels.legend);
        const items = this.legend
            .selectAll<HTMLSpanElement, SatisfactionViewModel["legend"][number]>("span.ais-legend-rating")
            .data(model.legend, (item) => String(item.rating))
            .join((enter) => {
                const item = enter
                    .append("span")
                    .attr("class", "ais-legend-item ais-legend-rating")
                    .attr("role", "listitem");
                item.append("svg")
                    .attr("class", "ais-swatch")
                    .attr("width", 14)
                    .attr("height", 10)
                    .attr("aria-hidden", "true")
                    .append("rect")
                    .attr("width", 14)
                    .attr("height", 10)
                    .attr("rx", 2);
                item.append("span").attr("class", "ais-legend-text");
                return item;
            });
        items
            .select(".ais-swatch rect")
            .attr("data-rating", (item) => item.rating)
            .attr("fill", (item) => (palette.isHighContrast ? this.ratingHatch(item.rating, false) : item.color))
            .attr("stroke", palette.isHighContrast ? palette.foreground : null);
        items.select(".ais-legend-text").text((item) => labels.ratingNames[item.rating - 1] ?? String(item.rating));
        // The follow-up mark's key, when a row carries it.
        const aboveShown = model.rows.some((row) => row.followUpAbove);
        this.legend
            .selectAll<HTMLSpanElement, string>("span.ais-legend-key")
            .data(aboveShown ? [`${labels.aboveMark} ${labels.aboveKey}`] : [])
            .join((enter) =>
                enter.append("span").attr("class", "ais-legend-item ais-legend-key").attr("role", "listitem"),
            )
            .text((text) => text);
    }

    private ratingHatch(rating: Rating, selected: boolean): string {
        return this.hatches.fill(rating - 1, selected);
    }

    /** A row's bar line, and above it (names above the bars) `nameLines` lines of name. */
    private rowMetrics(
        fontSize: number,
        nameLines: number,
    ): { lineHeight: number; nameLineHeight: number; rowHeight: number } {
        const lineHeight = Math.max(18, Math.round(fontSize * 2));
        const nameLineHeight = Math.round(fontSize * 1.3);
        const names = nameLines > 0 ? nameLines * nameLineHeight + 4 : 0;
        return { lineHeight, nameLineHeight, rowHeight: lineHeight + names };
    }

    /**
     * The widest text of each column, its header included: measured once per model and text size
     * (a resize lays out again, twice when a scrollbar appears, and measures nothing). The
     * statewide row and the headers are drawn bold, so measured bold.
     */
    private textWidths(model: SatisfactionViewModel, options: SatisfactionViewOptions): TextWidths {
        const { fontSize, labels } = options;
        const key = [fontSize, labels.average, labels.responses, labels.followUp, labels.aboveMark].join("\n");
        const known = this.widths.get(model);
        if (known && known.key === key) return known;
        const measure = (text: string, weight?: string) => this.measurer.width(text, fontSize, weight);
        // Rows: a bounded sample and those in view, so only they are formatted.
        const sample = widthSample(
            model.rows,
            rowWindow(
                this.scrollTop,
                this.drawn?.scrollHeight ?? 0,
                0,
                this.drawn?.layout.rowHeight ?? 0,
                model.rows.length,
            ),
        );
        const widest = (text: (row: SatisfactionRow) => string, header = "") =>
            Math.max(
                measure(header, bold),
                measure(text(model.statewide), bold),
                widestText(sample.map(text), (shown) => measure(shown)),
            );
        const widths = {
            key,
            name: widest((row) => row.name),
            average: widest((row) => row.averageText, labels.average),
            responses: widest((row) => row.responsesText, labels.responses),
            followUp: widest((row) => this.followUpShown(row, labels).whole, labels.followUp),
            followUpShort: widest((row) => this.followUpShown(row, labels).short, labels.followUp),
            followUpShare: widest((row) => this.followUpShown(row, labels).share),
            followUpState: widest((row) => this.followUpShown(row, labels).state),
            change: widest((row) => row.changeText),
        };
        this.widths.set(model, widths);
        return widths;
    }

    private layout(model: SatisfactionViewModel, width: number, options: SatisfactionViewOptions): Layout {
        const { fontSize, labels } = options;

        const {
            name: widestName,
            average: widestAverage,
            responses: widestResponses,
            change: widestChange,
            followUpShort: widestFollowUpShort,
            followUpShare: widestFollowUpShare,
            followUpState: widestFollowUpState,
        } = this.textWidths(model, options);
        let followUpWidth = this.textWidths(model, options).followUp;
        const stacked = namesAboveBars(width, widestName);
        // Above the bars, a long name takes a second line rather than being cut.
        const nameLines = stacked ? (widestName > width - 2 * padding ? maxNameLines : 1) : 0;
        const { lineHeight, nameLineHeight, rowHeight: oneLineRow } = this.rowMetrics(fontSize, nameLines);
        const barHeight = Math.round(lineHeight * 0.6);
        const nameWidth = stacked ? 0 : Math.max(32, Math.min(widestName + 4, width * NAME_COLUMN_SHARE));
        let showTrend = options.showTrend && model.hasTrend;
        let showNumbers = true;
        const trendWidth = () => (showTrend ? sparkWidth + gap + widestChange + gap : 0);
        const numbersWidth = () => (showNumbers ? widestAverage + widestResponses + 2 * gap : 0);
        const nameSpace = stacked ? 0 : nameWidth + gap;
        const plotFor = () => width - 2 * padding - nameSpace - numbersWidth() - gap - followUpWidth - trendWidth();
        // In a small visual the bars and the follow-up share and state matter most: drop the trend, then average
        // and responses, then the follow-up count (whole in the tooltip).
        if (plotFor() < 80 && showTrend) showTrend = false;
        if (plotFor() < minPlotWidth) showNumbers = false;
        if (plotFor() < minPlotWidth)
            followUpWidth = Math.max(widestFollowUpShort, followUpWidth - (minPlotWidth - plotFor()));
        // Still too narrow for the bars: the state goes on a line of its own, under the share.
        const twoLines = plotFor() < minPlotWidth && widestFollowUpState > 0;
        if (twoLines) followUpWidth = Math.max(widestFollowUpShare, widestFollowUpState);
        followUpWidth = Math.min(followUpWidth, Math.max(0, width - 2 * padding - gap - 20));
        const stateLineHeight = twoLines ? nameLineHeight : 0;
        const rowHeight = oneLineRow + stateLineHeight;

        const nameRight = padding + nameWidth;
        const plotLeft = padding + nameSpace;
        const plotRight = Math.max(plotLeft + 20, plotLeft + plotFor());
        const averageRight = plotRight + (showNumbers ? gap + widestAverage : 0);
        const responsesRight = averageRight + (showNumbers ? gap + widestResponses : 0);
        const followUpRight = responsesRight + gap + followUpWidth;

        const zero = scaleLinear().domain(model.domain).range([plotLeft, plotRight])(0);
        const header = this.placeHeader(
            { zero, plotRight, width, averageRight, responsesRight, followUpRight, showNumbers },
            labels,
            fontSize,
        );
        const headerHeight = (Math.max(...Object.values(header).map((text) => text.line)) + 1) * lineHeight;
        return {
            width,
            stacked,
            nameLines,
            nameLineHeight,
            rowHeight,
            barLineTop: rowHeight - lineHeight - stateLineHeight,
            stateLineHeight,
            lineHeight,
            barHeight,
            headerHeight,
            headHeight: headerHeight + rowHeight + 4,
            nameLeft: padding,
            nameRight,
            plotLeft,
            plotRight,
            averageRight,
            responsesRight,
            followUpRight,
            followUpWidth,
            trendLeft: followUpRight + gap,
            showNumbers,
            showTrend,
            header,
            rowsHeight: model.rows.length * rowHeight + 4,
        };
    }

    /**
     * The side labels end and start at the center line, and the column headers end with their
     * columns, on one line when they fit. When a side label does not fit beside the center line, the
     * low side's label takes a line of its own above, moved right as far as it needs; whatever is
     * still too long is shortened with an ellipsis rather than cut.
     */
    private placeHeader(
        at: {
            zero: number;
            plotRight: number;
            width: number;
            averageRight: number;
            responsesRight: number;
            followUpRight: number;
            showNumbers: boolean;
        },
        labels: SatisfactionLabels,
        fontSize: number,
    ): Layout["header"] {
        const measure = (text: string) => this.measurer.width(text, fontSize, bold);
        const fit = (text: string, room: number) => this.measurer.fit(text, fontSize, room, bold);
        const highRoom = at.plotRight + gap / 2 - (at.zero + 4);
        const lowRoom = at.zero - 4 - padding;
        const oneLine = measure(labels.sideLow) <= lowRoom && measure(labels.sideHigh) <= highRoom;
        const columns = oneLine ? 0 : 1;
        const lowEnd = oneLine
            ? at.zero - 4
            : Math.min(at.width - padding, Math.max(at.zero - 4, padding + measure(labels.sideLow)));
        return {
            sideLow: {
                line: 0,
                x: lowEnd,
                anchor: "end",
                text: fit(labels.sideLow, oneLine ? lowRoom : lowEnd - padding),
            },
            sideHigh: { line: columns, x: at.zero + 4, anchor: "start", text: fit(labels.sideHigh, highRoom) },
            average: { line: columns, x: at.averageRight, anchor: "end", text: at.showNumbers ? labels.average : "" },
            responses: {
                line: columns,
                x: at.responsesRight,
                anchor: "end",
                text: at.showNumbers ? labels.responses : "",
            },
            followUp: { line: columns, x: at.followUpRight, anchor: "end", text: labels.followUp },
        };
    }

    /**
     * A row's follow-up text as drawn, with its mark: whole, without the count for less room, and
     * on two lines (the share with its mark, then the state).
     */
    private followUpShown(
        row: SatisfactionRow,
        labels: SatisfactionLabels,
    ): { whole: string; short: string; share: string; state: string } {
        const { share, count, state } = row.followUpParts;
        const mark = row.followUpAbove && share !== "" ? labels.aboveMark : "";
        const join = (...parts: string[]) => parts.filter((part) => part !== "").join(" ");
        return {
            whole: join(mark, share, count, state),
            short: join(mark, share, state),
            share: join(mark, share),
            state,
        };
    }

    private renderHeader(layout: Layout, options: SatisfactionViewOptions): void {
        const { palette } = options;
        const color = palette.isHighContrast ? palette.foreground : "currentColor";
        const place = (name: string, text: HeaderText) =>
            this.header
                .select(`.ais-sat-${name}`)
                .attr("x", text.x)
                .attr("y", (text.line + 0.5) * layout.lineHeight)
                .attr("text-anchor", text.anchor)
                .attr("fill", color)
                .classed("ais-hidden", text.text === "")
                .text(text.text);
        place("side-low", layout.header.sideLow);
        place("side-high", layout.header.sideHigh);
        place("col-average", layout.header.average);
        place("col-responses", layout.header.responses);
        place("col-followup", layout.header.followUp);
    }

    private updateRow(
        rows: Row,
        layout: Layout,
        x: ScaleLinear<number, number>,
        options: SatisfactionViewOptions,
        selectable: boolean,
    ): void {
        const { palette, fontSize, labels } = options;
        const hc = palette.isHighContrast;
        const textColor = hc ? palette.foreground : "currentColor";
        const middle = layout.barLineTop + layout.lineHeight / 2;
        const barY = layout.barLineTop + (layout.lineHeight - layout.barHeight) / 2;
        const measurer = this.measurer;
        const dimmed = (row: SatisfactionRow) =>
            !hc && options.selected.size > 0 && !row.isStatewide && !options.selected.has(row.key);
        // Texts beside the bar fade with a deselected row; share labels keep full strength on their faded fill.
        const textOpacity = (row: SatisfactionRow) => (dimmed(row) ? DIMMED_OPACITY : null);
        const segmentOpacity = (row: SatisfactionRow) =>
            hc ? 1 : row.highlights !== null ? FADED_OPACITY : dimmed(row) ? DIMMED_OPACITY : 1;
        const selectedInHighContrast = (row: SatisfactionRow) => hc && options.selected.has(row.key);
        const hatch = (row: SatisfactionRow) => (segment: RatingSegment) =>
            this.ratingHatch(segment.rating, selectedInHighContrast(row));

        rows.call(changedClass, "ais-sat-low", (row) => row.lowResponse);
        rows.select("line.ais-sat-center")
            .call(changedClass, "ais-hidden", !layout.stacked)
            .call(changedAttr, "x1", x(0))
            .call(changedAttr, "x2", x(0))
            .call(changedAttr, "y1", layout.barLineTop)
            .call(changedAttr, "y2", layout.barLineTop + layout.lineHeight)
            .call(changedAttr, "stroke", hc ? palette.foreground : centerLineColor);
        rows.select("rect.ais-hit")
            .call(changedAttr, "width", layout.width)
            .call(changedAttr, "height", layout.rowHeight)
            .call(changedAttr, "stroke", (row) => (selectedInHighContrast(row) ? palette.foregroundSelected : null))
            .call(changedAttr, "stroke-width", (row) => (selectedInHighContrast(row) ? 2 : null));
        rows.select<SVGTextElement>("text.ais-name")
            .call(changedAttr, "text-anchor", layout.stacked ? "start" : "end")
            .call(changedAttr, "fill", (row) => (selectedInHighContrast(row) ? palette.foregroundSelected : textColor))
            .call(changedStyle, "opacity", textOpacity)
            .each(function (row) {
                const weight = row.isStatewide ? bold : undefined;
                const room = layout.stacked ? layout.width - 2 * padding : layout.nameRight - padding;
                const fit = (text: string) => measurer.fit(text, fontSize, room, weight);
                const lines = layout.stacked
                    ? wrap(row.name, room, (text) => measurer.width(text, fontSize, weight), fit, layout.nameLines)
                    : [fit(row.name)];
                select(this)
                    .selectAll<SVGTSpanElement, unknown>("tspan")
                    .call(changedAttr, "x", layout.stacked ? layout.nameLeft : layout.nameRight)
                    // Above the bar, a name sits on the lines next to it, however many it takes.
                    .call(changedAttr, "y", (_, index) =>
                        layout.stacked
                            ? 2 + (layout.nameLines - lines.length + index + 0.5) * layout.nameLineHeight
                            : middle,
                    )
                    // A space between lines, so the name reads whole as the row's text.
                    .call(changedText, (_, index) =>
                        index < lines.length - 1 ? `${lines[index]} ` : (lines[index] ?? ""),
                    );
            });

        rows.select<SVGGElement>("g.ais-sat-highlights").each(function (row) {
            select(this)
                .selectAll<SVGRectElement, RatingSegment>("rect")
                .data(row.highlights ?? [], (segment) => String(segment.rating))
                .join("rect")
                .call(changedAttr, "class", "ais-sat-highlight")
                .call(changedAttr, "data-rating", (segment) => segment.rating)
                .call(changedAttr, "x", (segment) => x(segment.start))
                .call(changedAttr, "width", (segment) => Math.max(0, x(segment.end) - x(segment.start)))
                .call(changedAttr, "y", barY)
                .call(changedAttr, "height", layout.barHeight)
                .call(changedAttr, "fill", (segment) => (hc ? palette.foreground : segment.color))
                .call(changedAttr, "stroke", hc ? palette.background : "#ffffff");
        });
        const labelColor = options.labelColor;
        rows.select<SVGGElement>("g.ais-segments").each(function (row) {
            const opacity = segmentOpacity(row);
            const pieces = select(this)
                .selectAll<SVGGElement, RatingSegment>("g.ais-sat-segment")
                .data(row.segments, (segment) => String(segment.rating))
                .join((enter) => {
                    const piece = enter.append("g").attr("class", "ais-sat-segment");
                    piece.append("rect");
                    piece
                        .append("text")
                        .attr("class", "ais-sat-share")
                        .attr("text-anchor", "middle")
                        .attr("dominant-baseline", "central");
                    return piece;
                });
            pieces.call(changedAttr, "data-rating", (segment) => segment.rating);
            pieces
                .select("rect")
                .call(changedAttr, "x", (segment) => x(segment.start))
                .call(changedAttr, "width", (segment) => Math.max(0, x(segment.end) - x(segment.start)))
                .call(changedAttr, "y", barY)
                .call(changedAttr, "height", layout.barHeight)
                .call(changedAttr, "fill", hc ? hatch(row) : (segment) => segment.color)
                .call(changedAttr, "stroke", hc ? palette.foreground : "#ffffff")
                .call(changedStyle, "opacity", () => (opacity < 1 ? opacity : null));
            // In high contrast a share sits on its hatch with a halo of the background, so it reads.
            pieces
                .select<SVGTextElement>("text")
                .call(changedAttr, "x", (segment) => (x(segment.start) + x(segment.end)) / 2)
                .call(changedAttr, "y", middle)
                .call(changedAttr, "fill", (segment) =>
                    hc ? palette.foreground : (labelColor ?? textOn(blend(segment.color, opacity, PAGE))),
                )
                .call(changedAttr, "stroke", hc ? palette.background : null)
                .call(changedAttr, "stroke-width", hc ? 3 : null)
                .call(changedAttr, "paint-order", hc ? "stroke" : null)
                .call(changedText, (segment) => {
                    const fits =
                        measurer.width(segment.shareText, fontSize * 0.85) + 4 <= x(segment.end) - x(segment.start);
                    return options.showLabels && fits ? segment.shareText : "";
                });
        });
        // Few responses: the bar keeps its colors, outlined dashed, and says so where the responses column is not drawn.
        rows.select<SVGRectElement>("rect.ais-sat-few")
            .call(changedClass, "ais-hidden", (row) => !row.lowResponse || row.segments.length === 0)
            .call(changedAttr, "x", (row) => x(row.segments[0]?.start ?? 0) - 1.5)
            .call(changedAttr, "width", (row) =>
                Math.max(0, x(row.segments[row.segments.length - 1]?.end ?? 0) - x(row.segments[0]?.start ?? 0) + 3),
            )
            .call(changedAttr, "y", barY - 1.5)
            .call(changedAttr, "height", layout.barHeight + 3)
            .call(changedAttr, "stroke", textColor)
            .call(changedStyle, "opacity", textOpacity);
        rows.select<SVGTextElement>("text.ais-sat-empty")
            .call(changedAttr, "x", (row) =>
                row.responses === 0 ? x(0) + 4 : x(row.segments[row.segments.length - 1]?.end ?? 0) + 4,
            )
            .call(changedAttr, "y", middle)
            .call(changedAttr, "fill", textColor)
            .call(changedStyle, "opacity", textOpacity)
            .call(changedText, (row) => {
                if (row.responses === 0)
                    return measurer.fit(labels.noResponses, fontSize, layout.plotRight + gap - x(0) - 4);
                if (!row.lowResponse || layout.showNumbers) return "";
                const room = layout.plotRight + gap - x(row.segments[row.segments.length - 1]?.end ?? 0) - 4;
                return measurer.width(labels.few, fontSize) <= room ? labels.few : "";
            });

        const column = (name: string, right: number, visible: boolean, text: (row: SatisfactionRow) => string) =>
            rows
                .select<SVGTextElement>(`text.${name}`)
                .call(changedAttr, "x", right)
                .call(changedAttr, "y", middle)
                .call(changedAttr, "fill", textColor)
                .call(changedStyle, "opacity", textOpacity)
                .call(changedClass, "ais-hidden", !visible)
                .call(changedText, text);
        column("ais-sat-average", layout.averageRight, layout.showNumbers, (row) => row.averageText);
        column("ais-sat-responses", layout.responsesRight, layout.showNumbers, (row) => row.responsesText);
        const twoLines = layout.stateLineHeight > 0;
        // Shortened with an ellipsis only where the visual is too small even for the shortest form.
        const fitFollowUp = (row: SatisfactionRow, candidates: string[]) => {
            const weight = row.isStatewide ? bold : undefined;
            const whole = candidates.find((text) => measurer.width(text, fontSize, weight) <= layout.followUpWidth);
            return whole ?? measurer.fit(candidates[candidates.length - 1], fontSize, layout.followUpWidth, weight);
        };
        column("ais-sat-followup", layout.followUpRight, true, (row) => {
            const shown = this.followUpShown(row, labels);
            return fitFollowUp(row, twoLines ? [shown.share] : [shown.whole, shown.short]);
        });
        column("ais-sat-followup-state", layout.followUpRight, twoLines, (row) =>
            twoLines ? fitFollowUp(row, [this.followUpShown(row, labels).state]) : "",
        ).call(changedAttr, "y", layout.barLineTop + layout.lineHeight + layout.stateLineHeight / 2);

        rows.select<SVGPathElement>("path.ais-trend")
            .call(changedClass, "ais-hidden", !layout.showTrend)
            // A style, not an attribute: the stylesheet's trend color would win over an attribute.
            .call(changedStyle, "stroke", () => (hc ? palette.foreground : null))
            .call(changedStyle, "opacity", textOpacity)
            .call(changedAttr, "d", (row) =>
                layout.showTrend ? sparkline(row.trend, layout.trendLeft, barY, layout.barHeight) : null,
            );
        rows.select<SVGTextElement>("text.ais-change")
            .call(changedClass, "ais-hidden", !layout.showTrend)
            .call(changedAttr, "x", layout.trendLeft + sparkWidth + gap)
            .call(changedAttr, "y", middle)
            .call(changedAttr, "fill", textColor)
            .call(changedStyle, "opacity", textOpacity)
            .call(changedText, (row) => row.changeText);
        if (!selectable) rows.attr("aria-selected", null);
    }

    private appendParts(row: Selection<SVGGElement, SatisfactionRow, SVGGElement, unknown>): void {
        row.append("rect").attr("class", "ais-hit").attr("fill", "transparent");
        const name = row.append("text").attr("class", "ais-name");
        // Each line of a name has its tspan from the start: a resize that wraps it anew makes no node.
        for (let line = 0; line < maxNameLines; line++) name.append("tspan").attr("dominant-baseline", "central");
        row.append("g").attr("class", "ais-segments");
        row.append("g").attr("class", "ais-sat-highlights");
        row.append("rect").attr("class", "ais-sat-few").attr("fill", "none");
        row.append("line").attr("class", "ais-sat-center");
        row.append("text").attr("class", "ais-sat-empty").attr("dominant-baseline", "central");
        for (const name of ["ais-sat-average", "ais-sat-responses", "ais-sat-followup", "ais-sat-followup-state"]) {
            row.append("text").attr("class", name).attr("text-anchor", "end").attr("dominant-baseline", "central");
        }
        row.append("path").attr("class", "ais-trend").attr("fill", "none");
        row.append("text").attr("class", "ais-change").attr("dominant-baseline", "central");
        row.on("mousemove", (event: MouseEvent, item) => this.events.showTooltip(item, event.clientX, event.clientY));
        row.on("mouseleave", () => this.events.hideTooltip());
        row.attr("tabindex", -1).attr("focusable", "true");
        row.on("focus", (_event: FocusEvent, item) => this.tabStop.focused(item, this.focusableRows()));
        showTooltipOnFocus(row, this.events);
    }

    /** The statewide row: not an agency, so not selectable; clicking it clears the selection. */
    private enterStateRow(row: Selection<SVGGElement, SatisfactionRow, SVGGElement, unknown>): Row {
        row.attr("class", "ais-sat-row ais-sat-statewide").attr("role", "row");
        this.appendParts(row);
        row.on("click", (event: MouseEvent) => {
            event.stopPropagation();
            this.events.clear();
        });
        row.on("contextmenu", (event: MouseEvent) => {
            event.preventDefault();
            event.stopPropagation();
            this.events.contextMenu(null, event.clientX, event.clientY);
        });
        // Enter or Space clear the selection, as a click on it does; Down moves to the first agency.
        const clear = () => this.events.clear();
        row.on("keydown", (event: KeyboardEvent, item) =>
            handleRowKey(event, item, { select: clear, clear }, (step) => this.focusRow(null, step)),
        );
        return row;
    }

    private enterRow(row: Selection<SVGGElement, SatisfactionRow, SVGGElement, unknown>): Row {
        row.attr("class", "ais-row ais-sat-row").attr("role", "option");
        this.appendParts(row);
        row.on("click", (event: MouseEvent, item) => {
            event.stopPropagation();
            this.events.select(item, isMultiSelect(event));
        });
        row.on("contextmenu", (event: MouseEvent, item) => {
            event.preventDefault();
            event.stopPropagation();
            this.events.contextMenu(item, event.clientX, event.clientY);
        });
        row.on("keydown", (event: KeyboardEvent, item) => this.onKey(event, item));
        return row;
    }

    private onKey(event: KeyboardEvent, item: SatisfactionRow): void {
        handleRowKey(event, item, this.events, (step) => this.focusRow(item, step));
    }

    /**
     * Focuses the row `step` rows from `item` (null: the statewide row, above the first agency),
     * scrolling it into the window first.
     */
    private focusRow(item: SatisfactionRow | null, step: number): void {
        if (!this.drawn) return;
        const { model, layout, positions, scrollHeight } = this.drawn;
        const index = (item === null ? -1 : (positions.get(item.key) ?? 0)) + step;
        const scroller = this.scroller.node();
        if (index === -1) {
            // The statewide row stays in view above the rows: focusing it scrolls nothing.
            this.state.select<SVGGElement>("g.ais-sat-row").node()?.focus();
            return;
        }
        const target = model.rows[index];
        if (!target || !scroller) return;
        const top = (positions.get(target.key) ?? 0) * layout.rowHeight;
        if (top < this.scrollTop) scroller.scrollTop = this.scrollTop = top;
        else if (top + layout.rowHeight > this.scrollTop + scrollHeight)
            scroller.scrollTop = this.scrollTop = top + layout.rowHeight - scrollHeight;
        this.renderWindow();
        this.rows
            .selectAll<SVGGElement, SatisfactionRow>("g.ais-row")
            .filter((row) => row.key === target.key)
            .node()
            ?.focus();
    }
}

/** A sparkline of the average rating, on the fixed 1-5 scale so agencies compare, broken where a period has no responses. */
function sparkline(points: TrendPoint[], left: number, top: number, height: number): string | null {
    if (!points.some((point) => point.value !== null)) return null;
    const y = scaleLinear()
        .domain([1, 5])
        .range([top + height, top]);
    const step = points.length > 1 ? sparkWidth / (points.length - 1) : 0;
    return line<TrendPoint>()
        .defined((point) => point.value !== null)
        .x((_, index) => left + index * step)
        .y((point) => y(point.value as number))(points);
}
