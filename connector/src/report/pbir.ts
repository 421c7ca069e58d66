/**
 * Renders the report (PBIR folder format) for the pages of layout.ts: definition/report.json with
 * the packaged visual registered as a CustomVisual resource package, version.json, pages.json,
 * one page.json per page and one visual.json per visual, and the .pbiviz unpacked into
 * CustomVisuals/<guid>/. Every JSON file names its Microsoft JSON schema in `$schema`.
 */
import { TABLES, TableDef, VISUAL_BINDINGS } from "../schema";
import { daxReferences } from "../dax";
import { SCHEMAS as PBIP_SCHEMAS } from "../pbip";
import {
    CardDef,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    PageDef,
    PAGES,
    ROLE_LABELS,
    ScorecardDef,
    SlicerDef,
    TableVisualDef,
    VisualDef,
} from "./layout";
import { VisualPackage, VisualPackageError } from "./visualPackage";

export const REPORT_SCHEMAS = {
    ...PBIP_SCHEMAS,
    visualContainer:
        "https://developer.microsoft.com/json-schemas/fabric/item/report/definition/visualContainer/2.9.0/schema.json",
} as const;

export class ReportDefinitionError extends Error {}

/** A model field as the report's semantic queries name it. */
export interface FieldRef {
    kind: "Column" | "Measure";
    /** Model table (for a measure, the table it lives in). */
    entity: string;
    property: string;
}

/** Resolves a DAX reference ('Table'[Column] or [Measure]) against the schema's tables. */
export function resolveField(reference: string, tables: readonly TableDef[] = TABLES): FieldRef {
    const refs = daxReferences(reference);
    if (refs.columns.length === 1 && refs.measures.length === 0) {
        const { table, column } = refs.columns[0];
        const t = tables.find((x) => x.name === table);
        if (!t || !t.columns.some((c) => c.name === column))
            throw new ReportDefinitionError(`The report binds ${reference}, which is not a column of the model.`);
        return { kind: "Column", entity: table, property: column };
    }
    if (refs.measures.length === 1 && refs.columns.length === 0) {
        const name = refs.measures[0];
        const t = tables.find((x) => x.measures.some((m) => m.name === name));
        if (!t) throw new ReportDefinitionError(`The report binds ${reference}, which is not a measure of the model.`);
        return { kind: "Measure", entity: t.name, property: name };
    }
    throw new ReportDefinitionError(
        `The report binds "${reference}", which is not a single column or measure reference.`,
    );
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** A query literal: strings in single quotes (doubled inside), booleans bare. */
const queryLiteral = (value: string | boolean): unknown => ({
    Literal: { Value: typeof value === "boolean" ? String(value) : `'${value.replace(/'/g, "''")}'` },
});
/** A literal in a formatting expression. */
const literal = (value: string | boolean): unknown => ({ expr: queryLiteral(value) });

function projection(field: FieldRef, displayName?: string): Record<string, unknown> {
    return {
        field: { [field.kind]: { Expression: { SourceRef: { Entity: field.entity } }, Property: field.property } },
        queryRef: `${field.entity}.${field.property}`,
        nativeQueryRef: field.property,
        ...(displayName ? { displayName } : {}),
    };
}

function container(visual: VisualDef, index: number, body: Record<string, unknown>): string {
    return json({
        $schema: REPORT_SCHEMAS.visualContainer,
        name: visual.id,
        position: { ...visual.position, z: index * 1000, tabOrder: index * 1000 },
        visual: body,
    });
}

const title = (text: string): Record<string, unknown> => ({
    title: [{ properties: { show: literal(true), text: literal(text) } }],
});

function scorecard(def: ScorecardDef, pkg: VisualPackage): Record<string, unknown> {
    const queryState: Record<string, unknown> = {};
    for (const role of def.roles) {
        const field = resolveField(VISUAL_BINDINGS[role]);
        const declared = pkg.roles.find((r) => r.name === role);
        if (!declared)
            throw new VisualPackageError(
                `The packaged visual ${pkg.file} has no data role "${role}", which the report binds: rebuild it with \`npm run package\`.`,
            );
        const expected = declared.kind === "Measure" ? "Measure" : "Column";
        if (field.kind !== expected)
            throw new ReportDefinitionError(
                `Data role "${role}" is a ${declared.kind} role but is bound to the ${field.kind.toLowerCase()} ${VISUAL_BINDINGS[role]}.`,
            );
        queryState[role] = { projections: [projection(field, ROLE_LABELS[role])] };
    }
    if (def.tooltips && def.tooltips.length > 0) {
        const fields = def.tooltips.map((reference) => resolveField(reference));
        const notMeasure = def.tooltips.find((_, i) => fields[i].kind !== "Measure");
        if (notMeasure) throw new ReportDefinitionError(`The Tooltips well takes measures, not ${notMeasure}.`);
        queryState.tooltips = { projections: fields.map((field) => projection(field)) };
    }
    return {
        visualType: pkg.guid,
        query: { queryState },
        // The view follows the bound fields anyway; forcing it keeps each page on its view.
        objects: { view: [{ properties: { mode: literal(def.view) } }] },
        visualContainerObjects: title(def.title),
        drillFilterOtherVisuals: true,
    };
}

/** What the report opens on: a value per sliced column (DAX reference), selected in its slicers. */
export interface ReportOptions {
    openOn?: Readonly<Record<string, string>>;
}

/**
 * A slicer's saved selection of one value, as Power BI writes it when a viewer picks it and the
 * report is saved: the general card's filter property, a semantic-query In filter on the column.
 */
function selectionFilter(field: FieldRef, value: string): Record<string, unknown> {
    return {
        general: [
            {
                properties: {
                    filter: {
                        filter: {
                            Version: 2,
                            From: [{ Name: "s", Entity: field.entity, Type: 0 }],
                            Where: [
                                {
                                    Condition: {
                                        In: {
                                            Expressions: [
                                                {
                                                    Column: {
                                                        Expression: { SourceRef: { Source: "s" } },
                                                        Property: field.property,
                                                    },
                                                },
                                            ],
                                            Values: [[queryLiteral(value)]],
                                        },
                                    },
                                },
                            ],
                        },
                    },
                },
            },
        ],
    };
}

function slicer(def: SlicerDef, options: ReportOptions): Record<string, unknown> {
    const field = resolveField(def.field);
    if (field.kind !== "Column")
        throw new ReportDefinitionError(`The ${def.label} slicer needs a column, not ${def.field}.`);
    const opening = options.openOn?.[def.field];
    return {
        visualType: "slicer",
        query: { queryState: { Values: { projections: [{ ...projection(field, def.label), active: true }] } } },
        objects: {
            data: [{ properties: { mode: literal("Dropdown") } }],
            ...(def.singleSelect ? { selection: [{ properties: { singleSelect: literal(true) } }] } : {}),
            ...(opening !== undefined ? selectionFilter(field, opening) : {}),
        },
        syncGroup: { groupName: def.syncGroup, fieldChanges: true, filterChanges: true },
        drillFilterOtherVisuals: true,
    };
}

function card(def: CardDef): Record<string, unknown> {
    const field = resolveField(def.field);
    if (field.kind !== "Measure")
        throw new ReportDefinitionError(`The ${def.label} card needs a measure, not ${def.field}.`);
    return {
        visualType: "card",
        query: { queryState: { Values: { projections: [projection(field, def.label)] } } },
        drillFilterOtherVisuals: true,
    };
}

function table(def: TableVisualDef): Record<string, unknown> {
    return {
        visualType: "tableEx",
        query: {
            queryState: { Values: { projections: def.fields.map((f) => projection(resolveField(f.field), f.label)) } },
        },
        visualContainerObjects: title(def.title),
        drillFilterOtherVisuals: true,
    };
}

/** page.json's drill-through filter and binding: the page takes the clicked item of `field` as its filter. */
function drillthrough(page: PageDef): Record<string, unknown> {
    if (!page.drillthrough) return {};
    const field = resolveField(page.drillthrough.field);
    if (field.kind !== "Column")
        throw new ReportDefinitionError(
            `The ${page.displayName} page drills through on a column, not ${page.drillthrough.field}.`,
        );
    const expression = projection(field).field;
    const filter = `${page.id}Drillthrough`;
    return {
        filterConfig: {
            filters: [{ name: filter, field: expression, type: "Categorical", howCreated: "Drillthrough" }],
        },
        pageBinding: {
            name: `${page.id}Binding`,
            type: "Drillthrough",
            parameters: [{ name: `${page.id}Parameter`, boundFilter: filter, fieldExpr: expression }],
        },
    };
}

function visualBody(def: VisualDef, pkg: VisualPackage, options: ReportOptions): Record<string, unknown> {
    switch (def.kind) {
        case "table":
            return table(def);
        case "scorecard":
            return scorecard(def, pkg);
        case "slicer":
            return slicer(def, options);
        case "card":
            return card(def);
    }
}

/**
 * The report's files, keyed by path relative to the project folder: everything under
 * `<name>.Report/definition/` and `<name>.Report/CustomVisuals/`. (definition.pbir and .platform
 * come from pbip.ts.)
 */
export function reportDefinitionFiles(
    name: string,
    pkg: VisualPackage,
    pages: readonly PageDef[] = PAGES,
    options: ReportOptions = {},
): Map<string, string> {
    const root = `${name}.Report`;
    const files = new Map<string, string>();
    files.set(`${root}/definition/version.json`, json({ $schema: REPORT_SCHEMAS.version, version: "2.0.0" }));
    files.set(
        `${root}/definition/report.json`,
        json({
            $schema: REPORT_SCHEMAS.report,
            themeCollection: {},
            resourcePackages: [
                {
                    name: pkg.guid,
                    type: "CustomVisual",
                    items: [
                        {
                            name: `${pkg.guid}.pbiviz.json`,
                            path: `${pkg.guid}.pbiviz.json`,
                            type: "CustomVisualMetadata",
                        },
                    ],
                },
            ],
        }),
    );
    files.set(
        `${root}/definition/pages/pages.json`,
        json({
            $schema: REPORT_SCHEMAS.pages,
            pageOrder: pages.map((p) => p.id),
            activePageName: pages[0].id,
        }),
    );
    for (const page of pages) {
        const dir = `${root}/definition/pages/${page.id}`;
        files.set(
            `${dir}/page.json`,
            json({
                $schema: REPORT_SCHEMAS.page,
                name: page.id,
                displayName: page.displayName,
                displayOption: "FitToPage",
                height: PAGE_HEIGHT,
                width: PAGE_WIDTH,
                ...drillthrough(page),
            }),
        );
        page.visuals.forEach((visual, index) => {
            files.set(
                `${dir}/visuals/${visual.id}/visual.json`,
                container(visual, index, visualBody(visual, pkg, options)),
            );
        });
    }
    for (const [file, content] of pkg.files) files.set(`${root}/CustomVisuals/${pkg.guid}/${file}`, content);
    return files;
}
