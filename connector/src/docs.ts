/**
 * The connector README's table and measure docs, generated from the schema so they cannot drift:
 * `npm run connector -- docs` rewrites the part between the markers, and a test checks it is current.
 */
import { TABLES, RELATIONSHIPS } from "./schema";
import { COST_RULES, GOAL_STATUS_STEPS, GOAL_UNIT_FORMATS, GOAL_UNIT_OTHER_FORMAT } from "../../src/data/rules";

export const START_MARKER = "<!-- generated from connector/src/schema.ts: start -->";
export const END_MARKER = "<!-- generated from connector/src/schema.ts: end -->";

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderTableDocs(): string {
    const out: string[] = ["### Input tables", ""];
    for (const table of TABLES) {
        if (table.source === null) continue;
        out.push(`#### \`${table.source}\` → model table \`${table.name}\``, "", table.description, "");
        out.push("| Column | Type | Required | Model column | Description |", "| --- | --- | --- | --- | --- |");
        for (const c of table.columns) {
            const allowed = c.allowed ? ` Allowed: ${c.allowed.join(", ")}.` : "";
            out.push(
                `| \`${c.source}\` | ${c.kind} | ${c.optional ? "no" : "yes"} | ${c.name}${c.hidden ? " (hidden)" : ""} | ${cell(c.description + allowed)} |`,
            );
        }
        out.push("");
    }
    out.push("### Relationships (many to one)", "");
    for (const r of RELATIONSHIPS) out.push(`- ${r.fromTable}[${r.fromColumn}] → ${r.toTable}[${r.toColumn}]`);
    out.push("", "### Measures", "", "| Table | Measure | Format | Description |", "| --- | --- | --- | --- |");
    for (const table of TABLES) {
        for (const m of table.measures)
            out.push(
                `| ${table.name} | ${m.name} | ${m.formatStringExpression ? "dynamic (the goal's unit)" : `\`${cell(m.formatString || "text")}\``} | ${cell(m.description)} |`,
            );
    }
    out.push("");
    return out.join("\n");
}

/** The README with its generated section replaced by the current docs. */
export function renderReadme(readme: string): string {
    const start = readme.indexOf(START_MARKER);
    const end = readme.indexOf(END_MARKER);
    if (start < 0 || end < start) throw new Error("connector/README.md lacks the generated-section markers");
    return `${readme.slice(0, start + START_MARKER.length)}\n${renderTableDocs()}${readme.slice(end)}`;
}

/** The root README's rule sections, rendered from the rules module (src/data/rules.ts). */
const RULE_SECTIONS: readonly { name: string; render: () => string }[] = [
    { name: "cost rules", render: () => COST_RULES.map((rule) => `- ${rule}`).join("\n") },
    {
        name: "goal status steps",
        render: () =>
            GOAL_STATUS_STEPS.map((step, index) => `  ${index + 1}. **${step.status}**: ${step.when}.`).join("\n"),
    },
    {
        name: "goal units",
        render: () =>
            [
                "  | Unit (any case) | Format string |",
                "  | --- | --- |",
                ...GOAL_UNIT_FORMATS.map(
                    (row) => `  | ${row.names.map((name) => `\`${name}\``).join(", ")} | \`${cell(row.format)}\` |`,
                ),
                `  | anything else | \`${GOAL_UNIT_OTHER_FORMAT}\` |`,
            ].join("\n"),
    },
];

const ruleMarkers = (name: string): [string, string] => [
    `<!-- ${name}: generated from src/data/rules.ts: start -->`,
    `<!-- ${name}: generated from src/data/rules.ts: end -->`,
];

/** The root README with its rule sections replaced by the rules as the code states them. */
export function renderRootReadme(readme: string): string {
    let text = readme;
    for (const section of RULE_SECTIONS) {
        const [startMarker, endMarker] = ruleMarkers(section.name);
        const start = text.indexOf(startMarker);
        const end = text.indexOf(endMarker);
        if (start < 0 || end < start) throw new Error(`README.md lacks the markers of the ${section.name}`);
        text = `${text.slice(0, start + startMarker.length)}\n${section.render()}\n${text.slice(end)}`;
    }
    return text;
}
