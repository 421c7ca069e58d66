/**
 * The Power BI REST calls the portal makes, as Microsoft documents them: Reports - Get Report In
 * Group (embed URL and dataset), Embed Token - Generate Token (the multi-resource V2 call, with
 * an effective identity) and Datasets - Get Refresh History In Group ("data as of"). Errors keep
 * Power BI's request id for the log and carry a plain message for the user.
 */

export interface ReportInfo {
    id: string;
    name: string;
    embedUrl: string;
    datasetId: string;
}

export interface EmbedIdentity {
    /** The effective user name: the user's UPN, what USERPRINCIPALNAME() returns in the role. */
    username: string;
    roles: string[];
    datasets: string[];
}

export interface GenerateTokenRequest {
    datasets: Array<{ id: string; xmlaPermissions: "Off" }>;
    reports: Array<{ id: string; allowEdit: false }>;
    identities: EmbedIdentity[];
    lifetimeInMinutes: number;
}

export interface EmbedToken {
    token: string;
    tokenId: string;
    /** ISO date-time (UTC). */
    expiration: string;
}

/** A Power BI error: the status, Power BI's request id and error code, and a message for the user. */
export class PowerBiError extends Error {
    constructor(
        readonly status: number,
        readonly userMessage: string,
        readonly requestId: string | undefined,
        readonly code: string | undefined,
        readonly retryAfterSeconds: number | undefined,
        readonly operation: string,
    ) {
        super(`${operation}: Power BI answered ${status}${code ? ` ${code}` : ""} (request id ${requestId ?? "none"})`);
    }
}

function userMessage(status: number, retryAfter: number | undefined): string {
    switch (status) {
        case 401:
            return "Power BI did not accept the portal's credentials. The portal's administrator needs to check the app registration and the tenant setting that lets service principals use Power BI APIs.";
        case 403:
            return "Power BI refused access to the report. The portal's administrator needs to check that the app is a member of the workspace and that the workspace is on a capacity.";
        case 404:
            return "The report or its dataset was not found in Power BI. The portal's administrator needs to check the workspace, report and dataset ids.";
        case 429:
            return `Power BI is receiving too many requests right now. Please try again in ${retryAfter ?? 60} seconds.`;
        default:
            return `Power BI could not be reached (status ${status}). Please try again later.`;
    }
}

/** Retry-After as seconds: a number of seconds or an HTTP date. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | undefined {
    if (!header) return undefined;
    if (/^\d+$/.test(header.trim())) return Number(header.trim());
    const date = Date.parse(header);
    return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

export class PowerBiClient {
    constructor(
        private readonly apiUrl: string,
        private readonly accessToken: () => Promise<string>,
    ) {}

    private async call<T>(operation: string, method: "GET" | "POST", pathAndQuery: string, body?: unknown): Promise<T> {
        const response = await fetch(`${this.apiUrl}/v1.0/myorg/${pathAndQuery}`, {
            method,
            headers: {
                authorization: `Bearer ${await this.accessToken()}`,
                accept: "application/json",
                ...(body === undefined ? {} : { "content-type": "application/json" }),
            },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        const requestId = response.headers.get("requestid") ?? response.headers.get("x-ms-request-id") ?? undefined;
        if (!response.ok) {
            let code: string | undefined;
            try {
                const parsed = (await response.json()) as { error?: { code?: string } };
                code = typeof parsed?.error?.code === "string" ? parsed.error.code : undefined;
            } catch {
                /* not JSON: the status says enough */
            }
            const retryAfter = retryAfterSeconds(response.headers.get("retry-after"));
            throw new PowerBiError(
                response.status,
                userMessage(response.status, retryAfter),
                requestId,
                code,
                retryAfter,
                operation,
            );
        }
        return (await response.json()) as T;
    }

    async getReport(workspaceId: string, reportId: string): Promise<ReportInfo> {
        const report = await this.call<ReportInfo>(
            "Get Report In Group",
            "GET",
            `groups/${encodeURIComponent(workspaceId)}/reports/${encodeURIComponent(reportId)}`,
        );
        return { id: report.id, name: report.name, embedUrl: report.embedUrl, datasetId: report.datasetId };
    }

    /**
     * An embed token for one report and dataset, always with an effective identity: the role
     * then applies to the user, never the dataset's full data.
     */
    async generateToken(request: {
        reportId: string;
        datasetId: string;
        identity: EmbedIdentity;
        lifetimeInMinutes: number;
    }): Promise<EmbedToken> {
        const { identity } = request;
        if (!identity.username || identity.roles.length === 0 || !identity.datasets.includes(request.datasetId))
            throw new Error(
                "Refusing to ask for an embed token without an effective identity, a role and the dataset.",
            );
        const body: GenerateTokenRequest = {
            datasets: [{ id: request.datasetId, xmlaPermissions: "Off" }],
            reports: [{ id: request.reportId, allowEdit: false }],
            identities: [identity],
            lifetimeInMinutes: request.lifetimeInMinutes,
        };
        const token = await this.call<EmbedToken>("Generate Token", "POST", "GenerateToken", body);
        return { token: token.token, tokenId: token.tokenId, expiration: token.expiration };
    }

    /** The end of the latest completed refresh, or null (never refreshed, or DirectQuery). */
    async lastRefresh(workspaceId: string, datasetId: string): Promise<string | null> {
        const history = await this.call<{ value: Array<{ status: string; endTime?: string }> }>(
            "Get Refresh History In Group",
            "GET",
            `groups/${encodeURIComponent(workspaceId)}/datasets/${encodeURIComponent(datasetId)}/refreshes?$top=10`,
        );
        const done = history.value
            .filter((refresh) => refresh.status === "Completed" && refresh.endTime)
            .map((refresh) => refresh.endTime as string)
            .sort();
        return done.length > 0 ? done[done.length - 1] : null;
    }
}
