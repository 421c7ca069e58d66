/**
 * An agency's follow-up state, from the model's measures (Open Follow-ups, Overdue Follow-ups,
 * Open Follow-up List): the model judges open and overdue (business days, its As of Date); the
 * visual only adds up the rows it is sent and names the state. Pure, tested as a table.
 */

export type FollowUpState = "overdue" | "open" | "contacted";

/** One open follow-up as the Open Follow-up List measure writes it: "yyyy-mm-dd<TAB>service". */
export interface OpenFollowUp {
    day: string;
    service: string;
}

/** What one agency's rows add up to; null counts mean the well is not bound. */
export interface FollowUpTally {
    open: number | null;
    overdue: number | null;
    list: OpenFollowUp[];
}

export const newFollowUpTally = (): FollowUpTally => ({ open: null, overdue: null, list: [] });

/** Adds one row's count (blank is none; negative, text or non-finite values are left out and reported false). */
export function addCount(total: number | null, value: unknown): { total: number | null; ok: boolean } {
    if (value === null || value === undefined) return { total, ok: true };
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) return { total, ok: false };
    return { total: (total ?? 0) + value, ok: true };
}

/** The open follow-ups of one row of the list measure; lines that are not "day<TAB>service" are skipped. */
export function parseOpenList(value: unknown): OpenFollowUp[] {
    if (typeof value !== "string" || value === "") return [];
    const out: OpenFollowUp[] = [];
    for (const line of value.split("\n")) {
        const tab = line.indexOf("\t");
        const day = (tab < 0 ? line : line.slice(0, tab)).trim();
        if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) continue;
        out.push({ day, service: tab < 0 ? "" : line.slice(tab + 1).trim() });
    }
    return out;
}

/**
 * The state shown next to the follow-up share: overdue when any is overdue, open when any is open,
 * all contacted when ratings below 4 exist and none is open; null when neither well is bound or
 * there is nothing to follow up.
 */
export function followUpState(tally: FollowUpTally, lowRatings: number): FollowUpState | null {
    if (tally.open === null && tally.overdue === null) return null;
    if ((tally.overdue ?? 0) > 0) return "overdue";
    if ((tally.open ?? 0) > 0) return "open";
    return lowRatings > 0 ? "contacted" : null;
}

/** Oldest first, then by service (each response is on one row: the same day and service twice are two follow-ups). */
export function sortedOpenList(list: readonly OpenFollowUp[]): OpenFollowUp[] {
    return [...list].sort((a, b) =>
        a.day !== b.day ? (a.day < b.day ? -1 : 1) : a.service < b.service ? -1 : a.service > b.service ? 1 : 0,
    );
}
