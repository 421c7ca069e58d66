/**
 * Loopback stand-ins for Microsoft Entra ID and the Power BI REST API, following Microsoft's
 * documented contracts: OpenID Connect discovery and the JWKS, the v2.0 authorize and token
 * endpoints (authorization code with PKCE, client credentials), Reports - Get Report In Group,
 * Embed Token - Generate Token (V2) and Datasets - Get Refresh History In Group. Every request is
 * recorded so tests can assert what the portal sent, and failures can be queued.
 */
import * as crypto from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import type { INetworkModule, NetworkResponse } from "@azure/msal-node";

export const TENANT_ID = "9a8b7c6d-1111-4222-8333-444455556666";
export const CLIENT_ID = "0c1d2e3f-aaaa-4bbb-8ccc-ddddeeeeffff";
export const CLIENT_SECRET = "s3cr3t~NeverInTheBrowser.0123456789abcdef";
export const WORKSPACE_ID = "11111111-2222-4333-8444-555555555555";
export const REPORT_ID = "66666666-7777-4888-9999-aaaaaaaaaaaa";
export const DATASET_ID = "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff";
export const AUTHORITY_HOST = "https://login.microsoftonline.com";
export const EMBED_ORIGIN = "https://app.powerbi.com";
export const LAST_REFRESH = "2026-11-30T06:15:00Z";

export interface Recorded {
    method: string;
    path: string;
    query: URLSearchParams;
    headers: http.IncomingHttpHeaders;
    body: string;
}

interface Listening {
    origin: string;
    server: http.Server;
}

async function listen(
    handler: (request: Recorded, response: http.ServerResponse) => void,
    tls?: { cert: string; key: string },
): Promise<Listening> {
    const serve = (request: http.IncomingMessage, response: http.ServerResponse) => {
        const chunks: Buffer[] = [];
        request.on("data", (chunk: Buffer) => chunks.push(chunk));
        request.on("end", () => {
            const url = new URL(request.url ?? "/", "http://stand-in");
            try {
                handler(
                    {
                        method: request.method ?? "GET",
                        path: url.pathname,
                        query: url.searchParams,
                        headers: request.headers,
                        body: Buffer.concat(chunks).toString("utf8"),
                    },
                    response,
                );
            } catch (error) {
                response.writeHead(500, { "content-type": "text/plain" }).end(String(error));
            }
        });
    };
    const server = tls ? https.createServer(tls, serve) : http.createServer(serve);
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
    });
    return { origin: `${tls ? "https" : "http"}://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const close = (server: http.Server) =>
    new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
    });

const json = (response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    response
        .writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers })
        .end(JSON.stringify(body));

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** The directory of users the stand-in signs in: UPN, display name and object id. */
export interface DirectoryUser {
    upn: string;
    name: string;
    /** Leave the upn claim out (only preferred_username), as a tenant without the optional claim does. */
    withoutUpnClaim?: boolean;
}

export class EntraStandIn {
    readonly requests: Recorded[] = [];
    /** Who signs in at the next authorize request. */
    signInAs: DirectoryUser = { upn: "nobody@example.gov", name: "Nobody" };
    /** Access tokens issued to the service principal (Power BI's stand-in accepts only these). */
    readonly servicePrincipalTokens = new Set<string>();
    readonly issuedIdTokens: string[] = [];
    readonly keyId = "stand-in-key-1";
    /** Refuse the service principal's client credentials, as Entra ID does for an expired or wrong secret. */
    rejectClientCredentials = false;
    /** Sign the next ID token with a key the tenant does not publish (under the published key's id). */
    forgeNextIdToken = false;
    private readonly keys = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    private readonly codes = new Map<
        string,
        { user: DirectoryUser; nonce?: string; challenge: string; redirectUri: string }
    >();
    private listening?: Listening;
    private browserListening?: Listening;

    get origin(): string {
        return this.listening!.origin;
    }

    /**
     * The same stand-in over HTTPS, for a browser that resolves login.microsoftonline.com to it
     * (Chromium's --host-resolver-rules): the sign-in redirects reach it under the real host name.
     */
    async startForBrowser(tls: { cert: string; key: string }): Promise<number> {
        this.browserListening = await listen((request, response) => this.handle(request, response), tls);
        return Number(new URL(this.browserListening.origin).port);
    }

    get issuer(): string {
        return `${AUTHORITY_HOST}/${TENANT_ID}/v2.0`;
    }

    async start(): Promise<void> {
        this.listening = await listen((request, response) => this.handle(request, response));
    }

    async stop(): Promise<void> {
        for (const listening of [this.listening, this.browserListening]) if (listening) await close(listening.server);
    }

    /** A URL of the real authority host, as the loopback stand-in's URL. */
    loopbackUrl(url: string): string {
        if (!url.startsWith(`${AUTHORITY_HOST}/`)) throw new Error(`Not an Entra ID URL: ${url}`);
        return this.origin + url.slice(AUTHORITY_HOST.length);
    }

    /**
     * msal-node's network module: the real authority URLs, carried to the loopback stand-in. It
     * refuses any other host, so nothing can leave the machine.
     */
    networkClient(): INetworkModule {
        const send = async <T>(
            method: "GET" | "POST",
            url: string,
            options?: { headers?: Record<string, string>; body?: string },
        ) => {
            const response = await fetch(this.loopbackUrl(url), {
                method,
                headers: options?.headers,
                body: options?.body,
            });
            const text = await response.text();
            return {
                status: response.status,
                headers: Object.fromEntries(response.headers),
                body: (text ? JSON.parse(text) : {}) as T,
            } as NetworkResponse<T>;
        };
        return {
            sendGetRequestAsync: (url, options) => send("GET", url, options),
            sendPostRequestAsync: (url, options) => send("POST", url, options),
        };
    }

    private signIdToken(user: DirectoryUser, nonce: string | undefined, now = Math.floor(Date.now() / 1000)): string {
        const oid = crypto.createHash("sha256").update(user.upn).digest("hex").slice(0, 32);
        const claims: Record<string, unknown> = {
            aud: CLIENT_ID,
            iss: this.issuer,
            iat: now,
            nbf: now,
            exp: now + 3600,
            name: user.name,
            oid: `${oid.slice(0, 8)}-${oid.slice(8, 12)}-${oid.slice(12, 16)}-${oid.slice(16, 20)}-${oid.slice(20)}`,
            preferred_username: user.upn,
            sub: crypto.createHash("sha256").update(`sub:${user.upn}`).digest("base64url"),
            tid: TENANT_ID,
            ver: "2.0",
            ...(user.withoutUpnClaim ? {} : { upn: user.upn }),
            ...(nonce ? { nonce } : {}),
        };
        const signingInput = `${b64url({ alg: "RS256", typ: "JWT", kid: this.keyId })}.${b64url(claims)}`;
        const key = this.forgeNextIdToken
            ? crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey
            : this.keys.privateKey;
        this.forgeNextIdToken = false;
        const signature = crypto.sign("RSA-SHA256", Buffer.from(signingInput), key).toString("base64url");
        const token = `${signingInput}.${signature}`;
        this.issuedIdTokens.push(token);
        return token;
    }

    private handle(request: Recorded, response: http.ServerResponse) {
        this.requests.push(request);
        const tenantPath = `/${TENANT_ID}`;
        if (request.path === "/common/discovery/instance") {
            return json(response, 200, {
                tenant_discovery_endpoint: `${AUTHORITY_HOST}/${TENANT_ID}/v2.0/.well-known/openid-configuration`,
                "api-version": "1.1",
                metadata: [
                    {
                        preferred_network: "login.microsoftonline.com",
                        preferred_cache: "login.windows.net",
                        aliases: [
                            "login.microsoftonline.com",
                            "login.windows.net",
                            "login.microsoft.com",
                            "sts.windows.net",
                        ],
                    },
                ],
            });
        }
        if (request.path === `${tenantPath}/v2.0/.well-known/openid-configuration`) {
            return json(response, 200, {
                issuer: this.issuer,
                authorization_endpoint: `${AUTHORITY_HOST}/${TENANT_ID}/oauth2/v2.0/authorize`,
                token_endpoint: `${AUTHORITY_HOST}/${TENANT_ID}/oauth2/v2.0/token`,
                end_session_endpoint: `${AUTHORITY_HOST}/${TENANT_ID}/oauth2/v2.0/logout`,
                jwks_uri: `${AUTHORITY_HOST}/${TENANT_ID}/discovery/v2.0/keys`,
                response_modes_supported: ["query", "fragment", "form_post"],
                response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
                scopes_supported: ["openid", "profile", "email", "offline_access"],
                subject_types_supported: ["pairwise"],
                id_token_signing_alg_values_supported: ["RS256"],
                token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
                claims_supported: [
                    "sub",
                    "iss",
                    "aud",
                    "exp",
                    "iat",
                    "nonce",
                    "name",
                    "preferred_username",
                    "oid",
                    "tid",
                    "upn",
                ],
                tenant_region_scope: "NA",
                cloud_instance_name: "microsoftonline.com",
            });
        }
        if (request.path === `${tenantPath}/discovery/v2.0/keys`) {
            const jwk = this.keys.publicKey.export({ format: "jwk" });
            return json(response, 200, { keys: [{ kty: "RSA", use: "sig", kid: this.keyId, n: jwk.n, e: jwk.e }] });
        }
        if (request.path === `${tenantPath}/oauth2/v2.0/authorize` && request.method === "GET") {
            const q = request.query;
            if (q.get("client_id") !== CLIENT_ID || q.get("response_type") !== "code" || !q.get("redirect_uri"))
                return json(response, 400, { error: "invalid_request" });
            if (q.get("code_challenge_method") !== "S256" || !q.get("code_challenge"))
                return json(response, 400, {
                    error: "invalid_request",
                    error_description: "AADSTS9002325: PKCE required",
                });
            const code = crypto.randomBytes(24).toString("base64url");
            this.codes.set(code, {
                user: this.signInAs,
                nonce: q.get("nonce") ?? undefined,
                challenge: q.get("code_challenge")!,
                redirectUri: q.get("redirect_uri")!,
            });
            const back = new URL(q.get("redirect_uri")!);
            back.searchParams.set("code", code);
            if (q.get("state")) back.searchParams.set("state", q.get("state")!);
            return response.writeHead(302, { location: back.href }).end();
        }
        if (request.path === `${tenantPath}/oauth2/v2.0/token` && request.method === "POST") {
            const form = new URLSearchParams(request.body);
            if (form.get("client_id") !== CLIENT_ID || form.get("client_secret") !== CLIENT_SECRET)
                return json(response, 401, {
                    error: "invalid_client",
                    error_description: "AADSTS7000215: Invalid client secret provided.",
                });
            if (form.get("grant_type") === "client_credentials" && this.rejectClientCredentials)
                return json(response, 401, {
                    error: "invalid_client",
                    error_description: "AADSTS7000222: The provided client secret keys for app are expired.",
                    error_codes: [7000222],
                    correlation_id: "5e1f3c2a-0000-4000-8000-000000000001",
                });
            if (form.get("grant_type") === "client_credentials") {
                const token = `sp-access-${crypto.randomBytes(12).toString("hex")}`;
                this.servicePrincipalTokens.add(token);
                return json(response, 200, {
                    token_type: "Bearer",
                    expires_in: 3599,
                    ext_expires_in: 3599,
                    access_token: token,
                });
            }
            if (form.get("grant_type") === "authorization_code") {
                const code = this.codes.get(form.get("code") ?? "");
                this.codes.delete(form.get("code") ?? "");
                if (!code || code.redirectUri !== form.get("redirect_uri"))
                    return json(response, 400, {
                        error: "invalid_grant",
                        error_description: "AADSTS70008: code expired or used",
                    });
                const challenge = crypto
                    .createHash("sha256")
                    .update(form.get("code_verifier") ?? "")
                    .digest("base64url");
                if (challenge !== code.challenge)
                    return json(response, 400, {
                        error: "invalid_grant",
                        error_description: "AADSTS501481: code verifier does not match",
                    });
                const oid = crypto.createHash("sha256").update(code.user.upn).digest("hex").slice(0, 32);
                return json(response, 200, {
                    token_type: "Bearer",
                    scope: "openid profile",
                    expires_in: 3599,
                    ext_expires_in: 3599,
                    access_token: `user-access-${crypto.randomBytes(12).toString("hex")}`,
                    id_token: this.signIdToken(code.user, code.nonce),
                    client_info: b64url({ uid: oid, utid: TENANT_ID }),
                });
            }
            return json(response, 400, { error: "unsupported_grant_type" });
        }
        return json(response, 404, { error: "not_found", path: request.path });
    }
}

/** A queued Power BI failure: the status, and Retry-After for 429. */
export interface Failure {
    status: number;
    retryAfter?: string;
    code?: string;
}

export class PowerBiStandIn {
    readonly requests: Recorded[] = [];
    /** Each GenerateToken body, parsed. */
    readonly tokenRequests: Array<Record<string, unknown>> = [];
    readonly issuedTokens: string[] = [];
    /** How many seconds each issued token lives, in the same order. */
    readonly issuedSeconds: number[] = [];
    /** Failures served in order, one per request to the operation, before it answers normally again. */
    readonly failures: Record<"report" | "token" | "refreshes", Failure[]> = { report: [], token: [], refreshes: [] };
    /** Seconds an embed token lives; by default the requested lifetimeInMinutes. */
    tokenSeconds?: number;
    lastRequestId = "";
    private listening?: Listening;

    constructor(private readonly entra: EntraStandIn) {}

    get apiUrl(): string {
        return this.listening!.origin;
    }

    async start(): Promise<void> {
        this.listening = await listen((request, response) => this.handle(request, response));
    }

    stop(): Promise<void> {
        return this.listening ? close(this.listening.server) : Promise.resolve();
    }

    embedUrl(): string {
        const config = Buffer.from(
            JSON.stringify({ clusterUrl: "https://wabi-us-north-central-redirect.analysis.windows.net" }),
        ).toString("base64");
        return `${EMBED_ORIGIN}/reportEmbed?reportId=${REPORT_ID}&groupId=${WORKSPACE_ID}&w=2&config=${encodeURIComponent(config)}`;
    }

    private handle(request: Recorded, response: http.ServerResponse) {
        this.requests.push(request);
        const requestId = crypto.randomUUID();
        this.lastRequestId = requestId;
        const headers = { RequestId: requestId };
        const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ""))?.[1];
        if (!bearer || !this.entra.servicePrincipalTokens.has(bearer))
            return json(
                response,
                401,
                { error: { code: "TokenExpired", message: "Access token has expired" } },
                headers,
            );
        const operation =
            request.method === "GET" && request.path === `/v1.0/myorg/groups/${WORKSPACE_ID}/reports/${REPORT_ID}`
                ? "report"
                : request.method === "POST" && request.path === "/v1.0/myorg/GenerateToken"
                  ? "token"
                  : request.method === "GET" &&
                      request.path === `/v1.0/myorg/groups/${WORKSPACE_ID}/datasets/${DATASET_ID}/refreshes`
                    ? "refreshes"
                    : null;
        if (operation === "token") this.tokenRequests.push(JSON.parse(request.body) as Record<string, unknown>);
        const failure = operation ? this.failures[operation].shift() : undefined;
        if (failure) {
            const codes: Record<number, string> = {
                401: "PowerBINotAuthorizedException",
                403: "Unauthorized",
                404: "PowerBIEntityNotFound",
                429: "TooManyRequests",
            };
            return json(
                response,
                failure.status,
                { error: { code: failure.code ?? codes[failure.status] ?? "Error", message: "stand-in failure" } },
                { ...headers, ...(failure.retryAfter ? { "Retry-After": failure.retryAfter } : {}) },
            );
        }
        switch (operation) {
            case "report":
                return json(
                    response,
                    200,
                    {
                        id: REPORT_ID,
                        reportType: "PowerBIReport",
                        name: "Agency IT Scorecard",
                        webUrl: `${EMBED_ORIGIN}/groups/${WORKSPACE_ID}/reports/${REPORT_ID}`,
                        embedUrl: this.embedUrl(),
                        isFromPbix: false,
                        isOwnedByMe: true,
                        datasetId: DATASET_ID,
                        datasetWorkspaceId: WORKSPACE_ID,
                    },
                    headers,
                );
            case "token": {
                const body = this.tokenRequests[this.tokenRequests.length - 1];
                // As Power BI does for a dataset with roles: an embed token needs an effective identity.
                const identities = body.identities as Array<{ username?: string; roles?: string[] }> | undefined;
                if (
                    !identities ||
                    identities.length === 0 ||
                    identities.some((identity) => !identity.username || !identity.roles?.length)
                )
                    return json(
                        response,
                        400,
                        {
                            error: {
                                code: "InvalidRequest",
                                message:
                                    "Creating embed token for accessing dataset requires effective identity to be provided",
                            },
                        },
                        headers,
                    );
                const seconds = this.tokenSeconds ?? Number(body.lifetimeInMinutes ?? 60) * 60;
                const token = `H4sIembed-${crypto.randomBytes(16).toString("hex")}`;
                this.issuedTokens.push(token);
                this.issuedSeconds.push(seconds);
                return json(
                    response,
                    200,
                    {
                        token,
                        tokenId: crypto.randomUUID(),
                        expiration: new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d+Z$/, "Z"),
                    },
                    headers,
                );
            }
            case "refreshes":
                return json(
                    response,
                    200,
                    {
                        value: [
                            {
                                requestId: crypto.randomUUID(),
                                refreshType: "Scheduled",
                                startTime: "2026-12-01T06:00:00Z",
                                status: "Unknown",
                            },
                            {
                                requestId: crypto.randomUUID(),
                                refreshType: "Scheduled",
                                startTime: "2026-11-30T06:00:00Z",
                                endTime: LAST_REFRESH,
                                status: "Completed",
                            },
                            {
                                requestId: crypto.randomUUID(),
                                refreshType: "Scheduled",
                                startTime: "2026-11-29T06:00:00Z",
                                endTime: "2026-11-29T06:12:00Z",
                                status: "Completed",
                            },
                        ],
                    },
                    headers,
                );
            default:
                return json(response, 404, { error: { code: "PowerBIEntityNotFound", message: "not found" } }, headers);
        }
    }
}
