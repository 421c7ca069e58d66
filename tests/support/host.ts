import powerbi from "powerbi-visuals-api";
import { Visual } from "../../src/visual";
import { DEFAULT_THEME_COLORS } from "./themeColors";

/**
 * A Power BI host for unit tests that records every call the visual makes, with selection ids
 * whose keys name the category or series they were built from, so tests can assert identities.
 */
export interface RecordedCall {
    service: string;
    method: string;
    args: unknown[];
}

export class TestSelectionId {
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
    getSelector(): powerbi.data.Selector {
        return { data: [{ key: this.key }] } as unknown as powerbi.data.Selector;
    }
    getSelectorsByColumn(): powerbi.data.Selector {
        return this.getSelector();
    }
    hasIdentity(): boolean {
        return true;
    }
}

export interface TestHostOptions {
    locale?: string;
    allowInteractions?: boolean;
    highContrast?: boolean;
}

export function createTestHost(options: TestHostOptions = {}) {
    const calls: RecordedCall[] = [];
    const record = (service: string, method: string, ...args: unknown[]) => calls.push({ service, method, args });
    let onSelect: ((ids: powerbi.extensibility.ISelectionId[]) => void) | undefined;
    const colors = DEFAULT_THEME_COLORS;
    const assigned = new Map<string, string>();

    const host = {
        locale: options.locale ?? "en-US",
        hostCapabilities: { allowInteractions: options.allowInteractions ?? true },
        eventService: {
            renderingStarted: (...args: unknown[]) => record("events", "renderingStarted", ...args),
            renderingFinished: (...args: unknown[]) => record("events", "renderingFinished", ...args),
            renderingFailed: (...args: unknown[]) => record("events", "renderingFailed", ...args),
        },
        colorPalette: {
            isHighContrast: options.highContrast ?? false,
            foreground: { value: "#FFFF00" },
            background: { value: "#000000" },
            foregroundSelected: { value: "#00FFFF" },
            getColor(key: string) {
                if (!assigned.has(key)) assigned.set(key, colors[assigned.size % colors.length]);
                return { value: assigned.get(key) as string };
            },
        },
        createSelectionIdBuilder() {
            const parts: string[] = [];
            const builder = {
                withCategory(column: powerbi.DataViewCategoryColumn, index: number) {
                    parts.push((column.identity?.[index] as unknown as { key: string }).key);
                    return builder;
                },
                withSeries(_values: unknown, group: powerbi.DataViewValueColumnGroup) {
                    parts.push((group.identity as unknown as { key: string }).key);
                    return builder;
                },
                withMeasure(measure: string) {
                    parts.push(`measure=${measure}`);
                    return builder;
                },
                createSelectionId() {
                    return new TestSelectionId(parts.join("&"));
                },
            };
            return builder;
        },
        createSelectionManager() {
            return {
                select: (id: TestSelectionId, multi = false) => {
                    record("selection", "select", id.key, multi);
                    return Promise.resolve([]);
                },
                clear: () => {
                    record("selection", "clear");
                    return Promise.resolve({});
                },
                showContextMenu: (id: TestSelectionId | object, position: unknown) => {
                    record("selection", "showContextMenu", (id as TestSelectionId).key ?? null, position);
                    return Promise.resolve({});
                },
                registerOnSelectCallback: (callback: (ids: powerbi.extensibility.ISelectionId[]) => void) => {
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
            show: (options: powerbi.extensibility.TooltipShowOptions) => record("tooltip", "show", options),
            move: (options: unknown) => record("tooltip", "move", options),
            hide: (options: unknown) => record("tooltip", "hide", options),
        },
        createLocalizationManager: () => ({ getDisplayName: (key: string) => key }),
        displayWarningIcon: (...args: unknown[]) => record("host", "displayWarningIcon", ...args),
        fetchMoreData: (...args: unknown[]) => {
            record("host", "fetchMoreData", ...args);
            return false;
        },
        persistProperties: (...args: unknown[]) => record("host", "persistProperties", ...args),
    };

    return {
        host: host as unknown as powerbi.extensibility.visual.IVisualHost,
        calls,
        callsOf: (service: string, method?: string) =>
            calls.filter((call) => call.service === service && (!method || call.method === method)),
        /** Power BI restoring a bookmark's selection. */
        restoreSelection: (keys: string[]) =>
            onSelect?.(keys.map((key) => new TestSelectionId(key)) as unknown as powerbi.extensibility.ISelectionId[]),
    };
}

export type TestHost = ReturnType<typeof createTestHost>;

/** The visual in a jsdom element, with a helper to send updates as Power BI does. */
/** VisualUpdateType values (a const enum the test compiler cannot inline). */
export const UpdateType = { Data: 2, Resize: 4, ResizeEnd: 16 } as const;

export function mountVisual(options: TestHostOptions = {}, viewport = { width: 600, height: 400 }) {
    const element = document.createElement("div");
    document.body.appendChild(element);
    const testHost = createTestHost(options);
    const visual = new Visual({
        element,
        host: testHost.host,
    } as powerbi.extensibility.visual.VisualConstructorOptions);
    const update = (dataView: powerbi.DataView | undefined, type: number = UpdateType.Data, size = viewport) =>
        visual.update({
            dataViews: dataView ? [dataView] : [],
            viewport: size,
            type,
        } as unknown as powerbi.extensibility.visual.VisualUpdateOptions);
    return { element, visual, update, ...testHost, unmount: () => element.remove() };
}

export function withObjects(dataView: powerbi.DataView, objects: powerbi.DataViewObjects): powerbi.DataView {
    return { ...dataView, metadata: { ...dataView.metadata, objects } };
}
