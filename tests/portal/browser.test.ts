/**
 * @jest-environment node
 *
 * The portal's page in Debian's Chromium: the agency head signs in (Entra ID's pages are the
 * loopback stand-in, reached through Playwright routes on the real host names), the page embeds
 * the report with powerbi-client, and a stand-in of Power BI's report frame records what
 * powerbi-client sends it (the load message with the token and settings, later token updates).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromium, type BrowserContext, type Frame, type Page, type Response } from "playwright-core";
import { assertChromium, CHROMIUM, CHROMIUM_ARGS, removeDir } from "../browser/harness/browser";
import { AUTHORITY_HOST, CLIENT_SECRET, DATASET_ID, EMBED_ORIGIN, REPORT_ID } from "./standins";
import { selfSignedCertificate, startPowerBiPortal, type RunningPortal } from "./harness";

/** Power BI's report frame, played by a page that records powerbi-client's messages and answers them as accepted. */
const REPORT_FRAME = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Power BI stand-in</title></head><body>
<script>
window.received = [];
window.addEventListener("message", (event) => {
    const message = event.data;
    if (!message || typeof message !== "object" || !message.method) return;
    window.received.push({ method: message.method, url: message.url, body: message.body });
    event.source.postMessage({ headers: { id: message.headers && message.headers.id }, statusCode: 202, body: null }, event.origin);
});
</script></body></html>`;

interface Received {
    method: string;
    url: string;
    /** The load message's configuration; setAccessToken's token as a string. */
    body: Record<string, unknown>;
}

// Chromium, TLS and RSA keys on a machine shared with other test runs: seconds, not milliseconds.
jest.setTimeout(60_000);

let portal: RunningPortal;
let context: BrowserContext;
let page: Page;
let profile: string;
const problems: string[] = [];
const responses: Response[] = [];

beforeAll(async () => {
    assertChromium();
    portal = await startPowerBiPortal();
    // Entra ID's sign-in pages: the stand-in under the real host name (Playwright's routes miss redirects, and sign-in is all redirects).
    const entraPort = await portal.entra.startForBrowser(selfSignedCertificate());
    profile = fs.mkdtempSync(path.join(os.tmpdir(), "ais-portal-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        args: [
            ...CHROMIUM_ARGS,
            `--host-resolver-rules=MAP ${new URL(AUTHORITY_HOST).hostname} 127.0.0.1:${entraPort}`,
        ],
        headless: true,
        ignoreHTTPSErrors: true, // the throwaway self-signed certificate of the portal and the stand-in
        viewport: { width: 1366, height: 768 },
        locale: "en-US",
        timezoneId: "UTC",
    });
    await context.route(`${EMBED_ORIGIN}/**`, (route) =>
        route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: REPORT_FRAME }),
    );
    page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warning")
            problems.push(`console.${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("response", (response) => responses.push(response));
    context.on("request", (request) => {
        const url = request.url();
        const known = [portal.origin, AUTHORITY_HOST, EMBED_ORIGIN].some((origin) => url.startsWith(`${origin}/`));
        if (!known && !url.startsWith("data:")) problems.push(`request off the portal, Entra ID and Power BI: ${url}`);
    });
}, 60_000);

afterAll(async () => {
    await context?.close();
    await portal?.stop();
    if (profile) removeDir(profile);
});

const reportFrame = (): Frame | undefined =>
    page.frames().find((frame) => frame.url().startsWith(`${EMBED_ORIGIN}/reportEmbed`));

async function received(): Promise<Received[]> {
    const frame = reportFrame();
    return frame ? ((await frame.evaluate(() => (window as unknown as { received: Received[] }).received)) ?? []) : [];
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
        const value = await probe().catch(() => undefined);
        if (value !== undefined) return value;
        if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

test("sign-in, then powerbi.embed with the embed token, its URL, tokenType Embed, the agency's page and the filter pane hidden; renewed before expiry", async () => {
    portal.entra.signInAs = { upn: "head.revenue@example.gov", name: "Robin Revenue" };
    portal.powerBi.tokenSeconds = 5; // renewed at half its life, as the page does for short tokens
    await page.goto(`${portal.origin}/`);
    expect(new URL(page.url()).origin).toBe(portal.origin);
    await expect(page.locator("h1").textContent()).resolves.toBe("Department of Revenue");
    await expect(page.locator(".ais-user").textContent()).resolves.toContain("Robin Revenue");
    expect(await page.locator("button", { hasText: "Sign out" }).count()).toBe(1);

    const load = await waitFor("the report load message", async () =>
        (await received()).find((message) => message.method === "POST" && message.url === "/report/load"),
    );
    // The last completed refresh of the dataset (the stand-in's refresh history), in the viewer's locale.
    await expect(page.locator("#ais-as-of").textContent()).resolves.toBe("Data as of Nov 30, 2026, 6:15 AM");
    expect(reportFrame()!.url()).toContain(portal.powerBi.embedUrl().split("&config=")[0]);
    expect(load.body).toMatchObject({
        type: "report",
        id: REPORT_ID,
        accessToken: portal.powerBi.issuedTokens[0],
        tokenType: 1, // models.TokenType.Embed
        pageName: "itCost",
        permissions: 0, // models.Permissions.Read
        settings: { panes: { filters: { visible: false, expanded: false } } },
    });
    expect(portal.powerBi.tokenRequests[0].identities).toEqual([
        { username: "head.revenue@example.gov", roles: ["Agency"], datasets: [DATASET_ID] },
    ]);

    const renewed = await waitFor("the renewed token", async () =>
        (await received()).find((message) => message.url === "/report/token"),
    );
    expect(portal.powerBi.issuedTokens.length).toBeGreaterThanOrEqual(2);
    expect(renewed.body).toBe(portal.powerBi.issuedTokens[1]); // report.setAccessToken sends the token itself
    portal.powerBi.tokenSeconds = undefined;
});

test("Power BI's TokenExpired error event gets the report a new token at once", async () => {
    const load = (await received()).find((message) => message.url === "/report/load")!;
    // First the page's own renewal of the short token: the report then holds a ten-minute token, due in minutes.
    await waitFor("a ten-minute token in the report", async () => {
        const last = portal.powerBi.issuedTokens.length - 1;
        const tokens = (await received()).filter((message) => message.url === "/report/token");
        return portal.powerBi.issuedSeconds[last] === 600 &&
            String(tokens[tokens.length - 1]?.body) === portal.powerBi.issuedTokens[last]
            ? true
            : undefined;
    });
    const before = portal.powerBi.issuedTokens.length;
    // The report frame tells the page, as Power BI does, that its token has expired.
    await reportFrame()!.evaluate((uniqueId) => {
        window.parent.postMessage(
            {
                method: "POST",
                url: `/reports/${uniqueId}/events/error`,
                headers: { id: "stand-in-event" },
                body: {
                    message: "TokenExpired",
                    detailedMessage: "Access token has expired, resubmit with a new access token",
                    level: 6,
                },
            },
            "*",
        );
    }, String(load.body.uniqueId));
    const renewed = await waitFor("the token sent after TokenExpired", async () => {
        const fresh = portal.powerBi.issuedTokens.slice(before);
        return (await received()).find(
            (message) => message.url === "/report/token" && fresh.includes(String(message.body)),
        );
    });
    expect(renewed).toBeDefined();
    expect(await page.locator("#ais-message").isHidden()).toBe(true);
});

test("the page and every response it receives carry the security headers and never the client secret", async () => {
    const documents = responses.filter((response) => response.url().startsWith(portal.origin));
    expect(documents.length).toBeGreaterThan(3);
    for (const response of documents) {
        const headers = response.headers();
        expect(headers["cache-control"]).toBe("no-store");
        expect(headers["content-security-policy"]).toContain(`frame-src ${EMBED_ORIGIN}`);
        expect(headers["x-content-type-options"]).toBe("nosniff");
        if (response.status() < 300 || response.status() >= 400)
            expect(await response.text()).not.toContain(CLIENT_SECRET);
    }
    expect(await page.content()).not.toContain(CLIENT_SECRET);
    const cookies = await context.cookies(portal.origin);
    const session = cookies.find((cookie) => cookie.name === "__Host-ais-session");
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax" });
    expect(await page.evaluate(() => document.cookie)).toBe(""); // HttpOnly: not readable by scripts
});

test("readable on a tablet: the header wraps, nothing scrolls sideways, the sign-out is a touch-sized button", async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    const layout = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        reportHeight: document.getElementById("ais-report")!.getBoundingClientRect().height,
        buttonHeight: document.querySelector(".ais-signout button")!.getBoundingClientRect().height,
    }));
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
    expect(layout.reportHeight).toBeGreaterThan(600);
    expect(layout.buttonHeight).toBeGreaterThanOrEqual(44);
    await page.setViewportSize({ width: 1366, height: 768 });
});

test("no console errors, no page errors and no request anywhere else", () => {
    expect(problems).toEqual([]);
});

test("a Power BI 429 shows a plain message with the wait, and the page retries by itself", async () => {
    portal.powerBi.failures.token.push({ status: 429, retryAfter: "1" });
    await page.reload();
    await waitFor("the message", async () => ((await page.locator("#ais-message").isVisible()) ? true : undefined));
    await expect(page.locator("#ais-message").textContent()).resolves.toContain("Please try again in 1 seconds");
    await waitFor("the retried embed", async () =>
        (await page.locator("#ais-message").isHidden()) ? true : undefined,
    );
    expect(portal.log.audit("powerbi-error").some((entry) => entry.status === 429)).toBe(true);
    // Chromium reports the 503 it was answered; nothing else.
    expect(problems).toEqual([
        "console.error: Failed to load resource: the server responded with a status of 503 (Service Unavailable)",
    ]);
});
