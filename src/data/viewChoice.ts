import { RoleName, Role } from "./roles";

export type ViewKind = "cost" | "goals" | "satisfaction";
export type ViewMode = "auto" | ViewKind;

/** Each view's own fields (Period and Tooltips belong to every view, so they decide nothing). */
const ownRoles: Record<ViewKind, RoleName[]> = {
    cost: [Role.agency, Role.cost, Role.users, Role.uncoveredCost, Role.service],
    goals: [
        Role.team,
        Role.goal,
        Role.actual,
        Role.target,
        Role.baseline,
        Role.startDate,
        Role.dueDate,
        Role.direction,
        Role.asOf,
        Role.planMissing,
    ],
    satisfaction: [
        Role.agency,
        Role.rating,
        Role.responses,
        Role.openFollowUps,
        Role.overdueFollowUps,
        Role.openFollowUpList,
    ],
};

/** Ties go to the view listed first. */
const viewOrder: ViewKind[] = ["goals", "cost", "satisfaction"];

/** Which roles a view cannot draw without. */
export const requiredRoles: Record<ViewKind, RoleName[]> = {
    cost: [Role.agency, Role.cost],
    goals: [Role.goal, Role.actual, Role.target],
    satisfaction: [Role.agency, Role.rating, Role.responses],
};

/**
 * The view follows the bound fields, so a cost chart stays a cost chart when a goal or rating
 * field is added to it (the Format pane's View > Show says the same):
 * 1. a view whose required fields are all bound; of several, the one with more of its own fields bound;
 * 2. with none complete, the one with most of its own fields bound, so its message names what is missing;
 * 3. ties go to goals, then cost, then satisfaction; with no view's fields bound, cost.
 * The Format pane can force a view.
 */
export function chooseView(bound: ReadonlySet<RoleName>, mode: ViewMode): ViewKind {
    if (mode !== "auto") return mode;
    const ownBound = (view: ViewKind) => ownRoles[view].filter((role) => bound.has(role)).length;
    const complete = viewOrder.filter((view) => missingRoles(requiredRoles[view], bound).length === 0);
    const candidates = complete.length > 0 ? complete : viewOrder;
    let chosen: ViewKind = complete.length > 0 ? candidates[0] : "cost";
    let most = complete.length > 0 ? ownBound(chosen) : 0;
    for (const view of candidates) {
        if (ownBound(view) > most) {
            chosen = view;
            most = ownBound(view);
        }
    }
    return chosen;
}

/** The required fields not bound (a view's list is requiredRoles[view]). */
export function missingRoles(required: readonly RoleName[], bound: ReadonlySet<RoleName>): RoleName[] {
    return required.filter((role) => !bound.has(role));
}
