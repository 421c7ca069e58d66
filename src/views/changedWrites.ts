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

/** How to read, write and remove one attribute or style property of an element. */
interface Slot<GElement> {
    read(element: GElement): string | null;
    write(element: GElement, text: string): void;
    remove(element: GElement): void;
}

/** Writes each element's value through `slot` only where it differs from what the slot holds. */
function writeChanged<GElement extends BaseType, Datum, PElement extends BaseType, PDatum>(
    selection: Selection<GElement, Datum, PElement, PDatum>,
    value: AttrValue | ((datum: Datum, index: number) => AttrValue),
    slot: Slot<GElement>,
): void {
    selection.each(function (datum, index) {
        const next = typeof value === "function" ? value(datum, index) : value;
        const current = slot.read(this);
        if (next === null) {
            if (current !== null) slot.remove(this);
            return;
        }
        const text = String(next);
        if (current !== text) slot.write(this, text);
    });
}

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
    writeChanged(selection, value, {
        read: (element) => (element as unknown as Element).getAttribute(name),
        write: (element, text) => (element as unknown as Element).setAttribute(name, text),
        remove: (element) => (element as unknown as Element).removeAttribute(name),
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

/** Sets each element's inline style property only where it differs (null removes it), as changedAttr does. */
export function changedStyle<GElement extends BaseType, Datum, PElement extends BaseType, PDatum>(
    selection: Selection<GElement, Datum, PElement, PDatum>,
    name: string,
    value: AttrValue | ((datum: Datum, index: number) => AttrValue),
): void {
    const style = (element: GElement) => (element as unknown as ElementCSSInlineStyle).style;
    writeChanged(selection, value, {
        read: (element) => style(element).getPropertyValue(name) || null,
        write: (element, text) => style(element).setProperty(name, text),
        remove: (element) => style(element).removeProperty(name),
    });
}

/**
 * What each element was last drawn from: its datum and a key of every other input. A part drawn
 * again from the same datum and inputs (a resize that does not move it, a scroll) is skipped: even
 * unchanged, each of its attributes would be read back to be compared.
 */
export class DrawnFrom {
    private readonly drawn = new WeakMap<object, { datum: unknown; key: string }>();

    /** Whether `element` was last drawn from `datum` and `key`; either way they are now its latest. */
    same(element: object, datum: unknown, key: string): boolean {
        const last = this.drawn.get(element);
        if (last && last.datum === datum && last.key === key) return true;
        this.drawn.set(element, { datum, key });
        return false;
    }
}

/**
 * The elements of `selection` not last drawn from their datum and `key` (see DrawnFrom): those to
 * draw. The key may depend on the datum (a selected row is painted apart).
 */
export function redrawn<GElement extends BaseType, Datum, PElement extends BaseType, PDatum>(
    selection: Selection<GElement, Datum, PElement, PDatum>,
    drawn: DrawnFrom,
    key: string | ((datum: Datum) => string),
): Selection<GElement, Datum, PElement, PDatum> {
    return selection.filter(function (datum) {
        return !drawn.same(this as object, datum, typeof key === "string" ? key : key(datum));
    });
}

/**
 * A place within a group placed at `origin`, rounded to a millionth of a pixel: the float error of
 * subtracting would otherwise make the same place a new attribute value after every resize.
 */
export function placeWithin(at: number, origin: number): number {
    return Math.round((at - origin) * 1e6) / 1e6;
}
