import { keepDrawn } from "../../src/views/rowWindow";

describe("keepDrawn", () => {
    it.each([
        // next window, rows drawn before, row count, rows drawn now
        ["nothing drawn yet: the window", [0, 31], null, 250, [0, 31]],
        ["one row fewer in view (a resize smaller): the drawn row stays", [0, 31], [0, 32], 250, [0, 32]],
        ["two rows fewer at each end: both stay", [12, 40], [10, 42], 250, [10, 42]],
        ["three rows fewer: the window (slack is two)", [0, 29], [0, 32], 250, [0, 29]],
        ["more rows in view (a resize larger): the window", [0, 32], [0, 31], 250, [0, 32]],
        ["scrolled one row down: the row above stays", [1, 33], [0, 32], 250, [0, 33]],
        ["scrolled far: the window", [100, 132], [0, 32], 250, [100, 132]],
        ["fewer rows in the data: never past the last", [0, 20], [0, 22], 21, [0, 21]],
        ["no overlap at the window's edge: the window", [32, 60], [0, 32], 250, [32, 60]],
    ] as const)("%s", (_, [first, last], drawn, count, [keptFirst, keptLast]) => {
        expect(keepDrawn({ first, last }, drawn && { first: drawn[0], last: drawn[1] }, count)).toEqual({
            first: keptFirst,
            last: keptLast,
        });
    });
});
