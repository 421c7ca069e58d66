/**
 * The views the browser tests, the preview and the benchmark go through, described as data:
 * how to build the sample and synthetic DataViews, which elements are the view's selectable
 * items, and which selection key a click on one must send. Add a view here when it lands.
 */
import {
    costSample,
    costSynthetic,
    goalSample,
    goalSynthetic,
    satisfactionSample,
    satisfactionSynthetic,
} from "./sampleData";
import type { CellJson, DataViewJson } from "./types";

export interface ViewCase {
    view: "cost" | "goals" | "satisfaction";
    title: string;
    /** The DataView of the connector's sample tables for the fields the sample report binds. */
    sample(): DataViewJson;
    /** A DataView of `rows` rows for the benchmark. */
    synthetic(rows: number): DataViewJson;
    /** Sizes the benchmark runs at. */
    benchRows: number[];
    /** Selectors, once the view is in the packaged visual; null while it is not. */
    selectors: null | {
        /** One selectable item (a focusable row). */
        item: string;
        /** The item's name text, inside the item. */
        name: string;
        /** The item's value label, inside the item. */
        value?: string;
        /** A header row the items that follow it belong to (the goal view's teams). */
        group?: { header: string; name: string };
    };
    /** The selection id key a click on the item must send (the page's ids name their category and value). */
    selectionKey(item: ShownItem): string;
    /** The names the sample's items must show, in any order (repeats allowed). */
    sampleNames?(): string[];
    /** The sample's group names (for names shortened with an ellipsis). */
    sampleGroups?(): string[];
}

/** An item as shown: its name (whole) and the name of the group header above it, if any. */
export interface ShownItem {
    name: string;
    group: string | null;
}

/** Reads the CSVs once per process. */
function once<T>(make: () => T): () => T {
    let made: { value: T } | undefined;
    return () => (made ??= { value: make() }).value;
}

const distinct = (values: CellJson[]) => [...new Set(values.map(String))];

export const viewCases: ViewCase[] = [
    {
        view: "cost",
        title: "IT cost per user by agency and service model",
        sample: once(() => costSample()),
        synthetic: costSynthetic,
        benchRows: [100, 1000, 10000, 30000],
        selectors: { item: "g.ais-row", name: "text.ais-name", value: "text.ais-value" },
        selectionKey: (item) => `agency=${item.name}`,
        sampleNames: once(() => distinct(costSample().categories[0].values)),
    },
    {
        view: "goals",
        title: "Team goals: progress against the time elapsed",
        sample: once(() => goalSample()),
        synthetic: goalSynthetic,
        benchRows: [100, 1000, 7200, 10000, 30000],
        // Goal rows under team header rows; a goal's id is its team and its name.
        selectors: {
            item: "g.ais-goal-row.ais-goal-goal",
            name: "text.ais-goal-name",
            group: { header: "g.ais-goal-team", name: "text.ais-team-name" },
        },
        selectionKey: (item) => `team=${item.group}&goal=${item.name}`,
        sampleNames: once(() => goalSample().categories[1].values.map(String)),
        sampleGroups: once(() => distinct(goalSample().categories[0].values)),
    },
    {
        view: "satisfaction",
        title: "Agency satisfaction ratings",
        sample: once(() => satisfactionSample()),
        synthetic: satisfactionSynthetic,
        benchRows: [100, 1000, 10000, 24000, 30000],
        // Agency rows; the statewide row on top is not selectable (no ais-row class).
        selectors: { item: "g.ais-row", name: "text.ais-name" },
        selectionKey: (item) => `agency=${item.name}`,
        sampleNames: once(() => distinct(satisfactionSample().categories[0].values)),
    },
];
