import powerbi from "powerbi-visuals-api";
import { createCategoricalDataViewBuilder } from "powerbi-visuals-utils-testutils";
import { Cell, identityOf } from "./dataViews";
import DataView = powerbi.DataView;
import PrimitiveValue = powerbi.PrimitiveValue;

/** Any set of bound roles, as a categorical DataView of the visual's single mapping. */
export interface DataViewSpec {
    categories: { role: string; values: Cell[] }[];
    /** Service values when Service is bound (one series each). */
    series?: Cell[];
    measures: { role: string; format?: string; values: Cell[][] /* per series, per row */ }[];
    objects?: powerbi.DataViewObjects;
}

const cells = (values: Cell[]) => values as PrimitiveValue[];

export function dataViewFromSpec(spec: DataViewSpec): DataView {
    const builder = createCategoricalDataViewBuilder();
    for (const category of spec.categories) {
        builder.withCategory({
            source: { displayName: category.role, queryName: `T.${category.role}`, roles: { [category.role]: true } },
            values: cells(category.values),
            identityFrom: { fields: [], identities: category.values.map((value) => identityOf(category.role, value)) },
        });
    }
    const measureSources = spec.measures.map((measure) => ({
        source: {
            displayName: measure.role,
            queryName: `T.${measure.role}`,
            roles: { [measure.role]: true },
            isMeasure: true,
            format: measure.format,
        },
    }));
    if (spec.series) {
        builder.withGroupedValues({
            groupColumn: {
                source: { displayName: "service", queryName: "T.service", roles: { service: true } },
                values: cells(spec.series),
                identityFrom: { fields: [], identities: spec.series.map((value) => identityOf("service", value)) },
            },
            valueColumns: measureSources,
            data: spec.series.map((_, seriesIndex) =>
                spec.measures.map((measure) => ({ values: cells(measure.values[seriesIndex] ?? []) })),
            ),
        });
    } else if (spec.measures.length > 0) {
        builder.withValues({
            columns: spec.measures.map((measure, index) => ({
                ...measureSources[index],
                values: cells(measure.values[0] ?? []),
            })),
        });
    }
    const dataView = builder.build();
    if (spec.objects) dataView.metadata.objects = spec.objects;
    return dataView;
}
