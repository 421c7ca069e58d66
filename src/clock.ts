/**
 * The one clock the visual reads "today" from. The data layer never reads it: it takes today as
 * a parameter. Tests set a fixed time here and reset it after.
 */
let now: () => number = () => Date.now();

export const clock = {
    today(): Date {
        return new Date(now());
    },
    /** Fix the clock to a time (a Date or epoch milliseconds), or to a function of time. */
    set(time: Date | number | (() => number)): void {
        now = typeof time === "function" ? time : () => (time instanceof Date ? time.getTime() : time);
    },
    reset(): void {
        now = () => Date.now();
    },
};
