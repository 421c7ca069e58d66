import { BaseType, Selection } from "d3-selection";
import { changedAttr } from "./changedWrites";
import { ItemEvents } from "./viewTypes";

/** Ctrl or Cmd (or Shift) adds to the selection, as in Power BI's own visuals. */
export function isMultiSelect(event: MouseEvent | KeyboardEvent): boolean {
    return event.ctrlKey || event.metaKey || event.shiftKey;
}

/**
 * The keys every view's rows answer alike: Enter or Space select, Escape clears, the arrows move
 * to the next or previous row (`move` knows how a view finds it). True when the key was handled.
 */
export function handleRowKey<T>(
    event: KeyboardEvent,
    item: T,
    events: Pick<ItemEvents<T>, "select" | "clear">,
    move: (step: 1 | -1) => void,
): boolean {
    switch (event.key) {
        case "Enter":
        case " ":
            event.preventDefault();
            events.select(item, isMultiSelect(event));
            return true;
        case "Escape":
            events.clear();
            return true;
        case "ArrowDown":
        case "ArrowUp":
            event.preventDefault();
            move(event.key === "ArrowDown" ? 1 : -1);
            return true;
        default:
            return false;
    }
}

/**
 * The row that is the view's one Tab stop (roving tabindex, as in Power BI's own visuals): the
 * row last focused while it is drawn, else the first row drawn. Null when no row is drawn.
 */
export function tabStopKey(drawnKeys: readonly string[], lastFocused: string | null): string | null {
    if (lastFocused !== null && drawnKeys.includes(lastFocused)) return lastFocused;
    return drawnKeys[0] ?? null;
}

/**
 * One Tab stop per view: Tab reaches the view once, at the row last focused, and leaves it on
 * the next Tab; the arrows move between rows (each view's `move`). Views draw only the rows in
 * view, so the stop is given again to the drawn rows on every draw.
 */
export class RovingTabStop<T> {
    private lastFocused: string | null = null;

    constructor(private readonly keyOf: (item: T) => string) {}

    /** Sets tabindex 0 on the Tab stop among the drawn rows, -1 on the others. */
    apply(rows: Selection<SVGGElement, T, BaseType, unknown>): void {
        const keys = rows.data().map(this.keyOf);
        const stop = tabStopKey(keys, this.lastFocused);
        // Written only where the stop moved: an update would otherwise touch every row.
        rows.call(changedAttr, "tabindex", (item) => (this.keyOf(item) === stop ? 0 : -1));
    }

    /** A row took the focus (by keyboard or mouse): it becomes the Tab stop. */
    focused(item: T, rows: Selection<SVGGElement, T, BaseType, unknown>): void {
        this.lastFocused = this.keyOf(item);
        this.apply(rows);
    }
}

/**
 * A focused row shows its tooltip, as hovering does, so the keyboard reaches what the mouse does;
 * it is placed at the row's left edge, mid-height.
 */
export function showTooltipOnFocus<T>(
    row: Selection<SVGGElement, T, BaseType, unknown>,
    events: Pick<ItemEvents<T>, "showTooltip" | "hideTooltip">,
): void {
    row.on("focus.tooltip", (event: FocusEvent, item) => {
        const box = (event.currentTarget as SVGGElement).getBoundingClientRect();
        events.showTooltip(item, box.left + 8, box.top + box.height / 2);
    });
    row.on("blur.tooltip", () => events.hideTooltip());
}
