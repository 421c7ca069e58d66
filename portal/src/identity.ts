/**
 * Microsoft Entra ID through msal-node: the agency head's sign-in (OpenID Connect authorization
 * code flow with PKCE, state and nonce) and the service principal's token for Power BI (client
 * credentials). The ID token's signature is checked against the tenant's published keys (JWKS)
 * as well: msal-node checks its nonce and claims but not its signature.
 */
import * as crypto from "node:crypto";
import {
    ConfidentialClientApplication,
    CryptoProvider,
    LogLevel,
    ResponseMode,
    type Configuration,
    type INetworkModule,
} from "@azure/msal-node";
import type { PowerBiConfig } from "./config";

/** What the session keeps between the redirect to Entra ID and the callback. */
export interface PendingSignIn {
    state: string;
    nonce: string;
    codeVerifier: string;
}

export interface SignedInUser {
    /** The user principal name: what the access table lists and the effective identity carries. */
    upn: string;
    name: string;
    /** Entra ID's object id, for the log. */
    oid: string;
}

export class SignInError extends Error {}

/** Entra ID refused the service principal's token: its error code (never the credential) for the log. */
export class ServicePrincipalError extends Error {
    constructor(
        readonly code: string,
        readonly correlationId: string | undefined,
    ) {
        super(`Entra ID refused the service principal's token (${code})`);
    }
}

interface Discovery {
    issuer: string;
    jwks_uri: string;
    end_session_endpoint?: string;
}

interface Jwk extends crypto.JsonWebKey {
    kid?: string;
}

const SIGN_IN_SCOPES = ["openid", "profile"];

/** A network module on fetch for the discovery and key documents (msal-node keeps its own client unless one is injected). */
const fetchNetwork: Pick<INetworkModule, "sendGetRequestAsync"> = {
    async sendGetRequestAsync<T>(url: string) {
        const response = await fetch(url, { headers: { accept: "application/json" } });
        return {
            status: response.status,
            headers: Object.fromEntries(response.headers),
            body: (await response.json()) as T,
        };
    },
};

const base64urlJson = (part: string): Record<string, unknown> =>
    JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;

export class Identity {
    private readonly app: ConfidentialClientApplication;
    private readonly pkce = new CryptoProvider();
    private readonly network: Pick<INetworkModule, "sendGetRequestAsync">;
    private discovery?: Promise<Discovery>;
    private keys?: { fetched: number; keys: Jwk[] };

    constructor(
        private readonly config: PowerBiConfig,
        options: { networkClient?: INetworkModule; now?: () => number } = {},
    ) {
        this.now = options.now ?? Date.now;
        this.network = options.networkClient ?? fetchNetwork;
        const msal: Configuration = {
            auth: {
                clientId: config.clientId,
                authority: this.authority,
                ...config.credential,
            },
            system: {
                ...(options.networkClient ? { networkClient: options.networkClient } : {}),
                // msal's own log, without personal data or tokens: warnings and errors only.
                loggerOptions: {
                    piiLoggingEnabled: false,
                    logLevel: LogLevel.Warning,
                    loggerCallback: () => undefined,
                },
            },
        };
        this.app = new ConfidentialClientApplication(msal);
    }

    private readonly now: () => number;

    get authority(): string {
        return `${this.config.authorityHost}/${this.config.tenantId}`;
    }

    get redirectUri(): string {
        return `${this.config.publicUrl}/auth/callback`;
    }

    /** The Entra ID sign-in address, and what the session must keep until the callback. */
    async signInUrl(): Promise<{ url: string; pending: PendingSignIn }> {
        const { verifier, challenge } = await this.pkce.generatePkceCodes();
        const pending: PendingSignIn = {
            state: crypto.randomBytes(24).toString("base64url"),
            nonce: crypto.randomBytes(24).toString("base64url"),
            codeVerifier: verifier,
        };
        const url = await this.app.getAuthCodeUrl({
            scopes: SIGN_IN_SCOPES,
            redirectUri: this.redirectUri,
            responseMode: ResponseMode.QUERY,
            codeChallenge: challenge,
            codeChallengeMethod: "S256",
            state: pending.state,
            nonce: pending.nonce,
        });
        return { url, pending };
    }

    /** Redeems the code (with the PKCE verifier) and checks the ID token; throws SignInError. */
    async completeSignIn(
        query: Record<string, string | undefined>,
        pending: PendingSignIn | undefined,
    ): Promise<SignedInUser> {
        if (query.error)
            throw new SignInError(`Entra ID did not sign you in: ${query.error_description ?? query.error}`);
        if (!pending || !query.state || query.state !== pending.state)
            throw new SignInError("The sign-in did not start here, or took too long. Please sign in again.");
        if (!query.code) throw new SignInError("Entra ID sent no authorization code. Please sign in again.");
        let result;
        try {
            result = await this.app.acquireTokenByCode({
                code: query.code,
                scopes: SIGN_IN_SCOPES,
                redirectUri: this.redirectUri,
                codeVerifier: pending.codeVerifier,
                state: pending.state,
                nonce: pending.nonce,
            });
        } catch (error) {
            throw new SignInError(
                `Entra ID did not complete the sign-in${error instanceof Error && "errorCode" in error ? ` (${String((error as { errorCode: unknown }).errorCode)})` : ""}. Please sign in again.`,
            );
        }
        const claims = await this.verifyIdToken(result.idToken, pending.nonce);
        const upn = typeof claims.upn === "string" ? claims.upn : claims.preferred_username;
        if (typeof upn !== "string" || upn === "")
            throw new SignInError(
                "Your sign-in carries no user principal name, so the portal cannot tell which agency is yours.",
            );
        return { upn, name: typeof claims.name === "string" ? claims.name : upn, oid: String(claims.oid ?? "") };
    }

    /** The service principal's access token for the Power BI REST API (msal caches it until it nears expiry). */
    async servicePrincipalToken(): Promise<string> {
        let result;
        try {
            result = await this.app.acquireTokenByClientCredential({ scopes: [this.config.scope] });
        } catch (error) {
            const failure = error as { errorCode?: unknown; correlationId?: unknown };
            throw new ServicePrincipalError(
                typeof failure.errorCode === "string" && failure.errorCode ? failure.errorCode : "unknown_error",
                typeof failure.correlationId === "string" ? failure.correlationId : undefined,
            );
        }
        if (!result?.accessToken) throw new ServicePrincipalError("no_access_token", result?.correlationId);
        return result.accessToken;
    }

    /** Entra ID's sign-out address, back to the portal's signed-out page. */
    async signOutUrl(): Promise<string> {
        const discovery = await this.openIdConfiguration();
        const end = discovery.end_session_endpoint ?? `${this.authority}/oauth2/v2.0/logout`;
        return `${end}?post_logout_redirect_uri=${encodeURIComponent(`${this.config.publicUrl}/signed-out`)}`;
    }

    private openIdConfiguration(): Promise<Discovery> {
        this.discovery ??= this.getJson<Discovery>(`${this.authority}/v2.0/.well-known/openid-configuration`).catch(
            (error) => {
                this.discovery = undefined;
                throw error;
            },
        );
        return this.discovery;
    }

    private async getJson<T>(url: string): Promise<T> {
        const response = await this.network.sendGetRequestAsync<T>(url);
        if (response.status !== 200)
            throw new SignInError(`Entra ID's ${new URL(url).pathname} answered ${response.status}.`);
        return response.body;
    }

    private async signingKey(kid: string): Promise<Jwk | undefined> {
        const find = () => this.keys?.keys.find((key) => key.kid === kid);
        // Keys roll over: fetch again for an unknown kid, at most once a minute.
        if (!find() && (!this.keys || this.now() - this.keys.fetched > 60_000)) {
            const { jwks_uri } = await this.openIdConfiguration();
            const set = await this.getJson<{ keys: Jwk[] }>(jwks_uri);
            this.keys = { fetched: this.now(), keys: set.keys ?? [] };
        }
        return find();
    }

    /** Signature (RS256 against the tenant's JWKS), issuer, audience, tenant, lifetime and nonce. */
    private async verifyIdToken(idToken: string, nonce: string): Promise<Record<string, unknown>> {
        const parts = idToken.split(".");
        if (parts.length !== 3) throw new SignInError("The ID token is malformed.");
        const header = base64urlJson(parts[0]);
        const claims = base64urlJson(parts[1]);
        if (header.alg !== "RS256" || typeof header.kid !== "string")
            throw new SignInError("The ID token is not signed with RS256.");
        const jwk = await this.signingKey(header.kid);
        if (!jwk) throw new SignInError("The ID token is signed with a key the tenant does not publish.");
        const valid = crypto.verify(
            "RSA-SHA256",
            Buffer.from(`${parts[0]}.${parts[1]}`),
            crypto.createPublicKey({ key: jwk, format: "jwk" }),
            Buffer.from(parts[2], "base64url"),
        );
        if (!valid) throw new SignInError("The ID token's signature does not verify.");
        const { issuer } = await this.openIdConfiguration();
        const seconds = this.now() / 1000;
        const skew = 300;
        if (claims.iss !== issuer.replace("{tenantid}", String(claims.tid)))
            throw new SignInError("The ID token comes from another issuer.");
        if (claims.aud !== this.config.clientId) throw new SignInError("The ID token is for another application.");
        if (typeof claims.exp !== "number" || claims.exp + skew < seconds)
            throw new SignInError("The ID token has expired.");
        if (typeof claims.nbf === "number" && claims.nbf - skew > seconds)
            throw new SignInError("The ID token is not valid yet.");
        if (claims.nonce !== nonce) throw new SignInError("The ID token does not answer this sign-in (nonce).");
        return claims;
    }
}
