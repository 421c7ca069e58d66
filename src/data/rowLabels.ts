import { CostBar, CostViewModel } from "./costModel";
import { shareFormatter } from "./format";
import { fill } from "./modelHelpers";
import { Localize } from "./strings";

/**
 * A cost row's accessible name, as a screen reader user needs it without the chart: the figure
 * with what it is ("$1,193 per user"), how far it is from the reference line ("5.2% above
 * statewide") and its change against the period compared with ("up 1.8% vs previous month").
 * Made for the drawn rows only.
 */
export function costRowDescriber(
    model: Pick<CostViewModel, "measure" | "reference" | "headers">,
    localize: Localize,
    locale: string,
): (bar: CostBar) => string {
    const percent = shareFormatter(locale);
    const reference = model.reference.value;
    const withUnit = costUnitWords(model.measure, localize);
    // "statewide" only for the model's figure; else the line is the average of the agencies shown.
    return (bar) => {
        if (bar.value === null) return bar.valueText === "" ? bar.name : `${bar.name}: ${bar.valueText}`;
        const parts = [withUnit(bar.valueText)];
        if (reference !== null && reference !== 0) {
            const difference = (bar.value - reference) / Math.abs(reference);
            const key = model.reference.isStatewide
                ? difference >= 0
                    ? "A11y_AboveStatewide"
                    : "A11y_BelowStatewide"
                : difference >= 0
                  ? "A11y_AboveAverage"
                  : "A11y_BelowAverage";
            parts.push(fill(localize(key), percent(Math.abs(difference))));
        }
        if (bar.change !== null)
            parts.push(
                fill(
                    localize(bar.change >= 0 ? "A11y_Up" : "A11y_Down"),
                    percent(Math.abs(bar.change)),
                    model.headers.change,
                ),
            );
        return `${bar.name}: ${parts.join(", ")}`;
    };
}

/** A figure with its unit, "$1,193 per user" or "$52,000 total cost", as the measure is. */
export function costUnitWords(measure: CostViewModel["measure"], localize: Localize): (figure: string) => string {
    const words = localize(measure === "costPerUser" ? "A11y_PerUser" : "A11y_TotalCost");
    return (figure) => fill(words, figure);
}

/**
 * The statewide item's accessible name: which figure the line is (the model's statewide measure,
 * or the average of the agencies shown) and the figure with its unit, "Statewide: $928.69 per user".
 */
export function costReferenceName(model: Pick<CostViewModel, "measure" | "reference">, localize: Localize): string {
    const { name, valueText } = model.reference;
    return `${name}: ${costUnitWords(model.measure, localize)(valueText)}`;
}
