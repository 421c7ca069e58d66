/**
 * The portal's web server (fastify). In Power BI mode: sign-in with Entra ID, the agency lookup
 * in the access table, and embed tokens with the user's effective identity. In demo mode: the
 * sample report through the preview host. Both send the same security headers.
 */
import * as crypto from "node:crypto";
import { URLSearchParams } from "node:url";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import fastifyCookie from "@fastify/cookie";
import fastifyCsrf from "@fastify/csrf-protection";
import fastifyHelmet from "@fastify/helmet";
import fastifySession from "@fastify/session";
import type { INetworkModule } from "@azure/msal-node";
import type { AccessTable } from "./access";
import { portalAssets, type PortalAssets } from "./assets";
import type { DemoConfig, PortalConfig, PowerBiConfig } from "./config";
import { Demo } from "./demo";
import { Identity, ServicePrincipalError, SignInError, type PendingSignIn, type SignedInUser } from "./identity";
import { demoPage, messagePage, reportPage } from "./pages";
import type { EmbedAnswer, ErrorAnswer } from "./page/answers";
import { PowerBiClient, PowerBiError } from "./powerbi";

declare module "fastify" {
    interface Session {
        pending?: PendingSignIn;
        user?: SignedInUser;
        /** Milliseconds since the epoch, on the portal's clock. */
        signedInAt?: number;
    }
}

export interface PortalDependencies {
    access: AccessTable;
    /** Where the log goes (JSON lines): the audit trail of embed tokens, errors with Power BI's request ids. */
    logStream: NodeJS.WritableStream;
    /** msal-node's network module (tests route Entra ID's endpoints to loopback stand-ins with it). */
    networkClient?: INetworkModule;
    now?: () => number;
}

const SESSION_COOKIE = "__Host-ais-session";

/** The request line without its query: callback URLs carry authorization codes. */
const requestSerializer = (request: FastifyRequest) => ({
    method: request.method,
    url: request.url.split("?")[0],
    remoteAddress: request.ip,
});

async function baseServer(
    config: PortalConfig,
    dependencies: PortalDependencies,
    assets: PortalAssets,
): Promise<FastifyInstance> {
    const app = Fastify({
        logger: { level: "info", stream: dependencies.logStream, serializers: { req: requestSerializer } },
        trustProxy: config.listen.trustProxy ?? false,
        genReqId: () => crypto.randomUUID(),
        ...(config.listen.tls ? { https: config.listen.tls } : {}),
    } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;

    const frames = config.mode === "powerbi" ? [config.embedOrigin] : ["'none'"];
    // The sign-out form is redirected to Entra ID's sign-out page.
    const formActions = config.mode === "powerbi" ? ["'self'", config.authorityHost] : ["'self'"];
    await app.register(fastifyHelmet, {
        contentSecurityPolicy: {
            useDefaults: false,
            directives: {
                defaultSrc: ["'none'"],
                scriptSrc: ["'self'"],
                // The demo's visual sets style attributes through d3, as it does in Power BI.
                styleSrc: config.mode === "demo" ? ["'self'", "'unsafe-inline'"] : ["'self'"],
                imgSrc: ["'self'", "data:"],
                fontSrc: ["'self'"],
                connectSrc: ["'self'"],
                // Power BI's report frame only: never another site, never this portal inside a frame.
                frameSrc: frames,
                childSrc: frames,
                frameAncestors: ["'none'"],
                formAction: formActions,
                baseUri: ["'none'"],
                objectSrc: ["'none'"],
            },
        },
        frameguard: { action: "deny" },
        referrerPolicy: { policy: "no-referrer" },
        strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    });
    // Nothing the portal sends may be kept by the browser or a proxy: tokens, names, agencies.
    app.addHook("onSend", async (_request, reply, payload) => {
        reply.header("cache-control", "no-store");
        reply.header("pragma", "no-cache");
        return payload;
    });
    // Unexpected errors: logged with the request id, and a plain message without internals for the user.
    app.setErrorHandler(async (error: Error & { statusCode?: number }, request, reply) => {
        const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
        if (status >= 500) request.log.error({ err: error }, "Request failed");
        const message =
            status === 403 && /csrf/i.test(error.message)
                ? "This request did not come from the portal's page (missing or wrong CSRF token). Reload the page and try again."
                : status >= 500
                  ? `The portal could not complete the request (reference ${request.id}).`
                  : error.message;
        return reply.code(status).send({ error: message });
    });
    for (const [url, asset] of assets.files)
        app.get(url, async (_request, reply) => reply.type(asset.type).send(asset.body));
    return app;
}

/** Builds the server for a configuration (not listening yet: call listen()). */
export async function buildPortal(config: PortalConfig, dependencies: PortalDependencies): Promise<FastifyInstance> {
    const assets = await portalAssets(config.mode);
    const app = await baseServer(config, dependencies, assets);
    if (config.mode === "demo") demoRoutes(app, config, dependencies, assets);
    else await powerBiRoutes(app, config, dependencies);
    app.addHook("onClose", async () => dependencies.access.close());
    return app;
}

function demoRoutes(app: FastifyInstance, config: DemoConfig, dependencies: PortalDependencies, assets: PortalAssets) {
    const demo = new Demo(config.folder, dependencies.access);
    app.get("/", async (_request, reply) => reply.type("text/html; charset=utf-8").send(demoPage(await demo.users())));
    app.get<{ Querystring: { user?: string } }>("/demo/view", async (request, reply) => {
        const view = await demo.view(request.query.user ?? "");
        if (!view)
            return reply
                .code(403)
                .send({ error: `${request.query.user ?? "This user"} is not in the sample access table.` });
        return { ...view, visual: assets.visual };
    });
}

async function powerBiRoutes(app: FastifyInstance, config: PowerBiConfig, dependencies: PortalDependencies) {
    const now = dependencies.now ?? Date.now;
    const identity = new Identity(config, { networkClient: dependencies.networkClient, now });
    const powerBi = new PowerBiClient(config.apiUrl, () => identity.servicePrincipalToken());
    const sessionMs = config.sessionMinutes * 60_000;

    await app.register(fastifyCookie);
    await app.register(fastifySession, {
        secret: config.sessionSecret,
        cookieName: SESSION_COOKIE,
        saveUninitialized: false,
        // Lax, not Strict: Entra ID's redirect back to /auth/callback is a cross-site navigation that must carry the cookie.
        cookie: { httpOnly: true, secure: true, sameSite: "lax", path: "/", maxAge: sessionMs },
    });
    // Checked in preValidation, once the sign-out form's body is parsed; the page's fetch sends the token as a header.
    await app.register(fastifyCsrf, { sessionPlugin: "@fastify/session" });
    // The sign-out form posts urlencoded fields (the CSRF token).
    app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) =>
        done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );

    const html = (reply: FastifyReply, status: number, page: string) =>
        reply.code(status).type("text/html; charset=utf-8").send(page);

    /** The signed-in user, or undefined when there is none or the session has outlived its lifetime. */
    const currentUser = async (request: FastifyRequest): Promise<SignedInUser | undefined> => {
        const { user, signedInAt } = request.session;
        if (!user || signedInAt === undefined) return undefined;
        if (now() - signedInAt > sessionMs) {
            request.log.info({ audit: "session-expired", user: user.upn }, "Session expired");
            await request.session.destroy();
            return undefined;
        }
        return user;
    };

    app.get("/auth/signin", async (request, reply) => {
        const { url, pending } = await identity.signInUrl();
        request.session.pending = pending;
        return reply.redirect(url);
    });

    app.get<{ Querystring: Record<string, string | undefined> }>("/auth/callback", async (request, reply) => {
        let user: SignedInUser;
        try {
            user = await identity.completeSignIn(request.query, request.session.pending);
        } catch (error) {
            if (!(error instanceof SignInError)) throw error;
            request.log.warn({ audit: "sign-in-failed", reason: error.message }, "Sign-in failed");
            return html(
                reply,
                401,
                messagePage({
                    heading: "Sign-in failed",
                    message: error.message,
                    link: { href: "/auth/signin", text: "Sign in again" },
                }),
            );
        }
        // A new session id once signed in (no session fixation).
        await request.session.regenerate();
        request.session.user = user;
        request.session.signedInAt = now();
        request.log.info({ audit: "signed-in", user: user.upn, oid: user.oid }, "Signed in");
        return reply.redirect("/");
    });

    app.post("/auth/signout", { preValidation: app.csrfProtection }, async (request, reply) => {
        const user = request.session.user;
        await request.session.destroy();
        if (user) request.log.info({ audit: "signed-out", user: user.upn }, "Signed out");
        return reply.redirect(await identity.signOutUrl(), 303);
    });

    app.get("/signed-out", async (_request, reply) =>
        html(
            reply,
            200,
            messagePage({
                heading: "Signed out",
                message: "You are signed out.",
                link: { href: "/auth/signin", text: "Sign in" },
            }),
        ),
    );

    const noAccessMessage = (user: SignedInUser) =>
        `${user.upn} is not listed in the scorecard's access table, so there is no agency report to show. If you lead an agency, ask the state's BI team to add you.`;

    app.get("/", async (request, reply) => {
        const user = await currentUser(request);
        if (!user) return reply.redirect("/auth/signin");
        const agencies = await dependencies.access.agenciesOf(user.upn);
        const csrf = reply.generateCsrf();
        if (agencies.length === 0) {
            request.log.info({ audit: "no-access", user: user.upn }, "Signed-in user has no agency");
            return html(reply, 403, messagePage({ heading: "No access", message: noAccessMessage(user), csrf }));
        }
        return html(
            reply,
            200,
            reportPage({ userName: user.name, agencies: agencies.map((agency) => agency.name), csrf }),
        );
    });

    app.post("/api/embed-token", { preValidation: app.csrfProtection }, async (request, reply) => {
        const user = await currentUser(request);
        if (!user)
            return reply
                .code(401)
                .send({ error: "Your sign-in has expired. Please sign in again.", signIn: "/auth/signin" });
        const agencies = await dependencies.access.agenciesOf(user.upn);
        // No agency, no token: never a token that the role would not narrow to an agency.
        if (agencies.length === 0) {
            request.log.info({ audit: "no-access", user: user.upn }, "Embed token refused: no agency");
            return reply.code(403).send({ error: noAccessMessage(user) });
        }
        try {
            const report = await powerBi.getReport(config.workspaceId, config.reportId);
            if (report.datasetId.toLowerCase() !== config.datasetId.toLowerCase()) {
                request.log.error(
                    { audit: "misconfigured", reportDataset: report.datasetId, configuredDataset: config.datasetId },
                    "The report's dataset is not POWERBI_DATASET_ID",
                );
                return reply.code(500).send({
                    error: "The portal is misconfigured: the report uses another dataset than the one configured. The portal's administrator needs to check POWERBI_DATASET_ID.",
                });
            }
            const token = await powerBi.generateToken({
                reportId: report.id,
                datasetId: config.datasetId,
                identity: { username: user.upn, roles: [config.roleName], datasets: [config.datasetId] },
                lifetimeInMinutes: config.tokenLifetimeMinutes,
            });
            request.log.info(
                {
                    audit: "embed-token-issued",
                    user: user.upn,
                    agencies: agencies.map((agency) => agency.id),
                    role: config.roleName,
                    reportId: report.id,
                    datasetId: config.datasetId,
                    tokenId: token.tokenId,
                    issuedAt: new Date(now()).toISOString(),
                    expiration: token.expiration,
                },
                "Embed token issued",
            );
            let dataAsOf: string | null = null;
            try {
                dataAsOf = await powerBi.lastRefresh(config.workspaceId, config.datasetId);
            } catch (error) {
                // The header then says the date is unknown; the report itself still shows.
                if (error instanceof PowerBiError) logPowerBiError(request, error, user);
                else request.log.warn({ audit: "refresh-history-failed", reason: String(error) }, "No refresh history");
            }
            const answer: EmbedAnswer = {
                accessToken: token.token,
                tokenType: "Embed",
                embedUrl: report.embedUrl,
                reportId: report.id,
                pageName: config.pageName,
                expiration: token.expiration,
                agencies: agencies.map((agency) => agency.name),
                dataAsOf,
            };
            return answer;
        } catch (error) {
            if (error instanceof ServicePrincipalError) {
                request.log.error(
                    {
                        audit: "service-principal-token-failed",
                        code: error.code,
                        entraCorrelationId: error.correlationId,
                    },
                    error.message,
                );
                const answer: ErrorAnswer = {
                    error: `The portal could not get its access to Power BI from Entra ID (${error.code}). The portal's administrator needs to check the app's client secret or certificate.`,
                };
                return reply.code(502).send(answer);
            }
            if (!(error instanceof PowerBiError)) throw error;
            logPowerBiError(request, error, user);
            if (error.status === 429 && error.retryAfterSeconds !== undefined)
                reply.header("retry-after", String(error.retryAfterSeconds));
            const answer: ErrorAnswer = {
                error: `${error.userMessage}${error.requestId ? ` (Power BI request id ${error.requestId})` : ""}`,
                status: error.status,
                requestId: error.requestId ?? null,
                retryAfterSeconds: error.retryAfterSeconds ?? null,
            };
            return reply.code(error.status === 429 ? 503 : 502).send(answer);
        }
    });
}

function logPowerBiError(request: FastifyRequest, error: PowerBiError, user: SignedInUser) {
    request.log.warn(
        {
            audit: "powerbi-error",
            user: user.upn,
            operation: error.operation,
            status: error.status,
            code: error.code,
            powerBiRequestId: error.requestId,
            retryAfterSeconds: error.retryAfterSeconds,
        },
        error.message,
    );
}
