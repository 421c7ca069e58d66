/**
 * A small DAX reference checker (no DAX parser exists on npm): tokenizes a measure's expression
 * and reports references to tables, columns and measures that the schema lacks, unbalanced
 * parentheses or braces, and unterminated strings or quoted names. Not a full DAX grammar: it
 * assumes, as our schema does, that columns are always written Table[Column].
 */
import { TableDef } from "./schema";

export interface DaxReferences {
    tables: string[];
    columns: Array<{ table: string; column: string }>;
    measures: string[];
    /** Columns a measure adds to a table variable itself (ADDCOLUMNS ( ..., "@Name", ... )), read as [@Name]. */
    localColumns: string[];
    /** Text literals, so [@Name] can be checked against the names ADDCOLUMNS gave. */
    strings: string[];
}

const KEYWORDS = new Set(["VAR", "RETURN", "IN", "NOT", "AND", "OR", "ASC", "DESC", "TRUE", "FALSE"]);

/** Tokenizes the expression; throws on unbalanced brackets or unterminated literals. */
export function daxReferences(expression: string): DaxReferences {
    const refs: DaxReferences = { tables: [], columns: [], measures: [], localColumns: [], strings: [] };
    const vars = new Set<string>();
    const stack: string[] = [];
    let i = 0;
    const text = expression;
    const skipSpace = (at: number): number => {
        while (at < text.length && /\s/.test(text[at])) at++;
        return at;
    };
    const readDelimited = (open: number, close: string, what: string): [string, number] => {
        let value = "";
        let at = open + 1;
        for (;;) {
            if (at >= text.length) throw new Error(`Unterminated ${what} at offset ${open}`);
            if (text[at] === close) {
                if (text[at + 1] === close) {
                    value += close;
                    at += 2;
                    continue;
                }
                return [value, at + 1];
            }
            value += text[at++];
        }
    };
    let lastWasVar = false;
    while (i < text.length) {
        const ch = text[i];
        if (/\s/.test(ch)) {
            i++;
            continue;
        }
        if (ch === "/" && text[i + 1] === "/") {
            while (i < text.length && text[i] !== "\n") i++;
            continue;
        }
        if (ch === '"') {
            const [value, next] = readDelimited(i, '"', "string");
            refs.strings.push(value);
            i = next;
            continue;
        }
        if (ch === "'") {
            const [name, next] = readDelimited(i, "'", "quoted table name");
            i = next;
            const after = skipSpace(i);
            if (text[after] === "[") {
                const [column, end] = readDelimited(after, "]", "column name");
                refs.columns.push({ table: name, column });
                i = end;
            } else {
                refs.tables.push(name);
            }
            continue;
        }
        if (ch === "[") {
            const [name, next] = readDelimited(i, "]", "bracketed name");
            // By convention (ours and SQLBI's), columns a measure adds itself start with @.
            if (name.startsWith("@")) refs.localColumns.push(name);
            else refs.measures.push(name);
            i = next;
            continue;
        }
        if (/[0-9]/.test(ch) || (ch === "." && /[0-9]/.test(text[i + 1] ?? ""))) {
            const match = /^[0-9]*\.?[0-9]+(E[-+]?[0-9]+)?/i.exec(text.slice(i));
            i += match ? match[0].length : 1;
            continue;
        }
        if (/[A-Za-z_]/.test(ch)) {
            const match = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i)) as RegExpExecArray;
            const word = match[0];
            i += word.length;
            const after = skipSpace(i);
            if (lastWasVar) {
                vars.add(word);
                lastWasVar = false;
                continue;
            }
            if (word.toUpperCase() === "VAR") {
                lastWasVar = true;
                continue;
            }
            if (text[after] === "(") continue; // a function
            if (text[after] === "[") {
                const [column, end] = readDelimited(after, "]", "column name");
                refs.columns.push({ table: word, column });
                i = end;
                continue;
            }
            if (KEYWORDS.has(word.toUpperCase()) || vars.has(word)) continue;
            refs.tables.push(word);
            continue;
        }
        if (ch === "(" || ch === "{") {
            stack.push(ch);
            i++;
            continue;
        }
        if (ch === ")" || ch === "}") {
            const open = stack.pop();
            if (open !== (ch === ")" ? "(" : "{")) throw new Error(`Unbalanced "${ch}" at offset ${i}`);
            i++;
            continue;
        }
        if (ch === "]") throw new Error(`Unbalanced "]" at offset ${i}`);
        i++;
    }
    if (stack.length > 0) throw new Error(`Unclosed "${stack[stack.length - 1]}"`);
    return refs;
}

/** Problems with a measure's references against the schema's tables; empty when all is well. */
export function checkMeasure(expression: string, tables: readonly TableDef[]): string[] {
    let refs: DaxReferences;
    try {
        refs = daxReferences(expression);
    } catch (error) {
        return [(error as Error).message];
    }
    const problems: string[] = [];
    const byName = new Map(tables.map((t) => [t.name, t]));
    const measures = new Set(tables.flatMap((t) => t.measures.map((m) => m.name)));
    for (const table of refs.tables) if (!byName.has(table)) problems.push(`unknown table ${table}`);
    for (const { table, column } of refs.columns) {
        const def = byName.get(table);
        if (!def) problems.push(`unknown table ${table} in ${table}[${column}]`);
        else if (!def.columns.some((c) => c.name === column)) problems.push(`unknown column ${table}[${column}]`);
    }
    for (const measure of refs.measures) if (!measures.has(measure)) problems.push(`unknown measure [${measure}]`);
    for (const column of refs.localColumns)
        if (!refs.strings.includes(column)) problems.push(`[${column}] is not added by ADDCOLUMNS in the measure`);
    return problems;
}
