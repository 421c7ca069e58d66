/**
 * The agency head's page (bundled by esbuild with powerbi-client): asks the portal for an embed
 * token, embeds the report on the agency's page with the filter pane hidden, and renews the
 * token before it expires. The page never sees a secret: only the short-lived embed token.
 */
import { factories, models, service, type Report } from "powerbi-client";
import type { EmbedAnswer, ErrorAnswer } from "./answers";

const powerbi = new service.Service(factories.hpmFactory, factories.wpmpFactory, factories.routerFactory);
const container = document.getElementById("ais-report") as HTMLElement;
const messageBox = document.getElementById("ais-message") as HTMLElement;
const asOf = document.getElementById("ais-as-of") as HTMLElement;
const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? "";
let report: Report | undefined;
let renewal: number | undefined;

/** Renew this long before expiry (or halfway through a shorter token's life). */
const RENEW_BEFORE_MS = 2 * 60_000;

function showMessage(text: string, link?: { href: string; text: string }) {
    messageBox.replaceChildren(document.createTextNode(text));
    if (link) {
        const anchor = document.createElement("a");
        anchor.href = link.href;
        anchor.textContent = link.text;
        messageBox.append(" ", anchor);
    }
    messageBox.hidden = false;
}

function clearMessage() {
    messageBox.hidden = true;
    messageBox.replaceChildren();
}

function showAsOf(dataAsOf: string | null) {
    asOf.textContent = dataAsOf
        ? `Data as of ${new Date(dataAsOf).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })}`
        : "Data as of: not known";
}

async function requestToken(): Promise<EmbedAnswer | null> {
    let response: Response;
    try {
        response = await fetch("/api/embed-token", {
            method: "POST",
            headers: { "x-csrf-token": csrf, accept: "application/json" },
            credentials: "same-origin",
            cache: "no-store",
        });
    } catch {
        showMessage("The portal cannot be reached. Check the connection; the page tries again in a minute.");
        schedule(60_000);
        return null;
    }
    if (response.ok) return (await response.json()) as EmbedAnswer;
    const answer = (await response
        .json()
        .catch(() => ({ error: `The portal answered ${response.status}.` }))) as ErrorAnswer;
    if (response.status === 401) showMessage(answer.error, { href: answer.signIn ?? "/auth/signin", text: "Sign in" });
    else showMessage(answer.error);
    if (answer.retryAfterSeconds) schedule(answer.retryAfterSeconds * 1000);
    return null;
}

function schedule(delayMs: number) {
    window.clearTimeout(renewal);
    renewal = window.setTimeout(() => void refresh(), Math.max(1000, delayMs));
}

function scheduleRenewal(expiration: string) {
    const left = Date.parse(expiration) - Date.now();
    schedule(Math.min(RENEW_BEFORE_MS < left ? left - RENEW_BEFORE_MS : left / 2, 2 ** 31 - 1));
}

/** First call embeds the report; later calls give it a new token in place (no reload). */
async function refresh() {
    const answer = await requestToken();
    if (!answer) return;
    clearMessage();
    showAsOf(answer.dataAsOf);
    if (report) {
        try {
            await report.setAccessToken(answer.accessToken);
        } catch {
            // The report frame did not take the token: say so and try again shortly.
            showMessage("The report could not take its new access token. The page tries again in a minute.");
            schedule(60_000);
            return;
        }
    } else {
        report = powerbi.embed(container, {
            type: "report",
            id: answer.reportId,
            embedUrl: answer.embedUrl,
            accessToken: answer.accessToken,
            tokenType: models.TokenType.Embed,
            pageName: answer.pageName,
            permissions: models.Permissions.Read,
            viewMode: models.ViewMode.View,
            settings: {
                panes: { filters: { visible: false, expanded: false }, pageNavigation: { visible: true } },
                background: models.BackgroundType.Default,
            },
        }) as Report;
        report.on("error", (event) => {
            const detail = (event as CustomEvent<models.IError>).detail;
            // An expired token renews at once; anything else is shown as Power BI words it.
            if (detail?.message === "TokenExpired" || /token.*expired/i.test(detail?.detailedMessage ?? ""))
                void refresh();
            else
                showMessage(
                    `Power BI: ${detail?.detailedMessage ?? detail?.message ?? "the report could not be shown."}`,
                );
        });
    }
    scheduleRenewal(answer.expiration);
}

void refresh();
