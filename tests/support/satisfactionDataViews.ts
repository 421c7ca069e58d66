import powerbi from "powerbi-visuals-api";
import { createCategoricalDataViewBuilder } from "powerbi-visuals-utils-testutils";
import { Cell, identityOf } from "./dataViews";
import DataView = powerbi.DataView;
import PrimitiveValue = powerbi.PrimitiveValue;
import DataViewMetadataColumn = powerbi.DataViewMetadataColumn;

const cells = (values: Cell[]) => values as PrimitiveValue[];

/** Survey responses of one agency with one rating (in one period, for one service), before Power BI aggregates them. */
export interface SatisfactionFact {
    agency: string | null;
    /** A number, or numeric text as a text column sends it; anything else is bad input. */
    rating: Cell;
    period?: string | Date | null;
    service?: string | null;
    responses: Cell;
    /** The follow-up measures of these responses (bound with `followUps`). */
    open?: Cell;
    overdue?: Cell;
    /** Open Follow-up List text of these responses: "yyyy-mm-dd<TAB>service" lines. */
    openList?: string | null;
}

export interface SatisfactionBinding {
    period?: boolean;
    service?: boolean;
    /** Rating column type: whole numbers (default) or text. */
    ratingText?: boolean;
    responsesFormat?: string;
    /** Which follow-up wells are bound. */
    followUps?: ("open" | "overdue" | "list")[];
    /**
     * The Statewide responses well: the model's count of each rating (index 0 is rating 1),
     * carried by every cell of that rating, as the reference measure keeping Rating gives it.
     */
    statewide?: Cell[];
}

function column(
    role: string,
    displayName: string,
    extra: Partial<DataViewMetadataColumn> = {},
): DataViewMetadataColumn {
    return { displayName, queryName: `Model.${displayName}`, roles: { [role]: true }, ...extra };
}

function addCount(total: Cell | undefined, count: Cell): Cell {
    if (total === undefined || total === null) return count;
    if (typeof total !== "number" || typeof count !== "number") return count ?? total;
    return total + count;
}

const keyOf = (value: Cell | Date | undefined) => (value instanceof Date ? value.getTime() : (value ?? null));

/**
 * The categorical DataView Power BI sends for the satisfaction view: one category column each for
 * Agency, Rating (and Period), one row per combination present, and the Responses measure,
 * grouped by Service when it is bound.
 */
export function satisfactionDataView(facts: SatisfactionFact[], binding: SatisfactionBinding = {}): DataView {
    interface Row {
        agency: string | null;
        rating: Cell;
        period: string | Date | null;
        counts: Map<string | null, Cell>;
        open: Map<string | null, Cell>;
        overdue: Map<string | null, Cell>;
        list: Map<string | null, string | null>;
    }
    const rowsByKey = new Map<string, Row>();
    const services: (string | null)[] = [];
    for (const fact of facts) {
        const period = binding.period ? (fact.period ?? null) : null;
        const key = JSON.stringify([fact.agency, keyOf(fact.rating), keyOf(period)]);
        let row = rowsByKey.get(key);
        if (!row) {
            row = {
                agency: fact.agency,
                rating: fact.rating,
                period,
                counts: new Map(),
                open: new Map(),
                overdue: new Map(),
                list: new Map(),
            };
            rowsByKey.set(key, row);
        }
        const service = binding.service ? (fact.service ?? null) : null;
        if (!services.includes(service)) services.push(service);
        row.counts.set(service, addCount(row.counts.get(service), fact.responses));
        if (fact.open !== undefined) row.open.set(service, addCount(row.open.get(service), fact.open));
        if (fact.overdue !== undefined) row.overdue.set(service, addCount(row.overdue.get(service), fact.overdue));
        if (fact.openList) {
            const before = row.list.get(service);
            row.list.set(service, before ? `${before}\n${fact.openList}` : fact.openList);
        }
    }
    const rows = [...rowsByKey.values()];

    const builder = createCategoricalDataViewBuilder();
    const agencyValues = rows.map((row) => row.agency);
    builder.withCategory({
        source: column("agency", "AgencyName", { type: { text: true } as powerbi.ValueTypeDescriptor }),
        values: cells(agencyValues),
        identityFrom: { fields: [], identities: agencyValues.map((value) => identityOf("agency", value)) },
    });
    const ratingValues = rows.map((row) => row.rating);
    builder.withCategory({
        source: column("rating", "Rating", {
            type: (binding.ratingText
                ? { text: true }
                : { numeric: true, integer: true }) as powerbi.ValueTypeDescriptor,
        }),
        values: cells(ratingValues),
        identityFrom: { fields: [], identities: ratingValues.map((value) => identityOf("rating", value)) },
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
    const responses = column("responses", "Responses", { isMeasure: true, format: binding.responsesFormat ?? "#,0" });
    const measures: { source: DataViewMetadataColumn; of: (row: Row, service: string | null) => Cell }[] = [
        { source: responses, of: (row, service) => row.counts.get(service) ?? null },
    ];
    const wells = binding.followUps ?? [];
    if (wells.includes("open"))
        measures.push({
            source: column("openFollowUps", "Open Follow-ups", { isMeasure: true, format: "#,0" }),
            of: (row, service) => row.open.get(service) ?? null,
        });
    if (wells.includes("overdue"))
        measures.push({
            source: column("overdueFollowUps", "Overdue Follow-ups", { isMeasure: true, format: "#,0" }),
            of: (row, service) => row.overdue.get(service) ?? null,
        });
    if (wells.includes("list"))
        measures.push({
            source: column("openFollowUpList", "Open Follow-up List", { isMeasure: true }),
            of: (row, service) => row.list.get(service) ?? null,
        });
    const statewide = binding.statewide;
    if (statewide)
        measures.push({
            source: column("statewideResponses", "Statewide Responses Reference", { isMeasure: true, format: "#,0" }),
            of: (row) => (typeof row.rating === "number" ? (statewide[row.rating - 1] ?? null) : null),
        });
    if (binding.service) {
        builder.withGroupedValues({
            groupColumn: {
                source: column("service", "Service Model"),
                values: cells(services),
                identityFrom: { fields: [], identities: services.map((value) => identityOf("service", value)) },
            },
            valueColumns: measures.map((m) => ({ source: m.source })),
            data: services.map((service) =>
                measures.map((m) => ({ values: cells(rows.map((row) => m.of(row, service))) })),
            ),
        });
    } else {
        builder.withValues({
            columns: measures.map((m) => ({ source: m.source, values: cells(rows.map((row) => m.of(row, null))) })),
        });
    }
    return builder.build();
}
