import powerbi from "powerbi-visuals-api";
import { valueFormatter } from "powerbi-visuals-utils-formattingutils";
import { CostRow, isFiniteNumber, summarizeCost } from "./costRules";
import { exactFormatter, labelFormatter, percentChangeFormatter, shareFormatter } from "./format";
import { Role, RoleTable, Series, toLabel, toNumber } from "./roles";
import { TooltipFields, TooltipItem } from "./tooltipFields";
import { Localize } from "./strings";
import PrimitiveValue = powerbi.PrimitiveValue;

export type CostMeasureSetting = "auto" | "costPerUser" | "totalCost";
export type CostMeasure = "costPerUser" | "totalCost";
export type CostSort = "value" | "name" | "model";

export interface CostSettings {
    measure: CostMeasureSetting;
    sort: CostSort;
    displayUnits: number;
    decimals: number | null;
}

export interface CostContext {
    locale: string;
    localize: Localize;
    /** The host palette's color for a service (stable per name). */
    paletteColor(service: string): string;
}

export interface ServiceLegendItem {
    name: string;
    color: string;
    /** Index of the service's series in the DataView, for its selector in the Format pane. */
    seriesIndex: number;
}

/** A piece of a bar: one service's share, stacked outward from zero (positives right, credits left). */
export interface BarSegment {
    service: string;
    color: string;
    value: number;
    start: number;
    end: number;
}

export interface TrendPoint {
    period: string;
    value: number | null;
}

export type { TooltipItem };

export interface CostBar {
    key: string;
    name: string;
    /** A category row of this agency, for its selection identity. */
    row: number;
    value: number | null;
    valueText: string;
    segments: BarSegment[];
    /** The cross-highlighted part of each segment, when another visual highlights; else null. */
    highlights: BarSegment[] | null;
    trend: TrendPoint[];
    change: number | null;
    changeText: string;
    tooltip: TooltipItem[];
}

export interface CostViewModel {
    kind: "cost";
    measure: CostMeasure;
    bars: CostBar[];
    services: ServiceLegendItem[];
    reference: { value: number | null; label: string };
    /** The value axis: always includes zero, the bars' stacked extents and the reference. */
    domain: [number, number];
    hasTrend: boolean;
    /** Another visual cross-highlights: bars draw the highlighted part and dim the rest. */
    hasHighlights: boolean;
    notes: string[];
}

interface PeriodInfo {
    key: string;
    label: string;
    sortValue: number | null;
    firstSeen: number;
}

function periodKeyOf(value: PrimitiveValue | undefined): { key: string; sortValue: number | null } {
    if (value instanceof Date) return { key: String(value.getTime()), sortValue: value.getTime() };
    if (typeof value === "number") return { key: String(value), sortValue: value };
    return { key: value === null || value === undefined ? "" : String(value), sortValue: null };
}

function serviceColor(series: Series, name: string, context: CostContext): string {
    const fill = series.objects?.serviceColors?.fill as { solid?: { color?: string } } | undefined;
    return fill?.solid?.color ?? context.paletteColor(name);
}

/** Positive pieces stack right from zero and negative pieces left, so credits never hide charges. */
function stackDiverging(pieces: { service: string; color: string; value: number }[]): BarSegment[] {
    let positive = 0;
    let negative = 0;
    return pieces.map((piece) => {
        const start = piece.value >= 0 ? positive : negative;
        const end = start + piece.value;
        if (piece.value >= 0) positive = end;
        else negative = end;
        return { ...piece, start, end };
    });
}

export function buildCostModel(table: RoleTable, settings: CostSettings, context: CostContext): CostViewModel {
    const { localize, locale } = context;
    const agencyColumn = table.category(Role.agency);
    const periodColumn = table.category(Role.period);
    const usersBound = table.bound.has(Role.users);
    const notes: string[] = [];

    let measure: CostMeasure = settings.measure === "auto" ? (usersBound ? "costPerUser" : "totalCost") : settings.measure;
    if (measure === "costPerUser" && !usersBound) {
        measure = "totalCost";
        notes.push(localize("Note_BindUsers"));
    }

    const blank = localize("Blank");
    const services: ServiceLegendItem[] = [];
    const serviceNames = table.series.map((series) => {
        const name = series.name === null ? "" : toLabel(series.name, blank);
        if (series.name !== null) services.push({ name, color: serviceColor(series, name, context), seriesIndex: series.index });
        return name;
    });

    const colorByService = new Map(services.map((item) => [item.name, item.color]));

    // Flatten the DataView into one row per agency, period and service.
    const firstRow = new Map<string, number>();
    const periods = new Map<string, PeriodInfo>();
    const rows: CostRow[] = [];
    const highlightRows: CostRow[] = [];
    const hasHighlights = table.series.some((series) => Array.isArray(series.measure(Role.cost)?.highlights));
    const extraTooltips = new TooltipFields(table, locale);
    const periodFormat = periodColumn?.source.format;
    for (let row = 0; row < table.rowCount; row++) {
        const agency = toLabel(agencyColumn?.values[row], blank);
        if (!firstRow.has(agency)) firstRow.set(agency, row);
        extraTooltips.read(agency, row);
        let period = "";
        if (periodColumn) {
            const raw = periodColumn.values[row];
            const { key, sortValue } = periodKeyOf(raw);
            period = key;
            if (!periods.has(key)) {
                const label = raw === null || raw === undefined ? blank : valueFormatter.format(raw, periodFormat, false, locale);
                periods.set(key, { key, label, sortValue, firstSeen: periods.size });
            }
        }
        for (const series of table.series) {
            const costColumn = series.measure(Role.cost);
            const users = toNumber(series.measure(Role.users)?.values[row]);
            const service = serviceNames[series.index];
            rows.push({ agency, period, service, cost: toNumber(costColumn?.values[row]), users });
            if (hasHighlights) highlightRows.push({ agency, period, service, cost: toNumber(costColumn?.highlights?.[row]), users });
        }
    }
    const summary = summarizeCost(rows);
    // Highlighted costs are divided by the agency's full headcount: a highlight selects costs, not users.
    const highlighted = hasHighlights ? summarizeCost(highlightRows) : null;

    // Periods in time order when they are dates or numbers, else in the model's order.
    const orderedPeriods = [...periods.values()].sort((a, b) =>
        a.sortValue !== null && b.sortValue !== null ? a.sortValue - b.sortValue : a.firstSeen - b.firstSeen);
    const hasTrend = orderedPeriods.length > 1;

    const costFormat = table.column(Role.cost)?.format;
    const exactCost = exactFormatter(costFormat, locale);
    const exactUsers = exactFormatter(table.column(Role.users)?.format ?? "#,0.#", locale);
    const percentChange = percentChangeFormatter(locale);
    const share = shareFormatter(locale);

    const referenceValue = measure === "costPerUser"
        ? summary.statewide.costPerUser
        : (summary.agencies.size > 0 ? summary.statewide.cost / summary.agencies.size : null);

    const bars = [...summary.agencies.values()].map((agency) => {
        const divisor = measure === "costPerUser" ? agency.averageUsers : 1;
        const usable = divisor !== null && divisor > 0;
        const value = measure === "costPerUser" ? agency.costPerUser : agency.cost;
        const piecesOf = (serviceCost: Map<string, number>) => usable
            ? [...serviceCost].filter(([, cost]) => cost !== 0).map(([service, cost]) => ({
                service,
                color: colorByService.get(service) ?? "",
                value: cost / divisor,
            }))
            : [];
        const pieces = piecesOf(agency.serviceCost);
        const highlightedAgency = highlighted?.agencies.get(agency.name);
        const trend = orderedPeriods.map((period) => {
            const figures = agency.periods.get(period.key);
            if (!figures) return { period: period.label, value: null };
            const periodValue = measure === "costPerUser"
                ? (figures.users !== null && figures.users > 0 ? figures.cost / figures.users : null)
                : figures.cost;
            return { period: period.label, value: periodValue };
        });
        const latest = trend.length > 1 ? trend[trend.length - 1].value : null;
        const previous = trend.length > 1 ? trend[trend.length - 2].value : null;
        const change = latest !== null && previous !== null && previous !== 0 ? (latest - previous) / Math.abs(previous) : null;

        const tooltip: TooltipItem[] = [
            { displayName: localize("Tooltip_Agency"), value: agency.name },
            { displayName: localize("Tooltip_TotalCost"), value: exactCost(agency.cost) },
        ];
        if (usersBound) {
            tooltip.push({ displayName: localize("Tooltip_Users"), value: exactUsers(agency.averageUsers) || localize("Blank") });
            tooltip.push({ displayName: localize("Tooltip_CostPerUser"), value: agency.costPerUser === null ? localize("Note_NoUsers") : exactCost(agency.costPerUser) });
        }
        for (const [service, cost] of agency.serviceCost) {
            if (service === "") continue;
            const serviceShare = agency.cost !== 0 ? cost / agency.cost : null;
            tooltip.push({ displayName: service, value: serviceShare === null ? exactCost(cost) : `${exactCost(cost)} (${share(serviceShare)})` });
        }
        if (value !== null && referenceValue !== null && referenceValue !== 0) {
            tooltip.push({ displayName: localize("Tooltip_VsStatewide"), value: percentChange((value - referenceValue) / Math.abs(referenceValue)) });
        }
        if (change !== null) tooltip.push({ displayName: localize("Tooltip_Change"), value: percentChange(change) });
        tooltip.push(...extraTooltips.itemsFor(agency.name, localize("Tooltip_Varies")));

        return {
            key: agency.name,
            name: agency.name,
            row: firstRow.get(agency.name) ?? 0,
            value,
            valueText: "",
            segments: stackDiverging(pieces),
            highlights: highlighted ? stackDiverging(piecesOf(highlightedAgency?.serviceCost ?? new Map())) : null,
            trend,
            change,
            changeText: change === null ? "" : percentChange(change),
            tooltip,
        };
    });

    sortBars(bars, settings.sort, locale);

    let low = 0;
    let high = 0;
    let largestAbs = 0;
    for (const bar of bars) {
        for (const segment of bar.segments) {
            low = Math.min(low, segment.start, segment.end);
            high = Math.max(high, segment.start, segment.end);
        }
        if (bar.value !== null) {
            low = Math.min(low, bar.value);
            high = Math.max(high, bar.value);
            largestAbs = Math.max(largestAbs, Math.abs(bar.value));
        }
    }
    if (isFiniteNumber(referenceValue)) {
        low = Math.min(low, referenceValue);
        high = Math.max(high, referenceValue);
    }

    const formatLabel = labelFormatter({ formatString: costFormat, displayUnits: settings.displayUnits, decimals: settings.decimals, locale }, largestAbs);
    for (const bar of bars) bar.valueText = formatLabel(bar.value);
    const referenceName = measure === "costPerUser" ? localize("Statewide") : localize("Agency_Average");

    return {
        kind: "cost",
        measure,
        bars,
        services,
        reference: { value: referenceValue, label: referenceValue === null ? "" : `${referenceName} ${formatLabel(referenceValue)}` },
        domain: [low, high],
        hasTrend,
        hasHighlights,
        notes,
    };
}

function sortBars(bars: CostBar[], sort: CostSort, locale: string): void {
    if (sort === "model") return;
    const collator = new Intl.Collator(locale, { numeric: true, sensitivity: "base" });
    if (sort === "name") {
        bars.sort((a, b) => collator.compare(a.name, b.name));
        return;
    }
    // Largest first; agencies without a value go last, in name order.
    bars.sort((a, b) => {
        if (a.value === null || b.value === null) {
            return a.value === null && b.value === null ? collator.compare(a.name, b.name) : a.value === null ? 1 : -1;
        }
        return b.value - a.value || collator.compare(a.name, b.name);
    });
}
