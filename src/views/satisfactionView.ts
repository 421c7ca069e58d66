import { ScaleLinear, scaleLinear } from "d3-scale";
import { select, Selection } from "d3-selection";
import { line } from "d3-shape";
import { TrendPoint } from "../data/costModel";
import { RatingSegment, SatisfactionRow, SatisfactionViewModel } from "../data/satisfactionModel";
import { createChartFrame } from "./chartFrame";
import { handleRowKey, isMultiSelect, RovingTabStop, showTooltipOnFocus } from "./rowKeys";
import { widestText } from "./widestText";
import { CachedHeight, rowWindow } from "./rowWindow";
import { ItemEvents, Palette, TextMeasurer, Viewport } from "./viewTypes";

/** The texts the view draws around the data (header and legend), already localized. */
export interface SatisfactionLabels {
    sideLow: string;
    sideHigh: string;
    average: string;
    responses: string;
    followUp: string;
    legend: string;
    noResponses: string;
}

export interface SatisfactionViewOptions {
    fontSize: number;
    /** Each rating's share inside its segment, where it fits. */
    showLabels: boolean;
    labelColor: string;
    showTrend: boolean;
    selected: ReadonlySet<string>;
    palette: Palette;
    labels: SatisfactionLabels;
}

interface Layout {
    width: number;
    rowHeight: number;
    barHeight: number;
    headerHeight: number;
    stateTop: number;
    rowsTop: number;
    nameRight: number;
    plotLeft: number;
    plotRight: number;
    averageRight: number;
    responsesRight: number;
    followUpRight: number;
    trendLeft: number;
    showNumbers: boolean;
    showTrend: boolean;
    height: number;
}

const padding = 8;
const sparkWidth = 56;
const gap = 10;
/** Agency rows drawn above and below the visible ones. */
const overscan = 8;

type Div = Selection<HTMLDivElement, unknown, null, undefined>;
type Row = Selection<SVGGElement, SatisfactionRow, SVGGElement, unknown>;

/** Black or white, whichever reads better on a fill (for share labels inside segments). */
function textOn(fill: string): string {
    const match = /^#?([0-9a-f]{6})$/i.exec(fill.trim());
    if (!match) return "#000000";
    const value = parseInt(match[1], 16);
    const channel = (shift: number) => {
        const c = ((value >> shift) & 255) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    const luminance = 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0);
    return luminance > 0.179 ? "#000000" : "#ffffff";
}

/**
 * One row per agency under a statewide row: a diverging stacked bar of ratings (1-3 left of the
 * center line, 4-5 right), the average, the responses and the follow-up share and count, with a
 * trend of the average when Period is bound. Rows are joined by agency and updated in place.
 */
export class SatisfactionView {
    private readonly root: Div;
    private readonly legend: Div;
    private readonly notes: Div;
    private readonly scroller: Div;
    private readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
    private readonly background: Selection<SVGRectElement, unknown, null, undefined>;
    private readonly header: Selection<SVGGElement, unknown, null, undefined>;
    private readonly state: Selection<SVGGElement, unknown, null, undefined>;
    private readonly rows: Selection<SVGGElement, unknown, null, undefined>;
    private readonly center: Selection<SVGLineElement, unknown, null, undefined>;
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
        this.header = this.svg.append("g").attr("class", "ais-sat-header");
        for (const name of ["side-low", "side-high", "col-average", "col-responses", "col-followup"]) {
            this.header.append("text").attr("class", `ais-sat-${name}`).attr("dominant-baseline", "central");
        }
        this.state = this.svg.append("g").attr("class", "ais-sat-state");
        this.rows = this.svg
            .append("g")
            .attr("class", "ais-rows")
            .attr("role", "listbox")
            .attr("aria-multiselectable", "true");
        this.center = this.svg.append("line").attr("class", "ais-sat-center");

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

        this.renderLegend(model, options);
        this.notes
            .selectAll<HTMLParagraphElement, string>("p")
            .data(model.notes)
            .join("p")
            .text((note) => note);
        const chromeHeight = this.chromeHeight.read(
            [viewport.width, options.fontSize, ...model.notes].join("\n"),
            () => (this.legend.node()?.offsetHeight ?? 0) + (this.notes.node()?.offsetHeight ?? 0),
        );
        const scrollHeight = Math.max(0, viewport.height - chromeHeight);
        this.scroller.style("height", `${scrollHeight}px`);

        const layout = this.layout(model, viewport.width, options);
        const x = scaleLinear().domain(model.domain).range([layout.plotLeft, layout.plotRight]);
        const zero = x(0);

        this.svg.attr("width", layout.width).attr("height", layout.height);
        this.background.attr("width", layout.width).attr("height", layout.height).attr("fill", "transparent");
        this.center
            .attr("x1", zero)
            .attr("x2", zero)
            .attr("y1", layout.headerHeight - 2)
            .attr("y2", layout.height)
            .attr("stroke", palette.isHighContrast ? palette.foreground : "#252423");
        this.renderHeader(layout, zero, options);

        const stateRow = this.state
            .selectAll<SVGGElement, SatisfactionRow>("g.ais-sat-row")
            .data([model.statewide], () => "statewide")
            .join((enter) => this.enterStateRow(enter.append("g")))
            .attr("transform", `translate(0,${layout.stateTop})`)
            .attr("aria-label", (row) => this.ariaLabel(row));
        this.updateRow(stateRow, layout, x, options, false);

        const positions = new Map(model.rows.map((row, index) => [row.key, index]));
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
        const scrollTop = (this.scrollTop = Math.max(0, Math.min(this.scrollTop, layout.height - scrollHeight)));
        const { first, last } = rowWindow(
            scrollTop,
            scrollHeight,
            layout.rowsTop,
            layout.rowHeight,
            model.rows.length,
            overscan,
        );
        const position = (row: SatisfactionRow) => positions.get(row.key) ?? 0;

        const anySelected = options.selected.size > 0;
        const hc = options.palette.isHighContrast;
        const rows = this.rows
            .selectAll<SVGGElement, SatisfactionRow>("g.ais-row")
            .data(model.rows.slice(first, Math.max(first, last)), (row) => row.key)
            .join((enter) => this.enterRow(enter.append("g")))
            .order();
        rows.attr("transform", (row) => `translate(0,${layout.rowsTop + position(row) * layout.rowHeight})`)
            .attr("aria-setsize", model.rows.length)
            .attr("aria-posinset", (row) => position(row) + 1)
            .attr("aria-label", (row) => this.ariaLabel(row))
            .attr("aria-selected", (row) => String(options.selected.has(row.key)))
            // High contrast allows no blended colors: selected rows are outlined in the selection color instead.
            .classed("ais-dimmed", (row) => !hc && anySelected && !options.selected.has(row.key))
            .classed("ais-selected", (row) => options.selected.has(row.key));
        this.updateRow(rows, layout, x, options, true);
        this.tabStop.apply(this.focusableRows());
    }

    /** The statewide row, then the drawn agency rows, in display order. */
    private focusableRows(): Selection<SVGGElement, SatisfactionRow, SVGSVGElement, unknown> {
        return this.svg.selectAll<SVGGElement, SatisfactionRow>("g.ais-sat-row");
    }

    private ariaLabel(row: SatisfactionRow): string {
        return [row.name, row.averageText, row.responsesText, row.followUpText]
            .filter((part) => part !== "")
            .join(", ");
    }

    private renderLegend(model: SatisfactionViewModel, options: SatisfactionViewOptions): void {
        const { palette } = options;
        this.legend.select(".ais-legend-title").text(options.labels.legend);
        const items = this.legend
            .selectAll<HTMLSpanElement, SatisfactionViewModel["legend"][number]>("span.ais-legend-item")
            .data(model.legend, (item) => String(item.rating))
            .join((enter) => {
                const item = enter.append("span").attr("class", "ais-legend-item").attr("role", "listitem");
                item.append("span").attr("class", "ais-swatch");
                item.append("span").attr("class", "ais-legend-text");
                return item;
            });
        items
            .select(".ais-swatch")
            .style("background-color", (item) => (palette.isHighContrast ? palette.background : item.color))
            .style("border", () => (palette.isHighContrast ? `1px solid ${palette.foreground}` : null));
        items.select(".ais-legend-text").text((item) => String(item.rating));
    }

    private layout(model: SatisfactionViewModel, width: number, options: SatisfactionViewOptions): Layout {
        const { fontSize, labels } = options;
        const rowHeight = Math.max(18, Math.round(fontSize * 2));
        const barHeight = Math.round(rowHeight * 0.6);
        const headerHeight = rowHeight;
        const measure = (text: string) => this.measurer.width(text, fontSize);

        const all = [model.statewide, ...model.rows];
        const widest = (text: (row: SatisfactionRow) => string, header = "") =>
            Math.max(measure(header), widestText(all.map(text), measure));
        const widestName = widest((row) => row.name);
        const widestAverage = widest((row) => row.averageText, labels.average);
        const widestResponses = widest((row) => row.responsesText, labels.responses);
        const widestFollowUp = widest((row) => row.followUpText, labels.followUp);
        const widestChange = widest((row) => row.changeText);
        const nameWidth = Math.max(32, Math.min(widestName + 4, width * 0.3));
        let showTrend = options.showTrend && model.hasTrend;
        let showNumbers = true;
        const trendWidth = () => (showTrend ? sparkWidth + gap + widestChange + gap : 0);
        const numbersWidth = () => (showNumbers ? widestAverage + widestResponses + 3 * gap : 0);
        const plotFor = () =>
            width - 2 * padding - nameWidth - gap - numbersWidth() - widestFollowUp - gap - trendWidth();
        // In a small visual the bars and the follow-up count matter most: drop the trend, then average and responses.
        if (plotFor() < 80 && showTrend) showTrend = false;
        if (plotFor() < 60) showNumbers = false;

        const nameRight = padding + nameWidth;
        const plotLeft = nameRight + gap;
        const plotRight = Math.max(plotLeft + 20, plotLeft + plotFor());
        const averageRight = plotRight + gap + (showNumbers ? widestAverage : 0);
        const responsesRight = averageRight + (showNumbers ? gap + widestResponses : 0);
        const followUpRight = responsesRight + gap + widestFollowUp;
        const stateTop = headerHeight;
        const rowsTop = stateTop + rowHeight + 4;
        return {
            width,
            rowHeight,
            barHeight,
            headerHeight,
            stateTop,
            rowsTop,
            nameRight,
            plotLeft,
            plotRight,
            averageRight,
            responsesRight,
            followUpRight,
            trendLeft: followUpRight + gap,
            showNumbers,
            showTrend,
            height: rowsTop + model.rows.length * rowHeight + 4,
        };
    }

    private renderHeader(layout: Layout, zero: number, options: SatisfactionViewOptions): void {
        const { labels, palette } = options;
        const y = layout.headerHeight / 2;
        const color = palette.isHighContrast ? palette.foreground : options.labelColor;
        this.header.selectAll("text").attr("y", y).attr("fill", color);
        this.header
            .select(".ais-sat-side-low")
            .attr("x", zero - 4)
            .attr("text-anchor", "end")
            .text(labels.sideLow);
        this.header
            .select(".ais-sat-side-high")
            .attr("x", zero + 4)
            .attr("text-anchor", "start")
            .text(labels.sideHigh);
        this.header
            .select(".ais-sat-col-average")
            .attr("x", layout.averageRight)
            .attr("text-anchor", "end")
            .classed("ais-hidden", !layout.showNumbers)
            .text(labels.average);
        this.header
            .select(".ais-sat-col-responses")
            .attr("x", layout.responsesRight)
            .attr("text-anchor", "end")
            .classed("ais-hidden", !layout.showNumbers)
            .text(labels.responses);
        this.header
            .select(".ais-sat-col-followup")
            .attr("x", layout.followUpRight)
            .attr("text-anchor", "end")
            .text(labels.followUp);
    }

    private updateRow(
        rows: Row,
        layout: Layout,
        x: ScaleLinear<number, number>,
        options: SatisfactionViewOptions,
        selectable: boolean,
    ): void {
        const { palette, fontSize } = options;
        const textColor = palette.isHighContrast ? palette.foreground : options.labelColor;
        const middle = layout.rowHeight / 2;
        const barY = (layout.rowHeight - layout.barHeight) / 2;
        const measurer = this.measurer;

        const selectedInHighContrast = (row: SatisfactionRow) =>
            palette.isHighContrast && options.selected.has(row.key);
        rows.classed("ais-sat-low", (row) => row.lowResponse);
        rows.select("rect.ais-hit")
            .attr("width", layout.width)
            .attr("height", layout.rowHeight)
            .attr("stroke", (row) => (selectedInHighContrast(row) ? palette.foregroundSelected : null))
            .attr("stroke-width", (row) => (selectedInHighContrast(row) ? 2 : null));
        rows.select<SVGTextElement>("text.ais-name")
            .attr("x", layout.nameRight)
            .attr("y", middle)
            .attr("fill", (row) => (selectedInHighContrast(row) ? palette.foregroundSelected : "currentColor"))
            .text((row) => measurer.fit(row.name, fontSize, layout.nameRight - padding));

        rows.select("g.ais-segments").classed("ais-faded", (row) => !palette.isHighContrast && row.highlights !== null);
        rows.select<SVGGElement>("g.ais-sat-highlights").each(function (row) {
            select(this)
                .selectAll<SVGRectElement, RatingSegment>("rect")
                .data(row.highlights ?? [], (segment) => String(segment.rating))
                .join("rect")
                .attr("class", "ais-sat-highlight")
                .attr("data-rating", (segment) => segment.rating)
                .attr("x", (segment) => x(segment.start))
                .attr("width", (segment) => Math.max(0, x(segment.end) - x(segment.start)))
                .attr("y", barY)
                .attr("height", layout.barHeight)
                .attr("fill", (segment) => (palette.isHighContrast ? palette.foreground : segment.color))
                .attr("stroke", palette.isHighContrast ? palette.background : "#ffffff");
        });
        rows.select<SVGGElement>("g.ais-segments").each(function (row) {
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
            pieces.attr("data-rating", (segment) => segment.rating);
            pieces
                .select("rect")
                .attr("x", (segment) => x(segment.start))
                .attr("width", (segment) => Math.max(0, x(segment.end) - x(segment.start)))
                .attr("y", barY)
                .attr("height", layout.barHeight)
                .attr("fill", (segment) => (palette.isHighContrast ? palette.background : segment.color))
                .attr("stroke", palette.isHighContrast ? palette.foreground : "#ffffff");
            pieces
                .select<SVGTextElement>("text")
                .attr("x", (segment) => (x(segment.start) + x(segment.end)) / 2)
                .attr("y", middle)
                .attr("fill", (segment) => (palette.isHighContrast ? palette.foreground : textOn(segment.color)))
                .text((segment) => {
                    const fits = measurer.width(segment.shareText, fontSize) + 4 <= x(segment.end) - x(segment.start);
                    return options.showLabels && fits ? segment.shareText : "";
                });
        });
        rows.select<SVGTextElement>("text.ais-sat-empty")
            .attr("x", x(0) + 4)
            .attr("y", middle)
            .attr("fill", textColor)
            .text((row) => (row.responses === 0 ? options.labels.noResponses : ""));

        const column = (name: string, right: number, visible: boolean, text: (row: SatisfactionRow) => string) =>
            rows
                .select<SVGTextElement>(`text.${name}`)
                .attr("x", right)
                .attr("y", middle)
                .attr("fill", textColor)
                .classed("ais-hidden", !visible)
                .text(text);
        column("ais-sat-average", layout.averageRight, layout.showNumbers, (row) => row.averageText);
        column("ais-sat-responses", layout.responsesRight, layout.showNumbers, (row) => row.responsesText);
        column("ais-sat-followup", layout.followUpRight, true, (row) => row.followUpText);

        rows.select<SVGPathElement>("path.ais-trend")
            .classed("ais-hidden", !layout.showTrend)
            // A style, not an attribute: the stylesheet's trend color would win over an attribute.
            .style("stroke", () => (palette.isHighContrast ? palette.foreground : null))
            .attr("d", (row) =>
                layout.showTrend ? sparkline(row.trend, layout.trendLeft, barY, layout.barHeight) : null,
            );
        rows.select<SVGTextElement>("text.ais-change")
            .classed("ais-hidden", !layout.showTrend)
            .attr("x", layout.trendLeft + sparkWidth + gap)
            .attr("y", middle)
            .attr("fill", textColor)
            .text((row) => row.changeText);
        if (!selectable) rows.attr("aria-selected", null);
    }

    private appendParts(row: Selection<SVGGElement, SatisfactionRow, SVGGElement, unknown>): void {
        row.append("rect").attr("class", "ais-hit").attr("fill", "transparent");
        row.append("text").attr("class", "ais-name").attr("text-anchor", "end").attr("dominant-baseline", "central");
        row.append("g").attr("class", "ais-segments");
        row.append("g").attr("class", "ais-sat-highlights");
        row.append("text").attr("class", "ais-sat-empty").attr("dominant-baseline", "central");
        for (const name of ["ais-sat-average", "ais-sat-responses", "ais-sat-followup"]) {
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
            if (scroller) scroller.scrollTop = this.scrollTop = 0;
            this.state.select<SVGGElement>("g.ais-sat-row").node()?.focus();
            return;
        }
        const target = model.rows[index];
        if (!target || !scroller) return;
        const top = layout.rowsTop + (positions.get(target.key) ?? 0) * layout.rowHeight;
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
