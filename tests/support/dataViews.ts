import powerbi from "powerbi-visuals-api";
import { createCategoricalDataViewBuilder } from "powerbi-visuals-utils-testutils";
import DataView = powerbi.DataView;
import PrimitiveValue = powerbi.PrimitiveValue;
import DataViewMetadataColumn = powerbi.DataViewMetadataColumn;

/** A cell as Power BI sends it: the API's PrimitiveValue type leaves out null, but blanks arrive as null. */
export type Cell = PrimitiveValue | null;
const cells = (values: Cell[]) => values as PrimitiveValue[];

/** One invoice-level fact, before Power BI aggregates it for the bound fields. */
export interface CostFact {
    agency: string | null;
    service?: string | null;
    period?: string | Date | null;
    cost: Cell;
    /** The agency's headcount for the period (a per-agency figure, unrelated to service). */
    users?: Cell;
    /** Of the cost, what falls in months without a headcount (the Cost without headcount well). */
    uncoveredCost?: Cell;
}

export interface CostBinding {
    service?: boolean;
    period?: boolean;
    users?: boolean;
    /** The Cost without headcount well is bound. */
    uncoveredCost?: boolean;
    costFormat?: string;
    usersFormat?: string;
    /**
     * The Reference well bound to a page-level measure: Power BI evaluates it in every cell (agency
     * x period x service) and, written with ALLSELECTED, each cell carries this same value.
     */
    reference?: Cell;
}

/** An identity whose key names the role and value, so tests can assert what was selected. */
export function identityOf(role: string, value: Cell): powerbi.visuals.CustomVisualOpaqueIdentity {
    return {
        key: `${role}=${String(value)}`,
        expr: {},
        kind: 0,
    } as unknown as powerbi.visuals.CustomVisualOpaqueIdentity;
}

function column(
    role: string,
    displayName: string,
    extra: Partial<DataViewMetadataColumn> = {},
): DataViewMetadataColumn {
    return { displayName, queryName: `Model.${displayName}`, roles: { [role]: true }, ...extra };
}

interface Row {
    agency: string | null;
    period: string | Date | null;
    users: Cell;
    costByService: Map<string | null, Cell>;
    uncoveredByService: Map<string | null, Cell>;
}

function addCost(total: Cell | undefined, cost: Cell): Cell {
    if (total === undefined) return cost;
    if (typeof total !== "number") return total; // text stays text, as a text measure would
    if (typeof cost !== "number") return cost ?? total;
    return total + cost;
}

/**
 * Builds the categorical DataView Power BI sends for the cost view's bound fields: one row per
 * agency (and period), one series per service, cost summed, and the headcount repeated on every
 * service of the agency and period, as a measure unrelated to services is.
 */
export function costDataView(facts: CostFact[], binding: CostBinding = {}): DataView {
    const rowsByKey = new Map<string, Row>();
    const services: (string | null)[] = [];
    for (const fact of facts) {
        const period = binding.period ? (fact.period ?? null) : null;
        const key = JSON.stringify([fact.agency, period instanceof Date ? period.getTime() : period]);
        let row = rowsByKey.get(key);
        if (!row) {
            row = {
                agency: fact.agency,
                period,
                users: fact.users ?? null,
                costByService: new Map(),
                uncoveredByService: new Map(),
            };
            rowsByKey.set(key, row);
        }
        const service = binding.service ? (fact.service ?? null) : null;
        if (!services.includes(service)) services.push(service);
        row.costByService.set(service, addCost(row.costByService.get(service), fact.cost));
        if (binding.uncoveredCost)
            row.uncoveredByService.set(
                service,
                addCost(row.uncoveredByService.get(service), fact.uncoveredCost ?? null),
            );
    }
    const rows = [...rowsByKey.values()];

    const builder = createCategoricalDataViewBuilder();
    const agencyValues = rows.map((row) => row.agency);
    builder.withCategory({
        source: column("agency", "Agency", { type: { text: true } as powerbi.ValueTypeDescriptor }),
        values: cells(agencyValues),
        identityFrom: { fields: [], identities: agencyValues.map((value) => identityOf("agency", value)) },
    });
    if (binding.period) {
        const periodValues = rows.map((row) => row.period);
        builder.withCategory({
            source: column("period", "Month", {
                type: { dateTime: true } as powerbi.ValueTypeDescriptor,
                format: "MMM yyyy",
            }),
            values: cells(periodValues),
            identityFrom: { fields: [], identities: periodValues.map((value) => identityOf("period", value)) },
        });
    }
    const measureColumns = [
        column("cost", "Billed Cost", {
            isMeasure: true,
            format: binding.costFormat ?? "\\$#,0.00;(\\$#,0.00);\\$#,0.00",
        }),
    ];
    if (binding.users)
        measureColumns.push(column("users", "User Months", { isMeasure: true, format: binding.usersFormat ?? "#,0" }));
    if (binding.uncoveredCost)
        measureColumns.push(
            column("uncoveredCost", "Cost without Headcount", {
                isMeasure: true,
                format: binding.costFormat ?? "\\$#,0.00;(\\$#,0.00);\\$#,0.00",
            }),
        );
    const referenceBound = binding.reference !== undefined;
    if (referenceBound)
        measureColumns.push(
            column("reference", "Statewide Cost per User Reference", { isMeasure: true, format: "\\$#,0.00" }),
        );
    const seriesData = services.map((service) => {
        const data = [{ values: cells(rows.map((row) => row.costByService.get(service) ?? null)) }];
        if (binding.users) data.push({ values: cells(rows.map((row) => row.users)) });
        if (binding.uncoveredCost)
            data.push({ values: cells(rows.map((row) => row.uncoveredByService.get(service) ?? null)) });
        if (referenceBound) data.push({ values: cells(rows.map(() => binding.reference ?? null)) });
        return data;
    });

    if (binding.service) {
        builder.withGroupedValues({
            groupColumn: {
                source: column("service", "Service Model"),
                values: cells(services),
                identityFrom: { fields: [], identities: services.map((value) => identityOf("service", value)) },
            },
            valueColumns: measureColumns.map((source) => ({ source })),
            data: seriesData,
        });
    } else {
        builder.withValues({
            columns: measureColumns.map((source, index) => ({ source, values: seriesData[0][index].values })),
        });
    }
    return builder.build();
}
