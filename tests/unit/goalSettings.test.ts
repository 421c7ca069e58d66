import { DEFAULT_TOLERANCES, GOAL_STATUSES } from "../../src/data/goalStatus";
import { defaultStatusColors, VisualSettings } from "../../src/settings";

/** WCAG relative luminance and contrast ratio. */
function luminance(hex: string): number {
    const [r, g, b] = [1, 3, 5]
        .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
        .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
};

describe("Team goals Format pane card", () => {
    it("defaults to the rule's tolerances, given in points", () => {
        const settings = new VisualSettings();
        expect(settings.goals.onTrackTolerance.value).toBe(5);
        expect(settings.goals.atRiskTolerance.value).toBe(15);
        expect(settings.goalTolerances).toEqual(DEFAULT_TOLERANCES);
        expect(settings.goalSort).toBe("team");
    });

    it("turns points into the fractions the status rule takes, within 0 to 100", () => {
        const settings = new VisualSettings();
        settings.goals.onTrackTolerance.value = 10;
        settings.goals.atRiskTolerance.value = 250;
        expect(settings.goalTolerances).toEqual({ onTrack: 0.1, atRisk: 1 });
        settings.goals.onTrackTolerance.value = -3;
        settings.goals.atRiskTolerance.value = null as unknown as number;
        expect(settings.goalTolerances).toEqual({ onTrack: 0, atRisk: DEFAULT_TOLERANCES.atRisk });
    });

    it("has a color for every status, each readable under white badge text", () => {
        expect(Object.keys(defaultStatusColors).sort()).toEqual([...GOAL_STATUSES].sort());
        for (const status of GOAL_STATUSES)
            expect(contrast(defaultStatusColors[status], "#ffffff")).toBeGreaterThanOrEqual(4.5);
        const settings = new VisualSettings();
        settings.goals.colors[0].value = { value: "#000000" };
        expect(settings.statusColors["Met"]).toBe("#000000");
        expect(settings.statusColors["Missed"]).toBe(defaultStatusColors["Missed"]);
    });
});
