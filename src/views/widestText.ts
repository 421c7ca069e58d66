/**
 * The width of the widest of many texts, measuring only the longest few: text measurement is the
 * costly part of laying out hundreds of labels, and in one font and size the widest text is among
 * the longest ones (digits share one width; names differ by a few characters at most).
 */
export function widestText(texts: Iterable<string>, measure: (text: string) => number, candidates = 8): number {
    const longest: string[] = [];
    for (const text of texts) {
        if (longest.length < candidates) {
            longest.push(text);
            if (longest.length === candidates) longest.sort((a, b) => b.length - a.length);
        } else if (text.length > longest[candidates - 1].length) {
            longest[candidates - 1] = text;
            longest.sort((a, b) => b.length - a.length);
        }
    }
    let widest = 0;
    for (const text of longest) widest = Math.max(widest, measure(text));
    return widest;
}
