/**
 * Debian's Chromium driven by playwright-core, on loopback only: a static server on 127.0.0.1
 * (random port) serves the host page, and every request is checked to stay on it.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { hostPageHtml, hostPageScript, readVisualPackage, type VisualPackage } from "./visualPackage";
import { UpdateType, type DataViewJson, type HostOptions, type Viewport } from "./types";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const INSTALL_HINT =
    "install it with `apt-get install -y chromium` (as root; Debian's package), or set CHROMIUM_PATH";

/** The flags TOOLCHAIN.md gives: headless, and nothing that calls out to the network. */
export const CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-precise-memory-info",
    "--js-flags=--expose-gc",
    "--force-device-scale-factor=1",
    "--font-render-hinting=none",
];

export function assertChromium(): void {
    if (!fs.existsSync(CHROMIUM)) {
        throw new Error(
            `Chromium is missing: ${CHROMIUM} does not exist. The browser tests and the benchmark need it: ${INSTALL_HINT}.`,
        );
    }
}

/** Removes a folder, retrying: Chromium may still be writing its profile right after it exits. */
export function removeDir(dir: string): void {
    for (let attempt = 0; ; attempt++) {
        try {
            fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
            return;
        } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if (attempt >= 10 || (code !== "ENOTEMPTY" && code !== "EBUSY" && code !== "EPERM")) throw error;
            const until = Date.now() + 200;
            while (Date.now() < until) {
                /* wait before the next try */
            }
        }
    }
}

interface Served {
    origin: string;
    close(): Promise<void>;
}

async function serve(files: Record<string, { type: string; body: string }>): Promise<Served> {
    const server = http.createServer((request, response) => {
        const file = files[(request.url ?? "/").split("?")[0]];
        if (!file) {
            response.writeHead(404, { "content-type": "text/plain" }).end("not found");
            return;
        }
        response.writeHead(200, { "content-type": file.type, "cache-control": "no-store" }).end(file.body);
    });
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return {
        origin: `http://127.0.0.1:${port}`,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

export interface Session {
    pkg: VisualPackage;
    context: BrowserContext;
    page: Page;
    origin: string;
    /** Console errors and warnings, page errors and requests that left the loopback server. */
    problems: string[];
    /** Loads the host page again (a fresh document: no state from earlier tests). */
    reload(): Promise<void>;
    /** Closes the page and opens the host page in a new one (its own JS heap, for the benchmark). */
    renew(): Promise<void>;
    mount(viewport: Viewport, host?: HostOptions): Promise<void>;
    /** A fresh page with the visual mounted at a size, sent one data update of the description. */
    show(description: DataViewJson | null, host: HostOptions, viewport: Viewport): Promise<void>;
    close(): Promise<void>;
}

export interface SessionOptions {
    /**
     * Draw scrollbars that take room, as Power BI on Windows does. Headless Chromium hides them
     * by default, and a chart as wide as its scroll area then looks whole when it is not.
     */
    scrollbars?: boolean;
    /** The packaged visual to load; the newest dist/*.pbiviz when not given (bench/compare.ts loads two). */
    pbiviz?: string;
}

/** One browser, one profile, one server: start it once per test file. */
export async function openSession(options: SessionOptions = {}): Promise<Session> {
    assertChromium();
    const pkg = await readVisualPackage(options.pbiviz);
    const server = await serve({
        "/": {
            type: "text/html; charset=utf-8",
            body: hostPageHtml({
                title: `${pkg.displayName} host page`,
                visualJs: { src: "/visual.js" },
                visualCss: { href: "/visual.css" },
                harnessJs: { src: "/harness.js" },
            }),
        },
        "/visual.js": { type: "text/javascript; charset=utf-8", body: pkg.js },
        "/visual.css": { type: "text/css; charset=utf-8", body: pkg.css },
        "/harness.js": { type: "text/javascript; charset=utf-8", body: hostPageScript() },
    });
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), "ais-chromium-"));
    let context: BrowserContext;
    try {
        context = await chromium.launchPersistentContext(profile, {
            executablePath: CHROMIUM,
            args: CHROMIUM_ARGS,
            headless: true,
            ...(options.scrollbars ? { ignoreDefaultArgs: ["--hide-scrollbars"] } : {}),
            viewport: { width: 1280, height: 800 },
            deviceScaleFactor: 1,
            locale: "en-US",
            timezoneId: "UTC",
            offline: false,
        });
    } catch (error) {
        await server.close();
        removeDir(profile);
        throw error;
    }
    const problems: string[] = [];
    let page: Page = context.pages()[0] ?? (await context.newPage());

    const watch = (target: Page) => {
        target.on("console", (message) => {
            if (message.type() === "error" || message.type() === "warning")
                problems.push(`console.${message.type()}: ${message.text()}`);
        });
        target.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
        target.on("request", (request) => {
            const url = request.url();
            const local = url.startsWith(`${server.origin}/`) || url.startsWith("data:") || url.startsWith("file://");
            if (!local) problems.push(`request left the host page's server: ${url}`);
        });
    };

    const session: Session = {
        pkg,
        context,
        origin: server.origin,
        problems,
        get page() {
            return page;
        },
        async reload() {
            await page.goto(`${server.origin}/`);
            await page.waitForFunction(() => Boolean(window.aisHarness));
        },
        async renew() {
            const old = page;
            page = await context.newPage();
            watch(page);
            await old.close();
            await session.reload();
        },
        async mount(viewport, host = {}) {
            await page.evaluate(
                ({ guid, viewport, host, stringResources }) =>
                    window.aisHarness.mount({ guid, viewport, host, stringResources }),
                { guid: pkg.guid, viewport, host, stringResources: pkg.stringResources },
            );
        },
        async show(description, host, viewport) {
            await session.reload();
            await session.mount(viewport, host);
            await page.evaluate(
                ({ data, type }) => {
                    window.aisHarness.setData(data);
                    window.aisHarness.update(type);
                },
                { data: description, type: UpdateType.Data },
            );
        },
        async close() {
            try {
                await context.close();
            } finally {
                await server.close();
                removeDir(profile);
            }
        },
    };
    watch(page);
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => Boolean(window.aisHarness));
    return session;
}
