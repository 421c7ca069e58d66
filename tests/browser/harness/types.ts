/**
 * Plain JSON that crosses from Node to the host page. DataViews cannot cross as they are
 * (`values.grouped()` is a function, dates are Date objects), so Node sends these descriptions
 * and the page rebuilds the categorical DataView Power BI would send (see page.ts).
 */

/** A cell: dates travel as ISO strings in columns of type "dateTime". */
export type CellJson = string | number | boolean | null;

export type ColumnType = "text" | "numeric" | "integer" | "dateTime";

export interface ColumnJson {
    /** The data role the field is bound to (capabilities.json). */
    role: string;
    displayName: string;
    type: ColumnType;
    /** The model's format string for the field. */
    format?: string;
    isMeasure?: boolean;
    /**
     * A measure with a dynamic format string: each row's format, as Power BI sends it with the
     * value (general.formatString in the value column's objects).
     */
    formats?: (string | null)[];
}

export interface CategoryJson extends ColumnJson {
    values: CellJson[];
}

/**
 * A categorical DataView: category columns (one per bound grouping role, in the wells' order),
 * optionally values grouped by a series field, and measures. `values[series][measure][row]`;
 * without a series field there is one series.
 */
export interface DataViewJson {
    categories: CategoryJson[];
    series?: { column: ColumnJson; names: CellJson[] };
    measures: ColumnJson[];
    values: CellJson[][][];
    /** metadata.objects (the Format pane's saved values). */
    objects?: Record<string, Record<string, unknown>>;
    /** Power BI has more rows than this window (metadata.segment is set). */
    moreSegments?: boolean;
}

export interface HostOptions {
    locale?: string;
    allowInteractions?: boolean;
    highContrast?: boolean;
}

/** One call the visual made to the host, with selection ids reduced to their keys. */
export interface RecordedCall {
    service: string;
    method: string;
    args: unknown[];
}

export interface Viewport {
    width: number;
    height: number;
}

/** VisualUpdateType values (a const enum in powerbi-visuals-api). */
export const UpdateType = { Data: 2, Resize: 4, ResizeEnd: 16, All: 62 } as const;

/** The high-contrast palette the host page uses (as Windows' "High Contrast Black" in Power BI). */
export const HighContrastPalette = {
    foreground: "#FFFF00",
    background: "#000000",
    foregroundSelected: "#00FFFF",
} as const;

/** What the host page puts on window for Node (page.evaluate) and for the preview page. */
export interface HarnessApi {
    /** Creates the visual in a fresh element, with a fresh recording host. */
    mount(options: {
        guid: string;
        host?: HostOptions;
        viewport: Viewport;
        stringResources?: Record<string, Record<string, string>>;
        container?: HTMLElement;
    }): void;
    /** Builds a DataView from the description and keeps it for later updates. */
    setData(description: DataViewJson | null): void;
    /** Sends the kept DataView, as Power BI does on a data change or a resize. */
    update(type: number, viewport?: Viewport): void;
    /** Milliseconds of update() plus the layout it forces, for a fresh DataView (full) or the same one (resize). */
    timeUpdate(kind: "full" | "resize", viewport: Viewport): number;
    /**
     * The benchmark's loop, run in the page: two warm-up full updates, then `runs` full updates
     * (each with a new DataView object over the same columns) and `runs` resize-only updates
     * between two sizes.
     */
    benchmark(runs: number, viewport: Viewport, itemSelector: string | null): BenchmarkRun;
    calls(): RecordedCall[];
    clearCalls(): void;
    /** Power BI restoring a bookmark's selection. */
    restoreSelection(keys: string[]): void;
    /** The Format pane's cards (their objects' names) and each card's options, as getFormattingModel() builds them. */
    formattingModelCards(): { card: string; toggle: boolean; slices: string[] }[];
}

export interface BenchmarkRun {
    /** False when the visual showed a message instead of items (a view not in this build). */
    available: boolean;
    items: number;
    fullMs: number[];
    resizeMs: number[];
    /** Highest performance.memory.usedJSHeapSize seen after an update (Chromium, precise memory info). */
    peakHeapBytes: number;
    /** The used JS heap before the first update, after collecting garbage: the page, the visual's code and the DataView. */
    baselineHeapBytes: number;
}
