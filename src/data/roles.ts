import powerbi from "powerbi-visuals-api";
import DataView = powerbi.DataView;
import DataViewCategoryColumn = powerbi.DataViewCategoryColumn;
import DataViewValueColumn = powerbi.DataViewValueColumn;
import DataViewValueColumnGroup = powerbi.DataViewValueColumnGroup;
import DataViewMetadataColumn = powerbi.DataViewMetadataColumn;
import DataViewObjects = powerbi.DataViewObjects;
import PrimitiveValue = powerbi.PrimitiveValue;

/** Data role names, as in capabilities.json. */
export const Role = {
    agency: "agency",
    service: "service",
    period: "period",
    cost: "cost",
    users: "users",
    uncoveredCost: "uncoveredCost",
    reference: "reference",
    team: "team",
    goal: "goal",
    actual: "actual",
    target: "target",
    baseline: "baseline",
    startDate: "startDate",
    dueDate: "dueDate",
    direction: "direction",
    asOf: "asOf",
    planMissing: "planMissing",
    rating: "rating",
    responses: "responses",
    openFollowUps: "openFollowUps",
    overdueFollowUps: "overdueFollowUps",
    openFollowUpList: "openFollowUpList",
    statewideResponses: "statewideResponses",
    tooltips: "tooltips",
} as const;
export type RoleName = (typeof Role)[keyof typeof Role];

/** One series of the categorical DataView: a service when Service is bound, else the only one. */
export interface Series {
    /** The service's value, or null when Service is not bound. */
    name: PrimitiveValue | null;
    index: number;
    objects?: DataViewObjects;
    group?: DataViewValueColumnGroup;
    measure(role: RoleName): DataViewValueColumn | undefined;
    /** Every column of a role that takes several fields (Tooltips), in the order bound. */
    measures(role: RoleName): DataViewValueColumn[];
}

/**
 * The categorical DataView seen by role: which roles are bound, the category column of each
 * grouping role and the measures of each series. Columns are found by role, never by position,
 * so any order of bound fields works.
 */
export interface RoleTable {
    rowCount: number;
    bound: ReadonlySet<RoleName>;
    category(role: RoleName): DataViewCategoryColumn | undefined;
    /** Metadata of the bound column of a role (grouping or measure). */
    column(role: RoleName): DataViewMetadataColumn | undefined;
    series: Series[];
}

const knownRoles = new Set<string>(Object.values(Role));

function rolesOf(column: DataViewMetadataColumn): RoleName[] {
    return Object.keys(column.roles ?? {}).filter(
        (role): role is RoleName => knownRoles.has(role) && column.roles?.[role] === true,
    );
}

export function readRoleTable(dataView: DataView | undefined): RoleTable {
    const bound = new Set<RoleName>();
    const columns = new Map<RoleName, DataViewMetadataColumn>();
    for (const column of dataView?.metadata?.columns ?? []) {
        for (const role of rolesOf(column)) {
            bound.add(role);
            if (!columns.has(role)) columns.set(role, column);
        }
    }

    const categorical = dataView?.categorical;
    const categories = new Map<RoleName, DataViewCategoryColumn>();
    for (const category of categorical?.categories ?? []) {
        for (const role of rolesOf(category.source)) {
            if (!categories.has(role)) categories.set(role, category);
        }
    }

    const values = categorical?.values;
    const groups: DataViewValueColumnGroup[] = values
        ? typeof values.grouped === "function"
            ? values.grouped()
            : [{ values: [...values] } as DataViewValueColumnGroup]
        : [];
    const seriesBound = Boolean(values?.source?.roles?.[Role.service]);
    const series: Series[] = groups.map((group, index) => {
        const measures = new Map<RoleName, DataViewValueColumn[]>();
        for (const column of group.values ?? []) {
            for (const role of rolesOf(column.source)) {
                measures.set(role, [...(measures.get(role) ?? []), column]);
            }
        }
        return {
            name: seriesBound ? (group.name ?? null) : null,
            index,
            objects: group.objects,
            group,
            measure: (role: RoleName) => measures.get(role)?.[0],
            measures: (role: RoleName) => measures.get(role) ?? [],
        };
    });

    let rowCount = 0;
    for (const category of categories.values()) rowCount = Math.max(rowCount, category.values?.length ?? 0);
    for (const one of series) {
        for (const column of one.group?.values ?? []) rowCount = Math.max(rowCount, column.values?.length ?? 0);
    }

    return {
        rowCount,
        bound,
        category: (role) => categories.get(role),
        column: (role) => columns.get(role),
        series,
    };
}

/** A value read from a numeric role: a finite number or null (text, NaN, Infinity and blanks are null). */
export function toNumber(value: PrimitiveValue | undefined): number | null {
    if (typeof value === "number") return Number.isFinite(value) ? value : null;
    return null;
}

/** The text shown for a category value; blanks get a visible name rather than an empty label. */
export function toLabel(value: PrimitiveValue | undefined, blankLabel: string): string {
    if (value === null || value === undefined || value === "") return blankLabel;
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? blankLabel : value.toISOString().slice(0, 10);
    return String(value);
}
