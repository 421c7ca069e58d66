/**
 * @jest-environment node
 *
 * The portal's server against loopback stand-ins of Entra ID and Power BI: sign-in, the agency
 * lookup, what GenerateToken is asked for, errors, the session, headers, and the log.
 */
import { CLIENT_SECRET, DATASET_ID, LAST_REFRESH, REPORT_ID, TENANT_ID, WORKSPACE_ID } from "./standins";
import { Client, csrfOf, signIn, startPowerBiPortal, type Answer, type RunningPortal } from "./harness";

// Chromium, TLS and RSA keys on a machine shared with other test runs: seconds, not milliseconds.
jest.setTimeout(30_000);

let portal: RunningPortal;

beforeEach(async () => {
    portal = await startPowerBiPortal();
});
afterEach(async () => {
    await portal.stop();
});

async function signedIn(upn: string): Promise<{ client: Client; page: Answer; csrf: string }> {
    const client = new Client(portal.origin);
    const callback = await signIn(portal, client, upn, `Name of ${upn}`);
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe("/");
    const page = await client.get("/");
    return { client, page, csrf: page.status === 200 || page.status === 403 ? csrfOf(page) : "" };
}

const embedToken = (client: Client, csrf: string) =>
    client.request("POST", "/api/embed-token", { headers: { "x-csrf-token": csrf } });

describe("sign-in", () => {
    test("is an authorization code flow with PKCE (S256), state and nonce, and sets a Secure, HttpOnly, SameSite __Host- cookie", async () => {
        const client = new Client(portal.origin);
        const start = await client.get("/auth/signin");
        expect(start.status).toBe(302);
        const authorize = new URL(String(start.headers.location));
        expect(authorize.origin + authorize.pathname).toBe(
            `https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/authorize`,
        );
        expect(authorize.searchParams.get("response_type")).toBe("code");
        expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
        expect(authorize.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(authorize.searchParams.get("state")).toBeTruthy();
        expect(authorize.searchParams.get("nonce")).toBeTruthy();
        expect(authorize.searchParams.get("redirect_uri")).toBe(`${portal.origin}/auth/callback`);
        expect(authorize.searchParams.get("scope")?.split(" ")).toEqual(expect.arrayContaining(["openid", "profile"]));
        const cookie = [start.headers["set-cookie"] ?? []]
            .flat()
            .find((value) => value.startsWith("__Host-ais-session="));
        expect(cookie).toBeDefined();
        expect(cookie).toMatch(/; HttpOnly/i);
        expect(cookie).toMatch(/; Secure/i);
        expect(cookie).toMatch(/; SameSite=Lax/i);
        expect(cookie).toMatch(/; Path=\//i);
    });

    test("redeems the code with the PKCE verifier and the client secret at the token endpoint, server to server", async () => {
        await signedIn("head.revenue@example.gov");
        const token = portal.entra.requests.find(
            (r) => r.path.endsWith("/oauth2/v2.0/token") && r.body.includes("authorization_code"),
        );
        expect(token).toBeDefined();
        const form = new URLSearchParams(token!.body);
        expect(form.get("grant_type")).toBe("authorization_code");
        expect(form.get("code_verifier")).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
        expect(form.get("client_secret")).toBe(CLIENT_SECRET);
        // The ID token's signature was checked against the tenant's published keys.
        expect(portal.entra.requests.some((r) => r.path === `/${TENANT_ID}/discovery/v2.0/keys`)).toBe(true);
        expect(
            portal.entra.requests.some((r) => r.path === `/${TENANT_ID}/v2.0/.well-known/openid-configuration`),
        ).toBe(true);
    });

    test("a new session id once signed in", async () => {
        const client = new Client(portal.origin);
        await client.get("/auth/signin");
        const before = client.cookies.get("__Host-ais-session");
        portal.entra.signInAs = { upn: "head.revenue@example.gov", name: "Rev" };
        const authorize = await fetch(portal.entra.loopbackUrl(String(client.answers[0].headers.location)), {
            redirect: "manual",
        });
        const callback = new URL(authorize.headers.get("location")!);
        await client.get(callback.pathname + callback.search);
        expect(client.cookies.get("__Host-ais-session")).not.toBe(before);
    });

    test("a callback with another state, or a forged ID token, signs no one in", async () => {
        const client = new Client(portal.origin);
        await client.get("/auth/signin");
        const wrongState = await client.get("/auth/callback?code=abc&state=not-the-one");
        expect(wrongState.status).toBe(401);
        expect(wrongState.body).toContain("Sign-in failed");
        expect((await client.get("/")).status).toBe(302);

        portal.entra.forgeNextIdToken = true;
        const forged = await signIn(portal, client, "head.revenue@example.gov");
        expect(forged.status).toBe(401);
        expect(forged.body).toContain("signature does not verify");
        expect((await client.get("/")).status).toBe(302);
        expect(portal.log.audit("sign-in-failed")).toHaveLength(2);
    });

    test("the UPN comes from preferred_username when the tenant sends no upn claim", async () => {
        const client = new Client(portal.origin);
        portal.entra.signInAs = { upn: "head.revenue@example.gov", name: "Rev", withoutUpnClaim: true };
        const start = await client.get("/auth/signin");
        const authorize = await fetch(portal.entra.loopbackUrl(String(start.headers.location)), { redirect: "manual" });
        const callback = new URL(authorize.headers.get("location")!);
        await client.get(callback.pathname + callback.search);
        const page = await client.get("/");
        expect(page.status).toBe(200);
        expect(page.body).toContain("Department of Revenue");
    });

    test("without a session, the page sends the user to sign in and the API answers 401 with no token request", async () => {
        const client = new Client(portal.origin);
        const page = await client.get("/");
        expect(page.status).toBe(302);
        expect(page.headers.location).toBe("/auth/signin");
        await client.get("/auth/signin");
        const api = await client.request("POST", "/api/embed-token", { headers: { "x-csrf-token": "x" } });
        expect(api.status).toBe(403); // no CSRF secret in a session that never rendered the page
        expect(portal.powerBi.tokenRequests).toHaveLength(0);
    });
});

describe("embed tokens", () => {
    test("GenerateToken carries the user's UPN, the Agency role and the dataset, for the report, with a short lifetime", async () => {
        const { client, page, csrf } = await signedIn("head.revenue@example.gov");
        expect(page.status).toBe(200);
        expect(page.body).toContain("Department of Revenue");
        const answer = await embedToken(client, csrf);
        expect(answer.status).toBe(200);
        expect(portal.powerBi.tokenRequests).toEqual([
            {
                datasets: [{ id: DATASET_ID, xmlaPermissions: "Off" }],
                reports: [{ id: REPORT_ID, allowEdit: false }],
                identities: [{ username: "head.revenue@example.gov", roles: ["Agency"], datasets: [DATASET_ID] }],
                lifetimeInMinutes: 10,
            },
        ]);
        const body = answer.json();
        expect(body).toEqual({
            accessToken: portal.powerBi.issuedTokens[0],
            tokenType: "Embed",
            embedUrl: portal.powerBi.embedUrl(),
            reportId: REPORT_ID,
            pageName: "itCost",
            expiration: expect.any(String),
            agencies: ["Department of Revenue"],
            dataAsOf: LAST_REFRESH,
        });
        const minutesLeft = (Date.parse(String(body.expiration)) - Date.now()) / 60_000;
        expect(minutesLeft).toBeGreaterThan(9);
        expect(minutesLeft).toBeLessThanOrEqual(10);
        // The service principal's token went to Power BI as a bearer token, from the client credentials grant.
        const credentials = portal.entra.requests.find((r) => r.body.includes("grant_type=client_credentials"));
        expect(new URLSearchParams(credentials!.body).get("scope")).toContain(
            "https://analysis.windows.net/powerbi/api/.default",
        );
        const report = portal.powerBi.requests.find(
            (r) => r.path === `/v1.0/myorg/groups/${WORKSPACE_ID}/reports/${REPORT_ID}`,
        );
        expect(report?.headers.authorization).toMatch(/^Bearer sp-access-/);
    });

    test("a user mapped to two agencies gets both, in the header, the answer and the log (UPN matched case-insensitively)", async () => {
        const { client, page, csrf } = await signedIn("head.health@example.gov");
        expect(page.body).toContain("Department of Health, Department of Human Services");
        const answer = await embedToken(client, csrf);
        expect(answer.json().agencies).toEqual(["Department of Health", "Department of Human Services"]);
        expect(portal.powerBi.tokenRequests[0].identities).toEqual([
            { username: "head.health@example.gov", roles: ["Agency"], datasets: [DATASET_ID] },
        ]);
        expect(portal.log.audit("embed-token-issued")[0].agencies).toEqual(["AG03", "AG04"]);
    });

    test("an unmapped user gets a 403 'no access' page and the API a 403; no token is ever requested", async () => {
        const { client, page, csrf } = await signedIn("stranger@example.gov");
        expect(page.status).toBe(403);
        expect(page.body).toContain("No access");
        expect(page.body).toContain("stranger@example.gov is not listed in the scorecard&#39;s access table");
        expect(page.body).toContain("Sign out");
        const answer = await embedToken(client, csrf);
        expect(answer.status).toBe(403);
        expect(answer.json().error).toContain("not listed");
        expect(portal.powerBi.tokenRequests).toHaveLength(0);
        expect(portal.powerBi.requests).toHaveLength(0);
    });

    test("every token request, across users and renewals, has an identity with a role and the dataset", async () => {
        for (const upn of ["head.revenue@example.gov", "head.transportation@example.gov", "head.health@example.gov"]) {
            const { client, csrf } = await signedIn(upn);
            await embedToken(client, csrf);
            await embedToken(client, csrf);
        }
        expect(portal.powerBi.tokenRequests).toHaveLength(6);
        for (const request of portal.powerBi.tokenRequests) {
            const identities = request.identities as Array<{ username: string; roles: string[]; datasets: string[] }>;
            expect(identities).toHaveLength(1);
            expect(identities[0].username).toMatch(/@example\.gov$/);
            expect(identities[0].roles).toEqual(["Agency"]);
            expect(identities[0].datasets).toEqual([DATASET_ID]);
        }
    });

    test("a renewal after the token expired gives a new token with a later expiry", async () => {
        const { client, csrf } = await signedIn("head.revenue@example.gov");
        portal.powerBi.tokenSeconds = 1;
        const first = (await embedToken(client, csrf)).json();
        await new Promise((resolve) => setTimeout(resolve, 1100));
        expect(Date.parse(String(first.expiration))).toBeLessThan(Date.now());
        portal.powerBi.tokenSeconds = undefined;
        const second = (await embedToken(client, csrf)).json();
        expect(second.accessToken).not.toBe(first.accessToken);
        expect(Date.parse(String(second.expiration))).toBeGreaterThan(Date.now() + 9 * 60_000);
        expect(portal.log.audit("embed-token-issued")).toHaveLength(2);
    });

    test("an expired session gets 401 with a sign-in link and no token request", async () => {
        const { client, csrf } = await signedIn("head.revenue@example.gov");
        portal.clock.offsetMs = 61 * 60_000; // the session lives 60 minutes
        const answer = await embedToken(client, csrf);
        expect(answer.status).toBe(401);
        expect(answer.json()).toEqual({
            error: "Your sign-in has expired. Please sign in again.",
            signIn: "/auth/signin",
        });
        expect(portal.powerBi.tokenRequests).toHaveLength(0);
        expect((await client.get("/")).status).toBe(302);
    });

    test("a token request without the CSRF token is refused, and none is sent to Power BI", async () => {
        const { client } = await signedIn("head.revenue@example.gov");
        const answer = await client.request("POST", "/api/embed-token");
        expect(answer.status).toBe(403);
        expect(answer.json().error).toContain("CSRF");
        expect(portal.powerBi.tokenRequests).toHaveLength(0);
    });
});

describe("Power BI's errors", () => {
    const cases: Array<{ status: number; operation: "report" | "token"; words: RegExp; expected: number }> = [
        { status: 401, operation: "report", words: /did not accept the portal's credentials/, expected: 502 },
        { status: 403, operation: "token", words: /refused access to the report/, expected: 502 },
        { status: 404, operation: "report", words: /was not found in Power BI/, expected: 502 },
    ];
    test.each(cases)(
        "$status from $operation reaches the user as a plain message; the log keeps the request id",
        async ({ status, operation, words, expected }) => {
            const { client, csrf } = await signedIn("head.revenue@example.gov");
            portal.powerBi.failures[operation].push({ status });
            const answer = await embedToken(client, csrf);
            expect(answer.status).toBe(expected);
            const body = answer.json();
            expect(body.error).toMatch(words);
            expect(body.status).toBe(status);
            const requestId = portal.powerBi.lastRequestId;
            expect(body.requestId).toBe(requestId);
            expect(body.error).toContain(requestId);
            const logged = portal.log.audit("powerbi-error");
            expect(logged).toHaveLength(1);
            expect(logged[0]).toMatchObject({ status, powerBiRequestId: requestId, user: "head.revenue@example.gov" });
            expect(portal.log.audit("embed-token-issued")).toHaveLength(0);
        },
    );

    test("429 passes Retry-After on to the page, and the next try succeeds", async () => {
        const { client, csrf } = await signedIn("head.revenue@example.gov");
        portal.powerBi.failures.token.push({ status: 429, retryAfter: "17" });
        const answer = await embedToken(client, csrf);
        expect(answer.status).toBe(503);
        expect(answer.headers["retry-after"]).toBe("17");
        expect(answer.json()).toMatchObject({ status: 429, retryAfterSeconds: 17 });
        expect(answer.json().error).toContain("Please try again in 17 seconds");
        expect(portal.log.audit("powerbi-error")[0]).toMatchObject({
            status: 429,
            retryAfterSeconds: 17,
            powerBiRequestId: portal.powerBi.lastRequestId,
        });
        expect((await embedToken(client, csrf)).status).toBe(200);
    });

    test("Entra ID refusing the service principal (an expired secret) is a plain message, logged with its code and no secret", async () => {
        const { client, csrf } = await signedIn("head.revenue@example.gov");
        portal.entra.rejectClientCredentials = true;
        const answer = await embedToken(client, csrf);
        expect(answer.status).toBe(502);
        expect(answer.json().error).toBe(
            "The portal could not get its access to Power BI from Entra ID (invalid_client). The portal's administrator needs to check the app's client secret or certificate.",
        );
        expect(portal.log.audit("service-principal-token-failed")).toEqual([
            expect.objectContaining({
                code: "invalid_client",
                // msal-node's correlation id of the request, for Entra ID's sign-in logs.
                entraCorrelationId: expect.stringMatching(
                    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
                ),
            }),
        ]);
        expect(portal.powerBi.requests).toHaveLength(0);
        expect(portal.log.text).not.toContain(CLIENT_SECRET);
    });

    test("a report on another dataset than the configured one gets no token", async () => {
        const { client, csrf } = await signedIn("head.revenue@example.gov");
        portal.config.datasetId = "00000000-0000-4000-8000-000000000000";
        const answer = await embedToken(client, csrf);
        expect(answer.status).toBe(500);
        expect(answer.json().error).toContain("POWERBI_DATASET_ID");
        expect(portal.powerBi.tokenRequests).toHaveLength(0);
    });
});

describe("headers and the log", () => {
    test("every answer has the security headers and Cache-Control: no-store; frames from Power BI only", async () => {
        const { client, csrf } = await signedIn("head.revenue@example.gov");
        await embedToken(client, csrf);
        await client.get("/assets/embed.js");
        for (const answer of client.answers) {
            expect(answer.headers["cache-control"]).toBe("no-store");
            const csp = String(answer.headers["content-security-policy"]);
            expect(csp).toContain("frame-src https://app.powerbi.com");
            expect(csp).toContain("default-src 'none'");
            expect(csp).toContain("script-src 'self'");
            expect(csp).toContain("frame-ancestors 'none'");
            expect(answer.headers["x-frame-options"]).toBe("DENY");
            expect(answer.headers["x-content-type-options"]).toBe("nosniff");
            expect(answer.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
            expect(answer.headers["referrer-policy"]).toBe("no-referrer");
        }
    });

    test("sign-out needs the CSRF token, ends the session and goes to Entra ID's sign-out", async () => {
        const { client, csrf } = await signedIn("head.revenue@example.gov");
        const refused = await client.request("POST", "/auth/signout", {
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: "",
        });
        expect(refused.status).toBe(403);
        const out = await client.request("POST", "/auth/signout", {
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: `_csrf=${encodeURIComponent(csrf)}`,
        });
        expect(out.status).toBe(303);
        expect(String(out.headers.location)).toBe(
            `https://login.microsoftonline.com/${TENANT_ID}/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent(`${portal.origin}/signed-out`)}`,
        );
        expect((await client.get("/")).status).toBe(302);
        expect(portal.log.audit("signed-out")).toHaveLength(1);
    });

    test("each token issued is logged (who, agencies, when, expiry) and no secret, token or code is ever logged or sent to the page", async () => {
        const { client, csrf } = await signedIn("head.revenue@example.gov");
        const answer = (await embedToken(client, csrf)).json();
        const issued = portal.log.audit("embed-token-issued");
        expect(issued).toHaveLength(1);
        expect(issued[0]).toMatchObject({
            user: "head.revenue@example.gov",
            agencies: ["AG01"],
            role: "Agency",
            expiration: answer.expiration,
            issuedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        });
        const secrets = [
            CLIENT_SECRET,
            portal.config.sessionSecret,
            ...portal.entra.servicePrincipalTokens,
            ...portal.entra.issuedIdTokens,
            ...portal.powerBi.issuedTokens,
            ...[...client.cookies.values()],
        ];
        const authorizationCodes = portal.entra.requests
            .filter((r) => r.body.includes("authorization_code"))
            .map((r) => new URLSearchParams(r.body).get("code")!);
        for (const secret of [...secrets, ...authorizationCodes]) expect(portal.log.text).not.toContain(secret);
        for (const page of client.answers) expect(page.body).not.toContain(CLIENT_SECRET);
    });
});
