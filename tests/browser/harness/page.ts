/**
 * The host page's script: it runs in Chromium, not in Node. It plays Power BI's part for the
 * packaged visual: creates it through window.powerbi.visuals.plugins[guid], gives it a host that
 * records every call (as tests/support/host.ts does in jsdom: selection ids whose keys name the
 * category or series they were built from), and rebuilds categorical DataViews from the JSON
 * descriptions Node sends. Transpiled with TypeScript and injected as a module script; it may
 * import types only.
 */
import type powerbi from "powerbi-visuals-api";
import type {
    BenchmarkRun,
    CellJson,
    ColumnJson,
    DataViewJson,
    HarnessApi,
    HostOptions,
    RecordedCall,
    Viewport,
} from "./types";

type Primitive = powerbi.PrimitiveValue | null;

interface Plugin {
    create(options: { element: HTMLElement; host: unknown }): powerbi.extensibility.visual.IVisual;
}

declare global {
    interface Window {
        powerbi: { visuals: { plugins: Record<string, Plugin> } };
        aisHarness: HarnessApi;
        aisCreateHarness: () => HarnessApi;
    }
}

const UPDATE_DATA = 2;
/** Power BI's default theme's first ten colors, handed out in turn as its palette does. */
const colors = [
    "#118DFF",
    "#12239E",
    "#E66C37",
    "#6B007B",
    "#E044A7",
    "#744EC2",
    "#D9B300",
    "#D64550",
    "#197278",
    "#1AAB40",
];

class TestSelectionId {
    constructor(readonly key: string) {}
    equals(other: TestSelectionId): boolean {
        return other?.key === this.key;
    }
    includes(other: TestSelectionId): boolean {
        return this.equals(other);
    }
    getKey(): string {
        return this.key;
    }
    getSelector(): unknown {
        return { data: [{ key: this.key }] };
    }
    getSelectorsByColumn(): unknown {
        return this.getSelector();
    }
    hasIdentity(): boolean {
        return true;
    }
}

const keyOf = (id: unknown): unknown =>
    Array.isArray(id) ? id.map(keyOf) : ((id as TestSelectionId | null)?.key ?? null);

function cell(type: ColumnJson["type"], value: CellJson): Primitive {
    if (value === null) return null;
    if (type === "dateTime" && typeof value === "string")
        return new Date(value.length === 10 ? `${value}T00:00:00` : value);
    return value;
}

function typeDescriptor(type: ColumnJson["type"]): powerbi.ValueTypeDescriptor {
    switch (type) {
        case "text":
            return { text: true };
        case "integer":
            return { numeric: true, integer: true };
        case "numeric":
            return { numeric: true };
        case "dateTime":
            return { dateTime: true };
    }
}

function source(column: ColumnJson, index: number, groupName?: Primitive): powerbi.DataViewMetadataColumn {
    const result: powerbi.DataViewMetadataColumn = {
        displayName: column.displayName,
        queryName: `Model.${column.displayName}`,
        roles: { [column.role]: true },
        type: typeDescriptor(column.type),
        index,
    };
    if (column.format !== undefined) result.format = column.format;
    if (column.isMeasure) result.isMeasure = true;
    if (groupName !== undefined) result.groupName = groupName as powerbi.PrimitiveValue;
    return result;
}

const identity = (role: string, value: CellJson) =>
    ({ key: `${role}=${String(value)}` }) as unknown as powerbi.visuals.CustomVisualOpaqueIdentity;

/** The categorical DataView Power BI sends for the description's bound fields. */
export function buildDataView(description: DataViewJson): powerbi.DataView {
    let index = 0;
    const columns: powerbi.DataViewMetadataColumn[] = [];
    const categories: powerbi.DataViewCategoryColumn[] = description.categories.map((category) => {
        const column = source(category, index++);
        columns.push(column);
        return {
            source: column,
            values: category.values.map((value) => cell(category.type, value)) as powerbi.PrimitiveValue[],
            identity: category.values.map((value) => identity(category.role, value)),
            identityFields: [],
        };
    });

    const series = description.series;
    let seriesSource: powerbi.DataViewMetadataColumn | undefined;
    if (series) {
        seriesSource = source(series.column, index++);
        columns.push(seriesSource);
    }
    const names: CellJson[] = series ? series.names : [null];
    const measureStart = index;
    const flat: powerbi.DataViewValueColumn[] = [];
    const groups: powerbi.DataViewValueColumnGroup[] = names.map((name, seriesIndex) => {
        const groupName = series ? cell(series.column.type, name) : undefined;
        const groupIdentity = series ? identity(series.column.role, name) : undefined;
        const values = description.measures.map((measure, measureIndex) => {
            const column = source(measure, measureStart + measureIndex, groupName);
            columns.push(column);
            const valueColumn: powerbi.DataViewValueColumn = {
                source: column,
                values: (description.values[seriesIndex]?.[measureIndex] ?? []).map((value) =>
                    cell(measure.type, value),
                ) as powerbi.PrimitiveValue[],
            };
            if (groupIdentity) valueColumn.identity = groupIdentity;
            if (measure.formats)
                valueColumn.objects = measure.formats.map((format) =>
                    format ? { general: { formatString: format } } : {},
                ) as powerbi.DataViewObjects[];
            flat.push(valueColumn);
            return valueColumn;
        });
        const group: powerbi.DataViewValueColumnGroup = { values };
        if (series) {
            group.name = groupName as powerbi.PrimitiveValue;
            group.identity = groupIdentity;
        }
        return group;
    });

    const valueColumns = flat as powerbi.DataViewValueColumns;
    valueColumns.grouped = () => groups;
    if (seriesSource) valueColumns.source = seriesSource;

    const categorical: powerbi.DataViewCategorical = {};
    if (categories.length > 0) categorical.categories = categories;
    if (description.measures.length > 0) categorical.values = valueColumns;
    const metadata: powerbi.DataViewMetadata = { columns };
    if (description.objects) metadata.objects = description.objects as powerbi.DataViewObjects;
    if (description.moreSegments) metadata.segment = {};
    return { metadata, categorical };
}

function createHost(options: HostOptions, calls: RecordedCall[], stringResources: Record<string, string> | undefined) {
    const record = (service: string, method: string, ...args: unknown[]) => {
        calls.push({ service, method, args });
    };
    const assigned = new Map<string, string>();
    let onSelect: ((ids: unknown[]) => void) | undefined;
    const eventArgs = (updateOptions: { type?: number } | undefined) => ({ type: updateOptions?.type ?? null });
    const host = {
        locale: options.locale ?? "en-US",
        hostCapabilities: { allowInteractions: options.allowInteractions ?? true },
        eventService: {
            renderingStarted: (updateOptions: { type?: number }) =>
                record("events", "renderingStarted", eventArgs(updateOptions)),
            renderingFinished: (updateOptions: { type?: number }) =>
                record("events", "renderingFinished", eventArgs(updateOptions)),
            renderingFailed: (updateOptions: { type?: number }, reason?: string) =>
                record("events", "renderingFailed", eventArgs(updateOptions), reason ?? null),
        },
        colorPalette: {
            isHighContrast: options.highContrast ?? false,
            foreground: { value: "#FFFF00" },
            background: { value: "#000000" },
            foregroundSelected: { value: "#00FFFF" },
            hyperlink: { value: "#FFFF00" },
            getColor(key: string) {
                if (!assigned.has(key)) assigned.set(key, colors[assigned.size % colors.length]);
                return { value: assigned.get(key) as string };
            },
            reset() {
                assigned.clear();
                return host.colorPalette;
            },
        },
        createSelectionIdBuilder() {
            record("host", "createSelectionIdBuilder");
            const parts: string[] = [];
            const builder = {
                withCategory(column: powerbi.DataViewCategoryColumn, row: number) {
                    parts.push(
                        (column.identity?.[row] as unknown as { key: string } | undefined)?.key ??
                            `missing:${column.source.displayName}[${row}]`,
                    );
                    return builder;
                },
                withSeries(_values: unknown, group: powerbi.DataViewValueColumnGroup) {
                    parts.push((group.identity as unknown as { key: string } | undefined)?.key ?? "missing:series");
                    return builder;
                },
                withMeasure(measure: string) {
                    parts.push(`measure=${measure}`);
                    return builder;
                },
                withMatrixNode() {
                    return builder;
                },
                withTable() {
                    return builder;
                },
                createSelectionId() {
                    return new TestSelectionId(parts.join("&"));
                },
            };
            return builder;
        },
        createSelectionManager() {
            record("host", "createSelectionManager");
            return {
                select: (id: unknown, multi = false) => {
                    record("selection", "select", keyOf(id), multi);
                    return Promise.resolve([]);
                },
                clear: () => {
                    record("selection", "clear");
                    return Promise.resolve({});
                },
                showContextMenu: (id: unknown, position: { x: number; y: number }) => {
                    record("selection", "showContextMenu", keyOf(id), { x: position?.x, y: position?.y });
                    return Promise.resolve({});
                },
                registerOnSelectCallback: (callback: (ids: unknown[]) => void) => {
                    record("selection", "registerOnSelectCallback");
                    onSelect = callback;
                },
                getSelectionIds: () => [],
                hasSelection: () => false,
                toggleExpandCollapse: () => Promise.resolve({}),
                showContextMenuForSelectionIds: () => Promise.resolve({}),
            };
        },
        tooltipService: {
            enabled: () => true,
            show: (tooltip: powerbi.extensibility.TooltipShowOptions) =>
                record("tooltip", "show", {
                    coordinates: tooltip.coordinates,
                    dataItems: tooltip.dataItems,
                    identities: keyOf(tooltip.identities),
                }),
            move: (tooltip: powerbi.extensibility.TooltipMoveOptions) =>
                record("tooltip", "move", { coordinates: tooltip.coordinates, identities: keyOf(tooltip.identities) }),
            hide: (tooltip: unknown) => record("tooltip", "hide", tooltip),
        },
        // As Power BI: the package's strings for the host's locale; the key itself when missing.
        createLocalizationManager: () => {
            record("host", "createLocalizationManager");
            return { getDisplayName: (key: string) => stringResources?.[key] ?? key };
        },
        displayWarningIcon: (...args: unknown[]) => record("host", "displayWarningIcon", ...args),
        fetchMoreData: (...args: unknown[]) => {
            record("host", "fetchMoreData", ...args);
            return false;
        },
        persistProperties: (...args: unknown[]) => record("host", "persistProperties", ...args),
        launchUrl: (...args: unknown[]) => record("host", "launchUrl", ...args),
        refreshHostData: () => record("host", "refreshHostData"),
    };
    return { host, restore: (keys: string[]) => onSelect?.(keys.map((key) => new TestSelectionId(key))) };
}

export function createHarness(): HarnessApi {
    const calls: RecordedCall[] = [];
    let visual: powerbi.extensibility.visual.IVisual | null = null;
    let element: HTMLElement | null = null;
    let dataView: powerbi.DataView | null = null;
    let viewport: Viewport = { width: 600, height: 400 };
    let restore: (keys: string[]) => void = () => undefined;

    const send = (type: number, size: Viewport, view: powerbi.DataView | null) => {
        if (!visual || !element) throw new Error("mount() the visual first.");
        viewport = size;
        element.style.width = `${size.width}px`;
        element.style.height = `${size.height}px`;
        visual.update({
            dataViews: view ? [view] : [],
            viewport: size,
            type,
        } as unknown as powerbi.extensibility.visual.VisualUpdateOptions);
    };

    const timeUpdate = (kind: "full" | "resize", size: Viewport): number => {
        // A full update gets a new DataView object, as Power BI sends one, over the columns built
        // once in setData: building 30,000 rows again each time would count the page's garbage
        // in the visual's heap.
        const view = kind === "full" && dataView ? { ...dataView } : dataView;
        if (kind === "full") dataView = view;
        const start = performance.now();
        send(kind === "full" ? UPDATE_DATA : 4, size, view);
        // What the user waits for: the update and the style and layout it leaves to do.
        void element?.offsetHeight;
        return performance.now() - start;
    };

    return {
        mount(options) {
            const plugin = window.powerbi?.visuals?.plugins?.[options.guid];
            if (!plugin)
                throw new Error(
                    `The packaged visual did not register window.powerbi.visuals.plugins["${options.guid}"].`,
                );
            calls.length = 0;
            element?.remove();
            element = document.createElement("div");
            element.className = "visual-container";
            element.style.position = "relative";
            element.style.overflow = "hidden";
            (options.container ?? document.body).appendChild(element);
            const locale = options.host?.locale ?? "en-US";
            const created = createHost(
                options.host ?? {},
                calls,
                options.stringResources?.[locale] ?? options.stringResources?.["en-US"],
            );
            restore = created.restore;
            viewport = options.viewport;
            element.style.width = `${viewport.width}px`;
            element.style.height = `${viewport.height}px`;
            visual = plugin.create({ element, host: created.host });
        },
        setData(next) {
            dataView = next ? buildDataView(next) : null;
        },
        update(type, size) {
            send(type, size ?? viewport, dataView);
        },
        timeUpdate,
        benchmark(runs, size, itemSelector): BenchmarkRun {
            const memory = () =>
                (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
            // Start from a collected heap (Chromium runs with --expose-gc), not an earlier page's garbage.
            // Detached documents take more than one collection to go.
            for (let pass = 0; pass < 3; pass++) (window as unknown as { gc?: () => void }).gc?.();
            const baselineHeapBytes = memory();
            let peakHeapBytes = baselineHeapBytes;
            const timed = (kind: "full" | "resize", at: Viewport) => {
                const ms = timeUpdate(kind, at);
                peakHeapBytes = Math.max(peakHeapBytes, memory());
                return ms;
            };
            timed("full", size);
            timed("full", size);
            const items = itemSelector ? (element?.querySelectorAll(itemSelector).length ?? 0) : 0;
            const message = element?.querySelector(".ais-message:not(.ais-hidden)");
            const fullMs: number[] = [];
            for (let run = 0; run < runs; run++) fullMs.push(timed("full", size));
            const other = { width: size.width - 20, height: size.height - 20 };
            timed("resize", other);
            const resizeMs: number[] = [];
            for (let run = 0; run < runs; run++) resizeMs.push(timed("resize", run % 2 ? other : size));
            return { available: !message || items > 0, items, fullMs, resizeMs, peakHeapBytes, baselineHeapBytes };
        },
        calls: () => JSON.parse(JSON.stringify(calls)) as RecordedCall[],
        clearCalls: () => {
            calls.length = 0;
        },
        restoreSelection: (keys) => restore(keys),
        formattingModelCards: () =>
            ((visual?.getFormattingModel?.()?.cards ?? []) as powerbi.visuals.FormattingCard[]).map((card) => ({
                card: card.uid.replace(/-card$/, ""),
                toggle: Boolean(card.topLevelToggle),
                // A slice's uid is "<object>-<property>".
                slices: (card.groups as powerbi.visuals.FormattingGroup[]).flatMap((group) =>
                    ((group.slices ?? []) as powerbi.visuals.FormattingSlice[]).map(
                        (slice) => slice.uid.split("-")[1] ?? slice.uid,
                    ),
                ),
            })),
    };
}

window.aisCreateHarness = createHarness;
window.aisHarness = createHarness();
