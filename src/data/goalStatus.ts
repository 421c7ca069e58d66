/**
 * The status of a goal on a given day, in one place, shared by the visual's goal view and the
 * connector's reference figures (the model's Goal Status measure follows the same rule in DAX).
 * Pure: no DOM, no Power BI types, no clock (the caller passes "today").
 *
 * Rule:
 * - Direction: a goal whose target is below its baseline is lower-is-better; otherwise (including
 *   target == baseline) higher-is-better.
 * - Progress = (actual - baseline) / (target - baseline): a true ratio, which may exceed 1 or be
 *   negative. Null when actual, target or baseline is missing, or target == baseline, or the
 *   ratio is too large to draw (a span too small to divide by).
 * - Expected progress = share of the time from start date to due date that has elapsed by today,
 *   clamped to 0..1. Null without both dates. With due <= start (zero span) it is 0 before the due
 *   date and 1 from it on.
 * - Status, first that applies:
 *   1. "No data": no actual (or no target).
 *   2. "Met": progress >= 100%; when progress is undefined (target == baseline, or no baseline),
 *      Met iff the actual is at or beyond the target in the goal's direction.
 *   3. "Not met": without a start or due date (only Met / Not met can be said).
 *   4. "Missed": the due date has passed (today is after the due date) and the goal is not met.
 *      Before that, "Not met" again when progress is undefined, as no pace can be judged.
 *   5. "On track": progress >= expected - onTrack.
 *   6. "At risk": expected - onTrack - atRisk <= progress < expected - onTrack.
 *   7. "Behind": progress < expected - onTrack - atRisk.
 *   Tolerances are fractions (0.05 = 5 percentage points). Comparisons allow 1e-9 of float
 *   rounding, so a progress exactly on a boundary (e.g. 45% against 50% expected) counts as the
 *   better status, as the rule says.
 */

import { drawableRatio } from "./drawable";

export type GoalDirection = "higher" | "lower";
export type GoalStatusName = "No data" | "Met" | "Not met" | "Missed" | "On track" | "At risk" | "Behind";

export interface GoalInput {
    actual: number | null;
    target: number | null;
    baseline: number | null;
    startDate: Date | null;
    dueDate: Date | null;
}

export interface GoalTolerances {
    /** How far (as a fraction) progress may trail expected progress and still be on track. */
    onTrack: number;
    /** How much further it may trail and be at risk rather than behind. */
    atRisk: number;
}

export interface GoalStatusResult {
    status: GoalStatusName;
    progress: number | null;
    expectedProgress: number | null;
    direction: GoalDirection;
}

export const DEFAULT_TOLERANCES: GoalTolerances = { onTrack: 0.05, atRisk: 0.15 };

/** Every status, best first (the order a legend lists them in). */
export const GOAL_STATUSES: readonly GoalStatusName[] = [
    "Met",
    "On track",
    "At risk",
    "Behind",
    "Missed",
    "Not met",
    "No data",
];

const EPSILON = 1e-9;

function finite(value: number | null | undefined): value is number {
    return typeof value === "number" && Number.isFinite(value);
}

function validDate(value: Date | null | undefined): value is Date {
    return value instanceof Date && !Number.isNaN(value.getTime());
}

export function goalDirection(target: number | null, baseline: number | null): GoalDirection {
    return finite(target) && finite(baseline) && target < baseline ? "lower" : "higher";
}

export function goalProgress(actual: number | null, target: number | null, baseline: number | null): number | null {
    if (!finite(actual) || !finite(target) || !finite(baseline) || target === baseline) return null;
    // A span such as 5e-324 is too small to divide by: no progress, as with no span (drawable.ts).
    return drawableRatio(actual - baseline, target - baseline);
}

export function expectedProgress(startDate: Date | null, dueDate: Date | null, today: Date): number | null {
    if (!validDate(startDate) || !validDate(dueDate)) return null;
    const start = startDate.getTime();
    const due = dueDate.getTime();
    const now = today.getTime();
    if (due <= start) return now >= due ? 1 : 0;
    return Math.min(1, Math.max(0, (now - start) / (due - start)));
}

export function goalStatus(
    goal: GoalInput,
    today: Date,
    tolerances: GoalTolerances = DEFAULT_TOLERANCES,
): GoalStatusResult {
    const direction = goalDirection(goal.target, goal.baseline);
    const progress = goalProgress(goal.actual, goal.target, goal.baseline);
    const expected = expectedProgress(goal.startDate, goal.dueDate, today);
    const result = (status: GoalStatusName): GoalStatusResult => ({
        status,
        progress,
        expectedProgress: expected,
        direction,
    });

    if (!finite(goal.actual) || !finite(goal.target)) return result("No data");
    const met =
        progress !== null
            ? progress >= 1 - EPSILON
            : direction === "lower"
              ? goal.actual <= goal.target
              : goal.actual >= goal.target;
    if (met) return result("Met");
    if (expected === null || !validDate(goal.dueDate)) return result("Not met");
    if (today.getTime() > goal.dueDate.getTime()) return result("Missed");
    if (progress === null) return result("Not met");
    const onTrackFloor = expected - tolerances.onTrack;
    if (progress >= onTrackFloor - EPSILON) return result("On track");
    if (progress >= onTrackFloor - tolerances.atRisk - EPSILON) return result("At risk");
    return result("Behind");
}
