import powerbi from "powerbi-visuals-api";
import { valueFormatter } from "powerbi-visuals-utils-formattingutils";
import { AgencyCosts, CostAccumulator, costPerUser, CostSummary, isFiniteNumber } from "./costRules";
import { drawableRatio, isTooLarge } from "./drawable";
import { fill, nameCollator, nameList, orderByValueDescending } from "./modelHelpers";
import { distinctColors } from "./colorVision";
import { exactFormatter, Formatter, labelFormatter, percentChangeFormatter, shareFormatter } from "./format";
import { Role, RoleTable, Series, toLabel, toNumber } from "./roles";
import { comparePeriods, LabeledPeriod as PeriodInfo, periodKeyOf } from "./periods";
import { costUnitWords } from "./rowLabels";
import { TooltipFields, TooltipItem } from "./tooltipFields";
import { pageFigure } from "./reference";
import { Localize } from "./strings";
import {
    ChangeDirection,
    changeTone,
    ChangeTone,
    CostHeaders,
    costHeaders,
    directionalChange,
    periodGrain,
    servicesByTotal,
} from "./costColumns";
import PrimitiveValue = powerbi.PrimitiveValue;

export type CostMeasureSetting = "auto" | "costPerUser" | "totalCost";
export type CostMeasure = "costPerUser" | "totalCost";
export type CostSort = "value" | "name" | "model";

export interface CostSettings {
    measure: CostMeasureSetting;
    sort: CostSort;
    displayUnits: number;
    decimals: number | null;
    /** Whether a rise is good or bad news; neutral (the default) colors neither. */
    changeDirection?: ChangeDirection;
}

export interface CostContext {
    locale: string;
    localize: Localize;
    /** The host palette's color for a service (stable per name). */
    paletteColor(service: string): string;
    /** Further theme colors, for a service whose own is too close to another's. */
    spareColors?(): string[];
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
    /** The value over the agency's own average across periods (1 = average), for the sparkline. */
    relative?: number | null;
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
    /** The change with its direction ("▲ 1.8%"). */
    changeText: string;
    changeTone: ChangeTone;
    /** The value against the reference line's figure, as a fraction of it (0.05 = 5% above). */
    versus: number | null;
    /** Signed, "+5.0%". */
    versusText: string;
    tooltip: TooltipItem[];
}

/** The key of the statewide item, as the satisfaction view's statewide row has: no agency's. */
export const REFERENCE_KEY = "";

/** The statewide line's figure, and what its item in the pinned band says and shows as its tooltip. */
export interface CostReference {
    key: typeof REFERENCE_KEY;
    value: number | null;
    /** "Statewide" for the model's figure, else "Average of agencies shown". */
    name: string;
    /** The figure as the value labels show it. */
    valueText: string;
    /** The name and the figure, as drawn beside the line. */
    label: string;
    isStatewide: boolean;
    tooltip: TooltipItem[];
}

export interface CostViewModel {
    kind: "cost";
    measure: CostMeasure;
    bars: CostBar[];
    services: ServiceLegendItem[];
    /** The line: the model's statewide figure when the Reference well is bound (isStatewide), else the agencies shown's. */
    reference: CostReference;
    /** The value axis: always includes zero, the bars' stacked extents and the reference. */
    domain: [number, number];
    hasTrend: boolean;
    /**
     * One scale for every sparkline, of values relative to each agency's own average: a 5% swing
     * looks the same in a large and a small agency's row. Null without values.
     */
    trendDomain: [number, number] | null;
    /** Another visual cross-highlights: bars draw the highlighted part and dim the rest. */
    hasHighlights: boolean;
    notes: string[];
    /** The header band's words for each column. */
    headers: CostHeaders;
    /** The largest distance from the reference of any bar, for the "vs statewide" bars' scale; 0 without any. */
    versusExtent: number;
    /** The value labels' formatter, one precision for the column: for an axis when labels are off. */
    formatValue: Formatter;
}

/** A service's color: the one chosen in the Format pane, else the theme's. */
function serviceColor(series: Series, name: string, context: CostContext): { preferred: string; chosen: boolean } {
    const fill = series.objects?.serviceColors?.fill as { solid?: { color?: string } } | undefined;
    const chosen = fill?.solid?.color;
    return chosen ? { preferred: chosen, chosen: true } : { preferred: context.paletteColor(name), chosen: false };
}

const NO_TREND: TrendPoint[] = [];

/** How far a bar's stack reaches: its positive and its negative end. */
interface StackEnds {
    positive: number;
    negative: number;
}

/**
 * An agency's services stacked outward from zero, positives right and credits left, so credits
 * never hide charges. Cost per user stacks each service's cost of the months with a headcount,
 * annualised over the agency's user-months; a piece too small to divide leaves the bar empty
 * (false). Services stack in `order` (indices), the same in every bar; `piece` gets each one, and
 * `ends` is where the stack reaches, so the axis is known without making a bar's pieces.
 */
function walkStack(
    agencies: AgencyCosts,
    agency: number,
    perUser: boolean,
    userMonths: number | null,
    order: readonly number[],
    ends: StackEnds,
    piece?: (service: number, value: number, start: number, end: number) => void,
): boolean {
    let positive = 0;
    let negative = 0;
    for (let at = 0; at < order.length; at++) {
        const service = order[at];
        const cost = perUser ? agencies.serviceCoveredCost(agency, service) : agencies.serviceCost(agency, service);
        if (cost === 0) continue;
        const value = perUser ? costPerUser(cost, userMonths) : cost;
        if (value === null) return false;
        const start = value >= 0 ? positive : negative;
        const end = start + value;
        if (value >= 0) positive = end;
        else negative = end;
        piece?.(service, value, start, end);
    }
    ends.positive = positive;
    ends.negative = negative;
    return true;
}

/** A bar's pieces, as walkStack stacks them; none when a piece is too small to divide. */
function stackServices(
    agencies: AgencyCosts,
    agency: number,
    perUser: boolean,
    services: readonly string[],
    colors: readonly string[],
    userMonths: number | null,
    order: readonly number[],
): BarSegment[] {
    const segments: BarSegment[] = [];
    const stacked = walkStack(
        agencies,
        agency,
        perUser,
        userMonths,
        order,
        { positive: 0, negative: 0 },
        (service, value, start, end) =>
            segments.push({ service: services[service], color: colors[service], value, start, end }),
    );
    return stacked ? segments : [];
}

/** What the rows add up to: every agency's figures (and their highlighted part), the periods, and what was too large. */
interface CostRows {
    summary: CostSummary;
    highlighted: CostSummary | null;
    hasHighlights: boolean;
    orderedPeriods: PeriodInfo[];
    /** Costs and headcounts too large to draw, by agency: left out of the sums, named in a note and the tooltip. */
    tooLarge: Map<string, number>;
    extraTooltips: TooltipFields;
}

/**
 * Adds up the DataView: one category row per agency and period, one cell per service. Agencies
 * and periods are looked up by their raw value, so 30,000 rows make no per-cell objects. A
 * function of its own, as barFigures is: a loop run once per update is optimized where it runs
 * (on-stack replacement), and in a long function the code after it then lacks type feedback.
 */
function addUpRows(table: RoleTable, serviceNames: readonly string[], blank: string, locale: string): CostRows {
    const agencyColumn = table.category(Role.agency);
    const periodColumn = table.category(Role.period);
    const periods = new Map<string, PeriodInfo>();
    const periodByRaw = new Map<PrimitiveValue | null | undefined, PeriodInfo>();
    const agencyByRaw = new Map<PrimitiveValue | null | undefined, number>();
    const costCells = table.series.map((series) => series.measure(Role.cost)?.values);
    const userCells = table.series.map((series) => series.measure(Role.users)?.values);
    const uncoveredCells = table.series.map((series) => series.measure(Role.uncoveredCost)?.values);
    const highlightCells = table.series.map((series) => series.measure(Role.cost)?.highlights);
    const hasHighlights = highlightCells.some(Array.isArray);
    // Without Period, a row is an agency (services are columns): room for every row at once.
    const expectedAgencies = periodColumn ? 0 : table.rowCount;
    const accumulator = new CostAccumulator(serviceNames, expectedAgencies);
    // Highlighted costs are divided by the agency's full headcount: a highlight selects costs, not users.
    const highlightAccumulator = hasHighlights ? new CostAccumulator(serviceNames, expectedAgencies) : null;
    // Both number services alike: in series order.
    const serviceOfSeries = serviceNames.map((name) => accumulator.service(name));
    const extraTooltips = new TooltipFields(table, locale);
    const periodFormat = periodColumn?.source.format;
    const noPeriod: PeriodInfo = { key: "", label: "", sortValue: null, firstSeen: 0 };
    // Costs and headcounts too large to draw, by agency: left out of the sums, named in a note and the tooltip.
    const tooLarge = new Map<string, number>();
    for (let row = 0; row < table.rowCount; row++) {
        const rawAgency = agencyColumn?.values[row];
        let agency: number | undefined;
        // A name is its own label: looked up once, by the accumulator; other values are labelled once.
        if (typeof rawAgency === "string" && rawAgency !== "") agency = accumulator.agency(rawAgency, row);
        else {
            agency = agencyByRaw.get(rawAgency);
            if (agency === undefined) {
                agency = accumulator.agency(toLabel(rawAgency, blank), row);
                agencyByRaw.set(rawAgency, agency);
            }
        }
        const agencyName = accumulator.name(agency);
        extraTooltips.read(agencyName, row);
        let periodInfo = noPeriod;
        if (periodColumn) {
            const raw = periodColumn.values[row];
            const rawKey = raw instanceof Date ? raw.getTime() : raw;
            let known = periodByRaw.get(rawKey);
            if (!known) {
                const { key, sortValue } = periodKeyOf(raw);
                known = periods.get(key);
                if (!known) {
                    const label =
                        raw === null || raw === undefined
                            ? blank
                            : valueFormatter.format(raw, periodFormat, false, locale);
                    known = { key, label, sortValue, firstSeen: periods.size };
                    periods.set(key, known);
                }
                periodByRaw.set(rawKey, known);
            }
            periodInfo = known;
        }
        const period = accumulator.period(agency, periodInfo.key);
        const highlightAgency = highlightAccumulator?.agency(agencyName);
        const highlightPeriod =
            highlightAgency !== undefined ? highlightAccumulator?.period(highlightAgency, periodInfo.key) : undefined;
        // The row's headcount first (repeated on every service), so each cost cell knows whether
        // its month counts toward cost per user.
        for (let series = 0; series < userCells.length; series++)
            accumulator.addUsers(period, toNumber(userCells[series]?.[row]));
        const rowUsers = accumulator.users(period);
        if (highlightPeriod !== undefined) highlightAccumulator?.addUsers(highlightPeriod, rowUsers);
        for (let series = 0; series < costCells.length; series++) {
            if (isTooLarge(costCells[series]?.[row]) || isTooLarge(userCells[series]?.[row]))
                tooLarge.set(agencyName, (tooLarge.get(agencyName) ?? 0) + 1);
            const uncovered = toNumber(uncoveredCells[series]?.[row]);
            accumulator.addCost(
                agency,
                period,
                serviceOfSeries[series],
                toNumber(costCells[series]?.[row]),
                rowUsers,
                uncovered,
            );
            if (highlightAccumulator && highlightAgency !== undefined && highlightPeriod !== undefined) {
                highlightAccumulator.addCost(
                    highlightAgency,
                    highlightPeriod,
                    serviceOfSeries[series],
                    toNumber(highlightCells[series]?.[row]),
                    rowUsers,
                );
            }
        }
    }
    return {
        summary: accumulator.summarize(),
        highlighted: highlightAccumulator?.summarize() ?? null,
        hasHighlights,
        // Periods in time order when they are dates or numbers, else in the model's order.
        orderedPeriods: [...periods.values()].sort(comparePeriods),
        tooLarge,
        extraTooltips,
    };
}

/** Every service's cost over all agencies, by service index. */
function totalsByService(agencies: AgencyCosts, services: number): number[] {
    const totals: number[] = [];
    for (let service = 0; service < services; service++) totals.push(0);
    // Loops over every agency are indexed: run once per update, they seldom get optimized, and an
    // unoptimized iterator makes a result object for each of 30,000 agencies.
    for (let agency = 0; agency < agencies.count; agency++) {
        for (let service = 0; service < services; service++) {
            const cost = agencies.serviceCost(agency, service);
            if (Number.isFinite(cost)) totals[service] += cost;
        }
    }
    return totals;
}

/** Each agency's bar figures by agency index (NaN where none), and how far the axes reach. */
interface BarFigures {
    values: Float64Array;
    hasValue: Uint8Array;
    versus: Float64Array;
    changes: Float64Array | null;
    trends: TrendPoint[][] | null;
    low: number;
    high: number;
    largestAbs: number;
    versusExtent: number;
    trendLow: number;
    trendHigh: number;
    /** Agencies whose positive headcount is too small to divide by, for cost per user. */
    usersTooSmall: string[];
}

interface BarRules {
    perUser: boolean;
    usersBound: boolean;
    referenceValue: number | null;
    /** The periods in time order, when there are several (a trend); else null. */
    periods: readonly PeriodInfo[] | null;
    stackOrder: readonly number[];
}

/**
 * The bars' figures: a bar is an agency's index into them, and makes its texts and pieces when
 * first read. 30,000 agencies draw a few dozen bars.
 */
function barFigures(agencies: AgencyCosts, rules: BarRules): BarFigures {
    const { perUser, usersBound, referenceValue, periods: orderedPeriods, stackOrder } = rules;
    const count = agencies.count;
    const usersTooSmall: string[] = [];
    const values = new Float64Array(count);
    const hasValue = new Uint8Array(count);
    const versus = new Float64Array(count);
    const changes = orderedPeriods ? new Float64Array(count) : null;
    const trends: TrendPoint[][] | null = orderedPeriods ? [] : null;
    let low = 0;
    let high = 0;
    let largestAbs = 0;
    let versusExtent = 0;
    let trendLow = Infinity;
    let trendHigh = -Infinity;
    const ends: StackEnds = { positive: 0, negative: 0 };
    for (let agency = 0; agency < count; agency++) {
        const value = perUser ? agencies.costPerUser(agency) : agencies.cost(agency);
        if (perUser && usersTooSmallFor(agencies, agency, usersBound)) usersTooSmall.push(agencies.name(agency));
        // The axis needs only where each stack ends: pieces are made for the bars drawn.
        if (value !== null && walkStack(agencies, agency, perUser, agencies.userMonths(agency), stackOrder, ends)) {
            low = Math.min(low, ends.negative);
            high = Math.max(high, ends.positive);
        }
        // One period draws no sparkline: no trend points to make.
        if (orderedPeriods && trends && changes) {
            const trend = orderedPeriods.map((period): TrendPoint => {
                const figures = agencies.period(agency, period.key);
                if (!figures) return { period: period.label, value: null };
                const periodValue = perUser ? costPerUser(figures.coveredCost, figures.users) : figures.cost;
                return { period: period.label, value: periodValue };
            });
            trends.push(trend);
            const latest = trend[trend.length - 1].value;
            const previous = trend[trend.length - 2].value;
            const change =
                latest !== null && previous !== null ? drawableRatio(latest - previous, Math.abs(previous)) : null;
            changes[agency] = change ?? Number.NaN;
            let total = 0;
            let valued = 0;
            for (let at = 0; at < trend.length; at++) {
                const point = trend[at];
                if (point.value === null) continue;
                total += Math.abs(point.value);
                valued++;
            }
            const base = valued > 0 ? total / valued : 0;
            for (let at = 0; at < trend.length; at++) {
                const point = trend[at];
                point.relative = point.value === null || base === 0 ? null : point.value / base;
                if (point.relative === null) continue;
                trendLow = Math.min(trendLow, point.relative);
                trendHigh = Math.max(trendHigh, point.relative);
            }
        }
        const versusValue =
            value !== null && referenceValue !== null
                ? drawableRatio(value - referenceValue, Math.abs(referenceValue))
                : null;
        versus[agency] = versusValue ?? Number.NaN;
        if (versusValue !== null) versusExtent = Math.max(versusExtent, Math.abs(versusValue));
        if (value !== null) {
            values[agency] = value;
            hasValue[agency] = 1;
            low = Math.min(low, value);
            high = Math.max(high, value);
            largestAbs = Math.max(largestAbs, Math.abs(value));
        }
    }
    return {
        values,
        hasValue,
        versus,
        changes,
        trends,
        low,
        high,
        largestAbs,
        versusExtent,
        trendLow,
        trendHigh,
        usersTooSmall,
    };
}

export function buildCostModel(table: RoleTable, settings: CostSettings, context: CostContext): CostViewModel {
    const { localize, locale } = context;
    const periodColumn = table.category(Role.period);
    const usersBound = table.bound.has(Role.users);
    const notes: string[] = [];

    let measure: CostMeasure =
        settings.measure === "auto" ? (usersBound ? "costPerUser" : "totalCost") : settings.measure;
    if (measure === "costPerUser" && !usersBound) {
        measure = "totalCost";
        notes.push(localize("Note_BindUsers"));
    }

    const blank = localize("Blank");
    const services: ServiceLegendItem[] = [];
    const colorChoices: { preferred: string; chosen: boolean }[] = [];
    const serviceNames = table.series.map((series) => {
        const name = series.name === null ? "" : toLabel(series.name, blank);
        if (series.name !== null) {
            const choice = serviceColor(series, name, context);
            colorChoices.push(choice);
            services.push({ name, color: choice.preferred, seriesIndex: series.index });
        }
        return name;
    });
    // Adjacent segments must be told apart, with the common color vision deficiencies too.
    if (colorChoices.some((choice) => !choice.chosen)) {
        const colors = distinctColors(colorChoices, context.spareColors?.() ?? []);
        services.forEach((service, index) => (service.color = colors[index]));
    }

    const colorByService = new Map(services.map((item) => [item.name, item.color]));

    const { summary, highlighted, hasHighlights, orderedPeriods, tooLarge, extraTooltips } = addUpRows(
        table,
        serviceNames,
        blank,
        locale,
    );
    const hasTrend = orderedPeriods.length > 1;

    const costFormat = table.column(Role.cost)?.format;
    const exactCost = exactFormatter(costFormat, locale);
    const exactUsers = exactFormatter(table.column(Role.users)?.format ?? "#,0.#", locale);
    const percentChange = percentChangeFormatter(locale);
    const share = shareFormatter(locale);

    // The statewide figure comes from the model (the Reference well): the rows sent here are only the
    // agencies a slicer or the user's role leaves. Without it, the figure of the agencies shown.
    const referenceBound = table.bound.has(Role.reference);
    const referenceValue = referenceBound
        ? pageFigure(table, Role.reference)
        : measure === "costPerUser"
          ? summary.statewide.costPerUser
          : drawableRatio(summary.statewide.cost, summary.agencies.count);
    if (referenceBound && referenceValue === null) notes.push(localize("Note_ReferenceBlank"));
    const agencies = summary.agencies;

    const perUser = measure === "costPerUser";
    const serviceColors = summary.services.map((service) => colorByService.get(service) ?? "");
    // Every bar stacks its services in one order, largest overall first; the legend lists them so.
    const serviceTotals = totalsByService(agencies, summary.services.length);
    const stackOrder = servicesByTotal(
        summary.services.map((name, index) => ({ name, index })),
        (name) => serviceTotals[summary.services.indexOf(name)] ?? 0,
    ).map((service) => service.index);
    const totalByName = new Map(summary.services.map((name, index) => [name, serviceTotals[index]]));
    const orderedServices = servicesByTotal(services, (name) => totalByName.get(name) ?? 0);
    const figures = barFigures(agencies, {
        perUser,
        usersBound,
        referenceValue,
        periods: hasTrend ? orderedPeriods : null,
        stackOrder,
    });
    const { values, hasValue, versus, changes, trends, largestAbs, versusExtent, usersTooSmall } = figures;
    let { low, high } = figures;
    const tooltipContext: TooltipContext = {
        localize,
        exactCost,
        exactUsers,
        percentChange,
        share,
        usersBound,
        periodCount: periodColumn ? orderedPeriods.length : null,
        tooLarge,
        services: summary.services,
        referenceValue,
        referenceBound,
        extraTooltips,
        agencies,
    };
    // The value label is set once the largest value is known (auto display units depend on it).
    const shared: BarShared = {
        agencies,
        highlighted: highlighted?.agencies ?? null,
        values,
        hasValue,
        versus,
        changes,
        trends,
        changeDirection: settings.changeDirection ?? "neutral",
        labels: {
            value: () => "",
            change: (change) => directionalChange(change, share),
            versus: percentChange,
        },
        describe: (bar) => describeBar(bar, tooltipContext),
        stack: (costs, agency, userMonths) =>
            stackServices(costs, agency, perUser, summary.services, serviceColors, userMonths, stackOrder),
    };
    const order = barOrder(agencies, values, hasValue, settings.sort, locale);
    const bars: Bar[] = [];
    for (let at = 0; at < order.length; at++) bars.push(new Bar(order[at], shared));
    if (measure === "costPerUser") {
        const uncovered = uncoveredNote(agencies, exactCost, localize);
        if (uncovered) notes.push(uncovered);
    }
    if (isFiniteNumber(referenceValue)) {
        low = Math.min(low, referenceValue);
        high = Math.max(high, referenceValue);
    }
    const formatLabel = labelFormatter(
        { formatString: costFormat, displayUnits: settings.displayUnits, decimals: settings.decimals, locale },
        largestAbs,
    );
    if (tooLarge.size > 0)
        notes.push(fill(localize("Note_TooLarge"), nameList([...tooLarge.keys()], localize("Note_AndMore"))));
    if (usersTooSmall.length > 0)
        notes.push(fill(localize("Note_UsersTooSmall"), nameList(usersTooSmall, localize("Note_AndMore"))));
    shared.labels.value = formatLabel;
    const referenceName = localize(referenceBound ? "Statewide" : "Reference_Shown");
    const referenceText = referenceValue === null ? "" : formatLabel(referenceValue);
    const periodsAreDates = orderedPeriods.every((period) => period.key.startsWith("d"));

    return {
        kind: "cost",
        measure,
        bars,
        services: orderedServices,
        reference: {
            key: REFERENCE_KEY,
            value: referenceValue,
            name: referenceName,
            valueText: referenceText,
            label: referenceValue === null ? "" : `${referenceName} ${referenceText}`,
            isStatewide: referenceBound,
            tooltip:
                referenceValue === null
                    ? []
                    : [
                          {
                              displayName: referenceName,
                              value: costUnitWords(measure, localize)(exactCost(referenceValue)),
                          },
                      ],
        },
        domain: [low, high],
        hasTrend,
        trendDomain: figures.trendLow <= figures.trendHigh ? [figures.trendLow, figures.trendHigh] : null,
        hasHighlights,
        notes,
        headers: costHeaders(
            measure,
            referenceBound,
            orderedPeriods.length,
            periodGrain(orderedPeriods, periodsAreDates),
            localize,
        ),
        versusExtent,
        formatValue: formatLabel,
    };
}

/** "Cost from months without a headcount is left out of cost per user: A $1,200, B $300 and 2 more." */
function uncoveredNote(
    agencies: AgencyCosts,
    formatCost: (value: number | null) => string,
    localize: CostContext["localize"],
): string {
    const named: string[] = [];
    for (let agency = 0; agency < agencies.count; agency++) {
        const uncovered = agencies.uncoveredCost(agency);
        if (uncovered !== 0) named.push(`${agencies.name(agency)} ${formatCost(uncovered)}`);
    }
    return named.length === 0 ? "" : fill(localize("Note_UncoveredCost"), nameList(named, localize("Note_AndMore")));
}

/** A positive headcount that yields no cost per user is too small to divide by. */
function usersTooSmallFor(agencies: AgencyCosts, agency: number, usersBound: boolean): boolean {
    const userMonths = agencies.userMonths(agency);
    return usersBound && userMonths !== null && userMonths > 0 && agencies.costPerUser(agency) === null;
}

interface BarLabels {
    value: Formatter;
    change: Formatter;
    versus: Formatter;
}

/** What every bar shares: the agencies' figures, its label formatters and how its tooltip is made. */
interface BarShared {
    agencies: AgencyCosts;
    /** The agencies' highlighted figures, when another visual highlights. */
    highlighted: AgencyCosts | null;
    /** The bar's value by agency (where hasValue is 1), its difference from the reference and its change (NaN where none). */
    values: Float64Array;
    hasValue: Uint8Array;
    versus: Float64Array;
    /** Null without a trend. */
    changes: Float64Array | null;
    trends: TrendPoint[][] | null;
    changeDirection: ChangeDirection;
    labels: BarLabels;
    describe(bar: Bar): TooltipItem[];
    /** An agency's pieces (of `costs`, the agencies' or their highlighted figures), divided by `userMonths` for cost per user. */
    stack(costs: AgencyCosts, agency: number, userMonths: number | null): BarSegment[];
}

interface TooltipContext {
    localize: Localize;
    exactCost: Formatter;
    exactUsers: Formatter;
    percentChange: Formatter;
    share: Formatter;
    usersBound: boolean;
    /** Periods shown, when Period is bound. */
    periodCount: number | null;
    tooLarge: ReadonlyMap<string, number>;
    services: readonly string[];
    referenceValue: number | null;
    referenceBound: boolean;
    extraTooltips: TooltipFields;
    agencies: AgencyCosts;
}

/** A bar's tooltip, made when first shown: a full update of 30,000 agencies needs none of them. */
function describeBar(bar: Bar, context: TooltipContext): TooltipItem[] {
    const { localize, exactCost, percentChange, agencies } = context;
    const agency = bar.index;
    const name = agencies.name(agency);
    const cost = agencies.cost(agency);
    const tooltip: TooltipItem[] = [
        { displayName: localize("Tooltip_Agency"), value: name },
        { displayName: localize("Tooltip_TotalCost"), value: exactCost(cost) },
    ];
    if (context.usersBound) {
        const costPerUserValue = agencies.costPerUser(agency);
        const uncovered = agencies.uncoveredCost(agency);
        const periodsWithUsers = agencies.periodsWithUsers(agency);
        tooltip.push({
            displayName: localize("Tooltip_Users"),
            value: context.exactUsers(agencies.userMonths(agency)) || localize("Blank"),
        });
        tooltip.push({
            displayName: localize("Tooltip_CostPerUser"),
            value:
                costPerUserValue !== null
                    ? exactCost(costPerUserValue)
                    : localize(
                          usersTooSmallFor(agencies, agency, context.usersBound)
                              ? "Tooltip_UsersTooSmall"
                              : "Note_NoUsers",
                      ),
        });
        if (uncovered !== 0)
            tooltip.push({
                displayName: localize("Tooltip_UncoveredCost"),
                value: fill(localize("Tooltip_UncoveredValue"), exactCost(uncovered)),
            });
        // A part of the period (a new or reorganised agency, a year in progress) is marked.
        if (context.periodCount !== null && periodsWithUsers < context.periodCount)
            tooltip.push({
                displayName: localize("Tooltip_PeriodsWithUsers"),
                value: fill(localize("Tooltip_OfPeriods"), String(periodsWithUsers), String(context.periodCount)),
            });
    }
    const leftOut = context.tooLarge.get(name);
    if (leftOut) tooltip.push({ displayName: localize("Tooltip_TooLarge"), value: String(leftOut) });
    for (let index = 0; index < agencies.serviceCount; index++) {
        const service = context.services[index];
        if (service === "") continue;
        const serviceCost = agencies.serviceCost(agency, index);
        const serviceShare = drawableRatio(serviceCost, cost);
        tooltip.push({
            displayName: service,
            value:
                serviceShare === null
                    ? exactCost(serviceCost)
                    : `${exactCost(serviceCost)} (${context.share(serviceShare)})`,
        });
    }
    const { versus } = bar;
    if (versus !== null)
        tooltip.push({
            displayName: localize(context.referenceBound ? "Tooltip_VsStatewide" : "Tooltip_VsShown"),
            value: percentChange(versus),
        });
    const { change } = bar;
    if (change !== null) tooltip.push({ displayName: localize("Tooltip_Change"), value: percentChange(change) });
    tooltip.push(...context.extraTooltips.itemsFor(name, localize("Tooltip_Varies")));
    return tooltip;
}

const figureOrNull = (figure: number): number | null => (Number.isNaN(figure) ? null : figure);

/**
 * An agency's bar: the agency's index into the figures every bar shares. Labels, pieces and the
 * tooltip are made when first read (30,000 agencies draw a few dozen); a class, so those are
 * prototype getters, not accessors or closures on 30,000 objects.
 */
class Bar implements CostBar {
    private valueLabel: string | undefined;
    private changeLabel: string | undefined;
    private versusLabel: string | undefined;
    private described: TooltipItem[] | undefined;
    private stacked: BarSegment[] | undefined;
    private highlightStacked: BarSegment[] | null | undefined;

    constructor(
        /** The agency's index in the shared figures. */
        readonly index: number,
        private readonly shared: BarShared,
    ) {}

    get key(): string {
        return this.shared.agencies.name(this.index);
    }
    get name(): string {
        return this.shared.agencies.name(this.index);
    }
    get row(): number {
        return this.shared.agencies.row(this.index);
    }
    get value(): number | null {
        return this.shared.hasValue[this.index] ? this.shared.values[this.index] : null;
    }
    get trend(): TrendPoint[] {
        return this.shared.trends?.[this.index] ?? NO_TREND;
    }
    get change(): number | null {
        const changes = this.shared.changes;
        return changes ? figureOrNull(changes[this.index]) : null;
    }
    get changeTone(): ChangeTone {
        return changeTone(this.change, this.shared.changeDirection);
    }
    get versus(): number | null {
        return figureOrNull(this.shared.versus[this.index]);
    }
    get valueText(): string {
        return (this.valueLabel ??= this.shared.labels.value(this.value));
    }
    get changeText(): string {
        const change = this.change;
        return (this.changeLabel ??= change === null ? "" : this.shared.labels.change(change));
    }
    get versusText(): string {
        const versus = this.versus;
        return (this.versusLabel ??= versus === null ? "" : this.shared.labels.versus(versus));
    }
    get tooltip(): TooltipItem[] {
        return (this.described ??= this.shared.describe(this));
    }
    /** Made when first drawn: 30,000 agencies draw a few dozen bars. */
    get segments(): BarSegment[] {
        const { agencies } = this.shared;
        return (this.stacked ??=
            this.value === null ? [] : this.shared.stack(agencies, this.index, agencies.userMonths(this.index)));
    }
    /** The highlighted part of each piece: null when nothing highlights, none when none of the agency's costs are. */
    get highlights(): BarSegment[] | null {
        if (this.highlightStacked !== undefined) return this.highlightStacked;
        const { agencies, highlighted } = this.shared;
        if (!highlighted) return (this.highlightStacked = null);
        const own = highlighted.indexOf(this.name);
        // Highlighted costs are divided by the agency's full headcount: a highlight selects costs, not users.
        return (this.highlightStacked =
            this.value === null || own === undefined
                ? []
                : this.shared.stack(highlighted, own, agencies.userMonths(this.index)));
    }
}

/** The bars' order, as agency indices: by value (largest first), by name, or the model's. */
function barOrder(
    agencies: AgencyCosts,
    values: Float64Array,
    hasValue: Uint8Array,
    sort: CostSort,
    locale: string,
): ArrayLike<number> {
    const count = agencies.count;
    if (sort === "model") {
        const order = new Uint32Array(count);
        for (let agency = 0; agency < count; agency++) order[agency] = agency;
        return order;
    }
    const collator = nameCollator(locale);
    const names = agencies.names;
    const byName = (a: number, b: number) => collator.compare(names[a], names[b]);
    if (sort === "name") return Array.from({ length: count }, (_, index) => index).sort(byName);
    // Largest first; agencies without a value go last, in name order.
    return orderByValueDescending(values, hasValue, byName);
}
