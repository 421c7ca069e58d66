/** @jest-environment node */
import { RoleName } from "../../src/data/roles";
import { chooseView, ViewKind } from "../../src/data/viewChoice";

describe("chooseView: which view the bound fields show (Follow the bound fields)", () => {
    const cases: Array<[string, RoleName[], ViewKind]> = [
        ["nothing bound", [], "cost"],
        ["Agency and Cost", ["agency", "cost"], "cost"],
        ["a cost chart with one goal field added stays a cost chart", ["agency", "cost", "users", "team"], "cost"],
        ["a cost chart with a rating added stays a cost chart", ["agency", "cost", "rating"], "cost"],
        ["Goal, Actual and Target", ["goal", "actual", "target"], "goals"],
        [
            "both complete: the one with more of its own fields bound",
            ["agency", "cost", "team", "goal", "actual", "target", "baseline"],
            "goals",
        ],
        [
            "both complete with as many fields each: goals",
            ["agency", "cost", "users", "goal", "actual", "target"],
            "goals",
        ],
        [
            "none complete: the one with most fields, so its message names what is missing",
            ["team", "goal", "actual"],
            "goals",
        ],
        ["Agency alone (shared by cost and satisfaction): cost", ["agency"], "cost"],
        ["a satisfaction view being built", ["agency", "rating"], "satisfaction"],
        ["Agency, Rating and Responses", ["agency", "rating", "responses"], "satisfaction"],
        ["Period and Tooltips alone decide nothing", ["period", "tooltips"], "cost"],
    ];
    it.each(cases)("%s", (_name, roles, view) => {
        expect(chooseView(new Set(roles), "auto")).toBe(view);
    });

    it("shows the view the Format pane forces, whatever is bound", () => {
        expect(chooseView(new Set<RoleName>(["agency", "cost"]), "goals")).toBe("goals");
    });
});
