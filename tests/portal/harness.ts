/**
 * Starts the portal for a test: a self-signed certificate for 127.0.0.1 (the portal serves HTTPS
 * itself, so its Secure cookies are real), the loopback stand-ins, a free port, the log kept in
 * memory. Also a small HTTPS client with a cookie jar that follows no redirects, for the
 * sign-in round trip.
 */
import * as fs from "node:fs";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { Writable } from "node:stream";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { folderAccessTable, type AccessTable } from "../../portal/src/access";
import { CLOUDS, type DemoConfig, type PowerBiConfig } from "../../portal/src/config";
import { buildPortal } from "../../portal/src/server";
import {
    CLIENT_ID,
    CLIENT_SECRET,
    DATASET_ID,
    EntraStandIn,
    PowerBiStandIn,
    REPORT_ID,
    TENANT_ID,
    WORKSPACE_ID,
} from "./standins";

export const fixtureFolder = path.resolve(__dirname, "..", "fixtures", "portal");

export interface TlsFiles {
    cert: string;
    key: string;
}

let tls: TlsFiles | undefined;

/** A throwaway self-signed certificate for 127.0.0.1, made with openssl. */
export function selfSignedCertificate(): TlsFiles {
    if (tls) return tls;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ais-portal-tls-"));
    const result = spawnSync(
        "openssl",
        [
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            path.join(dir, "key.pem"),
            "-out",
            path.join(dir, "cert.pem"),
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        { encoding: "utf8" },
    );
    if (result.error || result.status !== 0)
        throw new Error(
            `openssl could not make the test certificate (${result.error?.message ?? result.stderr}): install it with \`apt-get install -y openssl\`.`,
        );
    tls = {
        cert: fs.readFileSync(path.join(dir, "cert.pem"), "utf8"),
        key: fs.readFileSync(path.join(dir, "key.pem"), "utf8"),
    };
    fs.rmSync(dir, { recursive: true, force: true });
    return tls;
}

export class MemoryLog extends Writable {
    readonly lines: string[] = [];
    _write(chunk: Buffer, _encoding: string, done: () => void) {
        this.lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
        done();
    }
    get text(): string {
        return this.lines.join("\n");
    }
    entries(): Array<Record<string, unknown>> {
        return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    }
    audit(kind: string): Array<Record<string, unknown>> {
        return this.entries().filter((entry) => entry.audit === kind);
    }
}

export interface RunningPortal {
    origin: string;
    app: FastifyInstance;
    log: MemoryLog;
    config: PowerBiConfig;
    entra: EntraStandIn;
    powerBi: PowerBiStandIn;
    clock: { offsetMs: number };
    stop(): Promise<void>;
}

export async function startPowerBiPortal(
    options: { access?: AccessTable; tokenMinutes?: number } = {},
): Promise<RunningPortal> {
    const entra = new EntraStandIn();
    await entra.start();
    const powerBi = new PowerBiStandIn(entra);
    await powerBi.start();
    const certificate = selfSignedCertificate();
    const cloud = CLOUDS.public;
    const config: PowerBiConfig = {
        mode: "powerbi",
        tenantId: TENANT_ID,
        clientId: CLIENT_ID,
        credential: { clientSecret: CLIENT_SECRET },
        workspaceId: WORKSPACE_ID,
        reportId: REPORT_ID,
        datasetId: DATASET_ID,
        roleName: "Agency",
        pageName: "itCost",
        cloud: "public",
        authorityHost: cloud.authorityHost,
        apiUrl: powerBi.apiUrl,
        scope: cloud.scope,
        embedOrigin: cloud.embedOrigin,
        publicUrl: "https://127.0.0.1", // the port is added once listening
        tokenLifetimeMinutes: options.tokenMinutes ?? 10,
        sessionMinutes: 60,
        sessionSecret: "a-test-session-secret-of-enough-length-0123456789",
        access: { kind: "folder", folder: fixtureFolder },
        listen: { host: "127.0.0.1", port: 0, tls: certificate },
    };
    const log = new MemoryLog();
    const clock = { offsetMs: 0 };
    const app = await buildPortal(config, {
        access: options.access ?? folderAccessTable(fixtureFolder),
        logStream: log,
        networkClient: entra.networkClient(),
        now: () => Date.now() + clock.offsetMs,
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const origin = `https://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    config.publicUrl = origin;
    return {
        origin,
        app,
        log,
        config,
        entra,
        powerBi,
        clock,
        async stop() {
            await app.close();
            await entra.stop();
            await powerBi.stop();
        },
    };
}

export async function startDemoPortal(
    access: AccessTable,
): Promise<{ origin: string; app: FastifyInstance; log: MemoryLog; stop(): Promise<void> }> {
    const config: DemoConfig = {
        mode: "demo",
        folder: path.resolve(__dirname, "..", "..", "connector", "sample"),
        listen: { host: "127.0.0.1", port: 0 },
    };
    const log = new MemoryLog();
    const app = await buildPortal(config, { access, logStream: log });
    await app.listen({ host: "127.0.0.1", port: 0 });
    return {
        origin: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
        app,
        log,
        stop: () => app.close(),
    };
}

export interface Answer {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
    json<T = Record<string, unknown>>(): T;
}

/** A browser-like HTTPS client for one user: a cookie jar, no redirects followed, the test certificate trusted. */
export class Client {
    readonly cookies = new Map<string, string>();
    readonly answers: Answer[] = [];
    constructor(private readonly origin: string) {}

    request(
        method: string,
        pathAndQuery: string,
        options: { headers?: Record<string, string>; body?: string } = {},
    ): Promise<Answer> {
        const url = new URL(pathAndQuery, this.origin);
        return new Promise((resolve, reject) => {
            const request = https.request(
                url,
                {
                    method,
                    ca: selfSignedCertificate().cert,
                    headers: {
                        ...(this.cookies.size > 0
                            ? { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ") }
                            : {}),
                        ...options.headers,
                    },
                },
                (response) => {
                    const chunks: Buffer[] = [];
                    response.on("data", (chunk: Buffer) => chunks.push(chunk));
                    response.on("end", () => {
                        for (const cookie of [response.headers["set-cookie"] ?? []].flat()) {
                            const [pair] = cookie.split(";");
                            const [name, ...value] = pair.split("=");
                            if (/max-age=0|expires=thu, 01 jan 1970/i.test(cookie)) this.cookies.delete(name.trim());
                            else this.cookies.set(name.trim(), value.join("="));
                        }
                        const body = Buffer.concat(chunks).toString("utf8");
                        const answer: Answer = {
                            status: response.statusCode ?? 0,
                            headers: response.headers,
                            body,
                            json: <T>() => JSON.parse(body) as T,
                        };
                        this.answers.push(answer);
                        resolve(answer);
                    });
                },
            );
            request.on("error", reject);
            if (options.body !== undefined) request.end(options.body);
            else request.end();
        });
    }

    get(pathAndQuery: string): Promise<Answer> {
        return this.request("GET", pathAndQuery);
    }
}

/** The whole sign-in: the portal's redirect, the stand-in's authorize step, the callback. */
export async function signIn(portal: RunningPortal, client: Client, upn: string, name = upn): Promise<Answer> {
    portal.entra.signInAs = { upn, name };
    const start = await client.get("/auth/signin");
    if (start.status !== 302) throw new Error(`/auth/signin answered ${start.status}`);
    const authorize = await fetch(portal.entra.loopbackUrl(String(start.headers.location)), { redirect: "manual" });
    const callback = new URL(authorize.headers.get("location") ?? "");
    return client.get(callback.pathname + callback.search);
}

/** The page's CSRF token (from its meta tag). */
export function csrfOf(page: Answer): string {
    const match = /<meta name="csrf-token" content="([^"]+)">/.exec(page.body);
    if (!match) throw new Error(`No CSRF token in the page (status ${page.status})`);
    return match[1];
}
