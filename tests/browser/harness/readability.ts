/**
 * Checks of what a reader sees, shared by every view's readability tests: text that overflows its
 * container or overlaps other text (from bounding boxes, as drawn), contrast worked out from the
 * rendered colors and opacities, what stays in view after a scroll, patterns that tell items apart
 * in high contrast, and the keyboard's Tab stops. Each runs in the page and returns plain data for
 * the test to assert on; none asserts itself.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Page } from "playwright-core";
import { contrastRatio } from "../../../src/data/colorVision";
import type { Viewport } from "./types";

/** The sizes and locales the issue's screenshots were taken at, for the views' test matrices. */
export const READABILITY_SIZES: Viewport[] = [
    { width: 200, height: 500 },
    { width: 320, height: 240 },
    { width: 640, height: 400 },
    { width: 1280, height: 720 },
];
export const READABILITY_LOCALES = ["en-US", "es-ES"];

/** WCAG 2: body text, and the least this project allows for dimmed (deselected) text. */
export const TEXT_CONTRAST = 4.5;
export const DIMMED_CONTRAST = 3;

/** A box in page pixels. */
export interface Box {
    left: number;
    top: number;
    right: number;
    bottom: number;
}

/** A text as drawn: its whole box, the part left visible by the scrolling and clipping around it, and what it is in. */
export interface DrawnText {
    text: string;
    /** The element's tag and classes, to say where a problem is. */
    where: string;
    box: Box;
    /** The box cut to every clipping ancestor (scroll areas, the visual); null when nothing of it shows. */
    visible: Box | null;
    /** The clipping ancestors' area (the nearest scroll area, else the visual). */
    clip: Box;
    /** In a scroll area: a part above or below the clip is scrolled away, not cut. */
    scrolled: boolean;
    /** Its box in the container given for it (a badge's rectangle), when one was. */
    container: Box | null;
}

/** Text held to a container of its own: `text` inside an element matching `group` stays inside the group's `box`. */
export interface ContainedText {
    text: string;
    group: string;
    box: string;
}

/** Every visible text in the shown view of the visual: SVG texts and HTML elements with text of their own. */
export function drawnTexts(page: Page, contained: ContainedText[] = []): Promise<DrawnText[]> {
    return page.evaluate((contained) => {
        const container = document.querySelector(".visual-container");
        if (!container) throw new Error("No .visual-container: mount the visual first.");
        const boxOf = (rect: DOMRect) => ({ left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom });
        const cut = (a: Box, b: Box): Box | null => {
            const box = {
                left: Math.max(a.left, b.left),
                top: Math.max(a.top, b.top),
                right: Math.min(a.right, b.right),
                bottom: Math.min(a.bottom, b.bottom),
            };
            return box.right - box.left > 0.5 && box.bottom - box.top > 0.5 ? box : null;
        };
        const shown = (node: Element) => {
            if (node.closest(".ais-hidden")) return false;
            const style = getComputedStyle(node);
            return style.display !== "none" && style.visibility !== "hidden" && Number(style.opacity) > 0;
        };
        const ownText = (node: Element) =>
            node instanceof SVGTextElement
                ? (node.textContent ?? "")
                : [...node.childNodes]
                      .filter((child) => child.nodeType === Node.TEXT_NODE)
                      .map((child) => child.textContent ?? "")
                      .join("");
        const found: DrawnText[] = [];
        for (const node of container.querySelectorAll("*")) {
            if (node instanceof SVGElement && !(node instanceof SVGTextElement)) continue;
            if (node.closest("text") && node !== node.closest("text")) continue;
            const text = ownText(node).trim();
            if (text === "" || !shown(node)) continue;
            // An HTML element's own text may be a part of it: measure the text, not the element.
            let rect: DOMRect;
            if (node instanceof SVGTextElement) rect = node.getBoundingClientRect();
            else {
                const range = document.createRange();
                range.selectNodeContents(node);
                rect = range.getBoundingClientRect();
            }
            if (rect.width === 0 && rect.height === 0) continue;
            let clip = boxOf(container.getBoundingClientRect());
            let visible: Box | null = boxOf(rect);
            let scrolled = false;
            for (let at = node.parentElement; at && at !== container; at = at.parentElement) {
                const style = getComputedStyle(at);
                // An SVG draws nothing outside its own box.
                if (at instanceof SVGSVGElement) {
                    const own = boxOf(at.getBoundingClientRect());
                    clip = cut(clip, own) ?? { ...own, right: own.left, bottom: own.top };
                } else if (
                    at instanceof HTMLElement &&
                    (style.overflowX !== "visible" || style.overflowY !== "visible")
                ) {
                    if (style.overflowY === "auto" || style.overflowY === "scroll") scrolled = true;
                    // The scroll area's inside, less its scrollbar.
                    const outer = at.getBoundingClientRect();
                    const inner = {
                        left: outer.left + at.clientLeft,
                        top: outer.top + at.clientTop,
                        right: outer.left + at.clientLeft + at.clientWidth,
                        bottom: outer.top + at.clientTop + at.clientHeight,
                    };
                    clip = cut(clip, inner) ?? { ...inner, right: inner.left, bottom: inner.top };
                }
            }
            visible = visible && cut(visible, clip);
            const own = contained.find((rule) => node.matches(rule.text) && node.closest(rule.group));
            const containerNode = own ? node.closest(own.group)?.querySelector(own.box) : null;
            found.push({
                text,
                where: `${node.tagName.toLowerCase()}.${(node.getAttribute("class") ?? "").trim().replace(/\s+/g, ".")}`,
                box: boxOf(rect),
                visible,
                clip,
                scrolled,
                container: containerNode ? boxOf(containerNode.getBoundingClientRect()) : null,
            });
        }
        return found;
    }, contained);
}

/** Half a pixel either way: anti-aliasing and subpixel layout, not a cut letter. */
const TOLERANCE = 0.5;

/**
 * Texts cut by their container: sideways by the scroll area or the visual (the "%" a scrollbar
 * took), up or down where nothing scrolls, or out of their own container (a badge). A row half
 * scrolled out of view is not cut: scrolling shows the rest.
 */
export function overflowing(texts: DrawnText[]): string[] {
    const problems: string[] = [];
    for (const text of texts) {
        if (text.visible === null) continue;
        const { box, clip } = text;
        const sideways = box.left < clip.left - TOLERANCE || box.right > clip.right + TOLERANCE;
        const upOrDown = box.top < clip.top - TOLERANCE || box.bottom > clip.bottom + TOLERANCE;
        if (sideways) problems.push(`"${text.text}" (${text.where}) is cut at the side: ${describe(box, clip)}`);
        else if (upOrDown && !text.scrolled)
            problems.push(`"${text.text}" (${text.where}) is cut at the top or bottom: ${describe(box, clip)}`);
        const own = text.container;
        if (
            own &&
            (box.left < own.left - TOLERANCE ||
                box.right > own.right + TOLERANCE ||
                box.top < own.top - TOLERANCE ||
                box.bottom > own.bottom + TOLERANCE)
        )
            problems.push(`"${text.text}" (${text.where}) overflows its container: ${describe(box, own)}`);
    }
    return problems;
}

/** Pairs of texts whose visible parts overlap by more than a sliver (a pixel each way). */
export function overlapping(texts: DrawnText[], allowance = 1): string[] {
    const shown = texts.filter((text) => text.visible !== null);
    const problems: string[] = [];
    for (let i = 0; i < shown.length; i++) {
        for (let j = i + 1; j < shown.length; j++) {
            const a = shown[i].visible as Box;
            const b = shown[j].visible as Box;
            const width = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const height = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (width > allowance && height > allowance)
                problems.push(
                    `"${shown[i].text}" (${shown[i].where}) overlaps "${shown[j].text}" (${shown[j].where}) by ${width.toFixed(1)}×${height.toFixed(1)} px`,
                );
        }
    }
    return problems;
}

function describe(box: Box, within: Box): string {
    const f = (value: number) => value.toFixed(1);
    return `[${f(box.left)}, ${f(box.right)}] × [${f(box.top)}, ${f(box.bottom)}] in [${f(within.left)}, ${f(within.right)}] × [${f(within.top)}, ${f(within.bottom)}]`;
}

/** A text's color and the color under it, both as painted (opacities composited), as #rrggbb. */
export interface TextContrast {
    text: string;
    where: string;
    color: string;
    background: string;
    ratio: number;
    /** In a dimmed (deselected) item: held to DIMMED_CONTRAST rather than TEXT_CONTRAST. */
    dimmed: boolean;
}

/**
 * The contrast of every visible text, from the computed colors: the text's fill (SVG) or color
 * (HTML) with its own and its ancestors' opacity, over what is painted under the middle of the
 * text (the shapes and backgrounds under it, top down, to the page's background).
 * `dimmed` is the selector of a dimmed item.
 */
export async function textContrasts(page: Page, dimmed = ".ais-dimmed"): Promise<TextContrast[]> {
    const painted = await page.evaluate((dimmedSelector) => {
        const container = document.querySelector(".visual-container");
        if (!container) throw new Error("No .visual-container: mount the visual first.");
        type Rgba = [number, number, number, number];
        const parse = (value: string): Rgba | null => {
            if (!value || value === "none" || value.startsWith("url(")) return null;
            const parts = value.match(/[\d.]+/g)?.map(Number);
            if (!parts || parts.length < 3) return null;
            return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
        };
        const opacityOf = (node: Element) => {
            let opacity = 1;
            for (let at: Element | null = node; at; at = at.parentElement)
                opacity *= Number(getComputedStyle(at).opacity);
            return opacity;
        };
        /** What an element paints with, or null when it paints nothing solid at that point. */
        const paintOf = (node: Element): Rgba | null => {
            const style = getComputedStyle(node);
            if (style.visibility === "hidden" || style.display === "none") return null;
            let color: Rgba | null;
            if (node instanceof SVGElement) {
                // Containers and texts paint no area; a line's fill paints nothing (its stroke is a hairline, not a background).
                if (
                    node instanceof SVGSVGElement ||
                    node instanceof SVGGElement ||
                    node instanceof SVGTextElement ||
                    node instanceof SVGLineElement
                )
                    return null;
                color = parse(style.fill);
                if (color) color[3] *= Number(style.fillOpacity);
            } else color = parse(style.backgroundColor);
            if (!color || color[3] === 0) return null;
            color[3] *= opacityOf(node);
            return color[3] > 0 ? color : null;
        };
        const over = (top: Rgba, under: [number, number, number]): [number, number, number] =>
            [0, 1, 2].map((i) => top[3] * top[i] + (1 - top[3]) * under[i]) as [number, number, number];
        const backgroundAt = (x: number, y: number, self: Element): [number, number, number] => {
            const stack = document.elementsFromPoint(x, y).filter((node) => node !== self && !self.contains(node));
            const paints = stack.map(paintOf).filter((paint): paint is Rgba => paint !== null);
            const page = parse(getComputedStyle(document.body).backgroundColor);
            let color: [number, number, number] = page && page[3] > 0 ? [page[0], page[1], page[2]] : [255, 255, 255];
            for (const paint of paints.reverse()) color = over(paint, color);
            return color;
        };
        const shown = (node: Element) =>
            !node.closest(".ais-hidden") &&
            getComputedStyle(node).display !== "none" &&
            getComputedStyle(node).visibility !== "hidden";
        const results: {
            text: string;
            where: string;
            color: [number, number, number];
            background: [number, number, number];
            dimmed: boolean;
        }[] = [];
        for (const node of container.querySelectorAll("*")) {
            if (node instanceof SVGElement && !(node instanceof SVGTextElement)) continue;
            const own =
                node instanceof SVGTextElement
                    ? (node.textContent ?? "")
                    : [...node.childNodes]
                          .filter((child) => child.nodeType === Node.TEXT_NODE)
                          .map((child) => child.textContent ?? "")
                          .join("");
            if (own.trim() === "" || !shown(node)) continue;
            const rect = node.getBoundingClientRect();
            const x = rect.left + rect.width / 2;
            const y = rect.top + rect.height / 2;
            // Only what is on screen: a row scrolled away has nothing under it to measure.
            const hit = document.elementFromPoint(x, y);
            if (!hit || !container.contains(hit)) continue;
            const style = getComputedStyle(node);
            const paint = parse(node instanceof SVGTextElement ? style.fill : style.color);
            if (!paint) continue;
            paint[3] *= opacityOf(node) * (node instanceof SVGTextElement ? Number(style.fillOpacity) : 1);
            const background = backgroundAt(x, y, node);
            results.push({
                text: own.trim(),
                where: `${node.tagName.toLowerCase()}.${(node.getAttribute("class") ?? "").trim().replace(/\s+/g, ".")}`,
                color: over(paint, background),
                background,
                dimmed: Boolean(node.closest(dimmedSelector)),
            });
        }
        return results;
    }, dimmed);
    const hex = (color: number[]) =>
        "#" + color.map((channel) => Math.round(channel).toString(16).padStart(2, "0")).join("");
    return painted.map((one) => {
        const color = hex(one.color);
        const background = hex(one.background);
        return {
            text: one.text,
            where: one.where,
            color,
            background,
            ratio: contrastRatio(color, background),
            dimmed: one.dimmed,
        };
    });
}

/** Texts below their least contrast: TEXT_CONTRAST, or DIMMED_CONTRAST in a dimmed item. */
export function lowContrast(contrasts: TextContrast[]): string[] {
    return contrasts
        .filter((one) => one.ratio < (one.dimmed ? DIMMED_CONTRAST : TEXT_CONTRAST))
        .map(
            (one) =>
                `"${one.text}" (${one.where}${one.dimmed ? ", dimmed" : ""}) ${one.color} on ${one.background}: ${one.ratio.toFixed(2)}:1`,
        );
}

/** Scrolls every scroll area of the visual to its end and waits for the rows drawn after a scroll. */
export async function scrollToBottom(page: Page): Promise<void> {
    await page.evaluate(() =>
        document.querySelectorAll(".visual-container .ais-scroll").forEach((node) => {
            node.scrollTop = node.scrollHeight;
            node.dispatchEvent(new Event("scroll"));
        }),
    );
    await nextFrames(page);
}

/** Two animation frames: views draw the rows in view on the frame after a scroll. */
export function nextFrames(page: Page): Promise<unknown> {
    return page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** How far the scroll areas are scrolled: a check that scrolling to the bottom moved anything. */
export function scrollPositions(page: Page): Promise<number[]> {
    return page.evaluate(() =>
        [...document.querySelectorAll(".visual-container .ais-scroll")]
            .filter((node) => !node.closest(".ais-hidden"))
            .map((node) => node.scrollTop),
    );
}

/**
 * For each selector, whether its first shown element lies wholly in view: inside the visual and
 * inside every scroll area around it (an element in no scroll area is pinned). Missing ones are false.
 */
export function whollyInView(page: Page, selectors: string[]): Promise<Record<string, boolean>> {
    return page.evaluate((selectors) => {
        const container = document.querySelector(".visual-container")!;
        const result: Record<string, boolean> = {};
        for (const selector of selectors) {
            const node = [...container.querySelectorAll(selector)].find((one) => !one.closest(".ais-hidden"));
            if (!node) {
                result[selector] = false;
                continue;
            }
            const box = node.getBoundingClientRect();
            const inside = (outer: { left: number; top: number; right: number; bottom: number }) =>
                box.left >= outer.left - 0.5 &&
                box.right <= outer.right + 0.5 &&
                box.top >= outer.top - 0.5 &&
                box.bottom <= outer.bottom + 0.5;
            let ok = box.width > 0 && box.height > 0 && inside(container.getBoundingClientRect());
            for (let at = node.parentElement; ok && at && at !== container; at = at.parentElement) {
                if (!(at instanceof HTMLElement)) continue;
                const style = getComputedStyle(at);
                if (style.overflowY === "visible" && style.overflowX === "visible") continue;
                const outer = at.getBoundingClientRect();
                ok = inside({
                    left: outer.left + at.clientLeft,
                    top: outer.top + at.clientTop,
                    right: outer.left + at.clientLeft + at.clientWidth,
                    bottom: outer.top + at.clientTop + at.clientHeight,
                });
            }
            result[selector] = ok;
        }
        return result;
    }, selectors);
}

/** A pattern as drawn: its shapes' geometry and paint, so two patterns drawn alike compare equal whatever their ids. */
export interface PaintedItem {
    name: string;
    /** The fill as painted: a color, or the pattern's drawing (its shapes with their attributes). */
    paint: string;
    isPattern: boolean;
}

/**
 * Each legend item's name and its swatch's paint. `item` is the legend item, `swatch` the shape
 * painted with the item's fill, `name` the element holding its name.
 */
export function legendPaints(
    page: Page,
    selectors: { item: string; swatch: string; name: string },
): Promise<PaintedItem[]> {
    return page.evaluate((selectors) => {
        const container = document.querySelector(".visual-container")!;
        return [...container.querySelectorAll(selectors.item)]
            .filter((item) => !item.closest(".ais-hidden"))
            .map((item) => {
                const swatch = item.querySelector(selectors.swatch);
                const fill = swatch ? getComputedStyle(swatch).fill : "none";
                const id = /url\("?#([^")]+)"?\)/.exec(fill)?.[1];
                const pattern = id ? document.getElementById(id) : null;
                const drawing = pattern
                    ? [...pattern.querySelectorAll("*")]
                          .map((shape) => {
                              const style = getComputedStyle(shape);
                              const geometry = ["d", "x", "y", "width", "height", "cx", "cy", "r", "points"]
                                  .map((name) => shape.getAttribute(name))
                                  .join(",");
                              return `${shape.tagName}(${geometry};${style.fill};${style.stroke})`;
                          })
                          .join(" ")
                    : fill;
                return {
                    name: item.querySelector(selectors.name)?.textContent?.trim() ?? "",
                    paint: drawing,
                    isPattern: pattern !== null,
                };
            });
    }, selectors);
}

/** What the keyboard finds: Tab stops in the visual, and where focus is. */
export interface KeyboardWalk {
    /** Elements with tabindex 0 in the visual: one per view. */
    tabStops: number;
    /** Tab presses from the page's start to reach the visual, or -1 when it never did (in 10). */
    tabsToReach: number;
    /** Accessible names of the focused element after each arrow press (ArrowDown, then ArrowUp). */
    arrowFocus: string[];
    /** Focus stayed in the visual through the arrows. */
    arrowsStayed: boolean;
    /** The next Tab left the visual (to an element after it). */
    tabLeaves: boolean;
}

/**
 * Tabs from the page's start into the visual, presses ArrowDown `downs` times and ArrowUp once,
 * then Tab once more. A button after the visual stands for the rest of the report page.
 */
export async function walkKeyboard(page: Page, downs = 2): Promise<KeyboardWalk> {
    await page.evaluate(() => {
        if (document.getElementById("after-visual")) return;
        const after = document.createElement("button");
        after.id = "after-visual";
        after.textContent = "after";
        document.querySelector(".visual-container")!.after(after);
        (document.activeElement as HTMLElement | null)?.blur();
    });
    const state = () =>
        page.evaluate(() => ({
            inVisual: Boolean(document.activeElement?.closest(".visual-container")),
            name:
                document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.textContent?.trim() ?? "",
            id: document.activeElement?.id ?? "",
            stops: document.querySelectorAll('.visual-container [tabindex="0"]').length,
        }));
    let tabsToReach = -1;
    for (let press = 1; press <= 10; press++) {
        await page.keyboard.press("Tab");
        if ((await state()).inVisual) {
            tabsToReach = press;
            break;
        }
    }
    const arrowFocus: string[] = [];
    let arrowsStayed = tabsToReach > 0;
    if (tabsToReach > 0) {
        const keys = [...Array(downs).fill("ArrowDown"), "ArrowUp"];
        for (const key of keys) {
            await page.keyboard.press(key);
            const now = await state();
            arrowFocus.push(now.name);
            arrowsStayed &&= now.inVisual;
        }
    }
    const stops = (await state()).stops;
    await page.keyboard.press("Tab");
    const after = await state();
    return { tabStops: stops, tabsToReach, arrowFocus, arrowsStayed, tabLeaves: after.id === "after-visual" };
}

const screenshots = path.join(__dirname, "..", "screenshots");

/** A screenshot of the visual for a person to look at, next to the other browser tests' (tests/browser/screenshots). */
export async function screenshotVisual(page: Page, name: string): Promise<void> {
    fs.mkdirSync(screenshots, { recursive: true });
    await page.locator(".visual-container").screenshot({ path: path.join(screenshots, `${name}.png`) });
}
