/**
 * Problems found by the validator, grouped so a problem repeated thousands of times prints as one
 * counted kind with its first few lines. Memory stays bounded: a group keeps MAX_EXAMPLES examples.
 */
export type Severity = "error" | "warning";

export type ProblemCode =
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
    | "empty-value"
    | "bad-number"
    | "bad-integer"
    | "bad-date"
    | "bad-rating"
    | "not-allowed"
    | "duplicate-key"
    | "unknown-reference"
    | "users-not-positive"
    | "due-before-start"
    | "target-equals-baseline"
    | "no-headcount"
    | "duplicate-headcount"
    | "references-unchecked"
    | "cr-line-endings";

/** Short titles of each kind, shown above its examples. */
export const TITLES: Record<ProblemCode, string> = {
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
    "empty-value": "required value empty",
    "bad-number": "not a number",
    "bad-integer": "not a whole number",
    "bad-date": "not a date",
    "bad-rating": "rating not 1 to 5",
    "not-allowed": "value not in the schema's list",
    "duplicate-key": "duplicate key",
    "unknown-reference": "refers to an unknown row",
    "users-not-positive": "users not above 0",
    "due-before-start": "due date before start date",
    "target-equals-baseline": "target equals baseline",
    "no-headcount": "charges with no headcount (cost per user blank)",
    "duplicate-headcount": "headcount given twice for an agency and month",
    "references-unchecked": "references not checked",
    "cr-line-endings": "carriage-return line endings",
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

/** A value as it appears in messages: quoted, control characters shown, long values shortened. */
export function showValue(value: string): string {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
}

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
