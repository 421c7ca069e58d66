/**
 * The ready report: three pages, each with the Agency IT Scorecard visual in one of its views and
 * the built-in visuals a report user expects beside it (fiscal-year slicer, agency or team slicer,
 * a headline card), and two drill-through pages of Power BI tables (Follow-ups, Improvement plans).
 * Fields are named as DAX references and resolved against the connector schema
 * (src/schema.ts); the scorecard's bindings are VISUAL_BINDINGS by data role, so a renamed role,
 * column or measure fails type checking, generation and the report tests instead of a report.
 */
import type { ViewKind } from "../../../src/data/viewChoice";
import { BoundRole, VISUAL_BINDINGS } from "../schema";

/** The visual's own names: its data roles and the views its View → Show option forces. */
export type Role = BoundRole;
export type ViewMode = ViewKind;

export interface Position {
    x: number;
    y: number;
    width: number;
    height: number;
}

interface VisualBase {
    /** Folder name and `name` of the visual container: stable, unique in the report. */
    id: string;
    position: Position;
}

export interface ScorecardDef extends VisualBase {
    kind: "scorecard";
    title: string;
    view: ViewMode;
    /** Data roles bound, each to VISUAL_BINDINGS[role]. */
    roles: readonly Role[];
    /** Measures bound to the Tooltips well (DAX references), shown in each item's tooltip. */
    tooltips?: readonly string[];
}

export interface SlicerDef extends VisualBase {
    kind: "slicer";
    /** DAX reference of the column sliced. */
    field: string;
    label: string;
    /** Slicers in one group keep the same selection on every page. */
    syncGroup: string;
    /** One value at a time: a fiscal year, so no figure adds up two years. */
    singleSelect?: boolean;
}

export interface CardDef extends VisualBase {
    kind: "card";
    /** DAX reference of the measure shown. */
    field: string;
    label: string;
}

/** Power BI's own table visual: one row per combination of the columns, with the measures beside them. */
export interface TableVisualDef extends VisualBase {
    kind: "table";
    title: string;
    /** DAX references of the columns and measures, in display order, each with its caption. */
    fields: readonly { field: string; label: string }[];
}

export type VisualDef = ScorecardDef | SlicerDef | CardDef | TableVisualDef;

export interface PageDef {
    /** Folder name and `name` of the page: stable. */
    id: string;
    displayName: string;
    visuals: readonly VisualDef[];
    /** A drill-through page: right-click an item of this column on another page, Drill through, and land here filtered to it. */
    drillthrough?: { field: string };
}

export const PAGE_WIDTH = 1280;
export const PAGE_HEIGHT = 720;

/** Friendlier captions for model columns bound in the scorecard (measures keep their names). */
export const ROLE_LABELS: Partial<Record<Role, string>> = {
    agency: "Agency",
    service: "Service model",
    period: "Month",
    team: "Team",
    goal: "Goal",
    rating: "Rating",
};

export const FISCAL_YEAR = "'Date'[Fiscal Year]";
const top = (x: number, width: number): Position => ({ x, y: 16, width, height: 80 });
const main: Position = { x: 16, y: 112, width: 1248, height: 592 };

const fiscalYearSlicer = (id: string): SlicerDef => ({
    kind: "slicer",
    id,
    field: FISCAL_YEAR,
    label: "Fiscal year",
    syncGroup: "Fiscal Year",
    singleSelect: true,
    position: top(16, 220),
});
const agencySlicer = (id: string): SlicerDef => ({
    kind: "slicer",
    id,
    field: VISUAL_BINDINGS.agency,
    label: "Agency",
    syncGroup: "Agency",
    position: top(252, 360),
});

export const PAGES: readonly PageDef[] = [
    {
        id: "itCost",
        displayName: "IT cost by agency",
        visuals: [
            fiscalYearSlicer("itCostFiscalYear"),
            agencySlicer("itCostAgency"),
            {
                // A part of the period is marked: "FY2026 to date, 5 of 12 months".
                kind: "card",
                id: "itCostCoverage",
                field: "[Period Coverage]",
                label: "Period covered",
                position: top(628, 364),
            },
            {
                kind: "card",
                id: "itCostStatewide",
                field: "[Statewide Cost per User]",
                label: "Statewide cost per user",
                position: top(1008, 256),
            },
            {
                kind: "scorecard",
                id: "itCostScorecard",
                title: "IT cost per user by agency and service model",
                view: "cost",
                roles: ["agency", "service", "period", "cost", "users", "uncoveredCost", "reference"],
                position: main,
            },
        ],
    },
    {
        id: "teamGoals",
        displayName: "Team goals",
        visuals: [
            fiscalYearSlicer("teamGoalsFiscalYear"),
            {
                kind: "slicer",
                id: "teamGoalsTeam",
                field: VISUAL_BINDINGS.team,
                label: "Team",
                syncGroup: "Team",
                position: top(252, 360),
            },
            {
                kind: "card",
                id: "teamGoalsAtRisk",
                field: "[Goals at Risk or Behind]",
                label: "Goals at risk or behind",
                position: top(1008, 256),
            },
            {
                kind: "scorecard",
                id: "teamGoalsScorecard",
                title: "Team goals: progress against the time elapsed",
                view: "goals",
                roles: [
                    "team",
                    "goal",
                    "actual",
                    "target",
                    "baseline",
                    "startDate",
                    "dueDate",
                    "direction",
                    "asOf",
                    "planMissing",
                ],
                // Each goal's latest check-in in its tooltip (goal-level measures, the same on all its rows).
                tooltips: ["[Latest Check-in Note]", "[Latest Next Step]"],
                position: main,
            },
        ],
    },
    {
        id: "agencySatisfaction",
        displayName: "Agency satisfaction",
        visuals: [
            fiscalYearSlicer("agencySatisfactionFiscalYear"),
            agencySlicer("agencySatisfactionAgency"),
            {
                kind: "card",
                id: "agencySatisfactionFollowUp",
                field: "[Ratings Below 4]",
                label: "Ratings awaiting follow-up",
                position: top(1008, 256),
            },
            {
                kind: "scorecard",
                id: "agencySatisfactionScorecard",
                title: "Agency satisfaction ratings",
                view: "satisfaction",
                roles: [
                    "agency",
                    "rating",
                    "responses",
                    "openFollowUps",
                    "overdueFollowUps",
                    "openFollowUpList",
                    "statewideResponses",
                ],
                position: main,
            },
        ],
    },
    {
        // Reached from an agency on the satisfaction page (right-click, Drill through) or opened for all.
        // Rows rated 4 or 5 drop out: every measure of the table is blank for them.
        id: "followUps",
        displayName: "Follow-ups",
        drillthrough: { field: VISUAL_BINDINGS.agency },
        visuals: [
            fiscalYearSlicer("followUpsFiscalYear"),
            {
                kind: "card",
                id: "followUpsOverdue",
                field: "[Overdue Follow-ups]",
                label: "Overdue follow-ups",
                position: top(752, 240),
            },
            {
                kind: "card",
                id: "followUpsOnTime",
                field: "[Follow-ups on Time %]",
                label: "Followed up on time",
                position: top(1008, 256),
            },
            {
                kind: "table",
                id: "followUpsTable",
                title: "Every rating below 4: its follow-up state, age (business days) and owner",
                fields: [
                    { field: VISUAL_BINDINGS.agency, label: "Agency" },
                    // The response code: one row per rating, even two alike (agency, day, service, rating).
                    { field: "'Survey Responses'[ResponseId]", label: "Response" },
                    { field: "'Date'[Date]", label: "Response date" },
                    { field: "Services[ServiceName]", label: "Service" },
                    { field: VISUAL_BINDINGS.rating, label: "Rating" },
                    { field: "[Follow-up State]", label: "State" },
                    { field: "[Follow-up Age]", label: "Age (business days)" },
                    { field: "[Follow-up Owner]", label: "Owner" },
                    { field: "[Follow-up Outcome]", label: "Outcome" },
                ],
                position: main,
            },
        ],
    },
    {
        id: "improvementPlans",
        displayName: "Improvement plans",
        drillthrough: { field: VISUAL_BINDINGS.team },
        visuals: [
            fiscalYearSlicer("improvementPlansFiscalYear"),
            {
                kind: "card",
                id: "improvementPlansMissing",
                field: "[Goals Without a Current Plan]",
                label: "At risk or behind without a current plan",
                position: top(1008, 256),
            },
            {
                kind: "table",
                id: "improvementPlansTable",
                title: "Each goal's status, latest check-in and improvement plan (1 = plan missing)",
                fields: [
                    { field: VISUAL_BINDINGS.team, label: "Team" },
                    { field: VISUAL_BINDINGS.goal, label: "Goal" },
                    { field: "[Goal Status]", label: "Status" },
                    { field: "[Improvement Plan Missing]", label: "Plan missing" },
                    { field: "[Status Changed On]", label: "Status since" },
                    { field: "[Latest Improvement Plan]", label: "Improvement plan" },
                    { field: "[Improvement Plan Date]", label: "Plan dated" },
                    { field: "[Latest Check-in Date]", label: "Latest check-in" },
                    { field: "[Latest Check-in Note]", label: "Check-in note" },
                    { field: "[Latest Next Step]", label: "Next step" },
                    { field: "[Next Check-in Date]", label: "Next check-in" },
                ],
                position: main,
            },
        ],
    },
];
