/**
 * Whether two colors can be told apart, by people with typical color vision and with the common
 * color vision deficiencies. No library the project ships simulates deficiencies (d3-color only
 * converts color spaces, and is not a dependency), so the few formulas are here.
 */

type Rgb = [number, number, number];

/** How people with each vision see a color: linear-RGB matrices, full severity. */
const visions: Record<"typical" | "protanopia" | "deuteranopia" | "tritanopia", number[][]> = {
    typical: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
    ],
    // Viénot, Brettel and Mollon (1999), for the red-green deficiencies.
    protanopia: [
        [0.11238, 0.88762, 0],
        [0.11238, 0.88762, 0],
        [0.00401, -0.00401, 1],
    ],
    deuteranopia: [
        [0.29275, 0.70725, 0],
        [0.29275, 0.70725, 0],
        [-0.02234, 0.02234, 1],
    ],
    // Machado, Oliveira and Fernandes (2009), severity 1.
    tritanopia: [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.3039],
    ],
};

/**
 * The CIE76 color difference (ΔE in CIELAB) two colors need, in every vision, to be told apart
 * in adjacent bar segments. 22 flags Power BI's default dark blue and dark purple (#12239E,
 * #6B007B: 20.7 under protanopia), which read as one color in a thin bar, and is met by five of
 * the default theme's first ten colors.
 */
export const MIN_DIFFERENCE = 22;

function linearRgb(hex: string): Rgb | null {
    const match = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
    if (!match) return null;
    const value = parseInt(match[1], 16);
    return [16, 8, 0].map((shift) => {
        const channel = ((value >> shift) & 255) / 255;
        return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    }) as Rgb;
}

function seenAs(color: Rgb, matrix: number[][]): Rgb {
    return matrix.map((row) =>
        Math.min(1, Math.max(0, row[0] * color[0] + row[1] * color[1] + row[2] * color[2])),
    ) as Rgb;
}

/** CIELAB (D65) of a linear sRGB color. */
function lab([r, g, b]: Rgb): Rgb {
    const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
    const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
    const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
    const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
    return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

/**
 * The smallest color difference (CIE76 ΔE) between two colors across typical vision and
 * protanopia, deuteranopia and tritanopia. Colors that are not #rrggbb compare as different.
 */
export function leastDifference(first: string, second: string): number {
    const a = linearRgb(first);
    const b = linearRgb(second);
    if (!a || !b) return Infinity;
    let least = Infinity;
    for (const matrix of Object.values(visions)) {
        const [l1, a1, b1] = lab(seenAs(a, matrix));
        const [l2, a2, b2] = lab(seenAs(b, matrix));
        least = Math.min(least, Math.hypot(l1 - l2, a1 - a2, b1 - b2));
    }
    return least;
}

/**
 * One color per item, told apart in every vision where the theme allows: each item keeps its
 * preferred color (the theme's, or the one a user chose, which is never changed) unless that is
 * too close to an earlier item's; then it takes the unused spare that is furthest from all the
 * earlier ones, if that is further than its own.
 */
export function distinctColors(items: { preferred: string; chosen: boolean }[], spares: string[]): string[] {
    const result: string[] = [];
    const unused = [...spares];
    const nearest = (color: string) => Math.min(...result.map((other) => leastDifference(color, other)));
    for (const item of items) {
        let color = item.preferred;
        if (!item.chosen && result.length > 0 && nearest(color) < MIN_DIFFERENCE) {
            let best = -1;
            let bestDifference = nearest(color);
            unused.forEach((spare, index) => {
                const difference = result.includes(spare) ? -1 : nearest(spare);
                if (difference > bestDifference) {
                    best = index;
                    bestDifference = difference;
                }
            });
            if (best >= 0) color = unused.splice(best, 1)[0];
        }
        result.push(color);
    }
    return result;
}

/** WCAG 2 contrast ratio of two #rrggbb colors (1 to 21); 1 when either cannot be read. */
export function contrastRatio(first: string, second: string): number {
    const a = linearRgb(first);
    const b = linearRgb(second);
    if (!a || !b) return 1;
    const luminance = ([r, g, bl]: Rgb) => 0.2126 * r + 0.7152 * g + 0.0722 * bl;
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
}
