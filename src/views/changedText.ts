import { BaseType, Selection } from "d3-selection";

/**
 * Sets each element's text only where it differs: d3's text() replaces the text node even with
 * the same text, and the browser then shapes and lays out every label again on each resize.
 */
export function changedText<GElement extends BaseType, Datum, PElement extends BaseType, PDatum>(
    selection: Selection<GElement, Datum, PElement, PDatum>,
    text: string | ((datum: Datum, index: number) => string),
): void {
    selection.each(function (datum, index) {
        const next = typeof text === "string" ? text : text(datum, index);
        const node = this as unknown as Node;
        if (node.textContent !== next) node.textContent = next;
    });
}
