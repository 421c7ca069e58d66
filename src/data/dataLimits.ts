/**
 * What to do when Power BI says there are more rows than it sent (metadata.segment is set):
 * ask for the next segment until the cap, then tell the user the data was cut. Pure, so the
 * rule is tested without a host.
 */
export const rowCap = 100000;

export type MoreDataDecision = "fetch" | "warn" | "complete";

export function decideMoreData(hasMoreSegments: boolean, rowsLoaded: number, cap = rowCap): MoreDataDecision {
    if (!hasMoreSegments) return "complete";
    return rowsLoaded < cap ? "fetch" : "warn";
}
