/** @jest-environment node */
import * as fs from "node:fs";
import * as path from "node:path";
import { valueFormatter } from "powerbi-visuals-utils-formattingutils";
import { TABLES } from "../../connector/src/schema";
import { checkMeasure } from "../../connector/src/dax";
import { buildModel } from "../../connector/src/model";
import { modelToTmdl } from "../../connector/src/tmdl";
import { modelToBim } from "../../connector/src/bim";

const GOAL_VALUE_MEASURES = ["Goal Baseline", "Goal Target", "Goal Actual"];
const goals = TABLES.find((table) => table.name === "Goals")!;
const measure = (name: string) => goals.measures.find((m) => m.name === name)!;

/**
 * Evaluates the generated format DAX for one unit, the way the engine would for a goal with it:
 * LOWER ( TRIM ( unit ) ), then the first SWITCH ( TRUE (), Unit IN { ... }, "format", ... ) case
 * whose list holds it, else the last argument. Read from the DAX text, not from the rules module.
 */
function evaluateFormatDax(dax: string, unit: string): string {
    const text = (literal: string) => literal.slice(1, -1).replace(/""/g, '"');
    const literal = /"(?:[^"]|"")*"/g;
    const cases = [...dax.matchAll(/Unit IN \{ ([^}]*) \}, ("(?:[^"]|"")*")/g)].map((match) => ({
        names: (match[1].match(literal) ?? []).map(text),
        format: text(match[2]),
    }));
    const fallback = text(/("(?:[^"]|"")*") \)$/.exec(dax)![1]);
    const name = unit.trim().toLowerCase();
    return cases.find((one) => one.names.includes(name))?.format ?? fallback;
}

const show = (format: string, value: number, locale = "en-US") =>
    valueFormatter.create({ format, cultureSelector: locale }).format(value);

describe("goal values in their unit (a dynamic format string from Goals[Unit])", () => {
    it.each(GOAL_VALUE_MEASURES)("%s has a one-line format DAX that refers only to the schema", (name) => {
        const dax = measure(name).formatStringExpression!;
        expect(dax).toContain("Goals[Unit]");
        expect(dax).not.toContain("\n");
        expect(checkMeasure(dax, TABLES)).toEqual([]);
    });

    // Each unit of the sample's goals, with what a reader should see (written by hand).
    it.each([
        ["%", 58, "58.0%"],
        ["%", 99.9, "99.9%"],
        [" Percent ", 71, "71.0%"],
        ["days", 6, "6.0 d"],
        ["hours", 9.5, "9.5 h"],
        ["minutes", 540, "540 min"],
        ["tickets", 1002.4, "1,002"],
        ["applications", 24, "24"],
        ["data sets", 300, "300"],
        ["$", 12500, "$12,500"],
        ["points", 3.6, "3.6"],
        ["", 1002.4, "1,002.4"],
    ])("a goal in %j shows %d as %s", (unit, value, shown) => {
        expect(show(evaluateFormatDax(measure("Goal Target").formatStringExpression!, unit), value)).toBe(shown);
    });

    it("in es-ES the same format reads with Spanish separators", () => {
        const dax = measure("Goal Actual").formatStringExpression!;
        expect(show(evaluateFormatDax(dax, "%"), 89.99, "es-ES")).toBe("90,0%");
        expect(show(evaluateFormatDax(dax, "tickets"), 1002.4, "es-ES")).toBe("1.002");
    });

    it("every unit in the sample goals has a format of its own or the plain fallback", () => {
        const csv = fs.readFileSync(path.join(__dirname, "..", "..", "connector", "sample", "goals.csv"), "utf8");
        const [header, ...lines] = csv.trim().split(/\r?\n/);
        const unitAt = header.split(",").indexOf("x_Unit");
        const units = new Set(lines.map((line) => line.split(",")[unitAt]));
        const dax = measure("Goal Baseline").formatStringExpression!;
        const named = [...units].filter((unit) => evaluateFormatDax(dax, unit) !== evaluateFormatDax(dax, ""));
        // Only the score in points keeps the plain format.
        expect([...units].filter((unit) => !named.includes(unit))).toEqual(["points"]);
    });

    it("TMDL writes formatStringDefinition under each goal value measure, and the model is at level 1601 or above", () => {
        const model = buildModel({ name: "Test", source: { kind: "csv", folder: "exports" } });
        const files = modelToTmdl(model);
        expect(Number(/compatibilityLevel: (\d+)/.exec(files.get("database.tmdl")!)![1])).toBeGreaterThanOrEqual(1601);
        const table = files.get("tables/Goals.tmdl")!;
        for (const name of GOAL_VALUE_MEASURES) {
            const block = table.split(`\tmeasure '${name}' =`)[1].split("\n\tmeasure ")[0];
            expect(block).toContain(`\n\t\tformatStringDefinition = ${measure(name).formatStringExpression}\n`);
        }
        expect(table.match(/formatStringDefinition/g)).toHaveLength(GOAL_VALUE_MEASURES.length);
        const bim = modelToBim(model) as {
            model: {
                tables: {
                    name: string;
                    measures: { name: string; formatStringDefinition?: { expression: string } }[];
                }[];
            };
        };
        const bimGoals = bim.model.tables.find((t) => t.name === "Goals")!;
        for (const name of GOAL_VALUE_MEASURES)
            expect(bimGoals.measures.find((m) => m.name === name)?.formatStringDefinition?.expression).toBe(
                measure(name).formatStringExpression,
            );
    });
});
