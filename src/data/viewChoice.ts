import { RoleName, Role } from "./roles";

export type ViewKind = "cost" | "goals" | "satisfaction";
export type ViewMode = "auto" | ViewKind;

const goalRoles: RoleName[] = [
    Role.team,
    Role.goal,
    Role.actual,
    Role.target,
    Role.baseline,
    Role.startDate,
    Role.dueDate,
    Role.direction,
    Role.asOf,
];
const satisfactionRoles: RoleName[] = [
    Role.rating,
    Role.responses,
    Role.openFollowUps,
    Role.overdueFollowUps,
    Role.openFollowUpList,
];

/** Which roles a view cannot draw without. */
export const requiredRoles: Record<ViewKind, RoleName[]> = {
    cost: [Role.agency, Role.cost],
    goals: [Role.goal, Role.actual, Role.target],
    satisfaction: [Role.agency, Role.rating, Role.responses],
};

/**
 * The view follows the bound fields: any goal field means the goal view, any rating field the
 * satisfaction view, otherwise the cost view. The Format pane can force a view.
 */
export function chooseView(bound: ReadonlySet<RoleName>, mode: ViewMode): ViewKind {
    if (mode !== "auto") return mode;
    if (goalRoles.some((role) => bound.has(role))) return "goals";
    if (satisfactionRoles.some((role) => bound.has(role))) return "satisfaction";
    return "cost";
}

export function missingRoles(view: ViewKind, bound: ReadonlySet<RoleName>): RoleName[] {
    return requiredRoles[view].filter((role) => !bound.has(role));
}
