/**
 * The status of a goal on a given day, for the visual's goal view. The rule is stated once in
 * rules.ts (GOAL_STATUS_STEPS, tolerances, the rounding allowance); the model's [Goal Status] DAX
 * is generated from the same constants, and the connector's reference figures are computed
 * independently. Pure: no DOM, no Power BI types, no clock (the caller passes the as-of day).
 *
 * - Direction: given as data ("higher" / "lower"), or else inferred: a target below the baseline
 *   is lower-is-better, anything else higher-is-better.
 * - Progress = (actual - baseline) / (target - baseline): a true ratio, which may exceed 1 or be
 *   negative. Null when actual, target or baseline is missing, or target == baseline, or the
 *   ratio is too large to draw (a span too small to divide by).
 * - Expected progress = share of the time from start date to due date that has elapsed by the
 *   as-of day, clamped to 0..1. Null without both dates. With due <= start (zero span) it is 0
 *   before the due date and 1 from it on.
 * - Status: the first of GOAL_STATUS_STEPS that applies. Tolerances are fractions (0.05 = 5
 *   points); comparisons allow STATUS_EPSILON of float rounding, so a progress exactly on a
 *   boundary counts as the better status.
 */
import {
    DEFAULT_TOLERANCES,
    GoalDirection,
    GoalStatusName,
    GoalTolerances,
    GOAL_STATUS_STEPS,
    STATUS_EPSILON,
} from "./rules";
import { drawableRatio } from "./drawable";

export { DEFAULT_TOLERANCES };
export type { GoalDirection, GoalStatusName, GoalTolerances };

export interface GoalInput {
    actual: number | null;
    target: number | null;
    baseline: number | null;
    startDate: Date | null;
    dueDate: Date | null;
    /** The direction given as data; null or absent infers it from target and baseline. */
    direction?: GoalDirection | null;
}

export interface GoalStatusResult {
    status: GoalStatusName;
    progress: number | null;
    expectedProgress: number | null;
    direction: GoalDirection;
}

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

const EPSILON = STATUS_EPSILON;

function finite(value: number | null | undefined): value is number {
    return typeof value === "number" && Number.isFinite(value);
}

function validDate(value: Date | null | undefined): value is Date {
    return value instanceof Date && !Number.isNaN(value.getTime());
}

export function goalDirection(
    target: number | null,
    baseline: number | null,
    given: GoalDirection | null = null,
): GoalDirection {
    if (given) return given;
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

/** The steps in order, each with its status's place in GOAL_STATUSES: made once. */
const STEPS = GOAL_STATUS_STEPS.map((step) => ({ step: step.step, status: GOAL_STATUSES.indexOf(step.status) }));
const BEHIND = GOAL_STATUSES.indexOf("Behind");

export function goalStatus(
    goal: GoalInput,
    today: Date,
    tolerances: GoalTolerances = DEFAULT_TOLERANCES,
): GoalStatusResult {
    const direction = goalDirection(goal.target, goal.baseline, goal.direction ?? null);
    const progress = goalProgress(goal.actual, goal.target, goal.baseline);
    const expected = expectedProgress(goal.startDate, goal.dueDate, today);
    return {
        status: GOAL_STATUSES[
            statusNumber(goal.actual, goal.target, goal.dueDate, direction, progress, expected, today, tolerances)
        ],
        progress,
        expectedProgress: expected,
        direction,
    };
}

/**
 * The status, as its place in GOAL_STATUSES, of a goal whose direction, progress and expected
 * progress are worked out (goalStatus's rule): for a model that keeps statuses as numbers, with
 * no input record per goal.
 */
export function statusNumber(
    actual: number | null,
    target: number | null,
    dueDate: Date | null,
    direction: GoalDirection,
    progress: number | null,
    expected: number | null,
    today: Date,
    tolerances: GoalTolerances,
): number {
    const due = validDate(dueDate) ? dueDate.getTime() : null;
    const now = today.getTime();
    const onTrackFloor = expected === null ? null : expected - tolerances.onTrack;
    // Each step's condition, in one switch (no closure or record per goal: 30,000 goals). Each
    // step may assume the earlier ones did not apply (the casts rely on it).
    for (let index = 0; index < STEPS.length; index++) {
        let applies: boolean;
        switch (STEPS[index].step) {
            case "noData":
                applies = !finite(actual) || !finite(target);
                break;
            case "met":
                applies =
                    progress !== null
                        ? progress >= 1 - EPSILON
                        : direction === "lower"
                          ? (actual as number) <= (target as number)
                          : (actual as number) >= (target as number);
                break;
            case "noDates":
                applies = expected === null || due === null;
                break;
            case "missed":
                applies = now > (due as number);
                break;
            case "noPace":
                applies = progress === null;
                break;
            case "onTrack":
                applies = (progress as number) >= (onTrackFloor as number) - EPSILON;
                break;
            case "atRisk":
                applies = (progress as number) >= (onTrackFloor as number) - tolerances.atRisk - EPSILON;
                break;
            case "behind":
                applies = true;
                break;
        }
        if (applies) return STEPS[index].status;
    }
    return BEHIND;
}
