/**
 * The demo page: the packaged visual in the preview host (tests/browser/harness/page.ts), with
 * the cost view of the picked sample user. Not Power BI: the server cuts the sample data to the
 * user's agencies as the model's role would.
 */
import type { HarnessApi } from "../../../tests/browser/harness/types";
import type { DemoView } from "../demo";

/** The server's answer (portal/src/demo.ts) with the packaged visual's identity. */
type DemoAnswer = DemoView & { visual: { guid: string; stringResources: Record<string, Record<string, string>> } };

declare global {
    interface Window {
        aisCreateHarness: () => HarnessApi;
    }
}

const picker = document.getElementById("ais-user") as HTMLSelectElement;
const heading = document.getElementById("ais-agency") as HTMLElement;
const asOf = document.getElementById("ais-as-of") as HTMLElement;
const messageBox = document.getElementById("ais-message") as HTMLElement;
const container = document.getElementById("ais-visual") as HTMLElement;
const harness = window.aisCreateHarness();

async function show(user: string) {
    document.body.dataset.ready = "false";
    const response = await fetch(`/demo/view?user=${encodeURIComponent(user)}`, { cache: "no-store" });
    const answer = (await response.json()) as DemoAnswer & { error?: string };
    if (!response.ok) {
        messageBox.textContent = answer.error ?? `The demo answered ${response.status}.`;
        messageBox.hidden = false;
        return;
    }
    messageBox.hidden = true;
    heading.textContent = answer.agencies.map((agency) => agency.name).join(", ");
    asOf.textContent = `Data as of ${answer.dataAsOf} (${answer.fiscalYear}, sample data)`;
    const width = Math.max(320, Math.min(container.parentElement!.clientWidth - 2, 1280));
    harness.mount({
        guid: answer.visual.guid,
        viewport: { width, height: Math.max(360, Math.round(width * 0.5)) },
        host: { locale: navigator.language === "es-ES" ? "es-ES" : "en-US" },
        stringResources: answer.visual.stringResources,
        container,
    });
    harness.setData(answer.dataView);
    harness.update(2);
    document.body.dataset.user = answer.user;
    document.body.dataset.ready = "true";
}

picker.addEventListener("change", () => void show(picker.value));
if (picker.value) void show(picker.value);
