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
