/** What the server answers the page's scripts: shared by the server and the page (types only). */

/** With each embed token: everything the page needs, nothing secret but the short-lived token itself. */
export interface EmbedAnswer {
    accessToken: string;
    tokenType: "Embed";
    embedUrl: string;
    reportId: string;
    pageName: string;
    expiration: string;
    agencies: string[];
    dataAsOf: string | null;
}

/** An error: a plain message, where to sign in again, and how long to wait after a 429. */
export interface ErrorAnswer {
    error: string;
    signIn?: string;
    status?: number;
    requestId?: string | null;
    retryAfterSeconds?: number | null;
}
