import powerbi from "powerbi-visuals-api";
import { createCategoricalDataViewBuilder } from "powerbi-visuals-utils-testutils";
import { Cell, identityOf } from "./dataViews";
import DataView = powerbi.DataView;
import PrimitiveValue = powerbi.PrimitiveValue;
import DataViewMetadataColumn = powerbi.DataViewMetadataColumn;

const cells = (values: Cell[]) => values as PrimitiveValue[];

/** One row of the goal view's query: a goal (in one period), with its measures as Power BI returns them. */
export interface GoalFact {
    team: string | null;
    goal: string | null;
    period?: string | Date | null;
    actual: Cell;
    target?: Cell;
    baseline?: Cell;
    /** A Date, an ISO string or epoch milliseconds, as different hosts send dates. */
    start?: Cell | Date;
    due?: Cell | Date;
    /** A dynamic format string for this row's Actual, Target and Baseline (a model with one per goal). */
    format?: string;
    /** The Direction well's value ("higher" or "lower"), when bound. */
    direction?: Cell;
    /** The As of well's value (the model's as-of day, the same on every row), when bound. */
    asOf?: Cell | Date;
    /** The Improvement plan missing well's value (the model's 1/0 flag), when bound. */
    planMissing?: Cell;
}

export interface GoalBinding {
    /** Team is bound (default true). */
    team?: boolean;
    period?: boolean;
    /** Baseline is bound (default true). */
    baseline?: boolean;
    /** Start date and Due date are bound (default true). */
    dates?: boolean;
    /** Direction is bound. */
    direction?: boolean;
    /** As of is bound. */
    asOf?: boolean;
    /** Improvement plan missing is bound. */
    planMissing?: boolean;
    actualFormat?: string;
    targetFormat?: string;
    baselineFormat?: string;
}

function column(
    role: string,
    displayName: string,
    extra: Partial<DataViewMetadataColumn> = {},
): DataViewMetadataColumn {
    return { displayName, queryName: `Model.${displayName}`, roles: { [role]: true }, ...extra };
}

/**
 * The categorical DataView Power BI sends for the goal view: Team, Goal (and Period) as category
 * columns, one row per combination present, and Actual, Target, Baseline, Start date and Due date
 * as measures with the model's format strings. Identity keys name the role and value
 * ("team=Service Desk"), so tests can assert selections.
 */
export function goalDataView(facts: GoalFact[], binding: GoalBinding = {}): DataView {
    const teamBound = binding.team ?? true;
    const baselineBound = binding.baseline ?? true;
    const datesBound = binding.dates ?? true;
    const builder = createCategoricalDataViewBuilder();
    if (teamBound) {
        const values = facts.map((fact) => fact.team);
        builder.withCategory({
            source: column("team", "TeamName", { type: { text: true } as powerbi.ValueTypeDescriptor }),
            values: cells(values),
            identityFrom: { fields: [], identities: values.map((value) => identityOf("team", value)) },
        });
    }
    const goals = facts.map((fact) => fact.goal);
    builder.withCategory({
        source: column("goal", "GoalName", { type: { text: true } as powerbi.ValueTypeDescriptor }),
        values: cells(goals),
        identityFrom: { fields: [], identities: goals.map((value) => identityOf("goal", value)) },
    });
    if (binding.period) {
        const periods = facts.map((fact) => fact.period ?? null);
        builder.withCategory({
            source: column("period", "Month", {
                type: { dateTime: true } as powerbi.ValueTypeDescriptor,
                format: "MMM yyyy",
            }),
            values: cells(periods),
            identityFrom: {
                fields: [],
                identities: periods.map((value) =>
                    identityOf("period", value instanceof Date ? value.toISOString().slice(0, 7) : value),
                ),
            },
        });
    }
    const measures: { source: DataViewMetadataColumn; values: Cell[] }[] = [
        {
            source: column("actual", "Goal Actual", { isMeasure: true, format: binding.actualFormat ?? "#,0.0" }),
            values: facts.map((fact) => fact.actual),
        },
        {
            source: column("target", "Goal Target", {
                isMeasure: true,
                format: binding.targetFormat ?? binding.actualFormat ?? "#,0.0",
            }),
            values: facts.map((fact) => fact.target ?? null),
        },
    ];
    if (baselineBound) {
        measures.push({
            source: column("baseline", "Goal Baseline", {
                isMeasure: true,
                format: binding.baselineFormat ?? binding.actualFormat ?? "#,0.0",
            }),
            values: facts.map((fact) => fact.baseline ?? null),
        });
    }
    if (datesBound) {
        measures.push({
            source: column("startDate", "Goal Start Date", { isMeasure: true, format: "yyyy-MM-dd" }),
            values: facts.map((fact) => (fact.start ?? null) as Cell),
        });
        measures.push({
            source: column("dueDate", "Goal Due Date", { isMeasure: true, format: "yyyy-MM-dd" }),
            values: facts.map((fact) => (fact.due ?? null) as Cell),
        });
    }
    if (binding.direction)
        measures.push({
            source: column("direction", "Goal Direction", { isMeasure: true }),
            values: facts.map((fact) => fact.direction ?? null),
        });
    if (binding.asOf)
        measures.push({
            source: column("asOf", "As of Date", { isMeasure: true, format: "yyyy-MM-dd" }),
            values: facts.map((fact) => (fact.asOf ?? null) as Cell),
        });
    if (binding.planMissing)
        measures.push({
            source: column("planMissing", "Improvement Plan Missing", { isMeasure: true, format: "0" }),
            values: facts.map((fact) => fact.planMissing ?? null),
        });
    builder.withValues({
        columns: measures.map((measure) => ({ source: measure.source, values: cells(measure.values) })),
    });
    const dataView = builder.build();

    // Dynamic format strings arrive per row in the value column's objects.
    if (facts.some((fact) => fact.format)) {
        for (const valueColumn of dataView.categorical?.values ?? []) {
            if (
                !valueColumn.source.roles?.actual &&
                !valueColumn.source.roles?.target &&
                !valueColumn.source.roles?.baseline
            )
                continue;
            valueColumn.objects = facts.map((fact) =>
                fact.format ? { general: { formatString: fact.format } } : {},
            ) as powerbi.DataViewObjects[];
        }
    }
    return dataView;
}
