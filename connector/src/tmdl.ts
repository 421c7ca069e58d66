/**
 * TMDL writer: renders the semantic model as the `definition/` folder of a PBIP semantic model.
 * One tab per level, names quoted when they are not plain identifiers, `///` descriptions,
 * expressions (DAX, M) on the lines after `=`, indented one level deeper than properties.
 *
 * It writes what Power BI Desktop writes when it saves the same model (the query order, the date
 * type of date columns, the culture file and its reference, model annotations unindented), so a
 * project saved in Desktop and regenerated is not seen as changed; see canonicalTmdl for the rest.
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

/** 1601: measures with a dynamic format string (formatStringDefinition) need it. */
export const COMPATIBILITY_LEVEL = 1601;

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
    if (measure.formatStringExpression) out.push(`\t\tformatStringDefinition = ${measure.formatStringExpression}`);
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
    // Desktop records that a dateTime column holds dates (the M types them as date).
    if (column.dataType === "dateTime") out.push("\t\tannotation UnderlyingDateTimeDataType = Date", "");
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
        "annotation __PBI_TimeIntelligenceEnabled = 0",
        "",
        // The queries in Power Query's order (Desktop adds it on save): parameters first, then tables.
        `annotation PBI_QueryOrder = ${JSON.stringify([...model.expressions, ...model.tables].map((q) => q.name))}`,
        "",
        ...model.tables.map((t) => `ref table ${tmdlName(t.name)}`),
        "",
        ...model.roles.map((r) => `ref role ${tmdlName(r.name)}`),
        "",
        `ref cultureInfo ${model.culture}`,
        "",
    ];
    files.set("model.tmdl", modelLines.join("\n"));
    files.set(`cultures/${model.culture}.tmdl`, cultureTmdl(model.culture));
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

/**
 * The culture file Desktop writes for a new model: linguistic metadata that Q&A fills in and
 * rewrites on later saves, so regeneration writes it only where it is missing (CULTURE_FILE).
 */
function cultureTmdl(culture: string): string {
    const metadata = JSON.stringify({ Version: "1.0.0", Language: culture }, null, 2).split("\n");
    return [
        `cultureInfo ${culture}`,
        "",
        "\tlinguisticMetadata =",
        ...metadata.map((line) => `\t\t\t${line}`),
        "\t\tcontentType: json",
        "",
    ].join("\n");
}

/** Culture files (definition/cultures/<culture>.tmdl): Desktop's once written. */
export const CULTURE_FILE = /(^|\/)definition\/cultures\/[^/]+\.tmdl$/;

/**
 * Annotations Desktop sets on every save, whatever the model: the version of Desktop that saved it
 * and the tools used. They are Desktop's, so a change to them is no change to the model.
 */
const DESKTOP_ANNOTATION = /^annotation (PBIDesktopVersion|PBI_ProTooling) =/;

/**
 * A TMDL file as data, for telling whether a saved file still holds the model the connector
 * wrote: each object with its properties and children in name order (Desktop's serializer orders
 * some properties differently), descriptions with their object, expressions (DAX, M) line by line
 * as written, blank lines, trailing spaces, line endings and Desktop's own annotations left out.
 */
export function canonicalTmdl(text: string): string {
    interface Node {
        head: string;
        body: string[];
        children: Node[];
    }
    const lines = text
        .replace(/^\uFEFF/, "")
        .split(/\r?\n/)
        .map((line) => line.replace(/\s+$/, ""))
        .filter((line) => line !== "");
    const root: Node = { head: "", body: [], children: [] };
    const stack: Array<{ depth: number; node: Node }> = [{ depth: -1, node: root }];
    let pendingDescription: string[] = [];
    let expressionOf: { depth: number; node: Node } | null = null;
    for (const line of lines) {
        const depth = /^\t*/.exec(line)![0].length;
        // Desktop may fence an expression in ``` lines: the same expression as without them.
        const content = line.slice(depth).replace(/ = ```$/, " =");
        if (expressionOf && content === "```" && depth === expressionOf.depth + 1) continue;
        // Lines two levels under a `... =` head are its expression, kept in order and indentation.
        if (expressionOf && depth >= expressionOf.depth + 2) {
            expressionOf.node.body.push(line.slice(expressionOf.depth + 2));
            continue;
        }
        expressionOf = null;
        if (content.startsWith("///")) {
            pendingDescription.push(content);
            continue;
        }
        while (stack[stack.length - 1].depth >= depth) stack.pop();
        // Desktop writes the model's annotations unindented after it: they are still the model's.
        const parent: Node =
            depth === 0 && content.startsWith("annotation ") && root.children.some((c) => c.head.startsWith("model "))
                ? root.children.find((c) => c.head.startsWith("model "))!
                : stack[stack.length - 1].node;
        const node: Node = { head: [...pendingDescription, content].join("\n"), body: [], children: [] };
        pendingDescription = [];
        if (DESKTOP_ANNOTATION.test(content)) continue;
        parent.children.push(node);
        const entry: { depth: number; node: Node } = {
            depth: parent === stack[stack.length - 1].node ? depth : 1,
            node,
        };
        stack.push(entry);
        if (content.endsWith("=")) expressionOf = entry;
    }
    const render = (node: Node): string =>
        [
            node.head,
            ...node.body.map((b) => `= ${b}`),
            ...node.children
                .map(render)
                .sort()
                .map((c) => `{${c}}`),
        ].join("\n");
    return render(root);
}
