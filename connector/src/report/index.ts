/**
 * The ready report: the project pbip.ts writes, with the placeholder report definition replaced by
 * the three dashboard pages and the packaged visual, written over an earlier project without
 * losing what the user added (update.ts).
 */
import { SemanticModel } from "../model";
import { ModelFormat, projectFiles, writeProject } from "../pbip";
import { reportDefinitionFiles, ReportOptions } from "./pbir";
import { PAGES } from "./layout";
import { planUpdate, UpdatePlan } from "./update";
import { VisualPackage } from "./visualPackage";

export { FISCAL_YEAR, PAGES } from "./layout";
export type { ReportOptions } from "./pbir";
export { reportDefinitionFiles, resolveField, REPORT_SCHEMAS, ReportDefinitionError } from "./pbir";
export { MANIFEST, RegenerateRefused, planUpdate } from "./update";
export { findVisualPackage, readVisualPackage, VisualPackageError } from "./visualPackage";
export type { VisualPackage } from "./visualPackage";

const byPath = ([a]: [string, string], [b]: [string, string]): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every file of the project with the full report, keyed by path relative to the output folder. */
export function reportProjectFiles(
    model: SemanticModel,
    format: ModelFormat,
    pkg: VisualPackage,
    options: ReportOptions = {},
): Map<string, string> {
    const files = projectFiles(model, format);
    for (const file of [...files.keys()]) if (file.startsWith(`${model.name}.Report/definition/`)) files.delete(file);
    for (const [file, content] of reportDefinitionFiles(model.name, pkg, PAGES, options)) files.set(file, content);
    return new Map([...files.entries()].sort(byPath));
}

/** Writes (or updates) the project in `outDir`; see update.ts for what regenerating keeps. */
export function generateProject(
    outDir: string,
    model: SemanticModel,
    format: ModelFormat,
    pkg: VisualPackage,
    force = false,
    options: ReportOptions = {},
): UpdatePlan {
    const files = reportProjectFiles(model, format, pkg, options);
    const plan = planUpdate(outDir, files, { force, projectName: model.name, previous: projectFiles(model, format) });
    writeProject(outDir, plan.files, model.name, { keep: [...plan.keep, ...plan.unchanged] });
    return plan;
}
