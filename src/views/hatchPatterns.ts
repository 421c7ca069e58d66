import { select, Selection } from "d3-selection";
import { Palette } from "./viewTypes";

/** How many items the hatches tell apart: a solid fill, four line directions and a cross. */
export const HATCH_COUNT = 6;
/** Each pattern's lines on its 6 px tile (pattern 0 is the solid fill). */
const strokes: Record<number, string> = {
    1: "M0,6 L6,0",
    2: "M0,0 L6,6",
    3: "M0,3 L6,3",
    4: "M3,0 L3,6",
    5: "M0,6 L6,0 M0,0 L6,6",
};
/** The lines of hatch `index` on its 6 px tile, or null for the solid fill (index 0). */
export function hatchStroke(index: number): string | null {
    return strokes[Math.max(0, index) % HATCH_COUNT] ?? null;
}
let instances = 0;

/**
 * Hatch patterns for high contrast, where every item is drawn in the foreground color: a pattern
 * per item tells them apart. One set in the foreground and one in the selection color, keyed by
 * their colors: drawn once, and again only when the palette changes. Legends outside the SVG use
 * the same fills (pattern ids are the document's).
 */
export class HatchPatterns {
    private readonly defs: Selection<SVGDefsElement, unknown, null, undefined>;
    private readonly prefix = `ais-hatch-${++instances}`;

    constructor(svg: Selection<SVGSVGElement, unknown, null, undefined>) {
        this.defs = svg.insert("defs", ":first-child");
    }

    render(palette: Palette): void {
        const sets = palette.isHighContrast
            ? [
                  ["fg", palette.foreground],
                  ["sel", palette.foregroundSelected],
              ]
            : [];
        this.defs
            .selectAll<SVGPatternElement, [string, string, number]>("pattern")
            .data(
                sets.flatMap(([set, color]) =>
                    Array.from({ length: HATCH_COUNT }, (_, index) => [set, color, index] as [string, string, number]),
                ),
                ([set, color, index]) => `${set}-${index}-${color}-${palette.background}`,
            )
            .join((enter) =>
                enter
                    .append("pattern")
                    .attr("id", ([set, , index]) => `${this.prefix}-${set}-${index}`)
                    .attr("patternUnits", "userSpaceOnUse")
                    .attr("width", 6)
                    .attr("height", 6)
                    .each(function ([, color, index]) {
                        const pattern = select(this);
                        pattern
                            .append("rect")
                            .attr("width", 6)
                            .attr("height", 6)
                            .attr("fill", index === 0 ? color : palette.background);
                        if (strokes[index])
                            pattern
                                .append("path")
                                .attr("d", strokes[index])
                                .attr("stroke", color)
                                .attr("stroke-width", 1.5);
                    }),
            );
    }

    /** The fill of the item at `index` (patterns repeat after HATCH_COUNT), selected or not. */
    fill(index: number, selected: boolean): string {
        return `url(#${this.prefix}-${selected ? "sel" : "fg"}-${Math.max(0, index) % HATCH_COUNT})`;
    }
}
