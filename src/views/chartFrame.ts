import { select, Selection } from "d3-selection";
import { changedAttr } from "./changedWrites";
import { ItemEvents } from "./viewTypes";

type Div = Selection<HTMLDivElement, unknown, null, undefined>;

/** The parts every view draws in: a legend (when it has one), notes, and a scrolling chart. */
export interface ChartFrame {
    root: Div;
    legend: Div | null;
    notes: Div;
    scroller: Div;
    svg: Selection<SVGSVGElement, unknown, null, undefined>;
    /** Empty chart space, under the rows: it takes clicks and right-clicks that hit no row. */
    background: Selection<SVGRectElement, unknown, null, undefined>;
}

/**
 * Builds a view's frame and its empty-space behaviour, the same in every view. Rows stop their own
 * clicks, so a click that reaches the frame (legend, notes, margins, space under a short list) is
 * on empty space and clears the selection; a right-click on empty chart space opens the context
 * menu with no identity.
 */
export function createChartFrame(
    parent: HTMLElement,
    classes: { root: string; chart: string; legend: boolean },
    events: Pick<ItemEvents<unknown>, "clear" | "contextMenu">,
): ChartFrame {
    const root = select(parent).append("div").attr("class", classes.root);
    const legend = classes.legend ? root.append("div").attr("class", "ais-legend").attr("role", "list") : null;
    const notes = root.append("div").attr("class", "ais-notes");
    // Not a Tab stop of its own (Chromium makes a scroll area one): Tab from the pinned band's
    // statewide item leaves the view, and the rows scroll it as they take the focus.
    const scroller = root.append("div").attr("class", "ais-scroll").attr("tabindex", -1);
    const svg = scroller.append("svg").attr("class", classes.chart);
    const background = svg.append("rect").attr("class", "ais-background").attr("fill", "transparent");

    root.on("click", () => events.clear());
    svg.on("contextmenu", (event: MouseEvent) => {
        if (event.target === background.node() || event.target === svg.node()) {
            event.preventDefault();
            events.contextMenu(null, event.clientX, event.clientY);
        }
    });
    return { root, legend, notes, scroller, svg, background };
}

/**
 * Sizes a frame's chart for rows drawn `width` wide and `height` tall. The svg's own box only
 * grows in width and is written only when it changes: in Chromium any new size (or a size written
 * again) of an svg lays out every text in it again, as text counts as sized relative to its svg,
 * and that was most of a resize. Nothing is drawn right of `width`, and the scroll area clips the
 * rest; the empty space under the rows (the background) is `width` wide.
 */
export function sizeChart(frame: Pick<ChartFrame, "svg" | "background">, width: number, height: number): void {
    const drawn = Number(frame.svg.attr("width"));
    changedAttr(frame.svg, "width", drawn > width ? drawn : width);
    changedAttr(frame.svg, "height", height);
    changedAttr(frame.background, "width", width);
    changedAttr(frame.background, "height", height);
}

let scrollbarWidth: number | null = null;

/**
 * The width a vertical scrollbar takes from a scroll area (0 where scrollbars overlay the
 * content, as on touch devices and in jsdom), measured once with a probe in `parent`: rows drawn
 * as wide as the visual would lose their last column under it.
 */
export function scrollbarWidthIn(parent: HTMLElement): number {
    if (scrollbarWidth !== null) return scrollbarWidth;
    const probe = document.createElement("div");
    probe.style.position = "absolute";
    probe.style.visibility = "hidden";
    probe.style.overflowY = "scroll";
    probe.style.width = "100px";
    probe.style.height = "50px";
    parent.appendChild(probe);
    const outer = probe.offsetWidth;
    const measured = Math.max(0, outer - probe.clientWidth);
    probe.remove();
    // Kept only once measured in a laid-out page (a detached element measures 0).
    if (outer > 0) scrollbarWidth = measured;
    return measured;
}

/** The name column beside the bars takes at most this share of the visual's width. */
export const NAME_COLUMN_SHARE = 0.3;

/**
 * Whether names go on a line of their own above their bars, in every view with bars: below about
 * 300 px, and up to 420 px where the widest name would be cut in the name column beside the bars.
 */
export function namesAboveBars(width: number, widestName: number): boolean {
    return width < 300 || (width < 420 && widestName + 4 > Math.round(width * NAME_COLUMN_SHARE));
}
