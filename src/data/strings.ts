import { RoleName } from "./roles";

/**
 * Every string the visual draws, by localization key, with its en-US text. The host layer
 * resolves keys through Power BI's localization manager; stringResources/<locale>/resources.resjson
 * holds the translations (a test checks that every key is present in every locale).
 */
export const englishStrings = {
    Visual_Title: "Agency IT Scorecard",
    Landing_Intro: "Shows what each agency pays for IT, how IT teams do against their goals, and how satisfied agencies are.",
    Landing_Cost: "IT cost: bind Agency and Cost. Add Users for cost per user, Service to stack by service, Period for a trend.",
    Landing_Goals: "Team goals: bind Team, Goal, Actual, Target and Baseline, with Start date and Due date.",
    Landing_Satisfaction: "Agency satisfaction: bind Agency, Rating and Responses.",
    Missing_Fields: "To show this view, add these fields:",
    View_Cost: "IT cost",
    View_Goals: "Team goals",
    View_Satisfaction: "Agency satisfaction",
    View_Coming: "This view is coming in a later release. Bind Agency and Cost to see IT cost.",
    No_Rows: "The fields are bound, but there is no data to show.",
    Blank: "(Blank)",
    Statewide: "Statewide",
    Warning_DataCut_Title: "Not all data is shown",
    Warning_DataCut_Detail: "The data has more rows than this visual loads. Filter the report (for example to one fiscal year) to see all of it.",
    Agency_Average: "Agency average",
    Note_BindUsers: "Bind Users to show cost per user.",
    Tooltip_Agency: "Agency",
    Tooltip_TotalCost: "Total cost",
    Tooltip_Users: "Users (average)",
    Tooltip_CostPerUser: "Cost per user",
    Tooltip_VsStatewide: "vs statewide",
    Tooltip_Change: "Change vs previous period",
    Note_NoUsers: "No users: cost per user is blank",
    Sat_Few: "few",
    Sat_Note_Few: "fewer than {0} responses, too few to read as a trend.",
    Sat_Tooltip_Few: "Few responses",
    Sat_Tooltip_FewValue: "Fewer than {0}: not a trend",
    Sat_Average: "Average rating",
    Sat_Responses: "Responses",
    Sat_NoResponses: "No responses",
    Sat_FollowUp: "Needs follow-up (below 4)",
    Sat_RatingN: "Rating {0}",
    Sat_VsStatewide: "vs statewide average",
    Sat_Invalid: "Ratings not 1-5 (not drawn)",
    Sat_Warning_Title: "Some ratings are not 1-5",
    Sat_Warning_Detail: "{0} responses have a rating that is not a whole number from 1 to 5. They are counted in the tooltip and not drawn.",
    Sat_Note_BadCounts: "Counts left out (negative or not a number): {0}",
    Sat_Side_Low: "◂ 1-3 needs follow-up",
    Sat_Side_High: "4-5 ▸",
    Sat_Col_Average: "Avg",
    Sat_Col_Responses: "Responses",
    Sat_Col_FollowUp: "Follow-up",
    Sat_Legend: "Rating",
    Role_Agency: "Agency",
    Role_Service: "Service",
    Role_Period: "Period",
    Role_Cost: "Cost",
    Role_Users: "Users",
    Role_Team: "Team",
    Role_Goal: "Goal",
    Role_Actual: "Actual",
    Role_Target: "Target",
    Role_Baseline: "Baseline",
    Role_StartDate: "Start date",
    Role_DueDate: "Due date",
    Role_Rating: "Rating",
    Role_Responses: "Responses",
    Role_Tooltips: "Tooltips",
} as const;

export type StringKey = keyof typeof englishStrings;
export type Localize = (key: StringKey) => string;

export const englishLocalize: Localize = (key) => englishStrings[key];

/** Display names of the data roles, for "add these fields" messages (keys as in capabilities.json). */
export const roleNameKeys: Record<RoleName, StringKey> = {
    agency: "Role_Agency",
    service: "Role_Service",
    period: "Role_Period",
    cost: "Role_Cost",
    users: "Role_Users",
    team: "Role_Team",
    goal: "Role_Goal",
    actual: "Role_Actual",
    target: "Role_Target",
    baseline: "Role_Baseline",
    startDate: "Role_StartDate",
    dueDate: "Role_DueDate",
    rating: "Role_Rating",
    responses: "Role_Responses",
    tooltips: "Role_Tooltips",
};
