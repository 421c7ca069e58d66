import { textMeasurementService } from "powerbi-visuals-utils-formattingutils";
import { TextMeasurer } from "./views/viewTypes";

const fontFamily = "'Segoe UI', wf_segoe-ui_normal, helvetica, arial, sans-serif";

/** Kept results per measurer: enough for every label of a few sizes, bounded for 30,000 distinct names. */
const CACHE_LIMIT = 20000;

/** A cache that starts over when full: simpler than LRU, and a full update refills what is drawn. */
function boundedCache<T>(): (key: string, make: () => T) => T {
    const entries = new Map<string, T>();
    return (key, make) => {
        let value = entries.get(key);
        if (value === undefined) {
            value = make();
            if (entries.size >= CACHE_LIMIT) entries.clear();
            entries.set(key, value);
        }
        return value;
    };
}

/**
 * Text measurement with formattingutils (canvas based), cached per text and size: a resize
 * measures nothing again, and 250 agency names are measured once per data change. A text cut to
 * a width is cached too: formattingutils finds the cut by measuring a dozen prefixes.
 */
export function createTextMeasurer(): TextMeasurer {
    const widths = boundedCache<number>();
    const fits = boundedCache<string>();
    const width = (text: string, fontSize: number, fontWeight = "normal"): number =>
        widths(`${fontSize}|${fontWeight}|${text}`, () =>
            textMeasurementService.measureSvgTextWidth({ text, fontFamily, fontSize: `${fontSize}px`, fontWeight }),
        );
    return {
        width,
        fit: (text, fontSize, maxWidth, fontWeight = "normal") =>
            width(text, fontSize, fontWeight) <= maxWidth
                ? text
                : fits(`${fontSize}|${fontWeight}|${maxWidth}|${text}`, () =>
                      textMeasurementService.getTailoredTextOrDefault(
                          { text, fontFamily, fontSize: `${fontSize}px`, fontWeight },
                          maxWidth,
                      ),
                  ),
    };
}
