/**
 * The dataset schema: the single source of truth for the state billing tables the connector reads
 * and the semantic model it generates. TMDL, TMSL (model.bim), the Power Query partitions, the
 * connector README's table docs and the DAX reference checks are all derived from these objects.
 *
 * Source columns use FinOps FOCUS names where one fits; state-specific columns are prefixed `x_`.
 * A model column may carry a friendlier display name than its source column (e.g. Agencies
 * [AgencyName] is loaded from SubAccountName): `name` is the model's, `source` the input's.
 */
import type { Role, RoleName } from "../../src/data/roles";
import {
    AS_OF_RULE,
    ATTENTION_STATUSES,
    DEFAULT_TOLERANCES,
    FOLLOW_UP_BELOW_RATING,
    GOAL_DIRECTIONS,
    GOAL_STATUS_STEPS,
    HEADCOUNT_SNAPSHOT_RULE,
    MONTHS_PER_YEAR,
} from "../../src/data/rules";
import {
    annualCostPerUserDax,
    COST_DAX,
    goalStatusDax,
    goalsNeedingAttentionDax,
    goalUnitFormatDax,
    PERIOD_COVERAGE_DAX,
    RATINGS_BELOW_DAX,
} from "./ruleDax";

export { annualCostPerUserDax };

import { FOLLOW_UP_RELATIONSHIPS, FOLLOW_UP_TABLES, MODEL_PARAMETERS_TABLE } from "./schemaFollowUps";

/** How a column is typed, mapped to a Power Query type and a tabular dataType. */
export type ColumnKind = "text" | "int" | "number" | "currency" | "date" | "boolean";
export type SummarizeBy = "default" | "none" | "sum" | "min" | "max" | "count" | "average" | "distinctCount";

export interface ColumnDef {
    /** Model column name. */
    name: string;
    /** Input column name (FOCUS or x_ prefixed); for the generated Date table, the M output name. */
    source: string;
    kind: ColumnKind;
    description: string;
    /** Technical columns (keys, sort helpers) hidden from report authors. */
    hidden?: boolean;
    /** The table's key (unique, one side of relationships). */
    key?: boolean;
    /** Optional input columns load as null when the state's export lacks them. */
    optional?: boolean;
    summarizeBy?: SummarizeBy;
    formatString?: string;
    /** Allowed values, documented and used by the sample data. */
    allowed?: readonly string[];
    sortByColumn?: string;
    /** A required foreign key that may be left empty (a survey response need not be about one service). */
    emptyAllowed?: boolean;
    /**
     * A reference to another input table's key that is not a relationship (the access table is
     * read only by the role filters, so it has no relationship): the validators check it as one.
     */
    references?: string;
}

export interface MeasureDef {
    name: string;
    expression: string;
    formatString: string;
    /** A dynamic format string: DAX that gives the format per evaluation (one line). */
    formatStringExpression?: string;
    description: string;
    displayFolder: string;
    /** Hidden from report authors (a setting other measures read). */
    hidden?: boolean;
}

/**
 * A statewide aggregate: a table built at refresh from the input tables (no relationship to
 * Agencies, so neither an agency filter nor the Agency role reaches it), grouped by `groupBy`.
 */
export interface AggregateDef {
    /** agencyMonths: one row per agency, month and service model billed, the agency a surrogate number. */
    of: "cost" | "headcount" | "responses" | "agencyMonths";
    /** Model column names the rows are grouped by; the other columns are the sums and counts. */
    groupBy: readonly string[];
}

export interface TableDef {
    /** Model table name. */
    name: string;
    /** Input table name: the CSV file stem and default SQL table name. Null for generated tables. */
    source: string | null;
    description: string;
    columns: ColumnDef[];
    measures: MeasureDef[];
    /** Tabular dataCategory (Time marks the date table). */
    dataCategory?: string;
    /** What one row is called in the validator's messages ("agency"), for tables others refer to. */
    rowNoun?: string;
    /** Hidden from report authors and report viewers' field lists. */
    hidden?: boolean;
    /** A statewide aggregate (source is null: built from the input tables, not read as one). */
    aggregate?: AggregateDef;
    /** A generated table of one whole-number column holding these values (source is null). */
    constantRows?: readonly number[];
}

/** A row filter of a role: a DAX expression returning TRUE for the rows of `table` its members see. */
export interface TablePermissionDef {
    table: string;
    filter: string;
}

/** A security role of the model (row-level security); members are assigned in the Power BI service. */
export interface RoleDef {
    name: string;
    description: string;
    tablePermissions: TablePermissionDef[];
}

export interface RelationshipDef {
    fromTable: string;
    fromColumn: string;
    toTable: string;
    toColumn: string;
    /** Neither side unique (a statewide aggregate's ServiceModel to Services): filters flow from `to` to `from` only. */
    manyToMany?: boolean;
    /** How the validator treats a key the referenced table lacks: an error (default) quarantines the row. */
    unknownKey?: "error" | "warning";
}

/** FOCUS ServiceCategory allowed values (FOCUS 1.1). */
export const FOCUS_SERVICE_CATEGORIES = [
    "AI and Machine Learning",
    "Analytics",
    "Business Applications",
    "Compute",
    "Databases",
    "Developer Tools",
    "Multicloud",
    "Identity",
    "Integration",
    "Internet of Things",
    "Management and Governance",
    "Media",
    "Migration",
    "Mobile",
    "Networking",
    "Security",
    "Storage",
    "Web",
    "Other",
] as const;

/** FOCUS ChargeCategory allowed values. */
export const FOCUS_CHARGE_CATEGORIES = ["Usage", "Purchase", "Tax", "Credit", "Adjustment"] as const;

/** How the state delivers a service; the "as a service" models are the first three. */
export const SERVICE_MODELS = ["SaaS", "PaaS", "IaaS", "Managed Service", "On-Premises"] as const;
export const AS_A_SERVICE_MODELS = ["SaaS", "PaaS", "IaaS"] as const;

/** Fiscal year start month when none is given: July, the most common state fiscal year. */
export const DEFAULT_FISCAL_YEAR_START_MONTH = 7;

/** Years an M date can have (#date fails outside them). */
const M_DATE_YEARS = { first: 1, last: 9999 } as const;

/**
 * The dates the Date table can span with fiscal years starting in `startMonth`. It is built at
 * refresh (m.ts dateTableM) as whole fiscal years from the earliest to the latest date of every
 * input table, so it grows to hold every date; only a date whose fiscal year would start before
 * year 1 or end after 9999 cannot be held: #date fails on that year, and the whole refresh with it.
 */
export function dateTableSpan(startMonth: number): { first: string; last: string } {
    // The last fiscal year ends the day before the start month of the last year.
    const dayBefore = new Date(Date.UTC(M_DATE_YEARS.last, startMonth - 1, 1) - 86_400_000);
    return {
        first: `${String(M_DATE_YEARS.first).padStart(4, "0")}-${String(startMonth).padStart(2, "0")}-01`,
        last: dayBefore.toISOString().slice(0, 10),
    };
}

/**
 * The dates both validators accept: those the Date table holds whatever its FiscalYearStartMonth
 * (a model parameter, which can change after validation), i.e. the span every start month allows.
 */
export const DATE_TABLE_SPAN: { first: string; last: string } = (() => {
    const spans = Array.from({ length: 12 }, (_, i) => dateTableSpan(i + 1));
    return {
        first: spans.map((s) => s.first).reduce((a, b) => (b > a ? b : a)),
        last: spans.map((s) => s.last).reduce((a, b) => (b < a ? b : a)),
    };
})();

/** The message for a date outside DATE_TABLE_SPAN (the validators add file, line and column). */
export function outsideDateTableMessage(shownValue: string): string {
    return `${shownValue} is outside the Date table's range, ${DATE_TABLE_SPAN.first} to ${DATE_TABLE_SPAN.last} (the model's Date table is whole fiscal years within the years ${String(M_DATE_YEARS.first).padStart(4, "0")} to ${M_DATE_YEARS.last}, whatever its FiscalYearStartMonth: the refresh would fail building it)`;
}

/**
 * A user principal name as Microsoft Entra ID allows it: a local part of letters, digits and
 * ' _ ! # ^ ~ - with single dots between (not first or last), "@", a domain with at least one dot.
 * Written by hand rather than with an e-mail validator (zod's): UPNs allow ! # ^ ~, which e-mail
 * validators reject. The same text is a JavaScript and a PostgreSQL (POSIX) regular expression.
 */
export const USER_PRINCIPAL_NAME_PATTERN =
    "^[A-Za-z0-9'_!#^~-]+([.][A-Za-z0-9'_!#^~-]+)*@[A-Za-z0-9-]+([.][A-Za-z0-9-]+)+$";
/** The survey's ratings, 1 (poor) to 5 (excellent). */
export const RATING_VALUES: readonly number[] = [1, 2, 3, 4, 5];

/** No statewide figure is built from fewer agencies than this (a generator option, --min-agencies). */
export const DEFAULT_MINIMUM_AGENCIES = 3;

/** The access table: which agencies each signed-in user may see under the Agency role. */
export const ACCESS_TABLE = "Agency Access";

const CURRENCY = "\\$#,0.00;(\\$#,0.00);\\$#,0.00";
const CURRENCY_WHOLE = "\\$#,0;(\\$#,0);\\$#,0";
const WHOLE = "#,0";
const DECIMAL = "#,0.00";
const PERCENT = "0.0%";
const DATE = "yyyy-mm-dd";

const aggregateColumn = (name: string, kind: ColumnKind, description: string, formatString?: string): ColumnDef => ({
    name,
    source: name,
    kind,
    description,
    hidden: true,
    summarizeBy: "none",
    ...(formatString ? { formatString } : {}),
});

const key = (name: string, source: string, description: string): ColumnDef => ({
    name,
    source,
    kind: "text",
    description,
    hidden: true,
    key: true,
    summarizeBy: "none",
});
const foreignKey = (name: string, source: string, description: string): ColumnDef => ({
    name,
    source,
    kind: "text",
    description,
    hidden: true,
    summarizeBy: "none",
});

/** `value` when the figure comes from at least the minimum agencies (`agencies`: a lower bound of them), else blank. */
function withMinimumAgencies(agencies: string, value: string): string {
    return `IF (\n    ${agencies} >= [Statewide Minimum Agencies],\n    ${value.split("\n").join("\n    ")}\n)`;
}
/**
 * The most agencies in any one cell of Statewide Cost the filters select: no figure covers fewer
 * agencies than its largest cell, so this bound never lets a figure of fewer agencies through.
 */
const STATEWIDE_COST_AGENCIES = "MAX ( 'Statewide Cost'[Agencies] )";
/**
 * A statewide figure as the page's slicers leave it, in every cell of a visual: ALLSELECTED drops
 * the visual's own month and service groupings (its agency grouping never reaches the aggregates).
 */
function pageReference(measure: string, ...filters: string[]): string {
    return `CALCULATE (\n    ${[measure, "ALLSELECTED ( 'Date' )", "ALLSELECTED ( Services )", ...filters].join(",\n    ")}\n)`;
}

const asServiceList = AS_A_SERVICE_MODELS.map((model) => `"${model}"`).join(", ");

export const TABLES: readonly TableDef[] = [
    {
        name: "Agencies",
        source: "agencies",
        rowNoun: "agency",
        description: "State agencies billed for IT (FOCUS sub-accounts).",
        columns: [
            key("SubAccountId", "SubAccountId", "Agency code (FOCUS SubAccountId)."),
            {
                name: "AgencyName",
                source: "SubAccountName",
                kind: "text",
                description: "Agency name (FOCUS SubAccountName, renamed for display).",
                summarizeBy: "none",
            },
        ],
        measures: [],
    },
    {
        name: "Services",
        source: "services",
        rowNoun: "service",
        description: "Catalog of IT services the state bills agencies for.",
        columns: [
            {
                name: "ServiceName",
                source: "ServiceName",
                kind: "text",
                description: "Service name (FOCUS ServiceName); the catalog's key.",
                key: true,
                summarizeBy: "none",
            },
            {
                name: "ServiceCategory",
                source: "ServiceCategory",
                kind: "text",
                description: "FOCUS ServiceCategory.",
                allowed: FOCUS_SERVICE_CATEGORIES,
                summarizeBy: "none",
            },
            {
                name: "ServiceModel",
                source: "x_ServiceModel",
                kind: "text",
                description: "How the service is delivered.",
                allowed: SERVICE_MODELS,
                summarizeBy: "none",
            },
            {
                name: "PricingUnit",
                source: "PricingUnit",
                kind: "text",
                description: "Unit the service is priced in (FOCUS PricingUnit), e.g. User-Month.",
                summarizeBy: "none",
            },
            {
                name: "UnitRate",
                source: "x_UnitRate",
                kind: "currency",
                description: "List price per pricing unit.",
                summarizeBy: "none",
                formatString: CURRENCY,
            },
        ],
        measures: [],
    },
    {
        name: "Charges",
        source: "charges",
        description: "Invoice lines: what each agency was billed per service and charge period. Credits are negative.",
        columns: [
            {
                name: "InvoiceId",
                source: "InvoiceId",
                kind: "text",
                description: "Invoice the line belongs to (FOCUS InvoiceId).",
                summarizeBy: "none",
            },
            {
                name: "ChargePeriodStart",
                source: "ChargePeriodStart",
                kind: "date",
                description: "First day of the charge period (FOCUS ChargePeriodStart); relates to Date.",
                hidden: true,
                summarizeBy: "none",
                formatString: DATE,
            },
            foreignKey("SubAccountId", "SubAccountId", "Agency billed (FOCUS SubAccountId)."),
            foreignKey("ServiceName", "ServiceName", "Service billed (FOCUS ServiceName)."),
            {
                name: "ChargeCategory",
                source: "ChargeCategory",
                kind: "text",
                description: "FOCUS ChargeCategory; credits are Credit.",
                allowed: FOCUS_CHARGE_CATEGORIES,
                optional: true,
                summarizeBy: "none",
            },
            {
                name: "PricingQuantity",
                source: "PricingQuantity",
                kind: "number",
                description: "Quantity billed in the service's pricing unit (FOCUS PricingQuantity).",
                summarizeBy: "sum",
                formatString: DECIMAL,
            },
            {
                name: "PricingUnit",
                source: "PricingUnit",
                kind: "text",
                description: "Unit of the quantity (FOCUS PricingUnit).",
                optional: true,
                summarizeBy: "none",
            },
            {
                name: "BilledCost",
                source: "BilledCost",
                kind: "currency",
                description: "Amount invoiced (FOCUS BilledCost); credits negative.",
                hidden: true,
                summarizeBy: "sum",
                formatString: CURRENCY,
            },
            {
                name: "EffectiveCost",
                source: "EffectiveCost",
                kind: "currency",
                description: "Cost after discounts and amortization (FOCUS EffectiveCost).",
                hidden: true,
                optional: true,
                summarizeBy: "sum",
                formatString: CURRENCY,
            },
        ],
        measures: [
            {
                name: "Billed Cost",
                displayFolder: "Cost",
                formatString: CURRENCY_WHOLE,
                expression: "SUM ( Charges[BilledCost] )",
                description: "Amount invoiced, credits netted out.",
            },
            {
                name: "Effective Cost",
                displayFolder: "Cost",
                formatString: CURRENCY_WHOLE,
                expression: "SUM ( Charges[EffectiveCost] )",
                description: "Cost after discounts and amortization.",
            },
            {
                name: "Cost with Headcount",
                displayFolder: "Cost",
                formatString: CURRENCY_WHOLE,
                expression: COST_DAX.costWithHeadcount,
                description: "Billed cost of the agency-months with a headcount: what cost per user divides.",
            },
            {
                name: "Cost without Headcount",
                displayFolder: "Cost",
                formatString: CURRENCY_WHOLE,
                expression: COST_DAX.costWithoutHeadcount,
                description:
                    "Billed cost of agency-months without a headcount: left out of cost per user and shown by the visual.",
            },
            {
                name: "Cost per User",
                displayFolder: "Cost",
                formatString: CURRENCY,
                expression: COST_DAX.costPerUser,
                description: `A year's cost per user: cost of the months with a headcount over the user-months, x ${MONTHS_PER_YEAR}; blank without a positive headcount.`,
            },
            {
                name: "Period Coverage",
                displayFolder: "Cost",
                formatString: "",
                expression: PERIOD_COVERAGE_DAX,
                description: `How much of the selected period has charges, e.g. "FY2026 to date, 5 of 12 months" (a fiscal year of the FiscalYearStartMonth parameter counts ${MONTHS_PER_YEAR} months); blank without charges.`,
            },
            {
                name: "Statewide Minimum Agencies",
                displayFolder: "Statewide",
                formatString: WHOLE,
                hidden: true,
                expression: String(DEFAULT_MINIMUM_AGENCIES),
                description:
                    "No statewide figure is built from fewer agencies (generate --min-agencies); below it the figure is blank.",
            },
            {
                name: "Statewide Billed Cost",
                displayFolder: "Statewide",
                formatString: CURRENCY_WHOLE,
                expression: withMinimumAgencies(STATEWIDE_COST_AGENCIES, "SUM ( 'Statewide Cost'[BilledCost] )"),
                description:
                    "Billed cost of every agency (from Statewide Cost: no agency filter or role reaches it; time and service filters do).",
            },
            {
                name: "Statewide Effective Cost",
                displayFolder: "Statewide",
                formatString: CURRENCY_WHOLE,
                expression: withMinimumAgencies(STATEWIDE_COST_AGENCIES, "SUM ( 'Statewide Cost'[EffectiveCost] )"),
                description: "Effective cost of every agency, from Statewide Cost.",
            },
            {
                name: "Statewide Cost per User",
                displayFolder: "Statewide",
                formatString: CURRENCY,
                expression: withMinimumAgencies(
                    `CALCULATE ( MAX ( 'Statewide Cost'[Agencies] ), 'Statewide Cost'[HasHeadcount] = TRUE () )`,
                    annualCostPerUserDax(
                        "CALCULATE ( SUM ( 'Statewide Cost'[BilledCost] ), 'Statewide Cost'[HasHeadcount] = TRUE () )",
                        "SUM ( 'Statewide Headcount'[UserMonths] )",
                    ),
                ),
                description:
                    "A year's cost per user of every agency together: cost of the agency-months with a headcount over the user-months, x 12; from the statewide aggregates, so no agency filter or role reaches it; blank below the minimum agencies.",
            },
            {
                name: "Statewide Cost per User Reference",
                displayFolder: "Statewide",
                formatString: CURRENCY,
                expression: pageReference("[Statewide Cost per User]"),
                description:
                    "Statewide Cost per User for the page's slicers, the same in every cell of a visual (its agency, month and service groupings removed): bind it to the scorecard's Reference well.",
            },
            {
                name: "Statewide Agencies Billed",
                displayFolder: "Statewide",
                formatString: WHOLE,
                hidden: true,
                // Distinct over the surrogate numbers: exact across months and service models, where a sum of each row's Agencies would count an agency once per row.
                expression: "DISTINCTCOUNT ( 'Statewide Agency Months'[AgencyNumber] )",
                description:
                    "Number of distinct agencies billed in the time and service the filters select (from Statewide Agency Months: no agency filter or role reaches it).",
            },
            {
                name: "Statewide Cost per Agency",
                displayFolder: "Statewide",
                formatString: CURRENCY_WHOLE,
                // The minimum is checked on the exact number of agencies the figure divides by.
                expression: withMinimumAgencies(
                    "[Statewide Agencies Billed]",
                    "DIVIDE ( SUM ( 'Statewide Cost'[BilledCost] ), [Statewide Agencies Billed] )",
                ),
                description:
                    "Average billed cost per agency of every agency: statewide billed cost over the number of distinct agencies billed, for the time and service filters; the statewide counterpart of the scorecard's total-cost line; blank below the minimum agencies.",
            },
            {
                name: "Statewide Cost per Agency Reference",
                displayFolder: "Statewide",
                formatString: CURRENCY_WHOLE,
                expression: pageReference("[Statewide Cost per Agency]"),
                description:
                    "Statewide Cost per Agency for the page's slicers, the same in every cell of a visual: bind it to the scorecard's Reference well when the bar shows total cost.",
            },
            {
                name: "Cost per User vs Statewide %",
                displayFolder: "Cost",
                formatString: "+0.0%;-0.0%;0.0%",
                expression:
                    "VAR Statewide = [Statewide Cost per User]\nRETURN DIVIDE ( [Cost per User] - Statewide, Statewide )",
                description: "How far the cost per user is above (+) or below (-) the statewide figure.",
            },
            {
                name: "As-a-Service Share",
                displayFolder: "Cost",
                formatString: PERCENT,
                expression: `DIVIDE (\n    CALCULATE ( [Billed Cost], KEEPFILTERS ( Services[ServiceModel] IN { ${asServiceList} } ) ),\n    [Billed Cost]\n)`,
                description: `Share of billed cost for services delivered as a service (${AS_A_SERVICE_MODELS.join(", ")}).`,
            },
        ],
    },
    {
        name: "Headcount",
        source: "headcount",
        description: "Users of each agency per month. One row per agency and month.",
        columns: [
            foreignKey("SubAccountId", "SubAccountId", "Agency (FOCUS SubAccountId)."),
            {
                name: "Month",
                source: "x_Month",
                kind: "date",
                description: "First day of the month; relates to Date.",
                hidden: true,
                summarizeBy: "none",
                formatString: DATE,
            },
            // Not summarizable: users must never be summed across months or services.
            {
                name: "Users",
                source: "x_Users",
                kind: "int",
                description: "Users of the agency that month. Use the Average Users measure, never a sum.",
                summarizeBy: "none",
                formatString: WHOLE,
            },
        ],
        measures: [
            {
                name: "User Months",
                displayFolder: "Cost",
                formatString: WHOLE,
                expression: COST_DAX.userMonths,
                description: `Each agency's headcount per month (${HEADCOUNT_SNAPSHOT_RULE}), added over agencies and the Date table's months: what cost per user divides.`,
            },
            {
                name: "Average Users",
                displayFolder: "Cost",
                formatString: WHOLE,
                expression: COST_DAX.averageUsers,
                description:
                    "Users summed across agencies within a month, averaged over the Date table's months with a headcount; never summed across months or services.",
            },
        ],
    },
    {
        name: "Teams",
        source: "teams",
        rowNoun: "team",
        description: "IT teams that own goals.",
        columns: [
            key("TeamId", "x_TeamId", "Team code."),
            { name: "TeamName", source: "x_TeamName", kind: "text", description: "Team name.", summarizeBy: "none" },
        ],
        measures: [],
    },
    {
        name: "Goals",
        source: "goals",
        rowNoun: "goal",
        description: "Team goals: where each started (baseline), what it must reach (target) and by when.",
        columns: [
            key("GoalId", "x_GoalId", "Goal code."),
            foreignKey("TeamId", "x_TeamId", "Team that owns the goal."),
            { name: "GoalName", source: "x_GoalName", kind: "text", description: "Goal name.", summarizeBy: "none" },
            {
                name: "Unit",
                source: "x_Unit",
                kind: "text",
                description:
                    "Unit of baseline, target and measurements (%, days, hours, minutes, $, a count noun such as tickets): the goal measures are formatted in it.",
                optional: true,
                summarizeBy: "none",
            },
            {
                name: "Baseline",
                source: "x_Baseline",
                kind: "number",
                description: "Value when work started.",
                summarizeBy: "none",
                formatString: DECIMAL,
            },
            {
                name: "Target",
                source: "x_Target",
                kind: "number",
                description:
                    "Value to reach; below the baseline means lower is better, unless Direction says otherwise.",
                summarizeBy: "none",
                formatString: DECIMAL,
            },
            {
                name: "Direction",
                source: "x_Direction",
                kind: "text",
                description:
                    "Whether higher or lower is better; required when the target equals the baseline (a goal to keep a value), else inferred from target and baseline.",
                allowed: GOAL_DIRECTIONS,
                optional: true,
                summarizeBy: "none",
            },
            {
                name: "StartDate",
                source: "x_StartDate",
                kind: "date",
                description: "When work on the goal started.",
                optional: true,
                summarizeBy: "none",
                formatString: DATE,
            },
            {
                name: "DueDate",
                source: "x_DueDate",
                kind: "date",
                description: "When the goal must be met.",
                optional: true,
                summarizeBy: "none",
                formatString: DATE,
            },
        ],
        measures: [
            {
                name: "Goal Baseline",
                displayFolder: "Goals",
                formatString: DECIMAL,
                formatStringExpression: goalUnitFormatDax(),
                expression: "IF ( HASONEVALUE ( Goals[GoalId] ), VALUES ( Goals[Baseline] ) )",
                description: "The goal's baseline (one goal at a time).",
            },
            {
                name: "Goal Target",
                displayFolder: "Goals",
                formatString: DECIMAL,
                formatStringExpression: goalUnitFormatDax(),
                expression: "IF ( HASONEVALUE ( Goals[GoalId] ), VALUES ( Goals[Target] ) )",
                description: "The goal's target (one goal at a time).",
            },
            {
                name: "Goal Start Date",
                displayFolder: "Goals",
                formatString: DATE,
                expression: "IF ( HASONEVALUE ( Goals[GoalId] ), VALUES ( Goals[StartDate] ) )",
                description: "When work on the goal started (one goal at a time).",
            },
            {
                name: "Goal Due Date",
                displayFolder: "Goals",
                formatString: DATE,
                expression: "IF ( HASONEVALUE ( Goals[GoalId] ), VALUES ( Goals[DueDate] ) )",
                description: "When the goal must be met (one goal at a time).",
            },
            {
                name: "Goal Direction",
                displayFolder: "Goals",
                formatString: "",
                // The Direction column when given, else inferred as the visual infers it.
                expression:
                    'IF (\n    HASONEVALUE ( Goals[GoalId] ),\n    VAR Given = LOWER ( TRIM ( SELECTEDVALUE ( Goals[Direction] ) ) )\n    VAR Baseline = SELECTEDVALUE ( Goals[Baseline] )\n    VAR Target = SELECTEDVALUE ( Goals[Target] )\n    RETURN IF ( Given IN { "higher", "lower" }, Given, IF ( NOT ISBLANK ( Baseline ) && NOT ISBLANK ( Target ) && Target < Baseline, "lower", "higher" ) )\n)',
                description:
                    "higher or lower (is better): the goal's Direction, or else lower when the target is below the baseline.",
            },
            {
                name: "As of Date",
                displayFolder: "Goals",
                formatString: DATE,
                // One clock for the model and the visual (its As of well): one day for every goal.
                expression:
                    "VAR LatestData = CALCULATE ( MAX ( 'Goal Measurements'[Date] ), REMOVEFILTERS () )\nVAR Capped = MIN ( MAX ( 'Date'[Date] ), TODAY () )\nRETURN IF ( ISBLANK ( LatestData ) || LatestData > Capped, Capped, LatestData )",
                description: `The day goal statuses are judged on: ${AS_OF_RULE}.`,
            },
            {
                name: "Goal Actual",
                displayFolder: "Goals",
                formatString: DECIMAL,
                formatStringExpression: goalUnitFormatDax(),
                // Not limited to the selected dates: early in a fiscal year the latest value is from the last one.
                expression:
                    "IF (\n    HASONEVALUE ( Goals[GoalId] ),\n    VAR AsOf = [As of Date]\n    VAR LastDate = CALCULATE ( MAX ( 'Goal Measurements'[Date] ), REMOVEFILTERS ( 'Date' ), 'Goal Measurements'[Date] <= AsOf )\n    RETURN CALCULATE ( MAX ( 'Goal Measurements'[Value] ), REMOVEFILTERS ( 'Date' ), 'Goal Measurements'[Date] = LastDate )\n)",
                description:
                    "The latest measured value on or before the As of Date (the larger of two on the same day).",
            },
            {
                name: "Goal Progress %",
                displayFolder: "Goals",
                formatString: PERCENT,
                expression:
                    "VAR Actual = [Goal Actual]\nVAR Baseline = [Goal Baseline]\nVAR Target = [Goal Target]\nRETURN IF ( NOT ISBLANK ( Actual ) && NOT ISBLANK ( Baseline ) && NOT ISBLANK ( Target ) && Target <> Baseline, DIVIDE ( Actual - Baseline, Target - Baseline ) )",
                description:
                    "(Actual - Baseline) / (Target - Baseline): a true ratio, above 100% when beyond target, negative when moving the wrong way.",
            },
            {
                name: "Expected Progress %",
                displayFolder: "Goals",
                formatString: PERCENT,
                // "* 1.0" turns the date differences into numbers of days before dividing.
                expression:
                    "VAR StartDate = [Goal Start Date]\nVAR DueDate = [Goal Due Date]\nVAR AsOf = [As of Date]\nRETURN\n    IF (\n        NOT ISBLANK ( StartDate ) && NOT ISBLANK ( DueDate ),\n        IF (\n            DueDate <= StartDate,\n            IF ( AsOf >= DueDate, 1, 0 ),\n            MAX ( 0, MIN ( 1, DIVIDE ( ( AsOf - StartDate ) * 1.0, ( DueDate - StartDate ) * 1.0 ) ) )\n        )\n    )",
                description: "Share of the time from start date to due date elapsed by the As of Date, 0% to 100%.",
            },
            {
                name: "Goal Status",
                displayFolder: "Goals",
                formatString: "",
                // The tolerances are model parameters (Model Parameters), with the visual's defaults.
                expression: goalStatusDax({
                    onTrack: `DIVIDE ( COALESCE ( MAX ( 'Model Parameters'[On-track Tolerance Points] ), ${DEFAULT_TOLERANCES.onTrack * 100} ), 100 )`,
                    atRisk: `DIVIDE ( COALESCE ( MAX ( 'Model Parameters'[At-risk Tolerance Points] ), ${DEFAULT_TOLERANCES.atRisk * 100} ), 100 )`,
                }),
                description: `${GOAL_STATUS_STEPS.map((step) => step.status)
                    .filter((status, index, all) => all.indexOf(status) === index)
                    .join(
                        ", ",
                    )}: the first step of the rule that applies (src/data/rules.ts), judged on the As of Date.`,
            },
            {
                name: "Goals at Risk or Behind",
                displayFolder: "Goals",
                formatString: WHOLE,
                expression: goalsNeedingAttentionDax(),
                description: `Number of goals whose status is ${ATTENTION_STATUSES.join(" or ")}: the statuses the visual's team summary reports; the report's headline card.`,
            },
        ],
    },
    {
        name: "Goal Measurements",
        source: "goal_measurements",
        description: "Measured values of each goal over time.",
        columns: [
            foreignKey("GoalId", "x_GoalId", "Goal measured."),
            {
                name: "Date",
                source: "x_MeasuredOn",
                kind: "date",
                description: "Day of the measurement; relates to Date.",
                hidden: true,
                summarizeBy: "none",
                formatString: DATE,
            },
            {
                name: "Value",
                source: "x_Value",
                kind: "number",
                description: "Measured value, in the goal's unit. Use the Goal Actual measure for the latest value.",
                summarizeBy: "none",
                formatString: DECIMAL,
            },
        ],
        measures: [],
    },
    {
        name: "Survey Responses",
        source: "survey_responses",
        rowNoun: "response",
        description: "Customer satisfaction survey responses from agencies, optionally about one service.",
        columns: [
            // Visible, unlike the other keys: the Follow-ups page lists it, so each rating is its own row
            // (two alike on one day would otherwise merge) and staff can quote it.
            { ...key("ResponseId", "x_ResponseId", "Response code."), hidden: false },
            foreignKey("SubAccountId", "SubAccountId", "Responding agency (FOCUS SubAccountId)."),
            {
                name: "Date",
                source: "x_ResponseDate",
                kind: "date",
                description: "Day of the response; relates to Date.",
                hidden: true,
                summarizeBy: "none",
                formatString: DATE,
            },
            {
                name: "Rating",
                source: "x_Rating",
                kind: "int",
                description: "Rating from 1 (poor) to 5 (excellent).",
                summarizeBy: "none",
                formatString: "0",
            },
            {
                ...foreignKey(
                    "ServiceName",
                    "ServiceName",
                    "Service the response is about, if any (FOCUS ServiceName).",
                ),
                emptyAllowed: true,
            },
        ],
        measures: [
            {
                name: "Responses",
                displayFolder: "Satisfaction",
                formatString: WHOLE,
                expression: "COUNTROWS ( 'Survey Responses' )",
                description: "Number of survey responses.",
            },
            {
                name: "Average Rating",
                displayFolder: "Satisfaction",
                formatString: "0.00",
                expression: "AVERAGE ( 'Survey Responses'[Rating] )",
                description: "Mean rating, 1 to 5.",
            },
            {
                name: "Ratings Below 4",
                displayFolder: "Satisfaction",
                formatString: WHOLE,
                expression: RATINGS_BELOW_DAX,
                description: `Responses rated below ${FOLLOW_UP_BELOW_RATING}, which the state follows up.`,
            },
            {
                name: "Follow-up Rate",
                displayFolder: "Satisfaction",
                formatString: PERCENT,
                expression: "DIVIDE ( [Ratings Below 4], [Responses] )",
                description: `Share of responses rated below ${FOLLOW_UP_BELOW_RATING} (needing follow-up).`,
            },
            {
                name: "Statewide Responses",
                displayFolder: "Statewide",
                formatString: WHOLE,
                expression: withMinimumAgencies(
                    "CALCULATE ( MAX ( 'Statewide Responses'[Agencies] ), REMOVEFILTERS ( Ratings ), REMOVEFILTERS ( 'Statewide Responses'[Rating] ) )",
                    "SUM ( 'Statewide Responses'[Responses] )",
                ),
                description:
                    "Survey responses of every agency (from Statewide Responses: no agency filter or role reaches it); blank below the minimum agencies.",
            },
            {
                name: "Statewide Average Rating",
                displayFolder: "Statewide",
                formatString: "0.00",
                expression:
                    "DIVIDE (\n    SUMX ( 'Statewide Responses', 'Statewide Responses'[Rating] * 'Statewide Responses'[Responses] ),\n    [Statewide Responses]\n)",
                description: "Mean rating of every agency's responses, weighted by responses.",
            },
            {
                name: "Statewide Follow-up Rate",
                displayFolder: "Statewide",
                formatString: PERCENT,
                expression: `DIVIDE ( CALCULATE ( [Statewide Responses], KEEPFILTERS ( 'Statewide Responses'[Rating] < ${FOLLOW_UP_BELOW_RATING} ) ), [Statewide Responses] )`,
                description: `Share of every agency's responses rated below ${FOLLOW_UP_BELOW_RATING}.`,
            },
            {
                name: "Statewide Responses Reference",
                displayFolder: "Statewide",
                formatString: WHOLE,
                // The visual's Rating grouping (Ratings[Rating]) reaches the aggregate through its relationship.
                expression: pageReference("[Statewide Responses]"),
                description:
                    "Statewide Responses for the page's slicers and the cell's rating, the same in every agency and month of a visual: bind it to the scorecard's Statewide responses well.",
            },
        ],
    },
    ...FOLLOW_UP_TABLES,
    MODEL_PARAMETERS_TABLE,
    {
        name: ACCESS_TABLE,
        source: "agency_access",
        hidden: true,
        description:
            "Which agencies each agency head may see under the Agency role: one row per user and agency (a user may have several). Hidden; each user can read only their own rows.",
        columns: [
            {
                name: "UserPrincipalName",
                source: "x_UserPrincipalName",
                kind: "text",
                description:
                    "The user's sign-in name in Microsoft Entra ID (user principal name), e.g. avery.lee@example.gov.",
                hidden: true,
                summarizeBy: "none",
            },
            {
                ...foreignKey("SubAccountId", "SubAccountId", "Agency the user may see (FOCUS SubAccountId)."),
                references: "agencies",
            },
        ],
        measures: [],
    },
    {
        name: "Date",
        source: null,
        dataCategory: "Time",
        description:
            "Calendar generated from every input table's dates (charges, headcount, goals' start and due dates, measurements, responses, follow-ups, check-ins), whole fiscal years, with the state fiscal year.",
        columns: [
            {
                name: "Date",
                source: "Date",
                kind: "date",
                description: "Day.",
                key: true,
                summarizeBy: "none",
                formatString: DATE,
            },
            {
                name: "Month",
                source: "Month",
                kind: "date",
                description: "First day of the month (bind as the period).",
                summarizeBy: "none",
                formatString: "mmm yyyy",
            },
            {
                name: "Year",
                source: "Year",
                kind: "int",
                description: "Calendar year.",
                summarizeBy: "none",
                formatString: "0",
            },
            {
                name: "Month Number",
                source: "Month Number",
                kind: "int",
                description: "Calendar month, 1 to 12.",
                hidden: true,
                summarizeBy: "none",
                formatString: "0",
            },
            {
                name: "Month Name",
                source: "Month Name",
                kind: "text",
                description: "Short month name.",
                summarizeBy: "none",
                sortByColumn: "Month Number",
            },
            {
                name: "Fiscal Year",
                source: "Fiscal Year",
                kind: "text",
                description:
                    "State fiscal year, named by the calendar year it ends in (FY2025 = July 2024 to June 2025 with a July start).",
                summarizeBy: "none",
                sortByColumn: "Fiscal Year Number",
            },
            {
                name: "Fiscal Year Number",
                source: "Fiscal Year Number",
                kind: "int",
                description: "Fiscal year as a number, for sorting.",
                hidden: true,
                summarizeBy: "none",
                formatString: "0",
            },
            {
                name: "Fiscal Month Number",
                source: "Fiscal Month Number",
                kind: "int",
                description: "Month of the fiscal year, 1 to 12.",
                summarizeBy: "none",
                formatString: "0",
            },
        ],
        measures: [],
    },
    {
        name: "Ratings",
        source: null,
        constantRows: RATING_VALUES,
        description:
            "The ratings 1 to 5, a dimension no agency filter or role reaches: bind Ratings[Rating], so every rating has its row in a visual even where the agencies shown gave none (and carries its statewide count).",
        columns: [
            {
                name: "Rating",
                source: "Rating",
                kind: "int",
                description: "Rating from 1 (poor) to 5 (excellent).",
                key: true,
                summarizeBy: "none",
                formatString: "0",
            },
        ],
        measures: [],
    },
    {
        name: "Statewide Cost",
        source: null,
        hidden: true,
        aggregate: { of: "cost", groupBy: ["Month", "ServiceModel", "HasHeadcount"] },
        description:
            "Statewide cost built at refresh from the charges, services and headcount: by month, service model and whether the agency had a headcount that month. No relationship to Agencies: no agency filter or role reaches it.",
        columns: [
            aggregateColumn("Month", "date", "First day of the month; relates to Date.", DATE),
            aggregateColumn("ServiceModel", "text", "Service model of the services billed; relates to Services."),
            aggregateColumn(
                "HasHeadcount",
                "boolean",
                "Whether the agency had a headcount above 0 that month (cost per user counts only these).",
            ),
            aggregateColumn("BilledCost", "currency", "Billed cost, credits netted out.", CURRENCY),
            aggregateColumn("EffectiveCost", "currency", "Effective cost.", CURRENCY),
            aggregateColumn("Agencies", "int", "Number of agencies in the row.", WHOLE),
        ],
        measures: [],
    },
    {
        name: "Statewide Agency Months",
        source: null,
        hidden: true,
        aggregate: { of: "agencyMonths", groupBy: ["Month", "ServiceModel", "AgencyNumber"] },
        description:
            "Which agencies were billed in each month and service model, each agency a surrogate number 1, 2, ... (not its id) and no cost: what makes the count of distinct agencies billed exact across months. No relationship to Agencies: no agency filter or role reaches it.",
        columns: [
            aggregateColumn("Month", "date", "First day of the month; relates to Date.", DATE),
            aggregateColumn("ServiceModel", "text", "Service model of the services billed; relates to Services."),
            aggregateColumn(
                "AgencyNumber",
                "int",
                "A surrogate number of the agency, made at refresh; no other table holds it.",
                "0",
            ),
        ],
        measures: [],
    },
    {
        name: "Statewide Headcount",
        source: null,
        hidden: true,
        aggregate: { of: "headcount", groupBy: ["Month"] },
        description:
            "Statewide users built at refresh from the headcount: by month, each agency's headcount taken once (the larger of two).",
        columns: [
            aggregateColumn("Month", "date", "First day of the month; relates to Date.", DATE),
            aggregateColumn("UserMonths", "int", "Users of all agencies that month (user-months).", WHOLE),
            aggregateColumn("Agencies", "int", "Number of agencies with a headcount above 0.", WHOLE),
        ],
        measures: [],
    },
    {
        name: "Statewide Responses",
        source: null,
        hidden: true,
        aggregate: { of: "responses", groupBy: ["Month", "ServiceModel", "Rating"] },
        description:
            "Statewide survey responses built at refresh: by month, service model (empty for responses about no service) and rating.",
        columns: [
            aggregateColumn("Month", "date", "First day of the month; relates to Date.", DATE),
            aggregateColumn("ServiceModel", "text", "Service model the responses are about; relates to Services."),
            aggregateColumn("Rating", "int", "Rating from 1 to 5.", "0"),
            aggregateColumn("Responses", "int", "Number of responses.", WHOLE),
            aggregateColumn("Agencies", "int", "Number of agencies in the row.", WHOLE),
        ],
        measures: [],
    },
];

export const RELATIONSHIPS: readonly RelationshipDef[] = [
    { fromTable: "Charges", fromColumn: "SubAccountId", toTable: "Agencies", toColumn: "SubAccountId" },
    { fromTable: "Charges", fromColumn: "ServiceName", toTable: "Services", toColumn: "ServiceName" },
    { fromTable: "Charges", fromColumn: "ChargePeriodStart", toTable: "Date", toColumn: "Date" },
    { fromTable: "Headcount", fromColumn: "SubAccountId", toTable: "Agencies", toColumn: "SubAccountId" },
    { fromTable: "Headcount", fromColumn: "Month", toTable: "Date", toColumn: "Date" },
    { fromTable: "Goals", fromColumn: "TeamId", toTable: "Teams", toColumn: "TeamId" },
    { fromTable: "Goal Measurements", fromColumn: "GoalId", toTable: "Goals", toColumn: "GoalId" },
    { fromTable: "Goal Measurements", fromColumn: "Date", toTable: "Date", toColumn: "Date" },
    { fromTable: "Survey Responses", fromColumn: "SubAccountId", toTable: "Agencies", toColumn: "SubAccountId" },
    { fromTable: "Survey Responses", fromColumn: "ServiceName", toTable: "Services", toColumn: "ServiceName" },
    { fromTable: "Survey Responses", fromColumn: "Date", toTable: "Date", toColumn: "Date" },
    // The statewide aggregates: filtered by time and service only, never by Agencies.
    { fromTable: "Statewide Cost", fromColumn: "Month", toTable: "Date", toColumn: "Date" },
    {
        fromTable: "Statewide Cost",
        fromColumn: "ServiceModel",
        toTable: "Services",
        toColumn: "ServiceModel",
        manyToMany: true,
    },
    { fromTable: "Statewide Agency Months", fromColumn: "Month", toTable: "Date", toColumn: "Date" },
    {
        fromTable: "Statewide Agency Months",
        fromColumn: "ServiceModel",
        toTable: "Services",
        toColumn: "ServiceModel",
        manyToMany: true,
    },
    { fromTable: "Statewide Headcount", fromColumn: "Month", toTable: "Date", toColumn: "Date" },
    { fromTable: "Statewide Responses", fromColumn: "Month", toTable: "Date", toColumn: "Date" },
    { fromTable: "Survey Responses", fromColumn: "Rating", toTable: "Ratings", toColumn: "Rating" },
    { fromTable: "Statewide Responses", fromColumn: "Rating", toTable: "Ratings", toColumn: "Rating" },
    {
        fromTable: "Statewide Responses",
        fromColumn: "ServiceModel",
        toTable: "Services",
        toColumn: "ServiceModel",
        manyToMany: true,
    },
    ...FOLLOW_UP_RELATIONSHIPS,
];

/** The user's own rows of the access table: what both roles let a member read of it. */
const OWN_ACCESS_ROWS = `'${ACCESS_TABLE}'[UserPrincipalName] = USERPRINCIPALNAME ()`;

/**
 * Row-level security. Agency: a member sees the agencies the access table maps their sign-in name
 * to, and through the relationships only those agencies' charges, headcount and responses. State:
 * every agency. In both, the access table shows a member only their own rows. The statewide
 * aggregates have no relationship to Agencies, so no role filter reaches them.
 */
export const ROLES: readonly RoleDef[] = [
    {
        name: "Agency",
        description:
            "Agency heads: only the agencies the Agency Access table maps their sign-in name (USERPRINCIPALNAME) to.",
        tablePermissions: [
            {
                table: "Agencies",
                filter: `Agencies[SubAccountId]\n    IN CALCULATETABLE (\n        VALUES ( '${ACCESS_TABLE}'[SubAccountId] ),\n        ${OWN_ACCESS_ROWS}\n    )`,
            },
            { table: ACCESS_TABLE, filter: OWN_ACCESS_ROWS },
        ],
    },
    {
        name: "State",
        description: "State IT and finance staff: every agency.",
        tablePermissions: [{ table: ACCESS_TABLE, filter: OWN_ACCESS_ROWS }],
    },
];

/** The visual's data roles that take one field of the model; Tooltips takes the report author's own. */
export type BoundRole = Exclude<RoleName, typeof Role.tooltips>;

/**
 * What the visual's data roles (capabilities.json) bind to in this model, as DAX references
 * ('Table'[Column] or [Measure]), one for every role of the visual's src/data/roles.ts (a role
 * added or renamed there fails type checking here). The root README tells analysts to bind these.
 */
export const VISUAL_BINDINGS = {
    agency: "Agencies[AgencyName]",
    service: "Services[ServiceModel]",
    period: "'Date'[Month]",
    cost: "[Billed Cost]",
    users: "[User Months]",
    uncoveredCost: "[Cost without Headcount]",
    reference: "[Statewide Cost per User Reference]",
    team: "Teams[TeamName]",
    goal: "Goals[GoalName]",
    actual: "[Goal Actual]",
    target: "[Goal Target]",
    baseline: "[Goal Baseline]",
    startDate: "[Goal Start Date]",
    dueDate: "[Goal Due Date]",
    direction: "[Goal Direction]",
    asOf: "[As of Date]",
    planMissing: "[Improvement Plan Missing]",
    rating: "Ratings[Rating]",
    responses: "[Responses]",
    openFollowUps: "[Open Follow-ups]",
    overdueFollowUps: "[Overdue Follow-ups]",
    openFollowUpList: "[Open Follow-up List]",
    statewideResponses: "[Statewide Responses Reference]",
} as const satisfies Record<BoundRole, string>;

/** Further fields the README mentions: the fiscal year slicer, the statewide line, the date columns. */
export const OTHER_DOCUMENTED_FIELDS = [
    "'Date'[Fiscal Year]",
    "[Cost per User]",
    "[Statewide Cost per User]",
    "Goals[StartDate]",
    "Goals[DueDate]",
] as const;

export function findTable(name: string): TableDef {
    const table = TABLES.find((t) => t.name === name);
    if (!table) throw new Error(`No table named ${name} in the schema`);
    return table;
}

/** Tables read from the state's billing exports (all but the generated Date table). */
export function sourceTables(): TableDef[] {
    return TABLES.filter((t) => t.source !== null);
}

/* ------------------------------------------------------------------------------------------------
 * Validation rules: declared once, here, and consumed by both validators (the CSV validator in
 * src/validate, the PostgreSQL one in src/database). Columns are named by their input (source)
 * names, never by position. Each rule has one message function; the validators only say where.
 * Keys (unique, from `key: true`) and references (from RELATIONSHIPS) are derived below.
 * ---------------------------------------------------------------------------------------------- */

/** A value as it appears in messages: quoted, control characters shown, long values shortened. */
export function quoteValue(value: string): string {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
}

const withArticle = (noun: string): string => `${/^[aeiou]/i.test(noun) ? "an" : "a"} ${noun}`;

/** The row a rule is checking: each column's value as written (after trimming for keys), by input column name. */
export type RuleRow = (column: string) => string;

interface RuleBase {
    /** The problem code in reports (report.json, grouped output). */
    code: string;
    /** Short title of the kind of problem, shown above its examples. */
    title: string;
    /** Errors quarantine the row; warnings keep it. */
    severity: "error" | "warning";
    /** Input table. */
    table: string;
    /** Input column the problem is reported on. */
    column: string;
}

/** The column's number (or date) is outside [min, max]; `above` is an exclusive lower bound. */
export interface RangeRule extends RuleBase {
    kind: "range";
    min?: number;
    above?: number;
    max?: number;
    message: (row: RuleRow) => string;
}

/** The column compared with another of the same row: "before" (a date or number less than the other's) or "equal". */
export interface CompareRule extends RuleBase {
    kind: "compare";
    op: "before" | "equal";
    other: string;
    /** The rule does not apply when this column holds one of `values` (ignoring case and surrounding spaces). */
    unlessGiven?: { column: string; values: readonly string[] };
    message: (row: RuleRow) => string;
}

/** A text value that must match a pattern (a regular expression both JavaScript and PostgreSQL read alike). */
export interface PatternRule extends RuleBase {
    kind: "pattern";
    pattern: string;
    message: (row: RuleRow) => string;
}

/**
 * The combination of `columns` is unique across the table's accepted rows, text compared as Power
 * BI compares it (ignoring case and surrounding spaces), dates by month when `byMonth`. The first
 * accepted row keeps it; an error quarantines the later rows, a warning keeps them.
 */
export interface UniqueRule extends RuleBase {
    kind: "unique";
    columns: string[];
    byMonth?: boolean;
    /** `first` says where the earlier row is ("on line 4", "of an earlier row"), `firstValue` how it wrote the reported column. */
    message: (row: RuleRow, first: { where: string; value: string }) => string;
}

/** A column that refers to the key of another input table (from the schema's relationships). */
export interface ReferenceRule extends RuleBase {
    kind: "reference";
    target: string;
    noun: string;
    /** `where` names the rows looked in; `quarantinedAt`, when known, the referenced row that was itself quarantined. */
    message: (row: RuleRow, lookedIn: { where: string; quarantinedAt?: string }) => string;
}

/**
 * Each accepted row's `columns` (dates by month) should appear among the accepted rows of `by`
 * (matched column for column); reported once per combination with the number of rows.
 */
export interface CoverageRule extends RuleBase {
    kind: "coverage";
    columns: string[];
    by: { table: string; columns: string[] };
    message: (first: RuleRow, rows: number, month: string) => string;
}

/**
 * The row a reference column refers to has a value in [min, max] in `targetColumn` (a number): for
 * example a follow-up on a response rated 4 or 5. Checked against the accepted row that holds the key.
 */
export interface ReferencedRangeRule extends RuleBase {
    kind: "referenced-range";
    target: string;
    targetColumn: string;
    min?: number;
    max?: number;
    message: (row: RuleRow, targetValue: string) => string;
}

export type ValidationRule =
    RangeRule | CompareRule | PatternRule | UniqueRule | ReferenceRule | CoverageRule | ReferencedRangeRule;

/** Rules that are not keys or references: one entry per rule. */
export const TABLE_RULES: readonly ValidationRule[] = [
    {
        kind: "compare",
        code: "closed-before-contacted",
        title: "follow-up closed before the contact",
        severity: "error",
        table: "follow_ups",
        column: "x_ClosedOn",
        op: "before",
        other: "x_ContactedOn",
        message: (row) =>
            `${quoteValue(row("x_ClosedOn"))} is before the contact on ${row("x_ContactedOn")}: a follow-up closes on or after its contact`,
    },
    {
        // A warning: Power BI loads it, but only ratings below the threshold are followed up, so no measure counts it.
        kind: "referenced-range",
        code: "follow-up-not-needed",
        title: `follow-up on a rating of ${FOLLOW_UP_BELOW_RATING} or more`,
        severity: "warning",
        table: "follow_ups",
        column: "x_ResponseId",
        target: "survey_responses",
        targetColumn: "x_Rating",
        min: FOLLOW_UP_BELOW_RATING,
        message: (row, rating) =>
            `${quoteValue(row("x_ResponseId"))} is a response rated ${rating}: only ratings below ${FOLLOW_UP_BELOW_RATING} are followed up, so this follow-up is counted in no measure`,
    },
    {
        kind: "range",
        code: "bad-rating",
        title: "rating not 1 to 5",
        severity: "error",
        table: "survey_responses",
        column: "x_Rating",
        min: 1,
        max: 5,
        message: (row) => `${quoteValue(row("x_Rating"))} is not a rating from 1 to 5`,
    },
    {
        kind: "range",
        code: "users-not-positive",
        title: "users not above 0",
        severity: "error",
        table: "headcount",
        column: "x_Users",
        above: 0,
        message: (row) =>
            `${quoteValue(row("x_Users"))} users: must be above 0 (cost per user divides by it; leave the month out instead)`,
    },
    {
        // A goal that keeps a value ("at most 0 incidents") must say which way is better: from the
        // numbers alone, 3 against a target of 0 cannot be judged.
        kind: "compare",
        code: "target-equals-baseline",
        title: "target equals baseline without a direction",
        severity: "error",
        table: "goals",
        column: "x_Target",
        op: "equal",
        other: "x_Baseline",
        unlessGiven: { column: "x_Direction", values: GOAL_DIRECTIONS },
        message: (row) =>
            `${quoteValue(row("x_Target"))} equals the baseline (${row("x_Baseline")}): give x_Direction (${GOAL_DIRECTIONS.join(" or ")} is better), as the numbers cannot say whether a value away from the target is better or worse`,
    },
    {
        kind: "unique",
        code: "duplicate-goal-name",
        title: "goal name given twice in a team",
        severity: "error",
        table: "goals",
        column: "x_GoalName",
        columns: ["x_TeamId", "x_GoalName"],
        message: (row, first) =>
            `${quoteValue(row("x_GoalName"))} is already a goal of team ${row("x_TeamId")} ${first.where}: goal names must be unique within a team (reports group goals by name)`,
    },
    {
        kind: "compare",
        code: "due-before-start",
        title: "due date before start date",
        severity: "error",
        table: "goals",
        column: "x_DueDate",
        op: "before",
        other: "x_StartDate",
        message: (row) => `${quoteValue(row("x_DueDate"))} is before the start date ${row("x_StartDate")}`,
    },
    {
        kind: "unique",
        code: "duplicate-headcount",
        title: "headcount given twice for an agency and month",
        severity: "warning",
        table: "headcount",
        column: "x_Month",
        columns: ["SubAccountId", "x_Month"],
        byMonth: true,
        message: (row, first) =>
            `${row("SubAccountId")} already has a headcount for ${row("x_Month").slice(0, 7)} ${first.where} (${HEADCOUNT_SNAPSHOT_RULE})`,
    },
    {
        kind: "pattern",
        code: "not-user-principal-name",
        title: "not a user principal name",
        severity: "error",
        table: "agency_access",
        column: "x_UserPrincipalName",
        pattern: USER_PRINCIPAL_NAME_PATTERN,
        message: (row) =>
            `${quoteValue(row("x_UserPrincipalName"))} is not a user principal name (the sign-in name, e.g. avery.lee@example.gov): the Agency role would never match it`,
    },
    {
        kind: "unique",
        code: "duplicate-access",
        title: "user and agency given twice in the access table",
        severity: "warning",
        table: "agency_access",
        column: "SubAccountId",
        columns: ["x_UserPrincipalName", "SubAccountId"],
        message: (row, first) =>
            `${row("x_UserPrincipalName")} already has agency ${row("SubAccountId")} ${first.where} (names and agency ids compare ignoring case): the row changes nothing`,
    },
    {
        kind: "coverage",
        code: "no-headcount",
        title: "charges with no headcount (left out of cost per user)",
        severity: "warning",
        table: "charges",
        column: "SubAccountId",
        columns: ["SubAccountId", "ChargePeriodStart"],
        by: { table: "headcount", columns: ["SubAccountId", "x_Month"] },
        message: (first, rows, month) =>
            `${first("SubAccountId")} has ${rows} charge row${rows === 1 ? "" : "s"} in ${month} and no headcount that month: that month's cost is left out of cost per user (the model shows it as Cost without Headcount)`,
    },
];

/** Every key is unique, compared as Power BI compares keys. */
function keyRules(): UniqueRule[] {
    return sourceTables().flatMap((table) =>
        table.columns
            .filter((c) => c.key)
            .map((c): UniqueRule => ({
                kind: "unique",
                code: "duplicate-key",
                title: "duplicate key",
                severity: "error",
                table: table.source as string,
                column: c.source,
                columns: [c.source],
                message: (row, first) =>
                    `${quoteValue(row(c.source))} is already the ${table.rowNoun ?? "row"} key ${first.where}${first.value !== row(c.source) ? ` as ${quoteValue(first.value)}; Power BI compares keys ignoring case and surrounding spaces` : ""}: keys must be unique`,
            })),
    );
}

/**
 * Every relationship between input tables, and every column that `references` another input table
 * without one (the access table): the foreign key refers to an accepted row of the key's table.
 */
function referenceRules(): ReferenceRule[] {
    const rules: ReferenceRule[] = [];
    const links: Array<{ from: TableDef; fromColumn: ColumnDef; to: TableDef; severity?: "error" | "warning" }> = [];
    for (const rel of RELATIONSHIPS) {
        const from = findTable(rel.fromTable);
        const to = findTable(rel.toTable);
        if (!from.source || !to.source) continue; // the Date table is generated, not checked
        const fromColumn = from.columns.find((c) => c.name === rel.fromColumn) as ColumnDef;
        const toColumn = to.columns.find((c) => c.name === rel.toColumn) as ColumnDef;
        if (toColumn.key) links.push({ from, fromColumn, to, severity: rel.unknownKey });
    }
    for (const from of sourceTables())
        for (const fromColumn of from.columns)
            if (fromColumn.references)
                links.push({
                    from,
                    fromColumn,
                    to: TABLES.find((t) => t.source === fromColumn.references) as TableDef,
                });
    for (const { from, fromColumn, to, severity = "error" } of links) {
        if (!from.source || !to.source) continue;
        const noun = to.rowNoun ?? to.source;
        // A warning keeps the row: Power BI loads it, related to no row.
        const kept = severity === "warning" ? `: the row is kept (Power BI loads it, related to no ${noun})` : "";
        rules.push({
            kind: "reference",
            code: "unknown-reference",
            title: "refers to an unknown row",
            severity,
            table: from.source,
            column: fromColumn.source,
            target: to.source,
            noun,
            message: (row, lookedIn) =>
                (lookedIn.quarantinedAt
                    ? `${quoteValue(row(fromColumn.source))} is ${withArticle(noun)} whose own row was quarantined (${lookedIn.quarantinedAt})`
                    : `${quoteValue(row(fromColumn.source))} is not ${withArticle(noun)} ${lookedIn.where}`) + kept,
        });
    }
    return rules;
}

/** Every validation rule: keys, references and the table rules. */
export const VALIDATION_RULES: readonly ValidationRule[] = [...keyRules(), ...referenceRules(), ...TABLE_RULES];

/** The rules of one input table. */
export function rulesOf(table: string): ValidationRule[] {
    return VALIDATION_RULES.filter((r) => r.table === table);
}
