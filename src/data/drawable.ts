/**
 * Which figures can be drawn, in one place for every model: a view's scale and coordinates are
 * made only of drawable figures, so no attribute ever holds NaN or Infinity.
 *
 * - A value is drawable when it is finite and at most 1e300 in magnitude. Sums of up to 10^8
 *   such values (far more cells than Power BI sends) and the difference of any two stay finite,
 *   so the models' sums and the scales' spans cannot overflow.
 * - A quotient is drawable when its divisor is not zero and the quotient itself is drawable: a
 *   headcount such as 5e-324 passes "users > 0" but is too small to divide by.
 * - Raw values beyond the limit are left out of sums and scales, and the models name them in a
 *   note and in the item's tooltip.
 */
export const LARGEST_DRAWABLE = 1e300;

export function isDrawable(value: number | null | undefined): value is number {
    return typeof value === "number" && Number.isFinite(value) && Math.abs(value) <= LARGEST_DRAWABLE;
}

/** A number the host sent that is finite but too large to add up or draw. */
export function isTooLarge(value: unknown): boolean {
    return typeof value === "number" && Number.isFinite(value) && Math.abs(value) > LARGEST_DRAWABLE;
}

/** numerator / divisor when the divisor is not zero and the quotient is drawable; else null. */
export function drawableRatio(numerator: number, divisor: number): number | null {
    if (divisor === 0 || !isDrawable(numerator) || !isDrawable(divisor)) return null;
    const quotient = numerator / divisor;
    return isDrawable(quotient) ? quotient : null;
}
