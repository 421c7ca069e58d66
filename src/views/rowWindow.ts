/**
 * Row-window maths every view shares: which rows are in view, which rows set a column's width,
 * and heights read from the DOM only when what they depend on changed.
 */

/** Rows drawn above and below the visible ones, so scrolling and arrow keys find them ready. */
export const OVERSCAN = 12;

export interface RowWindow {
    /** Index of the first row drawn. */
    first: number;
    /** One past the last row drawn. */
    last: number;
}

/** The rows in view of a list of `count` rows starting at `rowsTop`, plus the overscan either side. */
export function rowWindow(
    scrollTop: number,
    viewHeight: number,
    rowsTop: number,
    rowHeight: number,
    count: number,
    overscan = OVERSCAN,
): RowWindow {
    if (!(rowHeight > 0)) return { first: 0, last: 0 };
    const first = Math.min(count, Math.max(0, Math.floor((scrollTop - rowsTop) / rowHeight) - overscan));
    const last = Math.min(count, Math.max(first, Math.ceil((scrollTop + viewHeight - rowsTop) / rowHeight) + overscan));
    return { first, last };
}

/**
 * The rows to draw: `next`, widened to keep the rows already `drawn` that are at most `slack`
 * rows beyond either end of it. A view that shrinks by a row or two (a drag resize, back and
 * forth) then removes no row, and makes none again when it grows back; at most `slack` rows more
 * are drawn either side, and never one past `count`.
 */
export function keepDrawn(next: RowWindow, drawn: RowWindow | null, count: number, slack = 2): RowWindow {
    if (!drawn || drawn.last <= next.first || drawn.first >= next.last) return next;
    return {
        first: drawn.first < next.first && next.first - drawn.first <= slack ? drawn.first : next.first,
        last: drawn.last > next.last && drawn.last - next.last <= slack ? Math.min(count, drawn.last) : next.last,
    };
}

/**
 * The items whose texts set a column's width: up to `size` spread evenly over all of them, plus
 * those in the window. Measuring (and formatting) every row of 30,000 would cost far more than
 * drawing the few in view; a text wider than the sample is shortened where it is drawn.
 */
export function widthSample<T>(items: readonly T[], window: RowWindow, size = 200): T[] {
    if (items.length <= size) return [...items];
    const sample: T[] = [];
    const step = items.length / size;
    for (let index = 0; index < size; index++) sample.push(items[Math.floor(index * step)]);
    for (let index = window.first; index < Math.min(items.length, window.last); index++) sample.push(items[index]);
    return sample;
}

/**
 * A height read from the DOM (legend and notes above the rows) only when its key (their texts,
 * the width, the text size) is new: a read in the middle of an update forces a layout. The last
 * few keys are kept, so resizing back and forth between sizes reads nothing again.
 */
export class CachedHeight {
    private readonly heights = new Map<string, number>();

    constructor(private readonly keep = 8) {}

    read(key: string, measure: () => number): number {
        let height = this.heights.get(key);
        if (height === undefined) {
            height = measure();
            if (this.heights.size >= this.keep) this.heights.delete(this.heights.keys().next().value!);
        } else this.heights.delete(key);
        // Most recent last, so the oldest goes first.
        this.heights.set(key, height);
        return height;
    }
}
