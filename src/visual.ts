import powerbi from "powerbi-visuals-api";
import { FormattingSettingsService } from "powerbi-visuals-utils-formattingmodel";
import "./../style/visual.less";

import { buildCostModel, CostBar, CostReference, CostViewModel } from "./data/costModel";
import { readRoleTable, Role, RoleName, RoleTable } from "./data/roles";
import { buildGoalModel, GoalViewModel } from "./data/goalModel";
import { buildSatisfactionModel, SatisfactionRow, SatisfactionViewModel } from "./data/satisfactionModel";
import { englishStrings, Localize, roleNameKeys, StringKey } from "./data/strings";
import { chooseView, missingRoles, requiredRoles, ViewKind } from "./data/viewChoice";
import { decideMoreData } from "./data/dataLimits";
import { costReferenceName, costRowDescriber } from "./data/rowLabels";
import { renderWithEvents } from "./renderLifecycle";
import { clock } from "./clock";
import { defaultLabelColor, VisualSettings } from "./settings";
import { createTextMeasurer } from "./textMeasurer";
import { IdentityIndex } from "./identityIndex";
import { CostView } from "./views/costView";
import { GoalEvents, GoalRowDatum, GoalView, GoalViewLabels } from "./views/goalView";
import { Message, MessageView } from "./views/messageView";
import { SatisfactionView } from "./views/satisfactionView";
import { ItemEvents, Palette, Viewport } from "./views/viewTypes";

import IVisual = powerbi.extensibility.visual.IVisual;
import IVisualHost = powerbi.extensibility.visual.IVisualHost;
import VisualConstructorOptions = powerbi.extensibility.visual.VisualConstructorOptions;
import VisualUpdateOptions = powerbi.extensibility.visual.VisualUpdateOptions;
import ISelectionManager = powerbi.extensibility.ISelectionManager;
import ISelectionId = powerbi.visuals.ISelectionId;
import DataView = powerbi.DataView;

interface Warning {
    title: string;
    detail: string;
}

/** What the data layer made of the last DataView: a view's model ready to draw, or a message for the user. */
type Content = { kind: "message"; message: Message } | BuiltView;

/** A view's model with what the host needs of it; render draws that model. */
interface BuiltView {
    kind: ViewKind;
    identities: Identities;
    hasTrend: boolean;
    warning: Warning | null;
    render(viewport: Viewport): void;
}

/** A view's data as built: the model, its items' identities, and what the host shows around it. */
interface Built<M> {
    model: M;
    identities: Identities;
    hasTrend?: boolean;
    warning?: Warning | null;
}

/**
 * A view as the host sees it: its kind, the fields it cannot draw without, how its model is built
 * from the bound fields and how it is drawn. The host loops over these instead of branching per view.
 */
interface ViewEntry<M> {
    kind: ViewKind;
    requiredRoles: readonly RoleName[];
    /** The view's name and its hint, for the "bind these fields" and "no rows" messages. */
    title: StringKey;
    hint: StringKey;
    view: { show(visible: boolean): void };
    build(table: RoleTable): Built<M>;
    render(model: M, viewport: Viewport): void;
}

/** A registered view: its model type stays inside, so views of different models sit in one list. */
interface RegisteredView {
    kind: ViewKind;
    requiredRoles: readonly RoleName[];
    title: StringKey;
    hint: StringKey;
    show(visible: boolean): void;
    build(table: RoleTable): BuiltView;
}

function registerView<M>(entry: ViewEntry<M>): RegisteredView {
    return {
        kind: entry.kind,
        requiredRoles: entry.requiredRoles,
        title: entry.title,
        hint: entry.hint,
        show: (visible) => entry.view.show(visible),
        build: (table) => {
            const { model, identities, hasTrend, warning } = entry.build(table);
            return {
                kind: entry.kind,
                identities,
                hasTrend: hasTrend ?? false,
                warning: warning ?? null,
                render: (viewport) => entry.render(model, viewport),
            };
        },
    };
}

/** The cost view draws its model with a row describer made with it. */
interface CostContent {
    model: CostViewModel;
    describe: (bar: CostBar) => string;
}

const ratingNameKeys: StringKey[] = [
    "Sat_Rating1_Name",
    "Sat_Rating2_Name",
    "Sat_Rating3_Name",
    "Sat_Rating4_Name",
    "Sat_Rating5_Name",
];

type Identities = Pick<IdentityIndex<{ key: string; row: number }>, "has" | "get" | "entries">;

/**
 * The host layer: wires Power BI's services to the data layer (src/data) and the views
 * (src/views). Data work happens only when the DataView changes; a resize only lays out again.
 */
export class Visual implements IVisual {
    private readonly host: IVisualHost;
    private readonly element: HTMLElement;
    private readonly selectionManager: ISelectionManager;
    private readonly formattingSettingsService: FormattingSettingsService;
    private readonly localize: Localize;
    private readonly messageView: MessageView;
    private readonly costView: CostView;
    private readonly goalView: GoalView;
    private readonly satisfactionView: SatisfactionView;
    private readonly views: RegisteredView[];
    private settings = new VisualSettings();
    private lastDataView: DataView | undefined | null = null;
    private content: Content | null = null;
    private selectedKeys = new Set<string>();
    private collapsedTeams = new Set<string>();
    private goalLabels: GoalViewLabels | null = null;
    private lastUpdate: VisualUpdateOptions | null = null;
    /** The warning icon's message for the current data, if any. */
    private warning: Warning | null = null;

    // Optional because pbiviz's generated plugin passes options through an optional parameter.
    constructor(options?: VisualConstructorOptions) {
        if (!options) throw new Error("Power BI creates this visual with constructor options.");
        this.host = options.host;
        this.element = options.element;
        const localizationManager = this.host.createLocalizationManager?.();
        this.localize = (key: StringKey) => {
            const text = localizationManager?.getDisplayName(key);
            return text && text !== key ? text : englishStrings[key];
        };
        this.formattingSettingsService = new FormattingSettingsService(localizationManager);
        this.selectionManager = this.host.createSelectionManager();
        this.selectionManager.registerOnSelectCallback?.((ids) => this.restoreSelection(ids as ISelectionId[]));

        const root = document.createElement("div");
        root.className = "ais-root";
        this.element.appendChild(root);
        this.messageView = new MessageView(root);
        this.costView = new CostView(root, createTextMeasurer(), this.itemEvents<CostBar | CostReference>());
        this.goalView = new GoalView(root, createTextMeasurer(), this.goalEvents());
        this.satisfactionView = new SatisfactionView(root, createTextMeasurer(), this.itemEvents<SatisfactionRow>());
        this.views = [
            registerView({
                kind: "cost",
                requiredRoles: requiredRoles.cost,
                title: "View_Cost",
                hint: "Landing_Cost",
                view: this.costView,
                build: (table) => this.buildCost(table),
                render: (model, viewport) => this.renderCost(model, viewport),
            }),
            registerView({
                kind: "goals",
                requiredRoles: requiredRoles.goals,
                title: "View_Goals",
                hint: "Landing_Goals",
                view: this.goalView,
                build: (table) => this.buildGoals(table),
                render: (model, viewport) => this.renderGoals(model, viewport),
            }),
            registerView({
                kind: "satisfaction",
                requiredRoles: requiredRoles.satisfaction,
                title: "View_Satisfaction",
                hint: "Landing_Satisfaction",
                view: this.satisfactionView,
                build: (table) => this.buildSatisfaction(table),
                render: (model, viewport) => this.renderSatisfaction(model, viewport),
            }),
        ];
        root.addEventListener("contextmenu", (event) => {
            if (event.defaultPrevented) return;
            event.preventDefault();
            if (this.interactive) this.selectionManager.showContextMenu({}, { x: event.clientX, y: event.clientY });
        });
    }

    update(options: VisualUpdateOptions): void {
        renderWithEvents(this.host.eventService, options, () => {
            this.lastUpdate = options;
            const dataView = options.dataViews?.[0];
            if (dataView !== this.lastDataView) {
                this.lastDataView = dataView;
                this.settings = this.formattingSettingsService.populateFormattingSettingsModel(
                    VisualSettings,
                    dataView as DataView,
                );
                this.content = this.buildContent(dataView);
                const content = this.content;
                this.settings.showOnlyWhatApplies(content.kind === "message" ? null : content.kind, {
                    hasTrend: content.kind !== "message" && content.hasTrend,
                });
                this.warning = this.requestMoreData(dataView) ?? (content.kind === "message" ? null : content.warning);
            }
            this.render();
            // Decided once per data change; shown with every update, as Power BI draws the icon per update.
            if (this.warning) this.host.displayWarningIcon?.(this.warning.title, this.warning.detail);
        });
    }

    /** Beyond one window of rows, fetch further segments up to a cap, then say the data was cut. */
    private requestMoreData(dataView: DataView | undefined): Warning | null {
        const rows = dataView?.categorical?.categories?.[0]?.values?.length ?? 0;
        let decision = decideMoreData(Boolean(dataView?.metadata?.segment), rows);
        if (decision === "fetch" && !this.host.fetchMoreData?.(true)) decision = "warn";
        return decision === "warn"
            ? { title: this.localize("Warning_DataCut_Title"), detail: this.localize("Warning_DataCut_Detail") }
            : null;
    }

    getFormattingModel(): powerbi.visuals.FormattingModel {
        return this.formattingSettingsService.buildFormattingModel(this.settings);
    }

    private get interactive(): boolean {
        return this.host.hostCapabilities?.allowInteractions !== false;
    }

    private buildContent(dataView: DataView | undefined): Content {
        const table = readRoleTable(dataView);
        if (table.bound.size === 0) return { kind: "message", message: this.landingMessage() };
        const kind = chooseView(table.bound, this.settings.viewMode);
        const view = this.views.find((candidate) => candidate.kind === kind) ?? this.views[0];
        const missing = missingRoles(view.requiredRoles, table.bound);
        if (missing.length > 0)
            return {
                kind: "message",
                message: {
                    title: this.localize(view.title),
                    lines: [
                        `${this.localize("Missing_Fields")} ${missing.map((role) => this.localize(roleNameKeys[role])).join(", ")}`,
                        this.localize(view.hint),
                    ],
                },
            };
        if (table.rowCount === 0)
            return {
                kind: "message",
                message: { title: this.localize(view.title), lines: [this.localize("No_Rows")] },
            };
        return view.build(table);
    }

    private render(): void {
        const viewport = this.lastUpdate?.viewport ?? {
            width: this.element.clientWidth,
            height: this.element.clientHeight,
        };
        const content = this.content;
        this.messageView.render(content?.kind === "message" ? content.message : null);
        for (const view of this.views) view.show(content?.kind === view.kind);
        if (content && content.kind !== "message") content.render(viewport);
    }

    private buildCost(table: RoleTable): Built<CostContent> {
        const model = buildCostModel(
            table,
            {
                measure: this.settings.costMeasure,
                sort: this.settings.costSort,
                changeDirection: this.settings.costChangeDirection,
                displayUnits: this.settings.displayUnits,
                decimals: this.settings.decimals,
            },
            {
                locale: this.host.locale ?? "en-US",
                localize: this.localize,
                paletteColor: (service) => this.host.colorPalette.getColor(service).value,
                // The palette hands out the theme's colors in turn: keys no service has take the next ones.
                spareColors: () =>
                    Array.from(
                        { length: 8 },
                        (_, index) => this.host.colorPalette.getColor(`ais-spare-${index}`).value,
                    ),
            },
        );
        this.settings.setServiceColorSlices(model.services, (service) =>
            this.seriesIdentity(table, service.seriesIndex),
        );
        const identities = this.agencyIdentities(table, model.bars);
        // A new DataView may no longer hold what was selected.
        this.selectedKeys = new Set([...this.selectedKeys].filter((key) => identities.has(key)));
        const describe = costRowDescriber(model, this.localize, this.host.locale ?? "en-US");
        return { model: { model, describe }, identities, hasTrend: model.hasTrend };
    }

    private renderCost({ model, describe }: CostContent, viewport: Viewport): void {
        const labels = this.settings.labels;
        const reference = this.settings.referenceLine;
        this.costView.render(
            model,
            { width: viewport.width, height: viewport.height },
            {
                fontSize: this.settings.fontSize,
                showLabels: labels.show.value,
                labelColor: labels.color.value.value,
                showReference: reference.show.value,
                referenceColor: reference.color.value.value,
                showReferenceLabel: reference.showLabel.value,
                showTrend: this.settings.trend.show.value,
                describe,
                referenceName: costReferenceName(model, this.localize),
                selected: this.selectedKeys,
                palette: this.palette(),
            },
        );
    }

    private buildSatisfaction(table: RoleTable): Built<SatisfactionViewModel> {
        const model = buildSatisfactionModel(
            table,
            {
                lowResponseThreshold: this.settings.lowResponseThreshold,
                sort: this.settings.satisfactionSort,
                colors: this.settings.ratingColors,
                displayUnits: this.settings.displayUnits,
                decimals: this.settings.decimals,
            },
            { locale: this.host.locale ?? "en-US", localize: this.localize },
        );
        const identities = this.agencyIdentities(
            table,
            model.rows.filter((row) => row.row >= 0),
        );
        this.selectedKeys = new Set([...this.selectedKeys].filter((key) => identities.has(key)));
        return { model, identities, hasTrend: model.hasTrend, warning: model.warning };
    }

    private renderSatisfaction(model: SatisfactionViewModel, viewport: Viewport): void {
        this.satisfactionView.render(
            model,
            { width: viewport.width, height: viewport.height },
            {
                fontSize: this.settings.fontSize,
                showLabels: this.settings.labels.show.value,
                // The card's default picks black or white per segment, as Power BI's labels inside bars do.
                labelColor:
                    this.settings.labels.color.value.value === defaultLabelColor
                        ? null
                        : this.settings.labels.color.value.value,
                showTrend: this.settings.trend.show.value,
                selected: this.selectedKeys,
                palette: this.palette(),
                labels: {
                    sideLow: this.localize("Sat_Side_Low"),
                    sideHigh: this.localize("Sat_Side_High"),
                    average: this.localize("Sat_Col_Average"),
                    responses: this.localize("Sat_Col_Responses"),
                    followUp: this.localize("Sat_Col_FollowUp"),
                    legend: this.localize("Sat_Legend"),
                    noResponses: this.localize("Sat_NoResponses"),
                    ratingNames: ratingNameKeys.map((key) => this.localize(key)),
                    aboveMark: this.localize("Sat_Above_Mark"),
                    aboveKey: this.localize("Sat_Above_Key"),
                    few: `(${this.localize("Sat_Few")})`,
                },
            },
        );
    }

    private buildGoals(table: RoleTable): Built<GoalViewModel> {
        const model = buildGoalModel(
            table,
            {
                tolerances: this.settings.goalTolerances,
                sort: this.settings.goalSort,
                labels: { displayUnits: this.settings.displayUnits, decimals: this.settings.decimals },
            },
            {
                locale: this.host.locale ?? "en-US",
                localize: this.localize,
                today: clock.today(),
            },
        );
        // A goal is its team and its name; a team header is the team alone.
        const teamColumn = table.category(Role.team);
        const goalColumn = table.category(Role.goal);
        const items = function* (): Iterable<{ key: string; row: number; team: boolean }> {
            for (const team of model.teams) {
                if (teamColumn && team.row >= 0) yield { key: team.key, row: team.row, team: true };
                if (goalColumn) for (const goal of team.goals) yield { key: goal.key, row: goal.row, team: false };
            }
        };
        const identities = new IdentityIndex(items, (item) => {
            const builder = this.host.createSelectionIdBuilder();
            if (teamColumn) builder.withCategory(teamColumn, item.row);
            if (item.team) return builder.createSelectionId();
            return goalColumn ? builder.withCategory(goalColumn, item.row).createSelectionId() : null;
        });
        this.selectedKeys = new Set([...this.selectedKeys].filter((key) => identities.has(key)));
        return { model, identities };
    }

    private renderGoals(model: GoalViewModel, viewport: Viewport): void {
        this.goalView.render(
            model,
            { width: viewport.width, height: viewport.height },
            {
                fontSize: this.settings.fontSize,
                showValues: this.settings.labels.show.value,
                valueColor: this.settings.labels.color.value.value,
                statusColors: this.settings.statusColors,
                collapsed: this.collapsedTeams,
                selected: this.selectedKeys,
                palette: this.palette(),
                labels: (this.goalLabels ??= this.goalViewLabels()),
            },
        );
    }

    /** The goal view's words, looked up once: the view measures them once per model and words. */
    private goalViewLabels(): GoalViewLabels {
        const localize = this.localize;
        return {
            collapse: localize("Goal_Collapse"),
            expand: localize("Goal_Expand"),
            columns: {
                goal: localize("Goal_Col_Goal"),
                progress: localize("Goal_Col_Progress"),
                values: localize("Goal_Col_Values"),
                done: localize("Goal_Col_Done"),
                status: localize("Goal_Col_Status"),
                due: localize("Goal_Col_Due"),
                trend: localize("Goal_Col_Trend"),
            },
            key: {
                target: localize("Goal_Key_Target"),
                expected: localize("Goal_Key_Expected"),
                lower: localize("Goal_Key_Lower"),
            },
        };
    }

    /** Goals and team headers select and filter; collapsing a team is view state, not saved with the report. */
    private goalEvents(): GoalEvents {
        return {
            ...this.itemEvents<GoalRowDatum>(),
            toggle: (team) => {
                if (this.collapsedTeams.has(team.key)) this.collapsedTeams.delete(team.key);
                else this.collapsedTeams.add(team.key);
                this.render();
            },
        };
    }

    private palette(): Palette {
        const palette = this.host.colorPalette as powerbi.extensibility.ISandboxExtendedColorPalette;
        return {
            isHighContrast: Boolean(palette.isHighContrast),
            foreground: palette.foreground?.value ?? "#000000",
            background: palette.background?.value ?? "#ffffff",
            foregroundSelected: palette.foregroundSelected?.value ?? "#000000",
        };
    }

    private landingMessage(): Message {
        return {
            title: this.localize("Visual_Title"),
            lines: [
                this.localize("Landing_Intro"),
                this.localize("Landing_Cost"),
                this.localize("Landing_Goals"),
                this.localize("Landing_Satisfaction"),
            ],
        };
    }

    /** An agency's identity, from any of its category rows. */
    private agencyIdentities(table: RoleTable, items: { key: string; row: number }[]): Identities {
        const agencyColumn = table.category(Role.agency);
        return new IdentityIndex(
            () => (agencyColumn ? items : []),
            (item) =>
                agencyColumn
                    ? this.host.createSelectionIdBuilder().withCategory(agencyColumn, item.row).createSelectionId()
                    : null,
        );
    }

    private seriesIdentity(table: RoleTable, seriesIndex: number): ISelectionId {
        const values = this.lastDataView?.categorical?.values;
        const group = table.series[seriesIndex]?.group;
        const builder = this.host.createSelectionIdBuilder();
        return (values && group ? builder.withSeries(values, group) : builder).createSelectionId();
    }

    /**
     * Selection, context menu and tooltips work alike in every view: items are found by key in the
     * current content's identities. Items without one (the statewide row) only show their tooltip.
     */
    private itemEvents<
        T extends { key: string; tooltip: powerbi.extensibility.VisualTooltipDataItem[] },
    >(): ItemEvents<T> {
        const identityOf = (item: T | null) =>
            item && this.content && this.content.kind !== "message" ? this.content.identities.get(item.key) : undefined;
        return {
            select: (item, multiSelect) => {
                const identity = identityOf(item);
                if (!this.interactive || !identity) return;
                if (multiSelect) {
                    if (this.selectedKeys.has(item.key)) this.selectedKeys.delete(item.key);
                    else this.selectedKeys.add(item.key);
                } else {
                    const onlyThis = this.selectedKeys.size === 1 && this.selectedKeys.has(item.key);
                    this.selectedKeys = onlyThis ? new Set() : new Set([item.key]);
                }
                void this.selectionManager.select(identity, multiSelect);
                this.render();
            },
            clear: () => {
                if (!this.interactive) return;
                this.selectedKeys.clear();
                void this.selectionManager.clear();
                this.render();
            },
            contextMenu: (item, x, y) => {
                if (this.interactive) void this.selectionManager.showContextMenu(identityOf(item) ?? {}, { x, y });
            },
            showTooltip: (item, x, y) => {
                const identity = identityOf(item);
                const bounds = this.element.getBoundingClientRect();
                this.host.tooltipService?.show({
                    coordinates: [x - bounds.left, y - bounds.top],
                    isTouchEvent: false,
                    dataItems: item.tooltip,
                    identities: identity ? [identity] : [],
                });
            },
            hideTooltip: () => this.host.tooltipService?.hide({ immediately: true, isTouchEvent: false }),
        };
    }

    /** Bookmarks and other visuals' selections come back as ids: show them as selected. */
    private restoreSelection(ids: ISelectionId[]): void {
        if (!this.content || this.content.kind === "message") return;
        const keys = new Set<string>();
        for (const [key, identity] of this.content.identities.entries()) {
            if (ids.some((id) => id.equals(identity))) keys.add(key);
        }
        this.selectedKeys = keys;
        this.render();
    }
}
