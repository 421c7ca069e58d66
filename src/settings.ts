import powerbi from "powerbi-visuals-api";
import capabilities from "../capabilities.json";
import { formattingSettings } from "powerbi-visuals-utils-formattingmodel";
import { CostMeasureSetting, CostSort, ServiceLegendItem } from "./data/costModel";
import { ChangeDirection } from "./data/costColumns";
import { SatisfactionSort } from "./data/satisfactionModel";
import { ViewKind, ViewMode } from "./data/viewChoice";
import { GoalSort } from "./data/goalModel";
import { DEFAULT_TOLERANCES, GoalStatusName, GoalTolerances } from "./data/goalStatus";

import Card = formattingSettings.SimpleCard;
import CompositeCard = formattingSettings.CompositeCard;
import Group = formattingSettings.Group;
import Model = formattingSettings.Model;
import ISelectionId = powerbi.visuals.ISelectionId;

// ValidatorType is a const enum that swc (used by the unit tests) cannot inline: keep its values here.
const minValidator = 0 as powerbi.visuals.ValidatorType.Min;
const maxValidator = 1 as powerbi.visuals.ValidatorType.Max;

type Item = { value: string; displayName: string; displayNameKey: string };

/** Text size is in points, as in Power BI's own visuals; 9 pt is their data labels' default. */
const defaultTextSizePt = 9;
/** CSS pixels per point (96 px to 72 pt an inch). */
const pxPerPt = 96 / 72;

// Each dropdown's items are declared once, in capabilities.json, where Power BI reads them.
const { objects } = capabilities;
const viewItems: Item[] = objects.view.properties.mode.type.enumeration;
const measureItems: Item[] = objects.cost.properties.measure.type.enumeration;
const sortItems: Item[] = objects.cost.properties.sort.type.enumeration;
const changeDirectionItems: Item[] = objects.cost.properties.changeDirection.type.enumeration;
const satisfactionSortItems: Item[] = objects.satisfaction.properties.sort.type.enumeration;
const goalSortItems: Item[] = objects.goals.properties.sort.type.enumeration;

/**
 * The statewide line: black, which no theme gives a service (nor anything close to it, in any
 * vision), so it is never read as one; its label has 21:1 contrast on white.
 */
export const defaultReferenceColor = "#000000";
/** Ratings 1 to 5, orange (negative) to purple (positive): told apart with the common color vision deficiencies. */
export const defaultRatingColors = ["#B35806", "#E08214", "#F1B36D", "#8073AC", "#542788"];

/** The data labels' color as the card comes: the text color (the satisfaction view's shares pick black or white). */
export const defaultLabelColor = "#252423";

class ViewCard extends Card {
    mode = new formattingSettings.ItemDropdown({
        name: "mode",
        displayName: "Show",
        displayNameKey: "Property_View_Mode",
        description: objects.view.properties.mode.description,
        descriptionKey: "Property_View_Mode_Description",
        items: viewItems,
        value: viewItems[0],
    });
    name = "view";
    displayName = "View";
    displayNameKey = "Object_View";
    slices = [this.mode];
}

class CostCard extends Card {
    measure = new formattingSettings.ItemDropdown({
        name: "measure",
        displayName: "Bar value",
        displayNameKey: "Property_Cost_Measure",
        items: measureItems,
        value: measureItems[0],
    });
    sort = new formattingSettings.ItemDropdown({
        name: "sort",
        displayName: "Sort",
        displayNameKey: "Property_Cost_Sort",
        items: sortItems,
        value: sortItems[0],
    });
    /** Neutral first, the default for cost: a rise is not colored good or bad unless the author says which. */
    changeDirection = new formattingSettings.ItemDropdown({
        name: "changeDirection",
        displayName: "Change colors",
        displayNameKey: "Property_Cost_ChangeDirection",
        description: objects.cost.properties.changeDirection.description,
        descriptionKey: "Property_Cost_ChangeDirection_Description",
        items: changeDirectionItems,
        value: changeDirectionItems[0],
    });
    name = "cost";
    displayName = "IT cost";
    displayNameKey = "Object_Cost";
    slices = [this.measure, this.sort, this.changeDirection];
}

class ServiceColorsCard extends Card {
    name = "serviceColors";
    displayName = "Service colors";
    displayNameKey = "Object_ServiceColors";
    slices: formattingSettings.Slice[] = [];
}

class LabelsCard extends Card {
    show = new formattingSettings.ToggleSwitch({
        name: "show",
        displayName: "Show",
        displayNameKey: "Property_Show",
        value: true,
    });
    color = new formattingSettings.ColorPicker({
        name: "color",
        displayName: "Color",
        displayNameKey: "Property_Color",
        value: { value: defaultLabelColor },
    });
    fontSize = new formattingSettings.NumUpDown({
        name: "fontSize",
        displayName: "Text size",
        displayNameKey: "Property_FontSize",
        value: defaultTextSizePt,
        options: { minValue: { type: minValidator, value: 8 }, maxValue: { type: maxValidator, value: 24 } },
    });
    displayUnits = new formattingSettings.AutoDropdown({
        name: "displayUnits",
        displayName: "Display units",
        displayNameKey: "Property_DisplayUnits",
        value: 0,
    });
    decimals = new formattingSettings.NumUpDown({
        name: "decimals",
        displayName: "Decimal places",
        displayNameKey: "Property_Decimals",
        value: null as unknown as number,
        options: { minValue: { type: minValidator, value: 0 }, maxValue: { type: maxValidator, value: 9 } },
    });
    name = "labels";
    displayName = "Data labels";
    displayNameKey = "Object_Labels";
    topLevelSlice: formattingSettings.ToggleSwitch | undefined = this.show;
    slices = [this.color, this.fontSize, this.displayUnits, this.decimals];
}

class ReferenceLineCard extends Card {
    show = new formattingSettings.ToggleSwitch({
        name: "show",
        displayName: "Show",
        displayNameKey: "Property_Show",
        value: true,
    });
    color = new formattingSettings.ColorPicker({
        name: "color",
        displayName: "Color",
        displayNameKey: "Property_Color",
        value: { value: defaultReferenceColor },
    });
    showLabel = new formattingSettings.ToggleSwitch({
        name: "showLabel",
        displayName: "Label",
        displayNameKey: "Property_ShowLabel",
        value: true,
    });
    name = "referenceLine";
    displayName = "Statewide line";
    displayNameKey = "Object_ReferenceLine";
    topLevelSlice = this.show;
    slices = [this.color, this.showLabel];
}

class TrendCard extends Card {
    show = new formattingSettings.ToggleSwitch({
        name: "show",
        displayName: "Show",
        displayNameKey: "Property_Show",
        value: true,
    });
    name = "trend";
    displayName = "Trend";
    displayNameKey = "Object_Trend";
    topLevelSlice = this.show;
    slices = [];
}

class SatisfactionCard extends CompositeCard {
    lowResponses = new formattingSettings.NumUpDown({
        name: "lowResponses",
        displayName: "Few responses below",
        displayNameKey: "Property_Satisfaction_LowResponses",
        value: 10,
        options: { minValue: { type: minValidator, value: 0 }, maxValue: { type: maxValidator, value: 100000 } },
    });
    sort = new formattingSettings.ItemDropdown({
        name: "sort",
        displayName: "Sort",
        displayNameKey: "Property_Satisfaction_Sort",
        items: satisfactionSortItems,
        value: satisfactionSortItems[0],
    });
    ratingColors = defaultRatingColors.map(
        (color, index) =>
            new formattingSettings.ColorPicker({
                name: `rating${index + 1}`,
                displayName: `Rating ${index + 1}`,
                displayNameKey: `Property_Satisfaction_Rating${index + 1}`,
                value: { value: color },
            }),
    );
    name = "satisfaction";
    displayName = "Agency satisfaction";
    displayNameKey = "Object_Satisfaction";
    // Grouped as Power BI's own cards are: what the rows mean, their order, their colors.
    groups = [
        new Group({
            name: "satisfactionRows",
            displayName: "Rows",
            displayNameKey: "Group_Rows",
            slices: [this.lowResponses, this.sort],
        }),
        new Group({
            name: "satisfactionColors",
            displayName: "Rating colors",
            displayNameKey: "Group_RatingColors",
            slices: this.ratingColors,
        }),
    ];
}

/** Default status colors: white badge text on each is 4.5:1 or more, and every badge also has an icon and a word. */
export const defaultStatusColors: Record<GoalStatusName, string> = {
    Met: "#107C10",
    "On track": "#0F6CBD",
    "At risk": "#8F5B00",
    Behind: "#C23B00",
    Missed: "#A4262C",
    "Not met": "#605E5C",
    "No data": "#6E6E6E",
};

const statusColorSlices: { status: GoalStatusName; name: string; key: string }[] = [
    { status: "Met", name: "metColor", key: "Status_Met" },
    { status: "On track", name: "onTrackColor", key: "Status_OnTrack" },
    { status: "At risk", name: "atRiskColor", key: "Status_AtRisk" },
    { status: "Behind", name: "behindColor", key: "Status_Behind" },
    { status: "Missed", name: "missedColor", key: "Status_Missed" },
    { status: "Not met", name: "notMetColor", key: "Status_NotMet" },
    { status: "No data", name: "noDataColor", key: "Status_NoData" },
];

class GoalsCard extends CompositeCard {
    onTrackTolerance = new formattingSettings.NumUpDown({
        name: "onTrackTolerance",
        displayName: "On-track tolerance (points)",
        displayNameKey: "Property_Goals_OnTrack",
        description:
            "This visual only: the model's Goal Status uses its OnTrackTolerancePoints parameter (same default).",
        descriptionKey: "Property_Goals_OnTrack_Description",
        value: DEFAULT_TOLERANCES.onTrack * 100,
        options: { minValue: { type: minValidator, value: 0 }, maxValue: { type: maxValidator, value: 100 } },
    });
    atRiskTolerance = new formattingSettings.NumUpDown({
        name: "atRiskTolerance",
        displayName: "At-risk tolerance (points)",
        displayNameKey: "Property_Goals_AtRisk",
        description:
            "This visual only: the model's Goal Status uses its AtRiskTolerancePoints parameter (same default).",
        descriptionKey: "Property_Goals_AtRisk_Description",
        value: DEFAULT_TOLERANCES.atRisk * 100,
        options: { minValue: { type: minValidator, value: 0 }, maxValue: { type: maxValidator, value: 100 } },
    });
    sort = new formattingSettings.ItemDropdown({
        name: "sort",
        displayName: "Sort",
        displayNameKey: "Property_Goals_Sort",
        items: goalSortItems,
        value: goalSortItems[0],
    });
    colors = statusColorSlices.map(
        (slice) =>
            new formattingSettings.ColorPicker({
                name: slice.name,
                displayName: slice.status,
                displayNameKey: slice.key,
                value: { value: defaultStatusColors[slice.status] },
            }),
    );
    name = "goals";
    displayName = "Team goals";
    displayNameKey = "Object_Goals";
    groups = [
        new Group({
            name: "goalsStatus",
            displayName: "Status rules",
            displayNameKey: "Group_StatusRules",
            slices: [this.onTrackTolerance, this.atRiskTolerance],
        }),
        new Group({ name: "goalsOrder", displayName: "Rows", displayNameKey: "Group_Rows", slices: [this.sort] }),
        new Group({
            name: "goalsColors",
            displayName: "Status colors",
            displayNameKey: "Group_StatusColors",
            slices: this.colors,
        }),
    ];
}

/** The Format pane: one card per object in capabilities.json. */
export class VisualSettings extends Model {
    view = new ViewCard();
    cost = new CostCard();
    serviceColors = new ServiceColorsCard();
    labels = new LabelsCard();
    referenceLine = new ReferenceLineCard();
    trend = new TrendCard();
    satisfaction = new SatisfactionCard();
    goals = new GoalsCard();
    cards = [
        this.view,
        this.cost,
        this.serviceColors,
        this.labels,
        this.referenceLine,
        this.trend,
        this.satisfaction,
        this.goals,
    ];

    get viewMode(): ViewMode {
        return this.mode(this.view.mode, viewItems) as ViewMode;
    }
    get costMeasure(): CostMeasureSetting {
        return this.mode(this.cost.measure, measureItems) as CostMeasureSetting;
    }
    get costSort(): CostSort {
        return this.mode(this.cost.sort, sortItems) as CostSort;
    }
    get costChangeDirection(): ChangeDirection {
        return this.mode(this.cost.changeDirection, changeDirectionItems) as ChangeDirection;
    }
    get satisfactionSort(): SatisfactionSort {
        return this.mode(this.satisfaction.sort, satisfactionSortItems) as SatisfactionSort;
    }
    /** Rows with fewer responses are marked as few; a whole number, 0 marks none. */
    get lowResponseThreshold(): number {
        const value = this.satisfaction.lowResponses.value;
        return typeof value === "number" && Number.isFinite(value) ? Math.max(0, Math.round(value)) : 10;
    }
    get ratingColors(): string[] {
        return this.satisfaction.ratingColors.map((slice, index) => slice.value?.value || defaultRatingColors[index]);
    }
    get goalSort(): GoalSort {
        return this.mode(this.goals.sort, goalSortItems) as GoalSort;
    }
    /** The Format pane's tolerances, in points, as the fractions goalStatus takes (0 to 1). */
    get goalTolerances(): GoalTolerances {
        const points = (value: unknown, fallback: number) =>
            typeof value === "number" && Number.isFinite(value) ? Math.min(100, Math.max(0, value)) / 100 : fallback;
        return {
            onTrack: points(this.goals.onTrackTolerance.value, DEFAULT_TOLERANCES.onTrack),
            atRisk: points(this.goals.atRiskTolerance.value, DEFAULT_TOLERANCES.atRisk),
        };
    }
    get statusColors(): Record<GoalStatusName, string> {
        const colors = { ...defaultStatusColors };
        statusColorSlices.forEach((slice, index) => {
            const value = this.goals.colors[index].value?.value;
            if (typeof value === "string" && value !== "") colors[slice.status] = value;
        });
        return colors;
    }
    get decimals(): number | null {
        const value = this.labels.decimals.value;
        return typeof value === "number" && Number.isFinite(value) ? Math.min(9, Math.max(0, Math.round(value))) : null;
    }
    /** The Format pane's text size (points, 8 to 24) in the CSS pixels the views draw and measure in. */
    get fontSize(): number {
        const value = this.labels.fontSize.value;
        const points = typeof value === "number" && Number.isFinite(value) ? Math.min(24, Math.max(8, value)) : 9;
        return points * pxPerPt;
    }
    get displayUnits(): number {
        const value = Number(this.labels.displayUnits.value);
        return Number.isFinite(value) && value >= 0 ? value : 0;
    }

    /** One color picker per service, bound to the service's series so the choice is saved per service. */
    setServiceColorSlices(
        services: ServiceLegendItem[],
        selectorOf: (service: ServiceLegendItem) => ISelectionId,
    ): void {
        this.serviceColors.slices = services.map(
            (service) =>
                new formattingSettings.ColorPicker({
                    name: "fill",
                    displayName: service.name,
                    value: { value: service.color },
                    selector: selectorOf(service).getSelector(),
                }),
        );
    }

    /**
     * Shows only the cards and options that do something in the view drawn (none but View when a
     * message is shown instead): an option that changes nothing is not offered.
     */
    showOnlyWhatApplies(view: ViewKind | null, drawn: { hasTrend: boolean }): void {
        this.cost.visible = view === "cost";
        // The change is drawn only with a trend: its colors apply only then.
        this.cost.changeDirection.visible = drawn.hasTrend;
        this.serviceColors.visible = view === "cost" && this.serviceColors.slices.length > 0;
        this.referenceLine.visible = view === "cost";
        this.trend.visible = (view === "cost" || view === "satisfaction") && drawn.hasTrend;
        this.satisfaction.visible = view === "satisfaction";
        this.goals.visible = view === "goals";
        // Every view draws its values as data labels: Show, Color, Display units and Decimal places
        // apply in each (the goal view's values keep their unit's format string).
        this.labels.visible = view !== null;
    }

    /** Dropdown values come back from saved objects as { value } or the raw value: read either. */
    private mode(slice: formattingSettings.ItemDropdown, items: Item[]): string {
        const raw = (slice.value as { value?: unknown } | undefined)?.value ?? slice.value;
        return items.some((item) => item.value === raw) ? String(raw) : items[0].value;
    }
}
