/**
 * Shared by the validator tests: builds a billing folder from the corpus (the small valid base
 * tables plus one case's bad files) and runs the validator on it in-process.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_MAPPING, Mapping, parseMapping } from "../../connector/src/mapping";
import { describe as describeProblem } from "../../connector/src/validate/problems";
import { validateFolder, ValidationReport } from "../../connector/src/validate";

export const CORPUS = path.join(__dirname, "..", "fixtures", "validate");
export const BASE = path.join(CORPUS, "base");
export const CASES = path.join(CORPUS, "cases");

export interface CaseSpec {
    description: string;
    mapping?: unknown;
    remove?: string[];
    /** Expected clean CSVs written with --out (file -> exact content). */
    out?: Record<string, string>;
    expected?: {
        exitCode: number;
        /** table -> [rows read, accepted, quarantined], every table. */
        counts: Record<string, [number, number, number]>;
        errors: number;
        warnings: number;
        /** Every example problem, in order, as "error|warning <file> line <n>, column <c>: <message>". */
        problems: string[];
        /** Kinds of problem with their counts: "error|warning <code> <file> [column]: <count>". */
        groups: string[];
    };
}

export function readCase(name: string): CaseSpec {
    return JSON.parse(fs.readFileSync(path.join(CASES, name, "case.json"), "utf8")) as CaseSpec;
}

/** A temporary folder holding the base tables overlaid with the case's files. */
export function buildFolder(name: string | null, work: string): string {
    const folder = path.join(work, "billing");
    fs.cpSync(BASE, folder, { recursive: true });
    if (name) {
        const dir = path.join(CASES, name);
        const spec = readCase(name);
        for (const file of spec.remove ?? []) fs.rmSync(path.join(folder, file), { force: true });
        for (const entry of fs.readdirSync(dir)) {
            if (entry !== "case.json") fs.cpSync(path.join(dir, entry), path.join(folder, entry), { recursive: true });
        }
    }
    return folder;
}

export function caseMapping(spec: CaseSpec | null): Mapping {
    return spec?.mapping ? parseMapping(spec.mapping, "case mapping") : DEFAULT_MAPPING;
}

export function problemLines(report: ValidationReport): string[] {
    return report.problems.flatMap((g) => g.examples.map((p) => `${p.severity} ${describeProblem(p)}`));
}

export function groupLines(report: ValidationReport): string[] {
    return report.problems.map((g) => `${g.severity} ${g.code} ${g.file}${g.column ? ` ${g.column}` : ""}: ${g.count}`);
}

export function counts(report: ValidationReport): Record<string, [number, number, number]> {
    return Object.fromEntries(report.tables.map((t) => [t.table, [t.rowsRead, t.accepted, t.quarantined]]));
}

export async function runCase(
    name: string | null,
    out = false,
): Promise<{ report: ValidationReport; work: string; outDir: string | null }> {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "validate-case-"));
    const folder = buildFolder(name, work);
    const outDir = out ? path.join(work, "clean") : null;
    const report = await validateFolder({ folder, mapping: caseMapping(name ? readCase(name) : null), out: outDir });
    return { report, work, outDir };
}
