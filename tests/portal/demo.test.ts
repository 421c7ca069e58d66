/**
 * @jest-environment node
 *
 * `npm run portal` with no tenant: the local demo. The packaged visual in the preview host, each
 * picked sample agency head seeing their own agencies and the same statewide line, plainly
 * labelled as a demo.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { assertChromium, CHROMIUM, CHROMIUM_ARGS, removeDir } from "../browser/harness/browser";
import { expectedFigures, sampleFolder } from "../browser/harness/sampleData";
import { readCsv } from "../../connector/src/reference";
import { folderAccessTable } from "../../portal/src/access";
import { startDemoPortal } from "./harness";

let demo: Awaited<ReturnType<typeof startDemoPortal>>;
let context: BrowserContext;
let page: Page;
let profile: string;
const problems: string[] = [];

// The sample's access table, read here on its own (not through the portal's code).
const accessRows = readCsv(path.join(sampleFolder, "agency_access.csv"));
const agencyNames = new Map(
    readCsv(path.join(sampleFolder, "agencies.csv")).map((row) => [row.SubAccountId, row.SubAccountName]),
);
const heads = [...new Set(accessRows.map((row) => row.x_UserPrincipalName))];
const agenciesOf = (upn: string) =>
    accessRows
        .filter((row) => row.x_UserPrincipalName === upn)
        .map((row) => agencyNames.get(row.SubAccountId)!)
        .sort();

beforeAll(async () => {
    assertChromium();
    demo = await startDemoPortal(folderAccessTable(sampleFolder));
    profile = fs.mkdtempSync(path.join(os.tmpdir(), "ais-portal-demo-"));
    context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        args: CHROMIUM_ARGS,
        headless: true,
        viewport: { width: 1280, height: 900 },
        locale: "en-US",
        timezoneId: "UTC",
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warning")
            problems.push(`console.${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    context.on("request", (request) => {
        if (!request.url().startsWith(`${demo.origin}/`) && !request.url().startsWith("data:"))
            problems.push(`request off the demo server: ${request.url()}`);
    });
    await page.goto(`${demo.origin}/`);
}, 60_000);

afterAll(async () => {
    await context?.close();
    await demo?.stop();
    if (profile) removeDir(profile);
});

test("says plainly that it is a demo on the sample data and not Power BI", async () => {
    const banner = await page.locator(".ais-demo-banner").textContent();
    expect(banner).toContain("Demo on the sample data, not Power BI.");
    expect(await page.locator("#ais-user option").allTextContents()).toEqual(heads);
    expect(await page.locator("iframe").count()).toBe(0);
});

test("each picked agency head sees their own agencies, with the same Statewide line from all agencies of the sample", async () => {
    const statewide = expectedFigures().costPerUser.statewide.costPerUser!;
    const seen = new Map<string, { names: string[]; reference: string }>();
    for (const upn of heads) {
        await page.selectOption("#ais-user", upn);
        await page.waitForSelector(`body[data-ready="true"][data-user="${upn}"]`);
        await page.waitForSelector("g.ais-row text.ais-name");
        const names = (
            await page
                .locator("g.ais-row text.ais-name")
                .evaluateAll((nodes) => nodes.map((node) => node.textContent ?? ""))
        ).sort();
        const reference = (await page.locator("text.ais-reference-label").textContent()) ?? "";
        expect(names).toEqual(agenciesOf(upn));
        expect(await page.locator("#ais-agency").textContent()).toBe(agenciesOf(upn).join(", "));
        expect(await page.locator("#ais-as-of").textContent()).toMatch(
            /^Data as of \d{4}-\d\d \(FY\d{4}, sample data\)$/,
        );
        seen.set(upn, { names, reference });
    }
    const references = new Set([...seen.values()].map((view) => view.reference));
    expect(references.size).toBe(1);
    const [reference] = references;
    // "Statewide $1,234": the reference figure of connector/sample/expected.json, as the visual formats it.
    expect(reference).toMatch(/^Statewide \$[\d,]+(\.\d+)?K?$/);
    const shown = Number(reference.replace(/[^\d.]/g, "")) * (reference.endsWith("K") ? 1000 : 1);
    expect(Math.abs(shown - statewide)).toBeLessThan(reference.endsWith("K") ? 50 : 1);
    const distinctViews = new Set([...seen.values()].map((view) => view.names.join("|")));
    expect(distinctViews.size).toBe(heads.length);
}, 60_000);

test("a user the access table does not list gets 403 and no data", async () => {
    const answer = await fetch(`${demo.origin}/demo/view?user=${encodeURIComponent("stranger@example.gov")}`);
    expect(answer.status).toBe(403);
    expect(await answer.json()).toEqual({ error: "stranger@example.gov is not in the sample access table." });
});

test("the demo's answers carry the security headers, and no console error, page error or request elsewhere", async () => {
    const answer = await fetch(`${demo.origin}/`);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(answer.headers.get("content-security-policy")).toContain("frame-src 'none'");
    expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
    expect(problems).toEqual([]);
});
