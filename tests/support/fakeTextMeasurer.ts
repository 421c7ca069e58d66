import { TextMeasurer } from "../../src/views/viewTypes";

/**
 * jsdom has no canvas, so text cannot be measured there: tests use a fixed-width font
 * (0.6 em a character), which makes widths and ellipses predictable.
 */
export function createTextMeasurer(): TextMeasurer {
    const width = (text: string, fontSize: number) => text.length * fontSize * 0.6;
    return {
        width,
        fit: (text, fontSize, maxWidth) => {
            if (width(text, fontSize) <= maxWidth) return text;
            const characters = Math.max(0, Math.floor(maxWidth / (fontSize * 0.6)) - 1);
            return `${text.slice(0, characters)}…`;
        },
    };
}
