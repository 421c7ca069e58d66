/**
 * Problems found by the validator, grouped so a problem repeated thousands of times prints as one
 * counted kind with its first few lines. Memory stays bounded: a group keeps MAX_EXAMPLES examples.
 */
import { ValidationRule, VALIDATION_RULES } from "../schema";

export type Severity = "error" | "warning";

/** Problems of files, shapes and values; the rules' own codes come from the schema (VALIDATION_RULES). */
export type BuiltInProblemCode =
    | "missing-file"
    | "empty-file"
    | "not-text"
    | "wrong-delimiter"
    | "missing-column"
    | "extra-column"
    | "unnamed-column"
    | "duplicate-column"
    | "header-case"
    | "file-unusable"
    | "blank-line"
    | "trailing-delimiter"
    | "too-few-fields"
    | "too-many-fields"
    | "truncated-line"
    | "bad-quotes"
    | "invalid-utf8"
    | "nul-byte"
    | "empty-value"
    | "bad-number"
    | "bad-integer"
    | "bad-date"
    | "outside-date-table"
    | "untrimmed-key"
    | "not-allowed"
    | "references-unchecked"
    | "cr-line-endings";
export type ProblemCode = BuiltInProblemCode | ValidationRule["code"];

/** Short titles of each kind, shown above its examples. */
const BUILT_IN_TITLES: Record<BuiltInProblemCode, string> = {
    "missing-file": "file missing",
    "empty-file": "file empty",
    "not-text": "file not readable as CSV text",
    "wrong-delimiter": "wrong delimiter",
    "missing-column": "required column missing",
    "extra-column": "column not in the schema (left out)",
    "unnamed-column": "column without a name (left out)",
    "duplicate-column": "column given twice",
    "header-case": "header matched only ignoring case or spaces",
    "file-unusable": "rows of a file that cannot be read (see the file's error)",
    "blank-line": "blank lines (skipped)",
    "trailing-delimiter": "trailing delimiter (ignored)",
    "too-few-fields": "too few fields",
    "too-many-fields": "too many fields",
    "truncated-line": "truncated last line",
    "bad-quotes": "malformed quotes",
    "invalid-utf8": "invalid UTF-8 bytes",
    "nul-byte": "NUL bytes in a line",
    "empty-value": "required value empty",
    "bad-number": "not a number",
    "bad-integer": "not a whole number",
    "bad-date": "not a date",
    "outside-date-table": "date outside the Date table",
    "untrimmed-key": "key with surrounding spaces (DirectQuery)",
    "not-allowed": "value not in the schema's list",
    "references-unchecked": "references not checked",
    "cr-line-endings": "carriage-return line endings",
};
export const TITLES: Record<ProblemCode, string> = {
    ...BUILT_IN_TITLES,
    ...Object.fromEntries(VALIDATION_RULES.map((r) => [r.code, r.title])),
};

export interface Problem {
    severity: Severity;
    code: ProblemCode;
    table: string;
    file: string;
    /** Physical line (1 = header); absent for problems of a whole file. */
    line?: number;
    /** Last line when the row spans several (quoted line breaks). */
    lastLine?: number;
    column?: string;
    value?: string;
    /** What is wrong and what was expected, in plain words, without the location. */
    message: string;
}

export interface ProblemGroup {
    severity: Severity;
    code: ProblemCode;
    title: string;
    table: string;
    file: string;
    column?: string;
    count: number;
    examples: Problem[];
}

export const MAX_EXAMPLES = 5;

/** "file line 17, column X: message" — one problem as a sentence. */
export function describe(problem: Problem): string {
    const where = [problem.file];
    if (problem.line !== undefined) {
        where.push(
            problem.lastLine !== undefined && problem.lastLine !== problem.line
                ? `lines ${problem.line}-${problem.lastLine}`
                : `line ${problem.line}`,
        );
    }
    const location = `${where.join(" ")}${problem.column ? `, column ${problem.column}` : ""}`;
    return `${location}: ${problem.message}`;
}

export { quoteValue as showValue } from "../schema";

export class ProblemLog {
    private readonly groups = new Map<string, ProblemGroup>();
    errors = 0;
    warnings = 0;

    constructor(private readonly maxExamples = MAX_EXAMPLES) {}

    add(problem: Problem): void {
        if (problem.severity === "error") this.errors++;
        else this.warnings++;
        const key = `${problem.severity}\u0000${problem.code}\u0000${problem.file}\u0000${problem.column ?? ""}`;
        let group = this.groups.get(key);
        if (!group) {
            group = {
                severity: problem.severity,
                code: problem.code,
                title: TITLES[problem.code],
                table: problem.table,
                file: problem.file,
                count: 0,
                examples: [],
            };
            if (problem.column !== undefined) group.column = problem.column;
            this.groups.set(key, group);
        }
        group.count++;
        if (group.examples.length < this.maxExamples) group.examples.push(problem);
    }

    list(): ProblemGroup[] {
        return [...this.groups.values()];
    }
}
