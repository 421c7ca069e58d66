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

type AttrValue = string | number | boolean | null;

/**
 * Sets each element's attribute only where it differs (null removes it), as d3's attr() does
 * without comparing: on a resize most of a row (its place, colors, words) stays, and an
 * attribute written again still marks the element for style and layout.
 */
export function changedAttr<GElement extends BaseType, Datum, PElement extends BaseType, PDatum>(
    selection: Selection<GElement, Datum, PElement, PDatum>,
    name: string,
    value: AttrValue | ((datum: Datum, index: number) => AttrValue),
): void {
    selection.each(function (datum, index) {
        const element = this as unknown as Element;
        const next = typeof value === "function" ? value(datum, index) : value;
        if (next === null) {
            if (element.hasAttribute(name)) element.removeAttribute(name);
            return;
        }
        const text = String(next);
        if (element.getAttribute(name) !== text) element.setAttribute(name, text);
    });
}

/**
 * Adds or removes a class only where it changes: classList's add and remove write the class
 * attribute even when it already holds (or lacks) the name, and d3's classed() calls them on
 * every element.
 */
export function changedClass<GElement extends BaseType, Datum, PElement extends BaseType, PDatum>(
    selection: Selection<GElement, Datum, PElement, PDatum>,
    name: string,
    value: boolean | ((datum: Datum, index: number) => boolean),
): void {
    selection.each(function (datum, index) {
        const classes = (this as unknown as Element).classList;
        const next = typeof value === "function" ? value(datum, index) : value;
        if (classes.contains(name) !== next) classes.toggle(name, next);
    });
}

/**
 * A place within a group placed at `origin`, rounded to a millionth of a pixel: the float error of
 * subtracting would otherwise make the same place a new attribute value after every resize.
 */
export function placeWithin(at: number, origin: number): number {
    return Math.round((at - origin) * 1e6) / 1e6;
}
