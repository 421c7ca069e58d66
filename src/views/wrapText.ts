/**
 * Words in lines no wider than `width`, at most `maxLines` of them; a word wider than that
 * alone, or what the last line cannot hold, is shortened with an ellipsis to fit. Shared by the
 * views' column headers and the names they draw above their bars.
 */
export function wrap(
    text: string,
    width: number,
    measure: (text: string) => number,
    fit: (text: string) => string,
    maxLines: number,
): string[] {
    const lines: string[] = [];
    for (const word of text.split(/\s+/).filter(Boolean)) {
        const last = lines.length - 1;
        if (last >= 0 && (last === maxLines - 1 || measure(`${lines[last]} ${word}`) <= width))
            lines[last] = `${lines[last]} ${word}`;
        else lines.push(word);
    }
    return lines.map((line) => (measure(line) <= width ? line : fit(line)));
}
