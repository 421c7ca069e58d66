/**
 * The schema of closing the loop: a follow-up on every low survey rating, and check-ins (with an
 * improvement plan) on every goal. Part of the dataset schema (src/schema.ts spreads these tables,
 * relationships and the model parameter into its own lists); kept in its own module so the rules
 * of follow-ups and improvement plans read in one place.
 *
 * The rules, stated once here and used by the measures, the validator and the docs:
 * - a rating below FOLLOW_UP_BELOW_RATING needs a follow-up;
 * - a follow-up is made when the agency was contacted (any outcome: "Could not reach" is a
 *   contact attempt the state made); it is open until then;
 * - it is on time when the first contact is at most N business days after the response day
 *   (Monday to Friday; the response day itself does not count), overdue when it is still open
 *   after more than N business days; N is the model parameter `Follow-up Business Days`;
 * - a goal that is At risk or Behind needs an improvement plan: a check-in with a plan dated on
 *   or after the goal's last status change (the first measurement day since which the goal's
 *   status, judged on each measurement day, has been the status it has now).
 */
import { ATTENTION_STATUSES, DEFAULT_TOLERANCES, FOLLOW_UP_BELOW_RATING } from "../../src/data/rules";
import type { ColumnDef, MeasureDef, RelationshipDef, TableDef } from "./schema";

/** Ratings below this need a follow-up (1 to 3 of 5). */
// The follow-up threshold is one of the rules (src/data/rules.ts), shared with the visual.
export { FOLLOW_UP_BELOW_RATING };
/** Business days the state allows from a low rating to the first contact; a model parameter. */
export const DEFAULT_FOLLOW_UP_BUSINESS_DAYS = 10;
export const FOLLOW_UP_OUTCOMES = ["Resolved", "Action agreed", "Could not reach"] as const;
/** Goal statuses that need a current improvement plan: those that need attention (one rule, src/data/rules.ts). */
export const IMPROVEMENT_PLAN_STATUSES = ATTENTION_STATUSES;

/** A model parameter: a Power Query parameter, loaded as one column of the Model Parameters table so DAX reads it. */
export interface ModelParameterDef {
    /** The Power Query parameter's name (Transform data > Edit parameters). */
    parameter: string;
    /** The column of the Model Parameters table that holds its value. */
    column: string;
    value: number;
    description: string;
}

export const MODEL_PARAMETERS: readonly ModelParameterDef[] = [
    {
        parameter: "FollowUpBusinessDays",
        column: "Follow-up Business Days",
        value: DEFAULT_FOLLOW_UP_BUSINESS_DAYS,
        description: "Business days (Monday to Friday) allowed from a rating below 4 to the first contact.",
    },
    // The goal status tolerances, with the visual's defaults (its Format pane options affect only it).
    {
        parameter: "OnTrackTolerancePoints",
        column: "On-track Tolerance Points",
        value: Math.round(DEFAULT_TOLERANCES.onTrack * 100),
        description: "How many points progress may trail expected progress and still be On track ([Goal Status]).",
    },
    {
        parameter: "AtRiskTolerancePoints",
        column: "At-risk Tolerance Points",
        value: Math.round(DEFAULT_TOLERANCES.atRisk * 100),
        description: "How many points further it may trail and be At risk rather than Behind ([Goal Status]).",
    },
];

const DATE = "yyyy-mm-dd";
const WHOLE = "#,0";
const text = (name: string, source: string, description: string, optional = false): ColumnDef => ({
    name,
    source,
    kind: "text",
    description,
    summarizeBy: "none",
    ...(optional ? { optional: true } : {}),
});
const date = (name: string, source: string, description: string, optional = false): ColumnDef => ({
    name,
    source,
    kind: "date",
    description,
    summarizeBy: "none",
    formatString: DATE,
    ...(optional ? { optional: true } : {}),
});

const LOW = `'Survey Responses'[Rating] < ${FOLLOW_UP_BELOW_RATING}`;

/** Business days after `from` up to and including `to` (0 when `to` is not later): NETWORKDAYS counts both ends. */
const businessDays = (from: string, to: string): string =>
    `IF ( ${to} <= ${from}, 0, NETWORKDAYS ( ${from} + 1, ${to} ) )`;

/**
 * The low ratings in the filter context, responded to by the As of Date of the selection, each with its response
 * day, service and first contact by that day: the table every follow-up measure counts.
 */
const LOW_RATINGS = [
    // The As of Date of the whole selection, not of a row's month: so months (and ratings, services) add up.
    "VAR AsOf = CALCULATE ( [As of Date], ALLSELECTED ( 'Date' ) )",
    "VAR Allowed = [Follow-up Business Days]",
    "VAR Low =",
    "    ADDCOLUMNS (",
    `        CALCULATETABLE ( VALUES ( 'Survey Responses'[ResponseId] ), KEEPFILTERS ( ${LOW} ), KEEPFILTERS ( 'Survey Responses'[Date] <= AsOf ) ),`,
    `        "@Responded", CALCULATE ( MIN ( 'Survey Responses'[Date] ) ),`,
    `        "@Service", CALCULATE ( SELECTEDVALUE ( 'Survey Responses'[ServiceName] ) ),`,
    `        "@Contacted", CALCULATE ( MIN ( 'Follow-ups'[ContactedOn] ), KEEPFILTERS ( 'Follow-ups'[ContactedOn] <= AsOf ) )`,
    "    )",
].join("\n");

const OPEN = `FILTER ( Low, ISBLANK ( [@Contacted] ) )`;
const OVERDUE = `FILTER ( Low, ISBLANK ( [@Contacted] ) && ${businessDays("[@Responded]", "AsOf")} > Allowed )`;
const CONTACTED = `FILTER ( Low, NOT ISBLANK ( [@Contacted] ) )`;

const followUpMeasure = (name: string, formatString: string, body: string, description: string): MeasureDef => ({
    name,
    displayFolder: "Follow-ups",
    formatString,
    expression: `${LOW_RATINGS}\nRETURN\n${body}`,
    description,
});

const planStatuses = IMPROVEMENT_PLAN_STATUSES.map((s) => `"${s}"`).join(", ");

/** A column of the goal's latest check-in (by the As of Date); MAXX, as MAX does not take text. */
const latestCheckIn = (column: string): string =>
    `VAR Latest = [Latest Check-in Date]\nRETURN IF ( NOT ISBLANK ( Latest ), CALCULATE ( MAXX ( 'Goal Check-ins', 'Goal Check-ins'[${column}] ), 'Goal Check-ins'[Date] = Latest ) )`;

export const FOLLOW_UP_TABLES: readonly TableDef[] = [
    {
        name: "Follow-ups",
        source: "follow_ups",
        description: `The state's follow-up contacts on survey responses rated below ${FOLLOW_UP_BELOW_RATING}: one row per contact.`,
        columns: [
            { ...text("ResponseId", "x_ResponseId", "Survey response followed up."), hidden: true },
            date("ContactedOn", "x_ContactedOn", "Day the agency was contacted (or a contact was attempted)."),
            text("ContactedBy", "x_ContactedBy", "Who made the contact: the follow-up's owner."),
            { ...text("Outcome", "x_Outcome", "What came of the contact."), allowed: FOLLOW_UP_OUTCOMES },
            date("ClosedOn", "x_ClosedOn", "Day the follow-up was closed; empty while it is still being worked.", true),
            text("Note", "x_Note", "What was said or agreed.", true),
        ],
        measures: [
            {
                name: "Follow-up Business Days",
                displayFolder: "Follow-ups",
                formatString: WHOLE,
                expression: "MAX ( 'Model Parameters'[Follow-up Business Days] )",
                description:
                    "Business days allowed from a low rating to the first contact: the FollowUpBusinessDays model parameter (default 10).",
            },
            followUpMeasure(
                "Open Follow-ups",
                WHOLE,
                `    COUNTROWS ( ${OPEN} ) + 0`,
                "Ratings below 4 given by the As of Date with no contact by then.",
            ),
            followUpMeasure(
                "Overdue Follow-ups",
                WHOLE,
                `    COUNTROWS ( ${OVERDUE} ) + 0`,
                "Open follow-ups whose rating is more than Follow-up Business Days business days old on the As of Date.",
            ),
            followUpMeasure(
                "Follow-ups on Time %",
                "0.0%",
                [
                    `    VAR OnTime = COUNTROWS ( FILTER ( Low, NOT ISBLANK ( [@Contacted] ) && ${businessDays("[@Responded]", "[@Contacted]")} <= Allowed ) )`,
                    `    VAR Due = COUNTROWS ( FILTER ( Low, NOT ISBLANK ( [@Contacted] ) || ${businessDays("[@Responded]", "AsOf")} > Allowed ) )`,
                    "    RETURN DIVIDE ( OnTime, Due )",
                ].join("\n"),
                "Share of ratings below 4 first contacted within Follow-up Business Days business days, among those contacted or past that time (open ones still within it are not yet counted).",
            ),
            followUpMeasure(
                "Median Days to Contact",
                "0.0",
                `    MEDIANX ( ${CONTACTED}, ${businessDays("[@Responded]", "[@Contacted]")} )`,
                "Median business days from a rating below 4 to its first contact, over the contacted ones.",
            ),
            followUpMeasure(
                "Follow-up State",
                "",
                [
                    "    SWITCH (",
                    "        TRUE (),",
                    "        ISEMPTY ( Low ), BLANK (),",
                    `        NOT ISEMPTY ( ${OVERDUE} ), "Overdue",`,
                    `        NOT ISEMPTY ( ${OPEN} ), "Open",`,
                    '        "Contacted"',
                    "    )",
                ].join("\n"),
                "Overdue when any rating below 4 is overdue, else Open when any has no contact yet, else Contacted; blank without ratings below 4.",
            ),
            followUpMeasure(
                "Follow-up Age",
                WHOLE,
                `    IF ( COUNTROWS ( Low ) = 1, MAXX ( Low, ${businessDays("[@Responded]", "COALESCE ( [@Contacted], AsOf )")} ) )`,
                "For one rating below 4: business days from the response to its first contact, or to the As of Date while open.",
            ),
            followUpMeasure(
                "Follow-up Owner",
                "",
                `    IF ( NOT ISEMPTY ( Low ), CONCATENATEX ( CALCULATETABLE ( VALUES ( 'Follow-ups'[ContactedBy] ), KEEPFILTERS ( ${LOW} ), KEEPFILTERS ( 'Follow-ups'[ContactedOn] <= AsOf ) ), 'Follow-ups'[ContactedBy], ", ", 'Follow-ups'[ContactedBy], ASC ) )`,
                "Who contacted the agency about the ratings below 4 in view (by the As of Date).",
            ),
            followUpMeasure(
                "Follow-up Outcome",
                "",
                `    IF ( NOT ISEMPTY ( Low ), CONCATENATEX ( CALCULATETABLE ( VALUES ( 'Follow-ups'[Outcome] ), KEEPFILTERS ( ${LOW} ), KEEPFILTERS ( 'Follow-ups'[ContactedOn] <= AsOf ) ), 'Follow-ups'[Outcome], ", ", 'Follow-ups'[Outcome], ASC ) )`,
                "The outcomes of the contacts about the ratings below 4 in view (by the As of Date).",
            ),
            followUpMeasure(
                "Open Follow-up List",
                "",
                `    CONCATENATEX ( ${OPEN}, FORMAT ( [@Responded], "yyyy-mm-dd" ) & UNICHAR ( 9 ) & [@Service], UNICHAR ( 10 ), [@Responded], ASC, [@Service], ASC )`,
                "The open follow-ups, oldest first, one a line: the response day (yyyy-mm-dd), a tab, the service (empty when the response is about no service). For the visual's tooltip.",
            ),
        ],
    },
    {
        name: "Goal Check-ins",
        source: "goal_checkins",
        description:
            "Check-ins on each goal: how it is going, the team's improvement plan when it is behind, the next step.",
        columns: [
            { ...text("GoalId", "x_GoalId", "Goal checked in on."), hidden: true },
            date("Date", "x_CheckInDate", "Day of the check-in."),
            text("StatusNote", "x_StatusNote", "How the goal is going, in the team's words."),
            text(
                "ImprovementPlan",
                "x_ImprovementPlan",
                "How the team will get back on track (empty when none is needed).",
                true,
            ),
            text("NextStep", "x_NextStep", "The next concrete step.", true),
            text("Owner", "x_Owner", "Who owns the goal's next step."),
            date("NextCheckInDate", "x_NextCheckInDate", "When the next check-in is due.", true),
        ],
        measures: [
            {
                name: "Latest Check-in Date",
                displayFolder: "Improvement plans",
                formatString: DATE,
                expression:
                    "VAR AsOf = [As of Date]\nRETURN IF ( HASONEVALUE ( Goals[GoalId] ), CALCULATE ( MAX ( 'Goal Check-ins'[Date] ), KEEPFILTERS ( 'Goal Check-ins'[Date] <= AsOf ) ) )",
                description: "The day of the goal's latest check-in on or before the As of Date (one goal at a time).",
            },
            {
                name: "Latest Check-in Note",
                displayFolder: "Improvement plans",
                formatString: "",
                expression: latestCheckIn("StatusNote"),
                description: "The status note of the goal's latest check-in.",
            },
            {
                name: "Latest Next Step",
                displayFolder: "Improvement plans",
                formatString: "",
                expression: latestCheckIn("NextStep"),
                description: "The next step named at the goal's latest check-in.",
            },
            {
                name: "Next Check-in Date",
                displayFolder: "Improvement plans",
                formatString: DATE,
                expression: latestCheckIn("NextCheckInDate"),
                description: "When the next check-in is due, as the latest check-in says.",
            },
            {
                name: "Improvement Plan Date",
                displayFolder: "Improvement plans",
                formatString: DATE,
                expression:
                    "VAR AsOf = [As of Date]\nRETURN IF ( HASONEVALUE ( Goals[GoalId] ), CALCULATE ( MAX ( 'Goal Check-ins'[Date] ), KEEPFILTERS ( 'Goal Check-ins'[Date] <= AsOf ), KEEPFILTERS ( NOT ISBLANK ( 'Goal Check-ins'[ImprovementPlan] ) ) ) )",
                description:
                    "The day of the goal's latest check-in with an improvement plan, on or before the As of Date.",
            },
            {
                name: "Latest Improvement Plan",
                displayFolder: "Improvement plans",
                formatString: "",
                expression:
                    "VAR PlanDate = [Improvement Plan Date]\nRETURN IF ( NOT ISBLANK ( PlanDate ), CALCULATE ( MAXX ( 'Goal Check-ins', 'Goal Check-ins'[ImprovementPlan] ), 'Goal Check-ins'[Date] = PlanDate ) )",
                description: "The goal's latest improvement plan.",
            },
            {
                name: "Status Changed On",
                displayFolder: "Improvement plans",
                formatString: DATE,
                // The status on each measurement day is [Goal Status] with the dates cut at that day
                // (its As of Date then is that day); the current run starts after the last day that differs.
                expression: [
                    "VAR Current = [Goal Status]",
                    "VAR AsOf = [As of Date]",
                    "VAR Days = CALCULATETABLE ( VALUES ( 'Goal Measurements'[Date] ), REMOVEFILTERS ( 'Date' ), 'Goal Measurements'[Date] <= AsOf )",
                    "VAR History =",
                    "    ADDCOLUMNS (",
                    "        Days,",
                    "        \"@Status\", VAR Day = 'Goal Measurements'[Date] RETURN CALCULATE ( [Goal Status], REMOVEFILTERS ( 'Date' ), REMOVEFILTERS ( 'Goal Measurements'[Date] ), 'Date'[Date] <= Day )",
                    "    )",
                    "VAR LastDifferent = MAXX ( FILTER ( History, [@Status] <> Current ), 'Goal Measurements'[Date] )",
                    "VAR RunStart = MINX ( FILTER ( History, 'Goal Measurements'[Date] > LastDifferent ), 'Goal Measurements'[Date] )",
                    "RETURN",
                    "    IF (",
                    "        HASONEVALUE ( Goals[GoalId] ) && NOT ISBLANK ( Current ) && NOT ISEMPTY ( History ),",
                    "        IF ( ISBLANK ( LastDifferent ), MINX ( History, 'Goal Measurements'[Date] ), COALESCE ( RunStart, LastDifferent ) )",
                    "    )",
                ].join("\n"),
                description:
                    "The first measurement day since which the goal's status (judged on each measurement day) has been its status on the As of Date; the latest measurement day when that one already differs.",
            },
            {
                name: "Improvement Plan Missing",
                displayFolder: "Improvement plans",
                formatString: "0",
                expression: `VAR Status = [Goal Status]\nRETURN\n    IF (\n        Status IN { ${planStatuses} },\n        VAR PlanDate = [Improvement Plan Date]\n        VAR Changed = [Status Changed On]\n        RETURN IF ( NOT ISBLANK ( PlanDate ) && PlanDate >= Changed, 0, 1 )\n    )`,
                description: `1 for a goal that is ${IMPROVEMENT_PLAN_STATUSES.join(" or ")} without an improvement plan dated on or after its last status change, 0 with one, blank for other statuses.`,
            },
            {
                name: "Goals Without a Current Plan",
                displayFolder: "Improvement plans",
                formatString: WHOLE,
                expression: "SUMX ( VALUES ( Goals[GoalId] ), [Improvement Plan Missing] ) + 0",
                description: `Number of goals ${IMPROVEMENT_PLAN_STATUSES.join(" or ")} without a current improvement plan.`,
            },
        ],
    },
];

/** The table DAX reads the model parameters from: one row, one column per parameter, generated in M. */
export const MODEL_PARAMETERS_TABLE: TableDef = {
    name: "Model Parameters",
    source: null,
    description: "The model parameters (Transform data > Edit parameters), one row, for the measures to read.",
    columns: MODEL_PARAMETERS.map((p) => ({
        name: p.column,
        source: p.column,
        kind: "int",
        description: `${p.description} Set by the ${p.parameter} parameter.`,
        hidden: true,
        summarizeBy: "none",
        formatString: "0",
    })),
    measures: [],
};

export const FOLLOW_UP_RELATIONSHIPS: readonly RelationshipDef[] = [
    // An unknown response is a warning, not an error: Power BI loads the row (it just relates to no response).
    {
        fromTable: "Follow-ups",
        fromColumn: "ResponseId",
        toTable: "Survey Responses",
        toColumn: "ResponseId",
        unknownKey: "warning",
    },
    { fromTable: "Goal Check-ins", fromColumn: "GoalId", toTable: "Goals", toColumn: "GoalId" },
];
