import powerbi from "powerbi-visuals-api";
import IVisualEventService = powerbi.extensibility.IVisualEventService;
import VisualUpdateOptions = powerbi.extensibility.visual.VisualUpdateOptions;

/**
 * Power BI waits for rendering events (PDF export, subscriptions, certification). Every update
 * reports renderingStarted and then exactly one of renderingFinished or renderingFailed, whatever
 * happens inside, so no code path can forget or double them.
 */
export function renderWithEvents(
    events: IVisualEventService | undefined,
    options: VisualUpdateOptions,
    render: () => void,
): boolean {
    events?.renderingStarted(options);
    try {
        render();
    } catch (error) {
        events?.renderingFailed(options, error instanceof Error ? error.message : String(error));
        return false;
    }
    events?.renderingFinished(options);
    return true;
}
