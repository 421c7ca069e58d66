import powerbi from "powerbi-visuals-api";
import { valueFormatter } from "powerbi-visuals-utils-formattingutils";
import { TrendPoint } from "./costModel";
import { comparePeriods, LabeledPeriod as PeriodInfo, periodKeyOf } from "./periods";
import { TooltipFields, TooltipItem } from "./tooltipFields";
import { isDrawable } from "./drawable";
import { fill, memoFormatter as memo, nameCollator } from "./modelHelpers";
import { exactFormatter, Formatter, labelFormatter, shareFormatter } from "./format";
import { Role, RoleTable, toLabel, toNumber } from "./roles";
import { Localize, StringKey } from "./strings";
import {
    addCount,
    FollowUpState,
    FollowUpTally,
    followUpState,
    newFollowUpTally,
    OpenFollowUp,
    parseOpenList,
    sortedOpenList,
} from "./followUps";
import PrimitiveValue = powerbi.PrimitiveValue;

export type SatisfactionSort = "followUp" | "average" | "responses" | "name";
export type Rating = 1 | 2 | 3 | 4 | 5;

export const ratings: readonly Rating[] = [1, 2, 3, 4, 5];
/** Ratings below this need a follow-up call, and draw left of the center line. */
export const followUpBelow = 4;

export interface SatisfactionSettings {
    /** Rows with fewer responses than this are marked as few; 0 marks none. */
    lowResponseThreshold: number;
    sort: SatisfactionSort;
    /** Colors of ratings 1 to 5, from negative to positive. */
    colors: readonly string[];
    /** Display units of the response counts (the labels card's; auto leaves counts whole). */
    displayUnits: number;
    /** Decimal places of the average rating; null keeps one. */
    decimals: number | null;
}

export interface SatisfactionContext {
    locale: string;
    localize: Localize;
}

/** One rating's share of a row, in share units: ratings 1-3 left of zero (1 outermost), 4-5 right. start <= end. */
export interface RatingSegment {
    rating: Rating;
    count: number;
    share: number;
    start: number;
    end: number;
    color: string;
    shareText: string;
}

export interface SatisfactionRow {
    key: string;
    name: string;
    /** A category row of this agency, for its selection identity; -1 for the statewide row. */
    row: number;
    isStatewide: boolean;
    /** Responses with ratings 1 to 5 (index 0 is rating 1). */
    counts: number[];
    responses: number;
    average: number | null;
    followUp: number;
    followUpShare: number | null;
    /** An agency whose follow-up share is above the statewide row's; never the statewide row. */
    followUpAbove: boolean;
    lowResponse: boolean;
    /** Responses whose rating is not a whole number from 1 to 5: counted, not drawn. */
    invalidResponses: number;
    segments: RatingSegment[];
    /** When another visual cross-highlights: the highlighted responses, stacked from the center on the same scale; else null. */
    highlights: RatingSegment[] | null;
    highlightedResponses: number;
    trend: TrendPoint[];
    change: number | null;
    averageText: string;
    responsesText: string;
    /** The share, its count and the state, joined: "39.9% (569) ▲ 12 overdue". */
    followUpText: string;
    /** followUpText in parts, for a view that lays them out in less room: "39.9%", "(569)", "▲ 12 overdue"; "" when none. */
    followUpParts: FollowUpParts;
    /** From the optional follow-up wells: null when they are not bound. */
    followUpState: FollowUpState | null;
    openFollowUps: number | null;
    overdueFollowUps: number | null;
    /** Open follow-ups, oldest first (from the Open follow-up list well). */
    openList: OpenFollowUp[];
    changeText: string;
    tooltip: TooltipItem[];
}

export interface FollowUpParts {
    share: string;
    count: string;
    state: string;
}

export interface SatisfactionViewModel {
    kind: "satisfaction";
    statewide: SatisfactionRow;
    rows: SatisfactionRow[];
    /** The share axis: [-widest left side, widest right side] of any row, each at least 0.1. */
    domain: [number, number];
    legend: { rating: Rating; color: string }[];
    hasTrend: boolean;
    notes: string[];
    /** Set when some ratings are not 1-5: for the host's warning icon. */
    warning: { title: string; detail: string } | null;
}

/** Open follow-ups listed one by one in a tooltip; more are counted. */
const MAX_OPEN_LISTED = 8;

const joinText = (first: string, second: string): string => (first && second ? `${first} ${second}` : first || second);

/** A rating as a whole number 1-5 (numbers or numeric text), or null for anything else. */
export function parseRating(value: PrimitiveValue | null | undefined): Rating | null {
    let rating: number;
    if (typeof value === "number") rating = value;
    else if (typeof value === "string" && value.trim() !== "") rating = Number(value.trim());
    else return null;
    return Number.isInteger(rating) && rating >= 1 && rating <= 5 ? (rating as Rating) : null;
}

interface Tally {
    counts: number[];
    invalid: number;
    /** Counts left out: negative, text, or too large to draw (drawable.ts). */
    leftOut: number;
    highlighted: number[];
    periods: Map<string, { sum: number; count: number }>;
    followUps: FollowUpTally;
}

const newTally = (): Tally => ({
    counts: [0, 0, 0, 0, 0],
    invalid: 0,
    leftOut: 0,
    highlighted: [0, 0, 0, 0, 0],
    periods: new Map(),
    followUps: newFollowUpTally(),
});

/** A rating's segment; its share label is formatted when first drawn. */
class Segment implements RatingSegment {
    private label: string | undefined;

    constructor(
        readonly rating: Rating,
        readonly count: number,
        readonly share: number,
        readonly start: number,
        readonly end: number,
        readonly color: string,
        private readonly format: Formatter,
    ) {}

    get shareText(): string {
        return (this.label ??= this.format(this.share));
    }
}

/** Diverging stack: 3, 2, 1 outward to the left of zero, 4, 5 outward to the right. */
function segmentsOf(counts: number[], total: number, colors: readonly string[], share: Formatter): RatingSegment[] {
    if (total <= 0) return [];
    const segment = (index: number, start: number, end: number): RatingSegment =>
        new Segment(ratings[index], counts[index], counts[index] / total, start, end, colors[index] ?? "", share);
    const left: RatingSegment[] = [];
    let edge = 0;
    for (let index = followUpBelow - 2; index >= 0; index--) {
        const start = edge - counts[index] / total;
        if (counts[index] > 0) left.unshift(segment(index, start, edge));
        edge = start;
    }
    const segments = left;
    edge = 0;
    for (let index = followUpBelow - 1; index < ratings.length; index++) {
        const end = edge + counts[index] / total;
        if (counts[index] > 0) segments.push(segment(index, edge, end));
        edge = end;
    }
    return segments;
}

export function buildSatisfactionModel(
    table: RoleTable,
    settings: SatisfactionSettings,
    context: SatisfactionContext,
): SatisfactionViewModel {
    const { localize, locale } = context;
    const blank = localize("Blank");
    const agencyColumn = table.category(Role.agency);
    const ratingColumn = table.category(Role.rating);
    const periodColumn = table.category(Role.period);
    const responseColumns = table.series.map((series) => series.measure(Role.responses));
    const openColumns = table.series.map((series) => series.measure(Role.openFollowUps));
    const overdueColumns = table.series.map((series) => series.measure(Role.overdueFollowUps));
    const listColumns = table.series.map((series) => series.measure(Role.openFollowUpList));
    // Statewide responses by rating from the model (a page-level figure in every cell of its rating):
    // the rows sent here are only the agencies a slicer or the user's role leaves.
    const referenceBound = table.bound.has(Role.statewideResponses);
    const referenceColumns = table.series.map((series) => series.measure(Role.statewideResponses));
    const referenceCounts: (number | null)[] = [null, null, null, null, null];
    const hasHighlights = responseColumns.some((column) => Array.isArray(column?.highlights));
    const extraTooltips = new TooltipFields(table, locale);

    const tallies = new Map<string, Tally>();
    const firstRow = new Map<string, number>();
    const periods = new Map<string, PeriodInfo>();
    const statewide = newTally();
    let badCounts = 0;

    for (let row = 0; row < table.rowCount; row++) {
        const agency = toLabel(agencyColumn?.values[row], blank);
        extraTooltips.read(agency, row);
        let tally = tallies.get(agency);
        if (!tally) {
            tally = newTally();
            tallies.set(agency, tally);
            firstRow.set(agency, row);
        }
        if (referenceBound) {
            const rating = parseRating(ratingColumn?.values[row]);
            if (rating !== null && referenceCounts[rating - 1] === null) {
                for (const column of referenceColumns) {
                    const value = toNumber(column?.values[row]);
                    if (value !== null && value >= 0 && isDrawable(value)) {
                        referenceCounts[rating - 1] = value;
                        break;
                    }
                }
            }
        }
        // Responses summed across services; blanks are no responses, negatives and text are left out.
        let count = 0;
        for (const column of responseColumns) {
            const raw = column?.values[row];
            if (raw === null || raw === undefined) continue;
            const value = toNumber(raw);
            if (value === null || value < 0 || !isDrawable(value)) {
                badCounts++;
                tally.leftOut++;
            } else count += value;
        }
        // Follow-ups (optional wells): the model's counts add up over ratings, services and months.
        for (const target of [tally.followUps, statewide.followUps]) {
            for (const column of openColumns) {
                const added = addCount(target.open, column?.values[row]);
                target.open = column ? (added.total ?? 0) : target.open;
                if (!added.ok && target === tally.followUps) badCounts++;
            }
            for (const column of overdueColumns) {
                const added = addCount(target.overdue, column?.values[row]);
                target.overdue = column ? (added.total ?? 0) : target.overdue;
                if (!added.ok && target === tally.followUps) badCounts++;
            }
            for (const column of listColumns) target.list.push(...parseOpenList(column?.values[row]));
        }
        if (count === 0) continue;

        const rating = parseRating(ratingColumn?.values[row]);
        if (rating === null) {
            tally.invalid += count;
            statewide.invalid += count;
            continue;
        }
        tally.counts[rating - 1] += count;
        statewide.counts[rating - 1] += count;
        if (hasHighlights) {
            let highlighted = 0;
            for (const column of responseColumns) {
                const value = toNumber(column?.highlights?.[row]);
                if (isDrawable(value) && value > 0) highlighted += value;
            }
            tally.highlighted[rating - 1] += highlighted;
            statewide.highlighted[rating - 1] += highlighted;
        }

        if (periodColumn) {
            const raw = periodColumn.values[row];
            const { key, sortValue } = periodKeyOf(raw);
            if (!periods.has(key)) {
                const label =
                    raw === null || raw === undefined
                        ? blank
                        : valueFormatter.format(raw, periodColumn.source.format, false, locale);
                periods.set(key, { key, label, sortValue, firstSeen: periods.size });
            }
            for (const target of [tally, statewide]) {
                const figures = target.periods.get(key) ?? { sum: 0, count: 0 };
                figures.sum += rating * count;
                figures.count += count;
                target.periods.set(key, figures);
            }
        }
    }

    const orderedPeriods = [...periods.values()].sort(comparePeriods);
    const hasTrend = orderedPeriods.length > 1;
    const referenceBlank = referenceBound && referenceCounts.every((count) => count === null);
    if (referenceBound) {
        // The model's statewide counts replace the sum of the rows shown; it gives no statewide trend.
        statewide.counts = referenceCounts.map((count) => count ?? 0);
        statewide.periods = new Map();
    }

    const decimals = settings.decimals ?? 1;
    const averageFormat = decimals > 0 ? `0.${"0".repeat(decimals)}` : "0";
    const formatAverage = memo(exactFormatter(averageFormat, locale));
    const formatDifference = memo(exactFormatter(`+${averageFormat};-${averageFormat};${averageFormat}`, locale));
    const share = memo(shareFormatter(locale));
    const whole = memo(exactFormatter("#,0", locale));
    const largest = statewide.counts.reduce((a, b) => a + b, 0);
    // Counts read best in full: auto display units leave them whole; chosen units still apply.
    const displayUnits = settings.displayUnits === 0 ? 1 : settings.displayUnits;
    const formatCount = memo(
        labelFormatter(
            { formatString: table.column(Role.responses)?.format ?? "#,0", displayUnits, decimals: null, locale },
            largest,
        ),
    );
    const threshold = Math.max(0, settings.lowResponseThreshold);
    const few = localize("Sat_Few");
    const text = (key: StringKey) => localize(key);

    const stateText = (state: FollowUpState | null, counts: FollowUpTally): string =>
        state === "overdue"
            ? fill(text("Sat_State_Overdue"), whole(counts.overdue ?? 0))
            : state === "open"
              ? fill(text("Sat_State_Open"), whole(counts.open ?? 0))
              : state === "contacted"
                ? text("Sat_State_Contacted")
                : "";
    // The statewide follow-up share, set once the statewide row is summed; read by the tooltips, made when first shown.
    let stateShare: number | null = null;
    const texts: RowTexts = {
        average: (row) => formatAverage(row.average),
        responses: (row) => (row.lowResponse ? `${formatCount(row.responses)} (${few})` : formatCount(row.responses)),
        followUpParts: (row) => ({
            share: row.followUpShare === null ? "" : share(row.followUpShare),
            count: row.followUpShare === null ? "" : `(${whole(row.followUp)})`,
            state: stateText(row.followUpState, row.followUpCounts),
        }),
        change: (row) => formatDifference(row.change),
        // Made when first shown: a full update needs none of them.
        tooltip: (row) => {
            const tooltip: TooltipItem[] = [{ displayName: text("Tooltip_Agency"), value: row.name }];
            if (row.responses === 0) {
                tooltip.push({ displayName: text("Sat_Responses"), value: text("Sat_NoResponses") });
            } else {
                tooltip.push({ displayName: text("Sat_Average"), value: row.averageText });
                tooltip.push({ displayName: text("Sat_Responses"), value: whole(row.responses) });
                tooltip.push({ displayName: text("Sat_FollowUp"), value: row.followUpText });
                if (row.followUpAbove && stateShare !== null)
                    tooltip.push({
                        displayName: text("Sat_Tooltip_Above"),
                        value: fill(text("Sat_Tooltip_AboveValue"), share(stateShare)),
                    });
                if (row.followUpState !== null)
                    tooltip.push({
                        displayName: text("Sat_Tooltip_State"),
                        value: fill(
                            text("Sat_Tooltip_StateValue"),
                            whole(row.openFollowUps ?? 0),
                            whole(row.overdueFollowUps ?? 0),
                        ),
                    });
                // The open ones by date and service, oldest first; a long list ends with how many more.
                for (const open of row.openList.slice(0, MAX_OPEN_LISTED))
                    tooltip.push({
                        displayName: fill(text("Sat_Tooltip_Open"), open.day),
                        value: open.service === "" ? text("Sat_NoService") : open.service,
                    });
                if (row.openList.length > MAX_OPEN_LISTED)
                    tooltip.push({
                        displayName: text("Sat_Tooltip_OpenMore"),
                        value: whole(row.openList.length - MAX_OPEN_LISTED),
                    });
                for (const rating of ratings) {
                    const count = row.counts[rating - 1];
                    tooltip.push({
                        displayName: fill(text("Sat_RatingN"), String(rating)),
                        value: `${whole(count)} (${share(count / row.responses)})`,
                    });
                }
            }
            if (row.lowResponse)
                tooltip.push({
                    displayName: text("Sat_Tooltip_Few"),
                    value: fill(text("Sat_Tooltip_FewValue"), whole(threshold)),
                });
            if (row.invalidResponses > 0)
                tooltip.push({ displayName: text("Sat_Invalid"), value: whole(row.invalidResponses) });
            const leftOut = row.isStatewide ? badCounts : (tallies.get(row.key)?.leftOut ?? 0);
            if (leftOut > 0) tooltip.push({ displayName: text("Sat_Tooltip_LeftOut"), value: whole(leftOut) });
            if (!row.isStatewide && row.average !== null && stateRow.average !== null) {
                tooltip.push({
                    displayName: text(referenceBound ? "Sat_VsStatewide" : "Tooltip_VsShown"),
                    value: formatDifference(row.average - stateRow.average),
                });
            }
            if (row.change !== null) tooltip.push({ displayName: text("Tooltip_Change"), value: row.changeText });
            if (row.highlights !== null && row.responses > 0) {
                tooltip.push({
                    displayName: text("Sat_Highlighted"),
                    value: `${whole(row.highlightedResponses)} (${share(row.highlightedResponses / row.responses)})`,
                });
            }
            tooltip.push(...extraTooltips.itemsFor(row.key, text("Tooltip_Varies")));
            return tooltip;
        },
    };
    const summarize = (key: string, name: string, row: number, tally: Tally, isStatewide: boolean): Row => {
        const responses = tally.counts.reduce((a, b) => a + b, 0);
        let weighted = 0;
        tally.counts.forEach((count, index) => {
            weighted += (index + 1) * count;
        });
        const average = responses > 0 ? weighted / responses : null;
        const followUp = tally.counts.slice(0, followUpBelow - 1).reduce((a, b) => a + b, 0);
        const trend = orderedPeriods.map((period) => {
            const figures = tally.periods.get(period.key);
            return { period: period.label, value: figures && figures.count > 0 ? figures.sum / figures.count : null };
        });
        const latest = trend.length > 1 ? trend[trend.length - 1].value : null;
        const previous = trend.length > 1 ? trend[trend.length - 2].value : null;
        return new Row(
            {
                key,
                name,
                row,
                isStatewide,
                counts: tally.counts,
                responses,
                average,
                followUp,
                followUpShare: responses > 0 ? followUp / responses : null,
                followUpAbove: false,
                lowResponse: responses < threshold,
                invalidResponses: tally.invalid,
                segments: segmentsOf(tally.counts, responses, settings.colors, share),
                highlights: hasHighlights ? segmentsOf(tally.highlighted, responses, settings.colors, share) : null,
                highlightedResponses: tally.highlighted.reduce((a, b) => a + b, 0),
                trend,
                change: latest !== null && previous !== null ? latest - previous : null,
                followUpState: followUpState(tally.followUps, followUp),
                followUpCounts: tally.followUps,
                openFollowUps: tally.followUps.open,
                overdueFollowUps: tally.followUps.overdue,
                openList: sortedOpenList(tally.followUps.list),
            },
            texts,
        );
    };

    const stateRow = summarize("", text(referenceBound ? "Statewide" : "Reference_Shown"), -1, statewide, true);
    const rows = [...tallies].map(([name, tally]) => summarize(name, name, firstRow.get(name) ?? 0, tally, false));
    stateShare = stateRow.followUpShare;

    for (const row of rows)
        row.followUpAbove = stateShare !== null && row.followUpShare !== null && row.followUpShare > stateShare;

    sortRows(rows, settings.sort, locale);

    let left = 0.1;
    let right = 0.1;
    for (const row of [stateRow, ...rows]) {
        for (const segment of row.segments) {
            left = Math.max(left, -segment.start);
            right = Math.max(right, segment.end);
        }
    }

    const notes: string[] = [];
    let warning: SatisfactionViewModel["warning"] = null;
    if (statewide.invalid > 0) {
        warning = {
            title: text("Sat_Warning_Title"),
            detail: fill(text("Sat_Warning_Detail"), whole(statewide.invalid)),
        };
        notes.push(warning.detail);
    }
    if (badCounts > 0) notes.push(fill(text("Sat_Note_BadCounts"), whole(badCounts)));
    if (referenceBlank) notes.push(text("Note_ReferenceBlank"));
    if ([stateRow, ...rows].some((row) => row.lowResponse))
        notes.push(`(${few}): ${fill(text("Sat_Note_Few"), whole(threshold))}`);

    return {
        kind: "satisfaction",
        statewide: stateRow,
        rows,
        domain: [-left, right],
        legend: ratings.map((rating) => ({ rating, color: settings.colors[rating - 1] ?? "" })),
        hasTrend,
        notes,
        warning,
    };
}

/** A row's figures, worked out when the model is built. */
type RowFigures = Omit<
    SatisfactionRow,
    "averageText" | "responsesText" | "followUpText" | "followUpParts" | "changeText" | "tooltip"
> & {
    followUpCounts: FollowUpTally;
};

/** How every row's texts are made, once per model. */
interface RowTexts {
    average(row: Row): string;
    responses(row: Row): string;
    followUpParts(row: Row): FollowUpParts;
    change(row: Row): string;
    tooltip(row: Row): TooltipItem[];
}

/**
 * An agency's row: figures made with the model, texts and the tooltip when first read (a class,
 * so they are prototype getters, not accessors on object literals).
 */
class Row implements SatisfactionRow {
    readonly key: string;
    readonly name: string;
    readonly row: number;
    readonly isStatewide: boolean;
    readonly counts: number[];
    readonly responses: number;
    readonly average: number | null;
    readonly followUp: number;
    readonly followUpShare: number | null;
    followUpAbove: boolean;
    readonly lowResponse: boolean;
    readonly invalidResponses: number;
    readonly segments: RatingSegment[];
    readonly highlights: RatingSegment[] | null;
    readonly highlightedResponses: number;
    readonly trend: TrendPoint[];
    readonly change: number | null;
    readonly followUpState: FollowUpState | null;
    readonly followUpCounts: FollowUpTally;
    readonly openFollowUps: number | null;
    readonly overdueFollowUps: number | null;
    readonly openList: OpenFollowUp[];
    private made: {
        average?: string;
        responses?: string;
        followUp?: string;
        followUpParts?: FollowUpParts;
        change?: string;
    } = {};
    private described: TooltipItem[] | undefined;

    constructor(
        figures: RowFigures,
        private readonly texts: RowTexts,
    ) {
        this.key = figures.key;
        this.name = figures.name;
        this.row = figures.row;
        this.isStatewide = figures.isStatewide;
        this.counts = figures.counts;
        this.responses = figures.responses;
        this.average = figures.average;
        this.followUp = figures.followUp;
        this.followUpShare = figures.followUpShare;
        this.followUpAbove = figures.followUpAbove;
        this.lowResponse = figures.lowResponse;
        this.invalidResponses = figures.invalidResponses;
        this.segments = figures.segments;
        this.highlights = figures.highlights;
        this.highlightedResponses = figures.highlightedResponses;
        this.trend = figures.trend;
        this.change = figures.change;
        this.followUpState = figures.followUpState;
        this.followUpCounts = figures.followUpCounts;
        this.openFollowUps = figures.openFollowUps;
        this.overdueFollowUps = figures.overdueFollowUps;
        this.openList = figures.openList;
    }

    get averageText(): string {
        return (this.made.average ??= this.texts.average(this));
    }
    get responsesText(): string {
        return (this.made.responses ??= this.texts.responses(this));
    }
    get followUpText(): string {
        const { share, count, state } = this.followUpParts;
        return (this.made.followUp ??= joinText(joinText(share, count), state));
    }
    get followUpParts(): FollowUpParts {
        return (this.made.followUpParts ??= this.texts.followUpParts(this));
    }
    get changeText(): string {
        return (this.made.change ??= this.texts.change(this));
    }
    get tooltip(): TooltipItem[] {
        return (this.described ??= this.texts.tooltip(this));
    }
}

/** Most in need of a call first; rows without responses last, in name order. */
function sortRows(rows: SatisfactionRow[], sort: SatisfactionSort, locale: string): void {
    const collator = nameCollator(locale);
    const byName = (a: SatisfactionRow, b: SatisfactionRow) => collator.compare(a.name, b.name);
    if (sort === "name") {
        rows.sort(byName);
        return;
    }
    const value = (row: SatisfactionRow): number | null =>
        sort === "followUp"
            ? row.followUpShare
            : sort === "average"
              ? row.average === null
                  ? null
                  : -row.average
              : row.responses > 0
                ? row.responses
                : null;
    rows.sort((a, b) => {
        const va = value(a);
        const vb = value(b);
        if (va === null || vb === null) return va === null && vb === null ? byName(a, b) : va === null ? 1 : -1;
        return vb - va || byName(a, b);
    });
}
