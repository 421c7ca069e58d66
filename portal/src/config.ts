/**
 * The portal's configuration, from environment variables only (nothing secret on the command
 * line or in files of the repository). With no tenant, the portal runs the local demo.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { PAGES } from "../../connector/src/report/layout";

export const projectRoot = path.resolve(__dirname, "..", "..");
export const sampleFolder = path.join(projectRoot, "connector", "sample");

/** Microsoft's documented endpoints for each Power BI cloud (national clouds differ in every host). */
export const CLOUDS = {
    public: {
        authorityHost: "https://login.microsoftonline.com",
        apiUrl: "https://api.powerbi.com",
        scope: "https://analysis.windows.net/powerbi/api/.default",
        embedOrigin: "https://app.powerbi.com",
    },
    gcc: {
        authorityHost: "https://login.microsoftonline.com",
        apiUrl: "https://api.powerbigov.us",
        scope: "https://analysis.usgovcloudapi.net/powerbi/api/.default",
        embedOrigin: "https://app.powerbigov.us",
    },
    gcchigh: {
        authorityHost: "https://login.microsoftonline.us",
        apiUrl: "https://api.high.powerbigov.us",
        scope: "https://high.analysis.usgovcloudapi.net/powerbi/api/.default",
        embedOrigin: "https://app.high.powerbigov.us",
    },
    dod: {
        authorityHost: "https://login.microsoftonline.us",
        apiUrl: "https://api.mil.powerbigov.us",
        scope: "https://mil.analysis.usgovcloudapi.net/powerbi/api/.default",
        embedOrigin: "https://app.mil.powerbigov.us",
    },
} as const;
export type CloudName = keyof typeof CLOUDS;

/** Where the access table (and the agency names) are read: the billing source's folder or database. */
export type AccessSource =
    | { kind: "folder"; folder: string }
    | { kind: "postgres"; database?: string; server?: string; port?: string; urlEnv?: string; schema: string };

export type ClientCredential =
    { clientSecret: string } | { clientCertificate: { thumbprintSha256: string; privateKey: string; x5c: string } };

export interface ListenConfig {
    host: string;
    port: number;
    /** HTTPS served by the portal itself (PEM files). */
    tls?: { cert: string; key: string };
    /** Behind a TLS-terminating proxy: which proxy addresses to trust for X-Forwarded-Proto (fastify's trustProxy). */
    trustProxy?: string | boolean;
}

export interface PowerBiConfig {
    mode: "powerbi";
    tenantId: string;
    clientId: string;
    credential: ClientCredential;
    workspaceId: string;
    reportId: string;
    datasetId: string;
    roleName: string;
    /** The report page shown first (its `name`, the connector's page id). */
    pageName: string;
    cloud: CloudName;
    authorityHost: string;
    apiUrl: string;
    scope: string;
    embedOrigin: string;
    /** The portal's public address, for the sign-in redirect: https://scorecard.state.example */
    publicUrl: string;
    tokenLifetimeMinutes: number;
    sessionMinutes: number;
    sessionSecret: string;
    access: AccessSource;
    listen: ListenConfig;
}

export interface DemoConfig {
    mode: "demo";
    /** The sample billing folder (connector/sample): its access table, agencies and billing tables. */
    folder: string;
    listen: ListenConfig;
}

export type PortalConfig = PowerBiConfig | DemoConfig;

export class ConfigError extends Error {}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function listenConfig(env: NodeJS.ProcessEnv, defaultHost: string): ListenConfig {
    const port = Number(env.PORTAL_PORT ?? "8443");
    if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new ConfigError(`PORTAL_PORT "${env.PORTAL_PORT}" is not a port number (0 to 65535).`);
    const listen: ListenConfig = { host: env.PORTAL_HOST ?? defaultHost, port };
    if (env.PORTAL_TLS_CERT || env.PORTAL_TLS_KEY) {
        if (!env.PORTAL_TLS_CERT || !env.PORTAL_TLS_KEY)
            throw new ConfigError("Set both PORTAL_TLS_CERT and PORTAL_TLS_KEY (PEM files), or neither.");
        listen.tls = {
            cert: readFile(env.PORTAL_TLS_CERT, "PORTAL_TLS_CERT"),
            key: readFile(env.PORTAL_TLS_KEY, "PORTAL_TLS_KEY"),
        };
    }
    if (env.PORTAL_TRUST_PROXY) listen.trustProxy = env.PORTAL_TRUST_PROXY === "true" ? true : env.PORTAL_TRUST_PROXY;
    return listen;
}

function readFile(file: string, variable: string): string {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        throw new ConfigError(`${variable}: cannot read ${file}.`);
    }
}

/** A PEM file holding the private key and the certificate, as Azure Identity's AZURE_CLIENT_CERTIFICATE_PATH. */
export function certificateCredential(pem: string): ClientCredential {
    const key = pem.match(/-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/);
    const cert = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/);
    if (!key || !cert)
        throw new ConfigError(
            "AZURE_CLIENT_CERTIFICATE_PATH must name a PEM file with both the private key (unencrypted) and the certificate.",
        );
    const x509 = new crypto.X509Certificate(cert[0]);
    return {
        clientCertificate: {
            thumbprintSha256: x509.fingerprint256.replace(/:/g, ""),
            privateKey: crypto.createPrivateKey(key[0]).export({ type: "pkcs8", format: "pem" }).toString(),
            x5c: x509.raw.toString("base64"),
        },
    };
}

function accessSource(env: NodeJS.ProcessEnv): AccessSource {
    if (env.PORTAL_ACCESS_DATABASE || env.PORTAL_ACCESS_DATABASE_URL_ENV)
        return {
            kind: "postgres",
            database: env.PORTAL_ACCESS_DATABASE,
            server: env.PORTAL_ACCESS_DATABASE_SERVER,
            port: env.PORTAL_ACCESS_DATABASE_PORT,
            urlEnv: env.PORTAL_ACCESS_DATABASE_URL_ENV,
            schema: env.PORTAL_ACCESS_DATABASE_SCHEMA ?? "public",
        };
    if (!env.PORTAL_ACCESS_FOLDER)
        throw new ConfigError(
            "Say where the access table is: PORTAL_ACCESS_FOLDER (the billing export folder with agency_access.csv and agencies.csv) or PORTAL_ACCESS_DATABASE (PostgreSQL, with PG* variables for the user).",
        );
    return { kind: "folder", folder: path.resolve(env.PORTAL_ACCESS_FOLDER) };
}

/** Reads the configuration; throws a ConfigError naming the variable that is wrong or missing. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): PortalConfig {
    if (!env.AZURE_TENANT_ID) {
        return {
            mode: "demo",
            folder: sampleFolder,
            listen: { ...listenConfig({ PORTAL_PORT: "8080", ...env }, "127.0.0.1") },
        };
    }
    const required = (name: string, guid = false): string => {
        const value = env[name]?.trim();
        if (!value) throw new ConfigError(`${name} is not set (needed once AZURE_TENANT_ID is set).`);
        if (guid && !GUID.test(value)) throw new ConfigError(`${name} "${value}" is not a GUID.`);
        return value;
    };
    const cloudName = (env.POWERBI_CLOUD ?? "public").toLowerCase();
    if (!(cloudName in CLOUDS))
        throw new ConfigError(`POWERBI_CLOUD "${env.POWERBI_CLOUD}" is not one of ${Object.keys(CLOUDS).join(", ")}.`);
    const cloud = CLOUDS[cloudName as CloudName];
    let credential: ClientCredential;
    if (env.AZURE_CLIENT_SECRET && env.AZURE_CLIENT_CERTIFICATE_PATH)
        throw new ConfigError("Set AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH, not both.");
    else if (env.AZURE_CLIENT_SECRET) credential = { clientSecret: env.AZURE_CLIENT_SECRET };
    else if (env.AZURE_CLIENT_CERTIFICATE_PATH)
        credential = certificateCredential(
            readFile(env.AZURE_CLIENT_CERTIFICATE_PATH, "AZURE_CLIENT_CERTIFICATE_PATH"),
        );
    else throw new ConfigError("Set AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH for the service principal.");
    const minutes = (name: string, fallback: number, max: number): number => {
        const value = Number(env[name] ?? fallback);
        if (!Number.isInteger(value) || value < 1 || value > max)
            throw new ConfigError(`${name} "${env[name]}" must be a whole number of minutes from 1 to ${max}.`);
        return value;
    };
    const publicUrl = required("PORTAL_PUBLIC_URL").replace(/\/+$/, "");
    if (!/^https:\/\//.test(publicUrl))
        throw new ConfigError(
            `PORTAL_PUBLIC_URL "${publicUrl}" must be an https:// address: sign-in cookies are Secure.`,
        );
    const sessionSecret = env.PORTAL_SESSION_SECRET ?? crypto.randomBytes(32).toString("base64url");
    if (sessionSecret.length < 32) throw new ConfigError("PORTAL_SESSION_SECRET must be at least 32 characters.");
    const listen = listenConfig(env, "0.0.0.0");
    if (!listen.tls && !listen.trustProxy)
        throw new ConfigError(
            "Serve the portal over HTTPS: set PORTAL_TLS_CERT and PORTAL_TLS_KEY, or PORTAL_TRUST_PROXY behind a proxy that terminates TLS (session cookies are Secure).",
        );
    return {
        mode: "powerbi",
        tenantId: required("AZURE_TENANT_ID"),
        clientId: required("AZURE_CLIENT_ID", true),
        credential,
        workspaceId: required("POWERBI_WORKSPACE_ID", true),
        reportId: required("POWERBI_REPORT_ID", true),
        datasetId: required("POWERBI_DATASET_ID", true),
        roleName: env.POWERBI_ROLE?.trim() || "Agency",
        pageName: env.POWERBI_PAGE_NAME?.trim() || PAGES[0].id,
        cloud: cloudName as CloudName,
        authorityHost: cloud.authorityHost,
        apiUrl: (env.POWERBI_API_URL ?? cloud.apiUrl).replace(/\/+$/, ""),
        scope: cloud.scope,
        embedOrigin: cloud.embedOrigin,
        publicUrl,
        // Short-lived: the page renews it; a leaked token is good for minutes only.
        tokenLifetimeMinutes: minutes("POWERBI_TOKEN_MINUTES", 10, 60),
        sessionMinutes: minutes("PORTAL_SESSION_MINUTES", 480, 24 * 60),
        sessionSecret,
        access: accessSource(env),
        listen,
    };
}
