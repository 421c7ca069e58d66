import { textMeasurementService } from "powerbi-visuals-utils-formattingutils";
import { TextMeasurer } from "./views/viewTypes";

const fontFamily = "'Segoe UI', wf_segoe-ui_normal, helvetica, arial, sans-serif";

/**
 * Text measurement with formattingutils (canvas based), cached per text and size: a resize
 * measures nothing again, and 250 agency names are measured once per data change.
 */
export function createTextMeasurer(): TextMeasurer {
    const widths = new Map<string, number>();
    const width = (text: string, fontSize: number, fontWeight = "normal"): number => {
        const key = `${fontSize}|${fontWeight}|${text}`;
        let measured = widths.get(key);
        if (measured === undefined) {
            measured = textMeasurementService.measureSvgTextWidth({
                text,
                fontFamily,
                fontSize: `${fontSize}px`,
                fontWeight,
            });
            if (widths.size > 20000) widths.clear();
            widths.set(key, measured);
        }
        return measured;
    };
    return {
        width,
        fit: (text, fontSize, maxWidth, fontWeight = "normal") =>
            width(text, fontSize, fontWeight) <= maxWidth
                ? text
                : textMeasurementService.getTailoredTextOrDefault(
                      { text, fontFamily, fontSize: `${fontSize}px`, fontWeight },
                      maxWidth,
                  ),
    };
}
