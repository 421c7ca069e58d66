import { ScaleLinear, scaleLinear } from "d3-scale";
import { select, Selection } from "d3-selection";
import { line } from "d3-shape";
import { BarSegment, CostBar, CostViewModel, ServiceLegendItem, TrendPoint } from "../data/costModel";
import { createChartFrame } from "./chartFrame";
import { HatchPatterns } from "./hatchPatterns";
import { handleRowKey, isMultiSelect, RovingTabStop, showTooltipOnFocus } from "./rowKeys";
import { widestText } from "./widestText";
import { CachedHeight, rowWindow, widthSample } from "./rowWindow";
import { ItemEvents, Palette, TextMeasurer, Viewport } from "./viewTypes";

export interface CostViewOptions {
    fontSize: number;
    showLabels: boolean;
    labelColor: string;
    showReference: boolean;
    referenceColor: string;
    showReferenceLabel: boolean;
    showTrend: boolean;
    /** A row's accessible name: the figure with its unit, against the statewide figure, and its change. */
    describe(bar: CostBar): string;
    /** Keys of the selected agencies; the others are dimmed while any is selected. */
    selected: ReadonlySet<string>;
    palette: Palette;
}

interface Layout {
    width: number;
    rowHeight: number;
    barHeight: number;
    top: number;
    nameRight: number;
    plotLeft: number;
    plotRight: number;
    valueLeft: number;
    trendLeft: number;
    showLabels: boolean;
    showTrend: boolean;
    height: number;
}

interface TextWidths {
    fontSize: number;
    name: number;
    value: number;
    change: number;
}

interface LastRender {
    model: CostViewModel;
    layout: Layout;
    x: ScaleLinear<number, number>;
    options: CostViewOptions;
}

const padding = 8;
const gap = 8;
const sparkWidth = 56;
const zeroLineColor = "#8a8886";
const trendColor = "#605e5c";

type Div = Selection<HTMLDivElement, unknown, null, undefined>;

/**
 * Horizontal bars, one per agency, stacked by service, with a statewide line and a trend.
 * Rows are joined by agency key and updated in place; only the rows in view (and a few either
 * side) are in the DOM, so a resize or a scroll touches tens of nodes whatever the row count.
 */
export class CostView {
    private readonly root: Div;
    private readonly legend: Div;
    private readonly notes: Div;
    private readonly scroller: Div;
    private readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
    /** In high contrast every service is the foreground color: a hatch pattern per service tells them apart. */
    private readonly hatches: HatchPatterns;
    private readonly background: Selection<SVGRectElement, unknown, null, undefined>;
    private readonly rows: Selection<SVGGElement, unknown, null, undefined>;
    private readonly zeroLine: Selection<SVGLineElement, unknown, null, undefined>;
    private readonly reference: Selection<SVGGElement, unknown, null, undefined>;
    private readonly widths = new WeakMap<CostViewModel, TextWidths>();
    private readonly sparklines = new WeakMap<CostBar, { key: string; path: string | null }>();
    private last: LastRender | null = null;
    private readonly tabStop = new RovingTabStop<CostBar>((bar) => bar.key);
    private scrollFrame: number | null = null;
    private readonly chromeHeight = new CachedHeight();
    /** Kept from scroll events and the height set here: reading either during an update would force a layout. */
    private scrollTop = 0;
    private viewHeight = 0;

    constructor(
        parent: HTMLElement,
        private readonly measurer: TextMeasurer,
        private readonly events: ItemEvents<CostBar>,
    ) {
        const frame = createChartFrame(parent, { root: "ais-cost", chart: "ais-chart", legend: true }, events);
        ({
            root: this.root,
            notes: this.notes,
            scroller: this.scroller,
            svg: this.svg,
            background: this.background,
        } = frame);
        this.legend = frame.legend as Div;
        this.hatches = new HatchPatterns(this.svg);
        this.rows = this.svg
            .append("g")
            .attr("class", "ais-rows")
            .attr("role", "listbox")
            .attr("aria-multiselectable", "true");
        this.zeroLine = this.svg.append("line").attr("class", "ais-zero");
        this.reference = this.svg.append("g").attr("class", "ais-reference");
        this.reference.append("line");
        this.reference.append("text").attr("class", "ais-reference-label");
        this.scroller.on("scroll", () => {
            this.scrollTop = this.scroller.node()?.scrollTop ?? 0;
            this.scheduleRows();
        });
    }

    show(visible: boolean): void {
        this.root.classed("ais-hidden", !visible);
    }

    render(model: CostViewModel, viewport: Viewport, options: CostViewOptions): void {
        const { palette } = options;
        this.root
            .style("width", `${viewport.width}px`)
            .style("height", `${viewport.height}px`)
            .style("font-size", `${options.fontSize}px`)
            .style("color", () => (palette.isHighContrast ? palette.foreground : null));

        this.hatches.render(palette);
        this.renderLegend(model, options);
        this.notes
            .selectAll<HTMLParagraphElement, string>("p")
            .data(model.notes)
            .join("p")
            .text((note) => note);

        const chromeHeight = this.chromeHeight.read(
            [viewport.width, options.fontSize, ...model.notes, ...model.services.map((service) => service.name)].join(
                "\n",
            ),
            () => (this.legend.node()?.offsetHeight ?? 0) + (this.notes.node()?.offsetHeight ?? 0),
        );
        this.viewHeight = Math.max(0, viewport.height - chromeHeight);
        this.scroller.style("height", `${this.viewHeight}px`);

        const layout = this.layout(model, viewport.width, options);
        const x = scaleLinear()
            .domain(model.domain[0] === model.domain[1] ? [model.domain[0], model.domain[0] + 1] : model.domain)
            .range([layout.plotLeft, layout.plotRight]);

        this.svg.attr("width", layout.width).attr("height", layout.height);
        this.background.attr("width", layout.width).attr("height", layout.height);
        this.zeroLine
            .attr("x1", x(0))
            .attr("x2", x(0))
            .attr("y1", layout.top)
            .attr("y2", layout.height)
            .attr("stroke", palette.isHighContrast ? palette.foreground : zeroLineColor);

        this.last = { model, layout, x, options };
        this.renderRows();
        this.renderReference(model, layout, x, options);
    }

    private scheduleRows(): void {
        if (this.scrollFrame !== null) return;
        this.scrollFrame = requestAnimationFrame(() => {
            this.scrollFrame = null;
            this.renderRows();
        });
    }

    private hatch(service: string, model: CostViewModel, selected: boolean): string {
        return this.hatches.fill(
            model.services.findIndex((item) => item.name === service),
            selected,
        );
    }

    private renderLegend(model: CostViewModel, options: CostViewOptions): void {
        const { palette } = options;
        const items = this.legend
            .selectAll<HTMLSpanElement, ServiceLegendItem>("span.ais-legend-item")
            .data(model.services, (service) => service.name)
            .join((enter) => {
                const item = enter.append("span").attr("class", "ais-legend-item").attr("role", "listitem");
                item.append("svg")
                    .attr("class", "ais-swatch")
                    .attr("width", 10)
                    .attr("height", 10)
                    .attr("aria-hidden", "true")
                    .append("rect")
                    .attr("width", 10)
                    .attr("height", 10)
                    .attr("rx", 2);
                item.append("span").attr("class", "ais-legend-text");
                return item;
            });
        items
            .select(".ais-swatch rect")
            .attr("fill", (service) =>
                palette.isHighContrast ? this.hatch(service.name, model, false) : service.color,
            )
            .attr("stroke", palette.isHighContrast ? palette.foreground : null);
        items.select(".ais-legend-text").text((service) => service.name);
        this.legend.classed("ais-hidden", model.services.length === 0);
    }

    /** Widths of the widest name, label and change text: measured once per model and text size. */
    private textWidths(model: CostViewModel, fontSize: number): TextWidths {
        const known = this.widths.get(model);
        if (known && known.fontSize === fontSize) return known;
        const measure = (text: string) => this.measurer.width(text, fontSize);
        // A bounded sample and the rows in view: labels are formatted only for the bars measured.
        const rowHeight = Math.max(18, Math.round(fontSize * 2));
        const sample = widthSample(
            model.bars,
            rowWindow(this.scrollTop, this.viewHeight, 0, rowHeight, model.bars.length),
        );
        const widths: TextWidths = {
            fontSize,
            name: widestText(
                sample.map((bar) => bar.name),
                measure,
            ),
            value: widestText(
                sample.map((bar) => bar.valueText),
                measure,
            ),
            change: widestText(
                sample.map((bar) => bar.changeText),
                measure,
            ),
        };
        this.widths.set(model, widths);
        return widths;
    }

    private layout(model: CostViewModel, width: number, options: CostViewOptions): Layout {
        const fontSize = options.fontSize;
        const rowHeight = Math.max(18, Math.round(fontSize * 2));
        const barHeight = Math.round(rowHeight * 0.6);
        const top =
            options.showReference && options.showReferenceLabel && model.reference.value !== null ? rowHeight : 4;
        const widths = this.textWidths(model, fontSize);

        const nameWidth = Math.max(32, Math.min(widths.name + 4, width * 0.35));
        let showTrend = options.showTrend && model.hasTrend;
        let showLabels = options.showLabels && widths.value > 0;
        const trendWidth = () => (showTrend ? sparkWidth + gap + widths.change + gap : 0);
        const valueWidth = () => (showLabels ? widths.value + gap : 0);
        const plotWidth = () => width - 2 * padding - nameWidth - gap - valueWidth() - trendWidth();
        // In a small visual the bars matter most: drop the trend first, then the value labels.
        if (showTrend && plotWidth() < Math.max(60, width * 0.4)) showTrend = false;
        if (showLabels && plotWidth() < 40) showLabels = false;

        const nameRight = padding + nameWidth;
        const plotLeft = nameRight + gap;
        const plotRight = Math.max(plotLeft + 10, plotLeft + plotWidth());
        const valueLeft = plotRight + gap;
        return {
            width,
            rowHeight,
            barHeight,
            top,
            nameRight,
            plotLeft,
            plotRight,
            valueLeft,
            trendLeft: valueLeft + valueWidth(),
            showLabels,
            showTrend,
            height: top + model.bars.length * rowHeight + 4,
        };
    }

    /** The rows in view, plus an overscan either side. */
    private visibleBars(model: CostViewModel, layout: Layout): { bars: CostBar[]; first: number } {
        // The browser keeps the scroll position within the chart; so does the kept copy.
        this.scrollTop = Math.max(0, Math.min(this.scrollTop, layout.height - this.viewHeight));
        const { first, last } = rowWindow(
            this.scrollTop,
            this.viewHeight,
            layout.top,
            layout.rowHeight,
            model.bars.length,
        );
        return { bars: model.bars.slice(first, last), first };
    }

    private renderRows(): void {
        if (!this.last) return;
        const { model, layout, x, options } = this.last;
        const { palette, fontSize } = options;
        const highContrast = palette.isHighContrast;
        const anySelected = options.selected.size > 0;
        const isSelected = (bar: CostBar) => options.selected.has(bar.key);
        const textColor = highContrast ? palette.foreground : options.labelColor;
        const { bars, first } = this.visibleBars(model, layout);
        const indexOf = new Map(bars.map((bar, index) => [bar, first + index]));

        const rows = this.rows
            .selectAll<SVGGElement, CostBar>("g.ais-row")
            .data(bars, (bar) => bar.key)
            .join((enter) => this.enterRow(enter.append("g")))
            .order();

        rows.attr("transform", (bar) => `translate(0,${layout.top + (indexOf.get(bar) ?? 0) * layout.rowHeight})`)
            .attr("aria-label", (bar) => options.describe(bar))
            .attr("aria-selected", (bar) => String(isSelected(bar)))
            // High contrast allows no blended colors: selected rows take foregroundSelected instead of dimming the rest.
            .classed("ais-dimmed", (bar) => !highContrast && anySelected && !isSelected(bar))
            .classed("ais-selected", isSelected);
        this.tabStop.apply(rows);

        rows.select("rect.ais-hit").attr("width", layout.width).attr("height", layout.rowHeight);
        rows.select<SVGTextElement>("text.ais-name")
            .attr("x", layout.nameRight)
            .attr("y", layout.rowHeight / 2)
            .attr("fill", "currentColor")
            .text((bar) => this.measurer.fit(bar.name, fontSize, layout.nameRight - padding));

        const barY = (layout.rowHeight - layout.barHeight) / 2;
        const drawSegments = (
            group: SVGGElement,
            segments: BarSegment[],
            className: string,
            fill: (segment: BarSegment) => string,
            stroke: string | null,
        ) => {
            select(group)
                .selectAll<SVGRectElement, BarSegment>("rect")
                .data(segments, (segment) => segment.service)
                .join("rect")
                .attr("class", className)
                .attr("x", (segment) => x(Math.min(segment.start, segment.end)))
                .attr("width", (segment) => Math.abs(x(segment.end) - x(segment.start)))
                .attr("y", barY)
                .attr("height", layout.barHeight)
                .attr("fill", fill)
                .attr("stroke", stroke);
        };
        const hatch = (bar: CostBar) => (segment: BarSegment) => this.hatch(segment.service, model, isSelected(bar));
        // Under a cross-highlight the whole bar is dimmed (in high contrast: outlined) and the
        // highlighted part drawn over it.
        const outlineOnly = highContrast && model.hasHighlights;
        rows.select<SVGGElement>("g.ais-segments")
            .classed("ais-faded", !highContrast && model.hasHighlights)
            .each(function (bar) {
                const fill = outlineOnly
                    ? () => palette.background
                    : highContrast
                      ? hatch(bar)
                      : (segment: BarSegment) => segment.color;
                drawSegments(
                    this,
                    bar.segments,
                    "ais-segment",
                    fill,
                    highContrast ? (isSelected(bar) ? palette.foregroundSelected : palette.foreground) : null,
                );
            });
        rows.select<SVGGElement>("g.ais-highlights").each(function (bar) {
            const fill = highContrast ? hatch(bar) : (segment: BarSegment) => segment.color;
            drawSegments(this, bar.highlights ?? [], "ais-highlight", fill, highContrast ? palette.foreground : null);
        });

        rows.select<SVGTextElement>("text.ais-value")
            .attr("x", layout.valueLeft)
            .attr("y", layout.rowHeight / 2)
            .attr("fill", textColor)
            .classed("ais-hidden", !layout.showLabels)
            .text((bar) => bar.valueText);

        rows.select<SVGPathElement>("path.ais-trend")
            .classed("ais-hidden", !layout.showTrend)
            .attr("transform", `translate(${layout.trendLeft},${barY})`)
            .attr("stroke", highContrast ? palette.foreground : trendColor)
            .attr("d", (bar) => (layout.showTrend ? this.sparkline(bar, model, layout.barHeight) : null));
        rows.select<SVGTextElement>("text.ais-change")
            .classed("ais-hidden", !layout.showTrend)
            .attr("x", layout.trendLeft + sparkWidth + gap)
            .attr("y", layout.rowHeight / 2)
            .attr("fill", textColor)
            .text((bar) => bar.changeText);
    }

    /** A bar's sparkline in its own coordinates, made once per bar and height: a resize only moves it. */
    private sparkline(bar: CostBar, model: CostViewModel, height: number): string | null {
        const key = `${height}|${model.trendDomain?.join(",")}`;
        const known = this.sparklines.get(bar);
        if (known && known.key === key) return known.path;
        const path = sparklinePath(bar.trend, model.trendDomain, height);
        this.sparklines.set(bar, { key, path });
        return path;
    }

    private enterRow(
        row: Selection<SVGGElement, CostBar, SVGGElement, unknown>,
    ): Selection<SVGGElement, CostBar, SVGGElement, unknown> {
        row.attr("class", "ais-row").attr("tabindex", -1).attr("role", "option").attr("focusable", "true");
        row.append("rect").attr("class", "ais-hit").attr("fill", "transparent");
        row.append("text").attr("class", "ais-name").attr("text-anchor", "end").attr("dominant-baseline", "central");
        row.append("g").attr("class", "ais-segments");
        row.append("g").attr("class", "ais-highlights");
        row.append("text").attr("class", "ais-value").attr("dominant-baseline", "central");
        row.append("path").attr("class", "ais-trend").attr("fill", "none");
        row.append("text").attr("class", "ais-change").attr("dominant-baseline", "central");

        row.on("click", (event: MouseEvent, bar) => {
            event.stopPropagation();
            this.events.select(bar, isMultiSelect(event));
        });
        row.on("contextmenu", (event: MouseEvent, bar) => {
            event.preventDefault();
            event.stopPropagation();
            this.events.contextMenu(bar, event.clientX, event.clientY);
        });
        row.on("mousemove", (event: MouseEvent, bar) => this.events.showTooltip(bar, event.clientX, event.clientY));
        row.on("mouseleave", () => this.events.hideTooltip());
        row.on("keydown", (event: KeyboardEvent, bar) => this.onKey(event, bar));
        row.on("focus", (_event: FocusEvent, bar) =>
            this.tabStop.focused(bar, this.rows.selectAll<SVGGElement, CostBar>("g.ais-row")),
        );
        showTooltipOnFocus(row, this.events);
        return row;
    }

    private onKey(event: KeyboardEvent, bar: CostBar): void {
        const current = event.currentTarget as SVGGElement;
        // Rows are in the DOM in display order, with an overscan: the neighbour is drawn, and
        // focusing it scrolls it into view, which draws the rows beyond.
        handleRowKey(event, bar, this.events, (step) =>
            ((step > 0 ? current.nextElementSibling : current.previousElementSibling) as SVGGElement | null)?.focus(),
        );
    }

    private renderReference(
        model: CostViewModel,
        layout: Layout,
        x: ScaleLinear<number, number>,
        options: CostViewOptions,
    ): void {
        const { palette } = options;
        const value = model.reference.value;
        const visible = options.showReference && value !== null;
        this.reference.classed("ais-hidden", !visible);
        if (!visible || value === null) return;
        const color = palette.isHighContrast ? palette.foreground : options.referenceColor;
        const position = x(value);
        this.reference
            .select("line")
            .attr("x1", position)
            .attr("x2", position)
            .attr("y1", layout.top - 2)
            .attr("y2", layout.height)
            .attr("stroke", color);
        const label = this.reference
            .select<SVGTextElement>("text")
            .classed("ais-hidden", !options.showReferenceLabel)
            .attr("y", layout.top / 2)
            .attr("fill", color)
            .text(model.reference.label);
        // Keep the label inside the plot: anchor it to whichever side of the line has room.
        const labelWidth = this.measurer.width(model.reference.label, options.fontSize);
        const fitsRight = position + labelWidth <= layout.width - padding;
        label.attr("x", fitsRight ? position + 3 : position - 3).attr("text-anchor", fitsRight ? "start" : "end");
    }
}

/** A sparkline path from (0,0), on the scale shared by all agencies, broken where a period has no value. */
function sparklinePath(points: TrendPoint[], domain: [number, number] | null, height: number): string | null {
    if (!domain || points.every((point) => point.relative === null || point.relative === undefined)) return null;
    const [low, high] = domain;
    const y = scaleLinear()
        .domain(low === high ? [low - 1, high + 1] : [low, high])
        .range([height, 0]);
    const step = points.length > 1 ? sparkWidth / (points.length - 1) : 0;
    return line<TrendPoint>()
        .defined((point) => point.relative !== null && point.relative !== undefined)
        .x((_, index) => index * step)
        .y((point) => y(point.relative as number))(points);
}
