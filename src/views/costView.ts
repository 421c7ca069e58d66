import { ScaleLinear, scaleLinear } from "d3-scale";
import { select, Selection } from "d3-selection";
import { line } from "d3-shape";
import { BarSegment, CostBar, CostViewModel, TrendPoint } from "../data/costModel";
import { ItemEvents, Palette, TextMeasurer, Viewport } from "./viewTypes";

export interface CostViewOptions {
    fontSize: number;
    showLabels: boolean;
    labelColor: string;
    showReference: boolean;
    referenceColor: string;
    showReferenceLabel: boolean;
    showTrend: boolean;
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
    trendWidth: number;
    showLabels: boolean;
    showTrend: boolean;
    height: number;
}

const padding = 8;
const zeroLineColor = "#8a8886";
const trendColor = "#605e5c";
const sparkWidth = 56;
const gap = 8;

type Div = Selection<HTMLDivElement, unknown, null, undefined>;

/**
 * Horizontal bars, one per agency, stacked by service, with a statewide line and a trend.
 * Rows are joined by agency key and updated in place: a resize or a new DataView moves and
 * resizes the existing nodes rather than rebuilding them.
 */
export class CostView {
    private readonly root: Div;
    private readonly legend: Div;
    private readonly notes: Div;
    private readonly scroller: Div;
    private readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
    private readonly background: Selection<SVGRectElement, unknown, null, undefined>;
    private readonly rows: Selection<SVGGElement, unknown, null, undefined>;
    private readonly zeroLine: Selection<SVGLineElement, unknown, null, undefined>;
    private readonly reference: Selection<SVGGElement, unknown, null, undefined>;

    constructor(parent: HTMLElement, private readonly measurer: TextMeasurer, private readonly events: ItemEvents<CostBar>) {
        this.root = select(parent).append("div").attr("class", "ais-cost");
        this.legend = this.root.append("div").attr("class", "ais-legend").attr("role", "list");
        this.notes = this.root.append("div").attr("class", "ais-notes");
        this.scroller = this.root.append("div").attr("class", "ais-scroll");
        this.svg = this.scroller.append("svg").attr("class", "ais-chart");
        this.background = this.svg.append("rect").attr("class", "ais-background");
        this.rows = this.svg.append("g").attr("class", "ais-rows").attr("role", "listbox").attr("aria-multiselectable", "true");
        this.zeroLine = this.svg.append("line").attr("class", "ais-zero");
        this.reference = this.svg.append("g").attr("class", "ais-reference");
        this.reference.append("line");
        this.reference.append("text").attr("class", "ais-reference-label");

        this.background.on("click", () => this.events.clear());
        this.svg.on("contextmenu", (event: MouseEvent) => {
            if (event.target === this.background.node() || event.target === this.svg.node()) {
                event.preventDefault();
                this.events.contextMenu(null, event.clientX, event.clientY);
            }
        });
    }

    show(visible: boolean): void {
        this.root.classed("ais-hidden", !visible);
    }

    render(model: CostViewModel, viewport: Viewport, options: CostViewOptions): void {
        const { palette } = options;
        this.root.style("width", `${viewport.width}px`).style("height", `${viewport.height}px`)
            .style("font-size", `${options.fontSize}px`).style("color", () => (palette.isHighContrast ? palette.foreground : null));

        this.renderLegend(model, options);
        this.notes.selectAll<HTMLParagraphElement, string>("p").data(model.notes).join("p").text((note) => note);

        const chromeHeight = (this.legend.node()?.offsetHeight ?? 0) + (this.notes.node()?.offsetHeight ?? 0);
        const scrollHeight = Math.max(0, viewport.height - chromeHeight);
        this.scroller.style("height", `${scrollHeight}px`);

        const layout = this.layout(model, viewport.width, options);
        const x = scaleLinear().domain(model.domain[0] === model.domain[1] ? [model.domain[0], model.domain[0] + 1] : model.domain)
            .range([layout.plotLeft, layout.plotRight]);

        this.svg.attr("width", layout.width).attr("height", layout.height);
        this.background.attr("width", layout.width).attr("height", layout.height).attr("fill", "transparent");
        this.zeroLine.attr("x1", x(0)).attr("x2", x(0)).attr("y1", layout.top).attr("y2", layout.height)
            .attr("stroke", palette.isHighContrast ? palette.foreground : zeroLineColor);

        this.renderRows(model, layout, x, options);
        this.renderReference(model, layout, x, options);
    }

    private renderLegend(model: CostViewModel, options: CostViewOptions): void {
        const { palette } = options;
        const items = this.legend.selectAll<HTMLSpanElement, CostViewModel["services"][number]>("span.ais-legend-item")
            .data(model.services, (service) => service.name)
            .join((enter) => {
                const item = enter.append("span").attr("class", "ais-legend-item").attr("role", "listitem");
                item.append("span").attr("class", "ais-swatch");
                item.append("span").attr("class", "ais-legend-text");
                return item;
            });
        items.select(".ais-swatch")
            .style("background-color", (service) => palette.isHighContrast ? palette.foreground : service.color);
        items.select(".ais-legend-text").text((service) => service.name);
        this.legend.classed("ais-hidden", model.services.length === 0);
    }

    private layout(model: CostViewModel, width: number, options: CostViewOptions): Layout {
        const fontSize = options.fontSize;
        const rowHeight = Math.max(18, Math.round(fontSize * 2));
        const barHeight = Math.round(rowHeight * 0.6);
        const top = options.showReference && options.showReferenceLabel && model.reference.value !== null ? rowHeight : 4;

        let widestName = 0;
        let widestValue = 0;
        let widestChange = 0;
        for (const bar of model.bars) {
            widestName = Math.max(widestName, this.measurer.width(bar.name, fontSize));
            widestValue = Math.max(widestValue, this.measurer.width(bar.valueText, fontSize));
            widestChange = Math.max(widestChange, this.measurer.width(bar.changeText, fontSize));
        }
        const nameWidth = Math.max(32, Math.min(widestName + 4, width * 0.35));
        let showTrend = options.showTrend && model.hasTrend;
        let showLabels = options.showLabels && widestValue > 0;
        let trendWidth = showTrend ? sparkWidth + gap + widestChange : 0;
        let valueWidth = showLabels ? widestValue + gap : 0;
        const plotFor = () => width - 2 * padding - nameWidth - gap - valueWidth - (trendWidth > 0 ? trendWidth + gap : 0);
        // In a small visual the bars matter most: drop the trend first, then the value labels.
        if (plotFor() < 60 && showTrend) { showTrend = false; trendWidth = 0; }
        if (plotFor() < 40 && showLabels) { showLabels = false; valueWidth = 0; }

        const nameRight = padding + nameWidth;
        const plotLeft = nameRight + gap;
        const plotRight = Math.max(plotLeft + 10, plotLeft + plotFor());
        const valueLeft = plotRight + gap;
        const trendLeft = valueLeft + valueWidth;
        return {
            width, rowHeight, barHeight, top, nameRight, plotLeft, plotRight, valueLeft, trendLeft, trendWidth, showLabels, showTrend,
            height: top + model.bars.length * rowHeight + 4,
        };
    }

    private renderRows(model: CostViewModel, layout: Layout, x: ScaleLinear<number, number>, options: CostViewOptions): void {
        const { palette, fontSize } = options;
        const highContrast = palette.isHighContrast;
        const anySelected = options.selected.size > 0;
        const isSelected = (bar: CostBar) => options.selected.has(bar.key);
        const textColor = palette.isHighContrast ? palette.foreground : options.labelColor;
        const rows = this.rows.selectAll<SVGGElement, CostBar>("g.ais-row")
            .data(model.bars, (bar) => bar.key)
            .join((enter) => this.enterRow(enter.append("g")));

        rows.attr("transform", (_, index) => `translate(0,${layout.top + index * layout.rowHeight})`)
            .attr("aria-label", (bar) => `${bar.name} ${bar.valueText}`)
            .attr("aria-selected", (bar) => String(options.selected.has(bar.key)))
            // High contrast allows no blended colors: selected rows take foregroundSelected instead of dimming the rest.
            .classed("ais-dimmed", (bar) => !highContrast && anySelected && !isSelected(bar))
            .classed("ais-selected", (bar) => options.selected.has(bar.key));

        rows.select("rect.ais-hit").attr("width", layout.width).attr("height", layout.rowHeight);
        rows.select<SVGTextElement>("text.ais-name")
            .attr("x", layout.nameRight).attr("y", layout.rowHeight / 2).attr("fill", "currentColor")
            .text((bar) => this.measurer.fit(bar.name, fontSize, layout.nameRight - padding));

        const barY = (layout.rowHeight - layout.barHeight) / 2;
        const drawSegments = (group: SVGGElement, segments: BarSegment[], className: string, fill: (segment: BarSegment) => string, stroke: string | null) => {
            select(group).selectAll<SVGRectElement, BarSegment>("rect")
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
        const contrastFill = (bar: CostBar) => (isSelected(bar) ? palette.foregroundSelected : palette.foreground);
        // Under a cross-highlight the whole bar is dimmed (in high contrast: outlined) and the
        // highlighted part drawn over it.
        const outlineOnly = highContrast && model.hasHighlights;
        rows.select<SVGGElement>("g.ais-segments")
            .classed("ais-faded", !highContrast && model.hasHighlights)
            .each(function (bar) {
                const fill = outlineOnly ? () => palette.background : highContrast ? () => contrastFill(bar) : (segment: BarSegment) => segment.color;
                drawSegments(this, bar.segments, "ais-segment", fill, highContrast ? (outlineOnly ? palette.foreground : palette.background) : null);
            });
        rows.select<SVGGElement>("g.ais-highlights")
            .each(function (bar) {
                const fill = highContrast ? () => contrastFill(bar) : (segment: BarSegment) => segment.color;
                drawSegments(this, bar.highlights ?? [], "ais-highlight", fill, highContrast ? palette.background : null);
            });

        rows.select<SVGTextElement>("text.ais-value")
            .attr("x", layout.valueLeft).attr("y", layout.rowHeight / 2).attr("fill", textColor)
            .classed("ais-hidden", !layout.showLabels)
            .text((bar) => bar.valueText);

        const sparkTop = barY;
        const sparkHeight = layout.barHeight;
        rows.select<SVGPathElement>("path.ais-trend")
            .classed("ais-hidden", !layout.showTrend)
            .attr("stroke", palette.isHighContrast ? palette.foreground : trendColor)
            .attr("d", (bar) => layout.showTrend ? sparkline(bar.trend, layout.trendLeft, sparkTop, sparkHeight) : null);
        rows.select<SVGTextElement>("text.ais-change")
            .classed("ais-hidden", !layout.showTrend)
            .attr("x", layout.trendLeft + sparkWidth + gap).attr("y", layout.rowHeight / 2).attr("fill", textColor)
            .text((bar) => bar.changeText);
    }

    private enterRow(row: Selection<SVGGElement, CostBar, SVGGElement, unknown>): Selection<SVGGElement, CostBar, SVGGElement, unknown> {
        row.attr("class", "ais-row").attr("tabindex", 0).attr("role", "option").attr("focusable", "true");
        row.append("rect").attr("class", "ais-hit").attr("fill", "transparent");
        row.append("text").attr("class", "ais-name").attr("text-anchor", "end").attr("dominant-baseline", "central");
        row.append("g").attr("class", "ais-segments");
        row.append("g").attr("class", "ais-highlights");
        row.append("text").attr("class", "ais-value").attr("dominant-baseline", "central");
        row.append("path").attr("class", "ais-trend").attr("fill", "none");
        row.append("text").attr("class", "ais-change").attr("dominant-baseline", "central");

        row.on("click", (event: MouseEvent, bar) => {
            event.stopPropagation();
            this.events.select(bar, event.ctrlKey || event.metaKey || event.shiftKey);
        });
        row.on("contextmenu", (event: MouseEvent, bar) => {
            event.preventDefault();
            event.stopPropagation();
            this.events.contextMenu(bar, event.clientX, event.clientY);
        });
        row.on("mousemove", (event: MouseEvent, bar) => this.events.showTooltip(bar, event.clientX, event.clientY));
        row.on("mouseleave", () => this.events.hideTooltip());
        row.on("keydown", (event: KeyboardEvent, bar) => this.onKey(event, bar));
        return row;
    }

    private onKey(event: KeyboardEvent, bar: CostBar): void {
        const current = event.currentTarget as SVGGElement;
        switch (event.key) {
            case "Enter":
            case " ":
                event.preventDefault();
                this.events.select(bar, event.ctrlKey || event.metaKey || event.shiftKey);
                break;
            case "Escape":
                this.events.clear();
                break;
            case "ArrowDown":
            case "ArrowUp": {
                event.preventDefault();
                const next = (event.key === "ArrowDown" ? current.nextElementSibling : current.previousElementSibling) as SVGGElement | null;
                next?.focus();
                break;
            }
        }
    }

    private renderReference(model: CostViewModel, layout: Layout, x: ScaleLinear<number, number>, options: CostViewOptions): void {
        const { palette } = options;
        const value = model.reference.value;
        const visible = options.showReference && value !== null;
        this.reference.classed("ais-hidden", !visible);
        if (!visible || value === null) return;
        const color = palette.isHighContrast ? palette.foreground : options.referenceColor;
        const position = x(value);
        this.reference.select("line")
            .attr("x1", position).attr("x2", position).attr("y1", layout.top - 2).attr("y2", layout.height)
            .attr("stroke", color);
        const label = this.reference.select<SVGTextElement>("text")
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

/** A sparkline path, broken where a period has no value. */
function sparkline(points: TrendPoint[], left: number, top: number, height: number): string | null {
    const values = points.map((point) => point.value).filter((value): value is number => value !== null);
    if (values.length === 0) return null;
    const low = Math.min(...values);
    const high = Math.max(...values);
    const y = scaleLinear().domain(low === high ? [low - 1, high + 1] : [low, high]).range([top + height, top]);
    const step = points.length > 1 ? sparkWidth / (points.length - 1) : 0;
    return line<TrendPoint>()
        .defined((point) => point.value !== null)
        .x((_, index) => left + index * step)
        .y((point) => y(point.value as number))(points);
}
