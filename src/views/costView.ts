import { ScaleLinear, scaleLinear } from "d3-scale";
import { select, selectAll, Selection } from "d3-selection";
import { line } from "d3-shape";
import { contrastRatio } from "../data/colorVision";
import { ChangeTone } from "../data/costColumns";
import {
    BarSegment,
    CostBar,
    CostReference,
    CostViewModel,
    REFERENCE_KEY,
    ServiceLegendItem,
    TrendPoint,
} from "../data/costModel";
import { createChartFrame, NAME_COLUMN_SHARE, namesAboveBars, scrollbarWidthIn, sizeChart } from "./chartFrame";
import { HatchPatterns } from "./hatchPatterns";
import { handleRowKey, isMultiSelect, RovingTabStop, showTooltipOnFocus } from "./rowKeys";
import { widestText } from "./widestText";
import { CachedHeight, keepDrawn, rowWindow, RowWindow, widthSample } from "./rowWindow";
import { ItemEvents, Palette, TextMeasurer, Viewport } from "./viewTypes";
import { wrap } from "./wrapText";
import { changedAttr, changedClass, changedText, DrawnFrom, placeWithin, redrawn } from "./changedWrites";

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
    /** The statewide item's accessible name: which figure the line is, with its unit. */
    referenceName: string;
    /** Keys of the selected agencies; the others are dimmed while any is selected. */
    selected: ReadonlySet<string>;
    palette: Palette;
}

/** A column right of the bars: where it starts and how wide it is (0 wide when dropped). */
interface Column {
    left: number;
    width: number;
}

interface Layout {
    width: number;
    rowHeight: number;
    barHeight: number;
    /** Names above the bars (narrow visuals): the bar line starts below the name line. */
    stacked: boolean;
    /** The name's line height above the bar (0 beside it): a name takes one line or two. */
    nameLine: number;
    lineHeight: number;
    barTop: number;
    nameX: number;
    nameWidth: number;
    plotLeft: number;
    plotRight: number;
    value: Column | null;
    versus: Column | null;
    versusBar: Column | null;
    trend: Column | null;
    change: Column | null;
    /** An axis under the headers when there are no value labels to read. */
    axis: boolean;
    height: number;
}

/** The pinned band's rows, from the top: the headers, the axis, the statewide row. */
interface Band {
    headers: HeaderText[];
    headerHeight: number;
    axisTop: number;
    axisHeight: number;
    statewideTop: number;
    statewideHeight: number;
    height: number;
}

interface HeaderText {
    key: string;
    lines: string[];
    x: number;
}

interface TextWidths {
    fontSize: number;
    name: number;
    value: number;
    change: number;
    versus: number;
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
const versusBarWidth = 28;
const zeroLineColor = "#8a8886";
const gridColor = "#e1dfdd";
const trendColor = "#605e5c";
/** Headers and axis in a secondary text color: 6.5:1 on white. */
const secondaryTextColor = "#605e5c";
const versusBarColor = "#8a8886";
/**
 * A change colored good or bad (only when the Format pane says which way is good): 8.4:1 and
 * 7.3:1 on white, and still 3:1 or more when a selection dims the row to 0.6.
 */
const toneColors: Record<Exclude<ChangeTone, "neutral">, string> = { good: "#0E5A0E", bad: "#A4262C" };
/** Black, not the text gray: with white, one of the two keeps 4.5:1 on any segment color. */
const darkSegmentText = "#000000";

/** What takes the focus: the statewide item in the pinned band, then the agency rows. */
type CostItem = CostBar | CostReference;

type Div = Selection<HTMLDivElement, unknown, null, undefined>;
type Svg = Selection<SVGSVGElement, unknown, null, undefined>;
type G = Selection<SVGGElement, unknown, null, undefined>;

/** A header's most lines: each has its tspan from the start, so a resize that wraps it anew makes no node. */
const headerLines = 4;

/** A name above its bar takes up to two lines, so a long one is whole where one line would cut it. */
const nameLines = 2;

/**
 * Horizontal bars, one per agency, stacked by service, with a statewide line, the difference
 * from it, a trend and its last change. A pinned band above the rows names the columns with their
 * units and holds the statewide row (and an axis when there are no value labels): it stays put
 * while the rows scroll. Rows are joined by agency key and updated in place; only the rows in view
 * (and a few either side) are in the DOM, so a resize or a scroll touches tens of nodes whatever
 * the row count.
 */
export class CostView {
    private readonly root: Div;
    private readonly legend: Div;
    private readonly notes: Div;
    private readonly scroller: Div;
    private readonly pinned: Svg;
    private readonly headerGroup: G;
    private readonly axisGroup: G;
    private readonly statewide: Selection<SVGGElement, CostReference, null, undefined>;
    private readonly svg: Svg;
    /** In high contrast every service is the foreground color: a hatch pattern per service tells them apart. */
    private readonly hatches: HatchPatterns;
    private readonly background: Selection<SVGRectElement, unknown, null, undefined>;
    private readonly grid: G;
    private readonly rows: G;
    private readonly zeroLine: Selection<SVGLineElement, unknown, null, undefined>;
    private readonly reference: G;
    private readonly widths = new WeakMap<CostViewModel, TextWidths>();
    private readonly sparklines = new WeakMap<CostBar, { key: string; path: string | null }>();
    private readonly rowNames = new WeakMap<CostBar, { describe: (bar: CostBar) => string; name: string }>();
    /** What each row's segments or highlights group last drew: its pieces and how they were painted. */
    private readonly drawnPieces = new DrawnFrom();
    /** What each text, bar and line of a row's columns was last drawn from. */
    private readonly drawnColumns = new DrawnFrom();
    private last: LastRender | null = null;
    /** One Tab stop for the statewide item and the agency rows. */
    private readonly tabStop = new RovingTabStop<CostItem>((item) => item.key);
    private scrollFrame: number | null = null;
    /** The rows drawn last: a resize by a row or two keeps them (keepDrawn). */
    private drawnWindow: RowWindow | null = null;
    private readonly chromeHeight = new CachedHeight();
    private readonly scrollbar: number;
    /** Kept from scroll events and the height set here: reading either during an update would force a layout. */
    private scrollTop = 0;
    private viewHeight = 0;

    constructor(
        parent: HTMLElement,
        private readonly measurer: TextMeasurer,
        private readonly events: ItemEvents<CostItem>,
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
        this.scrollbar = scrollbarWidthIn(parent);
        // The pinned band sits between the notes and the scrolling rows.
        this.pinned = select(this.scroller.node()?.parentElement as HTMLElement)
            .insert("svg", ".ais-scroll")
            .attr("class", "ais-cost-pinned");
        this.headerGroup = this.pinned.append("g").attr("class", "ais-cost-header").attr("aria-hidden", "true");
        this.axisGroup = this.pinned.append("g").attr("class", "ais-axis").attr("aria-hidden", "true");
        this.statewide = this.enterStatewide(this.pinned.append("g"));
        // The band's empty space is chart space: a right-click there opens the menu with no identity.
        this.pinned.on("contextmenu", (event: MouseEvent) => {
            if (event.target === this.pinned.node()) {
                event.preventDefault();
                events.contextMenu(null, event.clientX, event.clientY);
            }
        });
        this.hatches = new HatchPatterns(this.svg);
        this.grid = this.svg.append("g").attr("class", "ais-grid").attr("aria-hidden", "true");
        this.rows = this.svg
            .append("g")
            .attr("class", "ais-rows")
            .attr("role", "listbox")
            .attr("aria-multiselectable", "true");
        this.zeroLine = this.svg.append("line").attr("class", "ais-zero");
        this.reference = this.svg.append("g").attr("class", "ais-reference");
        this.reference.append("line");
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
            .call(changedText, (note) => note);

        const chromeHeight = this.chromeHeight.read(
            [viewport.width, options.fontSize, ...model.notes, ...model.services.map((service) => service.name)].join(
                "\n",
            ),
            () => (this.legend.node()?.offsetHeight ?? 0) + (this.notes.node()?.offsetHeight ?? 0),
        );

        // The rows' width is what a vertical scrollbar leaves: laid out without one first, then
        // again less its width when the rows do not fit.
        let layout = this.layout(model, viewport.width, options);
        let band = this.band(model, layout, options);
        this.viewHeight = Math.max(0, viewport.height - chromeHeight - band.height);
        if (this.scrollbar > 0 && layout.height > this.viewHeight) {
            layout = this.layout(model, viewport.width - this.scrollbar, options);
            band = this.band(model, layout, options);
            this.viewHeight = Math.max(0, viewport.height - chromeHeight - band.height);
        }
        this.scroller.style("height", `${this.viewHeight}px`);

        const x = scaleLinear()
            .domain(model.domain[0] === model.domain[1] ? [model.domain[0], model.domain[0] + 1] : model.domain)
            .range([layout.plotLeft, layout.plotRight]);

        sizeChart({ svg: this.svg, background: this.background }, layout.width, layout.height);
        this.zeroLine
            .call(changedAttr, "x1", x(0))
            .call(changedAttr, "x2", x(0))
            .call(changedAttr, "y1", 0)
            .call(changedAttr, "y2", layout.height)
            .call(changedAttr, "stroke", palette.isHighContrast ? palette.foreground : zeroLineColor);

        this.last = { model, layout, x, options };
        this.renderBand(model, layout, band, x, options);
        // The statewide item first: the rows' Tab stop is given among it and them.
        this.renderReference(model, layout, band, x, options);
        this.renderRows();
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
            })
            // In stacking order, largest overall first.
            .order();
        items
            .select(".ais-swatch rect")
            .call(changedAttr, "fill", (service) =>
                palette.isHighContrast ? this.hatch(service.name, model, false) : service.color,
            )
            .call(changedAttr, "stroke", palette.isHighContrast ? palette.foreground : null);
        items.select(".ais-legend-text").call(changedText, (service) => service.name);
        this.legend.classed("ais-hidden", model.services.length === 0);
    }

    /** Widths of the widest name, label, change and difference text: measured once per model and text size. */
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
        const widest = (text: (bar: CostBar) => string) => widestText(sample.map(text), measure);
        const widths: TextWidths = {
            fontSize,
            name: widest((bar) => bar.name),
            value: widest((bar) => bar.valueText),
            change: widest((bar) => bar.changeText),
            versus: widest((bar) => bar.versusText),
        };
        this.widths.set(model, widths);
        return widths;
    }

    /** The widest word of a header: its column is at least as wide, so no word is cut. */
    private widestWord(text: string, fontSize: number): number {
        return widestText(text.split(/\s+/), (word) => this.measurer.width(word, fontSize));
    }

    private layout(model: CostViewModel, width: number, options: CostViewOptions): Layout {
        const fontSize = options.fontSize;
        const single = Math.max(18, Math.round(fontSize * 2));
        const widths = this.textWidths(model, fontSize);
        const available = width - 2 * padding;
        const nameCap = Math.round(width * NAME_COLUMN_SHARE);
        const stacked = namesAboveBars(width, widths.name);
        const lineHeight = Math.round(fontSize * 1.3);
        const nameLine = stacked ? (widths.name > available ? nameLines : 1) * lineHeight + 4 : 0;
        const rowHeight = single + nameLine;
        const barHeight = Math.round(single * 0.6);
        const nameWidth = stacked ? available : Math.max(32, Math.min(widths.name + 4, nameCap));
        const plotLeft = stacked ? padding : padding + nameWidth + gap;

        const headerWord = (text: string) => this.widestWord(text, fontSize);
        const headerLine = (text: string) => this.measurer.width(text, fontSize);
        const hasTrend = options.showTrend && model.hasTrend;
        const hasVersus = model.reference.value !== null && widths.versus > 0;
        // Columns right of the bars, most wanted first; each as wide as its text and its header's widest word.
        const wanted: {
            key: keyof Pick<Layout, "value" | "versus" | "versusBar" | "trend" | "change">;
            width: number;
        }[] = [];
        if (options.showLabels && widths.value > 0) wanted.push({ key: "value", width: widths.value });
        if (hasVersus) {
            const versusHeader = headerWord(model.headers.versus);
            wanted.push({ key: "versus", width: Math.max(widths.versus, versusHeader - versusBarWidth - gap) });
            wanted.push({ key: "versusBar", width: versusBarWidth });
        }
        if (hasTrend) {
            wanted.push({ key: "change", width: Math.max(widths.change, headerWord(model.headers.change)) });
            wanted.push({ key: "trend", width: Math.max(sparkWidth, headerWord(model.headers.trend)) });
        }
        // In a small visual the bars matter most: drop the sparkline first, then the difference's
        // bar, the change, the difference, and last the value labels (an axis then reads the bars).
        const dropOrder: (typeof wanted)[number]["key"][] = ["trend", "versusBar", "change", "versus", "value"];
        const minPlot = Math.max(72, width * 0.2);
        const kept = new Set(wanted.map((column) => column.key));
        const plotWidth = () =>
            available -
            (plotLeft - padding) -
            wanted.filter((column) => kept.has(column.key)).reduce((sum, column) => sum + column.width + gap, 0);
        for (const key of dropOrder) {
            if (plotWidth() >= minPlot) break;
            kept.delete(key);
            if (key === "versus") kept.delete("versusBar");
        }
        const column = (key: (typeof wanted)[number]["key"]) => wanted.find((one) => one.key === key);
        // Without its bar, the difference's column alone holds its header's widest word.
        const versusColumn = column("versus");
        if (versusColumn && !kept.has("versusBar"))
            versusColumn.width = Math.max(widths.versus, headerWord(model.headers.versus));
        // Where the bars have room to spare, headers get theirs to stand on one line.
        const spare = () => plotWidth() - Math.max(minPlot, available * 0.45);
        const oneLine: [(typeof wanted)[number]["key"], string, number][] = [
            ["versus", model.headers.versus, kept.has("versusBar") ? versusBarWidth + gap : 0],
            ["trend", model.headers.trend, 0],
            ["change", model.headers.change, 0],
        ];
        for (const [key, text, beside] of oneLine) {
            const widened = column(key);
            if (!widened || !kept.has(key)) continue;
            const grow = Math.min(Math.max(0, headerLine(text) - beside - widened.width), Math.max(0, spare()));
            widened.width += grow;
        }
        const plotRight = Math.max(plotLeft + 10, plotLeft + plotWidth());
        const columns: Pick<Layout, "value" | "versus" | "versusBar" | "trend" | "change"> = {
            value: null,
            versus: null,
            versusBar: null,
            trend: null,
            change: null,
        };
        // Left to right: value, difference and its bar, sparkline, change.
        let left = plotRight + gap;
        for (const key of ["value", "versus", "versusBar", "trend", "change"] as const) {
            const placed = column(key);
            if (!placed || !kept.has(key)) continue;
            columns[key] = { left, width: placed.width };
            left += placed.width + gap;
        }
        return {
            width,
            rowHeight,
            barHeight,
            stacked,
            nameLine,
            lineHeight,
            barTop: nameLine + (single - barHeight) / 2,
            nameX: stacked ? padding : padding + nameWidth,
            nameWidth: stacked ? available : nameWidth - 4,
            plotLeft,
            plotRight,
            ...columns,
            axis: columns.value === null,
            height: model.bars.length * rowHeight + 4,
        };
    }

    /** The pinned band's heights and header lines, from the layout: no DOM is read. */
    private band(model: CostViewModel, layout: Layout, options: CostViewOptions): Band {
        const fontSize = options.fontSize;
        const lineHeight = Math.round(fontSize * 1.3);
        const measure = (text: string) => this.measurer.width(text, fontSize);
        const headers: HeaderText[] = [];
        const header = (key: string, text: string, left: number, right: number) => {
            const width = Math.max(1, right - left);
            headers.push({
                key,
                lines: wrap(text, width, measure, (word) => this.measurer.fit(word, fontSize, width), headerLines),
                x: left,
            });
        };
        const end = (column: Column | null) => (column ? column.left + column.width : null);
        header("value", model.headers.value, layout.plotLeft, end(layout.value) ?? layout.plotRight);
        if (layout.versus)
            header(
                "versus",
                model.headers.versus,
                layout.versus.left,
                end(layout.versusBar ?? layout.versus) as number,
            );
        if (layout.trend) header("trend", model.headers.trend, layout.trend.left, end(layout.trend) as number);
        if (layout.change) header("change", model.headers.change, layout.change.left, end(layout.change) as number);
        const lines = Math.max(1, ...headers.map((one) => one.lines.length));
        const headerHeight = lines * lineHeight + 4;
        const axisHeight = layout.axis ? Math.round(fontSize * 1.5) : 0;
        const statewideHeight =
            options.showReference && options.showReferenceLabel && model.reference.value !== null
                ? Math.max(18, Math.round(fontSize * 2))
                : options.showReference && model.reference.value !== null
                  ? 4
                  : 0;
        return {
            headers,
            headerHeight,
            axisTop: headerHeight,
            axisHeight,
            statewideTop: headerHeight + axisHeight,
            statewideHeight,
            height: headerHeight + axisHeight + statewideHeight,
        };
    }

    private renderBand(
        model: CostViewModel,
        layout: Layout,
        band: Band,
        x: ScaleLinear<number, number>,
        options: CostViewOptions,
    ): void {
        const { palette, fontSize } = options;
        const highContrast = palette.isHighContrast;
        const secondary = highContrast ? palette.foreground : secondaryTextColor;
        const lineHeight = Math.round(fontSize * 1.3);
        this.pinned.call(changedAttr, "width", layout.width).call(changedAttr, "height", band.height);
        this.headerGroup
            .selectAll<SVGTextElement, HeaderText>("text")
            .data(band.headers, (header) => header.key)
            .join("text")
            .call(changedAttr, "class", (header) => `ais-header ais-header-${header.key}`)
            .call(changedAttr, "fill", secondary)
            .each(function (header) {
                const lines = Array.from({ length: headerLines }, (_, index) => header.lines[index] ?? "");
                select(this)
                    .selectAll<SVGTSpanElement, string>("tspan")
                    .data(lines)
                    .join("tspan")
                    .call(changedAttr, "x", header.x)
                    .call(changedAttr, "y", (_, index) => 2 + (index + 0.5) * lineHeight)
                    .call(changedAttr, "dominant-baseline", "central")
                    // A space between lines, so the header reads as one phrase to whatever reads its text.
                    .call(changedText, (text, index) => (index < header.lines.length - 1 ? `${text} ` : text));
            });

        // An axis when no value labels are drawn: ticks that fit without touching, gridlines under the rows.
        const ticks = layout.axis ? this.ticks(model, layout, x, fontSize) : [];
        this.axisGroup
            .selectAll<SVGTextElement, number>("text")
            .data(ticks)
            .join("text")
            .call(changedAttr, "class", "ais-tick")
            .call(changedAttr, "x", (tick) => x(tick))
            .call(changedAttr, "y", band.axisTop + band.axisHeight / 2)
            .call(changedAttr, "text-anchor", "middle")
            .call(changedAttr, "dominant-baseline", "central")
            .call(changedAttr, "fill", secondary)
            .call(changedText, (tick) => model.formatValue(tick));
        this.grid
            .selectAll<SVGLineElement, number>("line")
            .data(highContrast ? [] : ticks)
            .join("line")
            .call(changedAttr, "x1", (tick) => x(tick))
            .call(changedAttr, "x2", (tick) => x(tick))
            .call(changedAttr, "y1", 0)
            .call(changedAttr, "y2", layout.height)
            .call(changedAttr, "stroke", gridColor);
    }

    /** Round ticks over the plot, as many as fit with a gap between their labels. */
    private ticks(model: CostViewModel, layout: Layout, x: ScaleLinear<number, number>, fontSize: number): number[] {
        const plotWidth = layout.plotRight - layout.plotLeft;
        for (let count = Math.max(2, Math.floor(plotWidth / 60)); count >= 1; count--) {
            const ticks = x.ticks(count);
            const boxes = ticks.map((tick) => {
                const half = this.measurer.width(model.formatValue(tick), fontSize) / 2;
                return [x(tick) - half, x(tick) + half];
            });
            const apart = boxes.every((box, index) => index === 0 || box[0] >= boxes[index - 1][1] + gap);
            const inside = boxes.every((box) => box[0] >= padding / 2 && box[1] <= layout.width - padding / 2);
            if (apart && inside) return ticks;
        }
        return [];
    }

    /** The rows in view, plus an overscan either side, and the rows just drawn beside them. */
    private visibleBars(model: CostViewModel, layout: Layout): { bars: CostBar[]; first: number } {
        // The browser keeps the scroll position within the chart; so does the kept copy.
        this.scrollTop = Math.max(0, Math.min(this.scrollTop, layout.height - this.viewHeight));
        const count = model.bars.length;
        const window = rowWindow(this.scrollTop, this.viewHeight, 0, layout.rowHeight, count);
        const { first, last } = (this.drawnWindow = keepDrawn(window, this.drawnWindow, count));
        return { bars: model.bars.slice(first, last), first };
    }

    private renderRows(): void {
        if (!this.last) return;
        const { model, layout, x, options } = this.last;
        const { palette, fontSize } = options;
        const highContrast = palette.isHighContrast;
        const anySelected = options.selected.size > 0;
        const isSelected = (bar: CostBar) => options.selected.has(bar.key);
        const isDimmed = (bar: CostBar) => !highContrast && anySelected && !isSelected(bar);
        const textColor = highContrast ? palette.foreground : options.labelColor;
        const { bars, first } = this.visibleBars(model, layout);
        const indexOf = new Map(bars.map((bar, index) => [bar, first + index]));

        const rows = this.rows
            .selectAll<SVGGElement, CostBar>("g.ais-row")
            .data(bars, (bar) => bar.key)
            .join((enter) => this.enterRow(enter.append("g")))
            .order();

        rows.call(changedAttr, "transform", (bar) => `translate(0,${(indexOf.get(bar) ?? 0) * layout.rowHeight})`)
            .call(changedAttr, "aria-label", (bar) => this.rowName(bar, options.describe))
            .call(changedAttr, "aria-selected", (bar) => String(isSelected(bar)))
            // High contrast allows no blended colors: selected rows take foregroundSelected instead of dimming the rest.
            .call(changedClass, "ais-dimmed", isDimmed)
            .call(changedClass, "ais-selected", isSelected);
        this.tabStop.apply(this.focusable());

        const middle = layout.nameLine + (layout.rowHeight - layout.nameLine) / 2;
        // As wide as the rows, not the svg (which may be wider): the focus ring and scrolling into view keep to them.
        rows.select("rect.ais-hit")
            .call(changedAttr, "width", layout.width)
            .call(changedAttr, "height", layout.rowHeight);
        const fit = (text: string) => this.measurer.fit(text, fontSize, layout.nameWidth);
        const measure = (text: string) => this.measurer.width(text, fontSize);
        const maxNameLines = Math.max(1, Math.floor((layout.nameLine - 4) / layout.lineHeight));
        rows.select<SVGTextElement>("text.ais-name")
            .call(changedAttr, "text-anchor", layout.stacked ? "start" : "end")
            .call(changedAttr, "fill", "currentColor")
            // Above the bars, a name crosses the statewide line: a halo in the background keeps it whole.
            .call(changedClass, "ais-halo", layout.stacked)
            .call(changedAttr, "stroke", layout.stacked ? (highContrast ? palette.background : "#ffffff") : null)
            .each(function (bar) {
                const lines = layout.stacked
                    ? wrap(bar.name, layout.nameWidth, measure, fit, maxNameLines)
                    : [fit(bar.name)];
                select(this)
                    .selectAll<SVGTSpanElement, unknown>("tspan")
                    .call(changedAttr, "x", layout.nameX)
                    // A one-line name sits on the line next to its bar.
                    .call(changedAttr, "y", (_, index) =>
                        layout.stacked ? 2 + (maxNameLines - lines.length + index + 0.5) * layout.lineHeight : middle,
                    )
                    // A space between lines, so the name reads whole as the row's text.
                    .call(changedText, (_, index) =>
                        index < lines.length - 1 ? `${lines[index]} ` : (lines[index] ?? ""),
                    );
            });

        const barY = layout.barTop;
        const left = (segment: BarSegment) => x(Math.min(segment.start, segment.end));
        const width = (segment: BarSegment) => Math.abs(x(segment.end) - x(segment.start));
        const drawSegments = (
            group: SVGGElement,
            segments: BarSegment[],
            className: string,
            fill: (segment: BarSegment) => string,
            fillKind: string,
            stroke: string | null,
        ) => {
            // The same pieces painted alike (a resize, a scroll) are only placed anew: no join,
            // and no read of the attributes that cannot have changed.
            const paint = `${className}|${barY}|${layout.barHeight}|${fillKind}|${stroke}`;
            if (this.drawnPieces.same(group, segments, paint))
                selectAll<SVGRectElement, BarSegment>(group.children as HTMLCollectionOf<SVGRectElement>)
                    .call(changedAttr, "x", left)
                    .call(changedAttr, "width", width);
            else
                select(group)
                    .selectAll<SVGRectElement, BarSegment>("rect")
                    .data(segments, (segment) => segment.service)
                    .join("rect")
                    .call(changedAttr, "class", className)
                    .call(changedAttr, "data-service", (segment) => segment.service)
                    .call(changedAttr, "x", left)
                    .call(changedAttr, "width", width)
                    .call(changedAttr, "y", barY)
                    .call(changedAttr, "height", layout.barHeight)
                    .call(changedAttr, "fill", fill)
                    .call(changedAttr, "stroke", stroke);
        };
        const hatch = (bar: CostBar) => (segment: BarSegment) => this.hatch(segment.service, model, isSelected(bar));
        // Under a cross-highlight the whole bar is dimmed (in high contrast: outlined) and the
        // highlighted part drawn over it.
        const outlineOnly = highContrast && model.hasHighlights;
        rows.select<SVGGElement>("g.ais-segments")
            .call(changedClass, "ais-faded", !highContrast && model.hasHighlights)
            .each(function (bar) {
                const selected = isSelected(bar);
                const [fill, fillKind] = outlineOnly
                    ? [() => palette.background, `outline ${palette.background}`]
                    : highContrast
                      ? [hatch(bar), `hatch ${selected}`]
                      : [(segment: BarSegment) => segment.color, "color"];
                drawSegments(
                    this,
                    bar.segments,
                    "ais-segment",
                    fill,
                    fillKind,
                    highContrast ? (selected ? palette.foregroundSelected : palette.foreground) : null,
                );
            });
        rows.select<SVGGElement>("g.ais-highlights").each(function (bar) {
            const [fill, fillKind] = highContrast
                ? [hatch(bar), `hatch ${isSelected(bar)}`]
                : [(segment: BarSegment) => segment.color, "color"];
            drawSegments(
                this,
                bar.highlights ?? noPieces,
                "ais-highlight",
                fill,
                fillKind,
                highContrast ? palette.foreground : null,
            );
        });

        // The largest segment names its service where the name fits in it: which service drives
        // the cost, without the tooltip. Not over hatches, a fade or a dimmed row, where it could not be read.
        const segmentFont = Math.round(fontSize * 0.85);
        const labelFits =
            model.services.length > 1 && !highContrast && !model.hasHighlights && layout.barHeight >= segmentFont + 2;
        // Nor where the statewide line, drawn over the rows, would cross it.
        const referenceX = options.showReference && model.reference.value !== null ? x(model.reference.value) : null;
        const crossed = (left: number, width: number) =>
            referenceX !== null && referenceX >= left - 2 && referenceX <= left + width + 2;
        rows.select<SVGTextElement>("text.ais-segment-label").each((bar, index, nodes) => {
            const label = select(nodes[index]);
            const largest = labelFits && !isDimmed(bar) ? largestSegment(bar.segments) : null;
            const width = largest ? Math.abs(x(largest.end) - x(largest.start)) : 0;
            const left = largest ? x(Math.min(largest.start, largest.end)) + 3 : 0;
            const textWidth = largest ? this.measurer.width(largest.service, segmentFont) : 0;
            const text = largest && textWidth + 6 <= width && !crossed(left, textWidth) ? largest.service : "";
            label.call(changedClass, "ais-hidden", text === "");
            // A hidden label keeps its place: nothing is laid out for it.
            if (text === "") return;
            label
                .call(changedAttr, "x", left)
                .call(changedAttr, "y", barY + layout.barHeight / 2)
                .call(changedAttr, "font-size", `${segmentFont}px`)
                .call(changedAttr, "fill", largest ? segmentTextColor(largest.color) : null)
                .call(changedText, text);
        });

        // Within the columns' group, places are from the plot's right edge.
        const columnsLeft = layout.plotRight;
        const within = (at: number) => placeWithin(at, columnsLeft);
        rows.select("g.ais-columns").call(changedAttr, "transform", `translate(${columnsLeft},0)`);
        // Each column is drawn again only where its place or paint changed (a resize that widens
        // one column moves only those right of it); each attribute is written once, as a text
        // written twice would be laid out again.
        const paint = `${middle}|${barY}|${layout.barHeight}|${textColor}|${highContrast}|${palette.foreground}`;
        const stale = <E extends SVGElement>(selector: string, at: Column | null | string) =>
            redrawn(
                rows.select<E>(selector),
                this.drawnColumns,
                `${typeof at === "string" ? at : at ? `${within(at.left)},${at.width}` : "none"}|${paint}`,
            );
        const column = (
            text: Selection<SVGTextElement, CostBar, SVGGElement, unknown>,
            at: Column | null,
            anchor: "start" | "end" = "start",
        ) =>
            text
                .call(changedClass, "ais-hidden", at === null)
                .call(changedAttr, "x", at ? within(anchor === "end" ? at.left + at.width : at.left) : 0)
                .call(changedAttr, "y", middle);
        column(stale<SVGTextElement>("text.ais-value", layout.value), layout.value)
            .call(changedAttr, "fill", textColor)
            .call(changedText, (bar) => (layout.value ? bar.valueText : ""));
        // Signed percents right-aligned, so their digits line up.
        column(stale<SVGTextElement>("text.ais-versus", layout.versus), layout.versus, "end")
            .call(changedAttr, "text-anchor", "end")
            .call(changedAttr, "fill", textColor)
            .call(changedText, (bar) => (layout.versus ? bar.versusText : ""));
        const versusBar = layout.versusBar;
        const center = versusBar ? within(versusBar.left + versusBar.width / 2) : 0;
        const half = versusBar ? versusBar.width / 2 : 0;
        const extent = model.versusExtent > 0 ? model.versusExtent : 1;
        const versusPlace = `${versusBar ? center : "none"},${half},${extent}`;
        stale<SVGRectElement>("rect.ais-versus-bar", versusPlace)
            .call(changedClass, "ais-hidden", versusBar === null)
            .call(changedAttr, "x", (bar) => center + Math.min(0, ((bar.versus ?? 0) / extent) * half))
            .call(changedAttr, "width", (bar) => Math.abs(((bar.versus ?? 0) / extent) * half))
            .call(changedAttr, "y", barY + layout.barHeight * 0.2)
            .call(changedAttr, "height", layout.barHeight * 0.6)
            .call(changedAttr, "fill", highContrast ? palette.foreground : versusBarColor);
        stale<SVGLineElement>("line.ais-versus-center", versusPlace)
            .call(changedClass, "ais-hidden", versusBar === null)
            .call(changedAttr, "x1", center)
            .call(changedAttr, "x2", center)
            .call(changedAttr, "y1", barY)
            .call(changedAttr, "y2", barY + layout.barHeight)
            .call(changedAttr, "stroke", highContrast ? palette.foreground : zeroLineColor);

        stale<SVGPathElement>("path.ais-trend", layout.trend)
            .call(changedClass, "ais-hidden", layout.trend === null)
            .call(changedAttr, "transform", `translate(${layout.trend ? within(layout.trend.left) : 0},${barY})`)
            .call(changedAttr, "stroke", highContrast ? palette.foreground : trendColor)
            .call(changedAttr, "d", (bar) => (layout.trend ? this.sparkline(bar, model, layout.barHeight) : null));
        column(stale<SVGTextElement>("text.ais-change", layout.change), layout.change)
            .call(changedAttr, "fill", (bar) =>
                highContrast || bar.changeTone === "neutral" ? textColor : toneColors[bar.changeTone],
            )
            .call(changedText, (bar) => (layout.change ? bar.changeText : ""));
    }

    /** A row's accessible name, made once per bar and describer (one per model): a resize or a scroll reuses it. */
    private rowName(bar: CostBar, describe: (bar: CostBar) => string): string {
        const known = this.rowNames.get(bar);
        if (known && known.describe === describe) return known.name;
        const name = describe(bar);
        this.rowNames.set(bar, { describe, name });
        return name;
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
        const name = row.append("text").attr("class", "ais-name");
        for (let line = 0; line < nameLines; line++) name.append("tspan").attr("dominant-baseline", "central");
        row.append("g").attr("class", "ais-segments");
        row.append("g").attr("class", "ais-highlights");
        row.append("text").attr("class", "ais-segment-label").attr("dominant-baseline", "central");
        // The columns right of the bars in one group, placed from the plot's right edge: a resize
        // moves the group, and its texts keep their places within it.
        const columns = row.append("g").attr("class", "ais-columns");
        columns.append("text").attr("class", "ais-value").attr("dominant-baseline", "central");
        columns.append("line").attr("class", "ais-versus-center");
        columns.append("rect").attr("class", "ais-versus-bar");
        columns.append("text").attr("class", "ais-versus").attr("dominant-baseline", "central");
        columns.append("path").attr("class", "ais-trend").attr("fill", "none");
        columns.append("text").attr("class", "ais-change").attr("dominant-baseline", "central");

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
        row.on("focus", (_event: FocusEvent, bar) => this.tabStop.focused(bar, this.focusable()));
        showTooltipOnFocus<CostBar>(row, this.events);
        return row;
    }

    private onKey(event: KeyboardEvent, bar: CostBar): void {
        const current = event.currentTarget as SVGGElement;
        // Rows are in the DOM in display order, with an overscan: the neighbour is drawn, and
        // focusing it scrolls it into view, which draws the rows beyond. Above the first agency
        // is the statewide item.
        handleRowKey(event, bar, this.events, (step) => {
            if (step < 0 && bar === this.last?.model.bars[0]) this.focusStatewide();
            else
                (
                    (step > 0 ? current.nextElementSibling : current.previousElementSibling) as SVGGElement | null
                )?.focus();
        });
    }

    /** The statewide item and the drawn agency rows, in display order: what the Tab stop is given among. */
    private focusable(): Selection<SVGGElement, CostItem, HTMLDivElement, unknown> {
        return this.root.selectAll<SVGGElement, CostItem>("g.ais-cost-statewide:not(.ais-hidden), g.ais-row");
    }

    private focusStatewide(): void {
        if (!this.statewide.classed("ais-hidden")) this.statewide.node()?.focus();
    }

    /** The first agency, below the statewide item: scrolled to the top and drawn first. */
    private focusFirstRow(): void {
        const scroller = this.scroller.node();
        const first = this.last?.model.bars[0];
        if (!scroller || !first) return;
        scroller.scrollTop = this.scrollTop = 0;
        this.renderRows();
        this.rows
            .selectAll<SVGGElement, CostBar>("g.ais-row")
            .filter((bar) => bar === first)
            .node()
            ?.focus();
    }

    /**
     * The statewide item in the pinned band: its line's top and label, and a box the width of the
     * band to hover and to draw the focus on. Not an agency, so not selectable: Enter or Space
     * clear the selection, Down moves to the first agency; focused, it shows its tooltip as a row does.
     */
    private enterStatewide(
        group: Selection<SVGGElement, unknown, null, undefined>,
    ): Selection<SVGGElement, CostReference, null, undefined> {
        const statewide = group
            .datum<CostReference>({
                key: REFERENCE_KEY,
                value: null,
                name: "",
                valueText: "",
                label: "",
                isStatewide: false,
                tooltip: [],
            })
            .attr("class", "ais-cost-statewide ais-reference")
            .attr("role", "img")
            .attr("focusable", "true");
        statewide.append("rect").attr("class", "ais-hit").attr("fill", "transparent");
        statewide.append("line");
        statewide.append("text").attr("class", "ais-reference-label");
        const clear = () => this.events.clear();
        statewide.on("keydown", (event: KeyboardEvent, reference) =>
            handleRowKey(event, reference, { select: clear, clear }, (step) => {
                if (step > 0) this.focusFirstRow();
            }),
        );
        statewide.on("focus", (_event: FocusEvent, reference) => this.tabStop.focused(reference, this.focusable()));
        showTooltipOnFocus<CostReference>(statewide, this.events);
        statewide.on("mousemove", (event: MouseEvent, reference) =>
            this.events.showTooltip(reference, event.clientX, event.clientY),
        );
        statewide.on("mouseleave", () => this.events.hideTooltip());
        statewide.on("contextmenu", (event: MouseEvent) => {
            event.preventDefault();
            event.stopPropagation();
            this.events.contextMenu(null, event.clientX, event.clientY);
        });
        return statewide;
    }

    /** The line through the rows, and in the pinned band its top and its label, which stay put while rows scroll. */
    private renderReference(
        model: CostViewModel,
        layout: Layout,
        band: Band,
        x: ScaleLinear<number, number>,
        options: CostViewOptions,
    ): void {
        const { palette } = options;
        const value = model.reference.value;
        const visible = options.showReference && value !== null;
        this.reference.call(changedClass, "ais-hidden", !visible);
        this.statewide.call(changedClass, "ais-hidden", !visible);
        // Hidden, it is no Tab stop; shown, the stop is given among it and the rows.
        if (!visible || value === null) {
            this.statewide.call(changedAttr, "tabindex", null);
            return;
        }
        this.statewide
            .datum(model.reference)
            .call(changedAttr, "tabindex", this.statewide.attr("tabindex") ?? -1)
            .call(changedAttr, "aria-label", options.referenceName);
        this.statewide
            .select("rect.ais-hit")
            .call(changedAttr, "width", layout.width)
            .call(changedAttr, "y", band.statewideTop)
            .call(changedAttr, "height", band.statewideHeight);
        const color = palette.isHighContrast ? palette.foreground : options.referenceColor;
        const position = x(value);
        this.reference
            .select("line")
            .call(changedAttr, "x1", position)
            .call(changedAttr, "x2", position)
            .call(changedAttr, "y1", 0)
            .call(changedAttr, "y2", layout.height)
            .call(changedAttr, "stroke", color);
        this.statewide
            .select("line")
            .call(changedAttr, "x1", position)
            .call(changedAttr, "x2", position)
            .call(changedAttr, "y1", band.statewideTop + band.statewideHeight / 2)
            .call(changedAttr, "y2", band.height)
            .call(changedAttr, "stroke", color);
        const label = this.statewide
            .select<SVGTextElement>("text")
            .call(changedClass, "ais-hidden", !options.showReferenceLabel)
            .call(changedAttr, "y", band.statewideTop + band.statewideHeight / 2)
            .call(changedAttr, "fill", color);
        // The whole label where it fits: beside the line on whichever side has room, else from the
        // left edge. It is drawn semibold: measured so, and shortened with room for the weight.
        const room = layout.width - 2 * padding;
        const bold = (text: string) => this.measurer.width(text, options.fontSize, "600");
        let text = model.reference.label;
        for (let allowed = room; bold(text) > room && allowed > 10; allowed -= 8)
            text = this.measurer.fit(model.reference.label, options.fontSize, allowed);
        const labelWidth = bold(text);
        label.call(changedText, text);
        if (position + 3 + labelWidth <= layout.width - padding)
            label.call(changedAttr, "x", position + 3).call(changedAttr, "text-anchor", "start");
        else if (position - 3 - labelWidth >= padding)
            label.call(changedAttr, "x", position - 3).call(changedAttr, "text-anchor", "end");
        else label.call(changedAttr, "x", padding).call(changedAttr, "text-anchor", "start");
    }
}

/** No highlighted pieces: one list for every bar, so a bar without highlights draws the same list each time. */
const noPieces: BarSegment[] = [];

/** The segment with the largest share of a bar (by size, credits too). */
function largestSegment(segments: BarSegment[]): BarSegment | null {
    let largest: BarSegment | null = null;
    for (const segment of segments)
        if (!largest || Math.abs(segment.value) > Math.abs(largest.value)) largest = segment;
    return largest;
}

/** Each segment color's text color, worked out once: labels are drawn again on every resize. */
const segmentTextColors = new Map<string, string>();

/** White or dark text on a segment, whichever contrasts more with its color. */
function segmentTextColor(fill: string): string {
    let color = segmentTextColors.get(fill);
    if (color === undefined) {
        color = contrastRatio("#ffffff", fill) >= contrastRatio(darkSegmentText, fill) ? "#ffffff" : darkSegmentText;
        // Colors come from the theme and the Format pane: a few dozen, but kept bounded all the same.
        if (segmentTextColors.size >= 256) segmentTextColors.clear();
        segmentTextColors.set(fill, color);
    }
    return color;
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
