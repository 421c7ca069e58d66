/**
 * TMDL writer: renders the semantic model as the `definition/` folder of a PBIP semantic model.
 * One tab per level, names quoted when they are not plain identifiers, `///` descriptions,
 * expressions (DAX, M) on the lines after `=`, indented one level deeper than properties.
 */
import {
    ModelColumn,
    ModelExpression,
    ModelMeasure,
    ModelRefreshPolicy,
    ModelRole,
    ModelTable,
    SemanticModel,
} from "./model";
import { parameterExpression } from "./m";

export const COMPATIBILITY_LEVEL = 1567;

/** A TMDL object name: plain identifiers as they are, anything else in single quotes, quotes doubled. */
export function tmdlName(name: string): string {
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

const tabs = (level: number): string => "\t".repeat(level);

function description(text: string, level: number): string[] {
    return text.split("\n").map((line) => `${tabs(level)}/// ${line}`);
}

/** `head = expression`: on one line when short and single-line, else on the following lines. */
function withExpression(head: string, expression: string, level: number): string[] {
    const lines = expression.split("\n");
    if (lines.length === 1) return [`${tabs(level)}${head} = ${expression}`];
    return [`${tabs(level)}${head} =`, ...lines.map((line) => (line.trim() === "" ? "" : `${tabs(level + 2)}${line}`))];
}

function measureLines(measure: ModelMeasure): string[] {
    const out = [
        ...description(measure.description, 1),
        ...withExpression(`measure ${tmdlName(measure.name)}`, measure.expression, 1),
    ];
    if (measure.formatString) out.push(`\t\tformatString: ${measure.formatString}`);
    if (measure.isHidden) out.push("\t\tisHidden");
    out.push(`\t\tdisplayFolder: ${measure.displayFolder}`);
    out.push(`\t\tlineageTag: ${measure.lineageTag}`);
    out.push("");
    return out;
}

function columnLines(column: ModelColumn): string[] {
    const out = [...description(column.description, 1), `\tcolumn ${tmdlName(column.name)}`];
    out.push(`\t\tdataType: ${column.dataType}`);
    if (column.isHidden) out.push("\t\tisHidden");
    if (column.isKey) out.push("\t\tisKey");
    if (column.formatString) out.push(`\t\tformatString: ${column.formatString}`);
    out.push(`\t\tlineageTag: ${column.lineageTag}`);
    out.push(`\t\tsummarizeBy: ${column.summarizeBy}`);
    out.push(`\t\tsourceColumn: ${column.sourceColumn}`);
    if (column.sortByColumn) out.push(`\t\tsortByColumn: ${tmdlName(column.sortByColumn)}`);
    out.push("", "\t\tannotation SummarizationSetBy = User", "");
    return out;
}

/** Incremental refresh: Power BI creates and refreshes the partitions from this policy when it refreshes. */
function refreshPolicyLines(policy: ModelRefreshPolicy): string[] {
    return [
        "\trefreshPolicy",
        "\t\tpolicyType: basic",
        `\t\trollingWindowGranularity: ${policy.rollingWindow.granularity}`,
        `\t\trollingWindowPeriods: ${policy.rollingWindow.periods}`,
        `\t\tincrementalGranularity: ${policy.incrementalPeriod.granularity}`,
        `\t\tincrementalPeriods: ${policy.incrementalPeriod.periods}`,
        "\t\tsourceExpression =",
        ...policy.sourceExpression.split("\n").map((line) => (line.trim() === "" ? "" : `\t\t\t\t${line}`)),
        "",
    ];
}

export function tableTmdl(table: ModelTable): string {
    const out = [
        ...description(table.description, 0),
        `table ${tmdlName(table.name)}`,
        `\tlineageTag: ${table.lineageTag}`,
    ];
    if (table.dataCategory) out.push(`\tdataCategory: ${table.dataCategory}`);
    if (table.isHidden) out.push("\tisHidden");
    out.push("");
    for (const measure of table.measures) out.push(...measureLines(measure));
    for (const column of table.columns) out.push(...columnLines(column));
    if (table.refreshPolicy) out.push(...refreshPolicyLines(table.refreshPolicy));
    out.push(`\tpartition ${tmdlName(table.partition.name)} = m`, `\t\tmode: ${table.partition.mode}`, "\t\tsource =");
    out.push(...table.partition.expression.split("\n").map((line) => (line.trim() === "" ? "" : `\t\t\t\t${line}`)));
    out.push("", "\tannotation PBI_ResultType = Table", "");
    return out.join("\n");
}

function expressionLines(expression: ModelExpression): string[] {
    return [
        ...description(expression.description, 0),
        `expression ${tmdlName(expression.name)} = ${parameterExpression(expression)}`,
        `\tlineageTag: ${expression.lineageTag}`,
        "",
        `\tannotation PBI_ResultType = ${expression.type}`,
        "",
    ];
}

/** A role (roles/<name>.tmdl): its permission and one row filter per table it restricts. */
export function roleTmdl(role: ModelRole): string {
    const out = [...description(role.description, 0), `role ${tmdlName(role.name)}`];
    out.push(`\tmodelPermission: ${role.modelPermission}`, "");
    for (const permission of role.tablePermissions) {
        out.push(
            ...withExpression(`tablePermission ${tmdlName(permission.table)}`, permission.filterExpression, 1),
            "",
        );
    }
    return out.join("\n");
}

/** Files of the `definition/` folder, keyed by path relative to it. */
export function modelToTmdl(model: SemanticModel): Map<string, string> {
    const files = new Map<string, string>();
    files.set("database.tmdl", `database\n\tcompatibilityLevel: ${COMPATIBILITY_LEVEL}\n`);
    const modelLines = [
        "model Model",
        `\tculture: ${model.culture}`,
        "\tdefaultPowerBIDataSourceVersion: powerBI_V3",
        `\tsourceQueryCulture: ${model.culture}`,
        "\tdataAccessOptions",
        "\t\tlegacyRedirects",
        "\t\treturnErrorValuesAsNull",
        "",
        // The model has its own Date table: no hidden auto date tables per date column.
        "\tannotation __PBI_TimeIntelligenceEnabled = 0",
        "",
        ...model.tables.map((t) => `ref table ${tmdlName(t.name)}`),
        "",
        ...model.roles.map((r) => `ref role ${tmdlName(r.name)}`),
        "",
    ];
    files.set("model.tmdl", modelLines.join("\n"));
    const relationships = model.relationships.flatMap((r) => [
        `relationship ${r.name}`,
        ...(r.toCardinality === "many" ? ["\ttoCardinality: many"] : []),
        `\tfromColumn: ${tmdlName(r.fromTable)}.${tmdlName(r.fromColumn)}`,
        `\ttoColumn: ${tmdlName(r.toTable)}.${tmdlName(r.toColumn)}`,
        "",
    ]);
    files.set("relationships.tmdl", relationships.join("\n"));
    files.set("expressions.tmdl", model.expressions.flatMap(expressionLines).join("\n"));
    for (const table of model.tables) files.set(`tables/${table.name}.tmdl`, tableTmdl(table));
    for (const role of model.roles) files.set(`roles/${role.name}.tmdl`, roleTmdl(role));
    return files;
}
