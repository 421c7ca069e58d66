import { labelFormatterCache } from "../../src/data/format";
import { goalUnitFormat } from "../../src/data/rules";

describe("goalUnitFormat: the format of a goal's values by its unit", () => {
    it.each([
        ["%", '#,0.0"%"'],
        [" PERCENT ", '#,0.0"%"'],
        ["days", '#,0.0" d"'],
        ["Hours", '#,0.0" h"'],
        ["minutes", '#,0" min"'],
        ["$", "\\$#,0"],
        ["tickets", "#,0"],
        ["data sets", "#,0"],
        ["points", "#,0.##"],
        ["", "#,0.##"],
        [null, "#,0.##"],
        [42, "#,0.##"],
    ])("%j → %s", (unit, format) => {
        expect(goalUnitFormat(unit)).toBe(format);
    });
});

describe("labelFormatterCache: a value's own format string with the Data labels' units and decimals", () => {
    // [format string, largest value of the row, display units, decimals, value, text]
    it.each([
        ['#,0.0"%"', 99, 0, null, 89.99, "90.0%"],
        ['#,0.0"%"', 99, 0, 2, 89.99, "89.99%"],
        ['#,0" min"', 1500, 0, null, 1500, "1,500 min"],
        ['#,0" min"', 1500, 1000, 1, 600, "0.6K min"],
        // Auto units keep values whole below 100,000, and scale a row by its largest value above.
        ["#,0", 99999, 0, null, 99999, "99,999"],
        ["#,0", 2500000, 0, 1, 900000, "0.9M"],
        ["\\$#,0", 12000, 1, null, 12000, "$12,000"],
    ] as const)(
        "%s (row up to %d, units %d, decimals %s): %d → %s",
        (format, largest, units, decimals, value, text) => {
            const labelFor = labelFormatterCache({ displayUnits: units, decimals, locale: "en-US" });
            expect(labelFor(format, largest)(value)).toBe(text);
        },
    );

    it("makes one formatter per format and scale, whatever the values of the rows", () => {
        const labelFor = labelFormatterCache({ displayUnits: 0, decimals: null, locale: "es-ES" });
        expect(labelFor("#,0", 120)).toBe(labelFor("#,0", 80000));
        expect(labelFor("#,0", 2_000_000)).toBe(labelFor("#,0", 7_500_000));
        expect(labelFor("#,0", 120)).not.toBe(labelFor("#,0", 2_000_000));
        expect(labelFor("#,0", 120)(1002.4)).toBe("1.002");
        expect(labelFor("#,0", Number.NaN)(5)).toBe("5");
        expect(labelFor("#,0", 120)(null)).toBe("");
    });
});
