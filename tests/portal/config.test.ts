/**
 * @jest-environment node
 *
 * The portal's configuration from environment variables: the demo without a tenant, every
 * required variable named when missing, the secret or the certificate, the national clouds.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { certificateCredential, ConfigError, readConfig, type PowerBiConfig } from "../../portal/src/config";
import { selfSignedCertificate } from "./harness";

const GUID = (n: number) => `${String(n).repeat(8)}-1111-4111-8111-111111111111`;
const complete = {
    AZURE_TENANT_ID: GUID(1),
    AZURE_CLIENT_ID: GUID(2),
    AZURE_CLIENT_SECRET: "secret-value-for-config-test",
    POWERBI_WORKSPACE_ID: GUID(3),
    POWERBI_REPORT_ID: GUID(4),
    POWERBI_DATASET_ID: GUID(5),
    PORTAL_PUBLIC_URL: "https://scorecard.state.example/",
    PORTAL_TRUST_PROXY: "10.0.0.1",
    PORTAL_ACCESS_FOLDER: "billing",
};

test("no tenant: the local demo on the sample data, on loopback", () => {
    const config = readConfig({});
    expect(config.mode).toBe("demo");
    expect(config.listen).toEqual({ host: "127.0.0.1", port: 8080 });
    expect(path.relative(path.resolve(__dirname, "..", ".."), (config as { folder: string }).folder)).toBe(
        path.join("connector", "sample"),
    );
});

test("a complete configuration: the Agency role, the report's first page, a ten-minute token, the public cloud", () => {
    const config = readConfig(complete) as PowerBiConfig;
    expect(config).toMatchObject({
        mode: "powerbi",
        tenantId: GUID(1),
        clientId: GUID(2),
        credential: { clientSecret: "secret-value-for-config-test" },
        workspaceId: GUID(3),
        reportId: GUID(4),
        datasetId: GUID(5),
        roleName: "Agency",
        pageName: "itCost",
        tokenLifetimeMinutes: 10,
        apiUrl: "https://api.powerbi.com",
        embedOrigin: "https://app.powerbi.com",
        authorityHost: "https://login.microsoftonline.com",
        scope: "https://analysis.windows.net/powerbi/api/.default",
        publicUrl: "https://scorecard.state.example",
        listen: { host: "0.0.0.0", port: 8443, trustProxy: "10.0.0.1" },
    });
    expect(config.access).toEqual({ kind: "folder", folder: path.resolve("billing") });
    expect(config.sessionSecret.length).toBeGreaterThanOrEqual(32);
});

test("GCC: Power BI's US government hosts", () => {
    const config = readConfig({ ...complete, POWERBI_CLOUD: "gcc", POWERBI_ROLE: "State" }) as PowerBiConfig;
    expect(config).toMatchObject({
        apiUrl: "https://api.powerbigov.us",
        embedOrigin: "https://app.powerbigov.us",
        scope: "https://analysis.usgovcloudapi.net/powerbi/api/.default",
        roleName: "State",
    });
});

test.each([
    ["AZURE_CLIENT_ID", /AZURE_CLIENT_ID is not set/],
    ["POWERBI_WORKSPACE_ID", /POWERBI_WORKSPACE_ID is not set/],
    ["POWERBI_REPORT_ID", /POWERBI_REPORT_ID is not set/],
    ["POWERBI_DATASET_ID", /POWERBI_DATASET_ID is not set/],
    ["PORTAL_PUBLIC_URL", /PORTAL_PUBLIC_URL is not set/],
    ["AZURE_CLIENT_SECRET", /AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH/],
    ["PORTAL_ACCESS_FOLDER", /PORTAL_ACCESS_FOLDER .* or PORTAL_ACCESS_DATABASE/],
    ["PORTAL_TRUST_PROXY", /over HTTPS/],
])("without %s the error names it", (variable, message) => {
    const env: Record<string, string> = { ...complete };
    delete env[variable];
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
});

test("bad values are refused with the variable's name", () => {
    expect(() => readConfig({ ...complete, POWERBI_REPORT_ID: "report" })).toThrow(
        'POWERBI_REPORT_ID "report" is not a GUID.',
    );
    expect(() => readConfig({ ...complete, PORTAL_PUBLIC_URL: "http://scorecard" })).toThrow(
        /must be an https:\/\/ address/,
    );
    expect(() => readConfig({ ...complete, POWERBI_TOKEN_MINUTES: "600" })).toThrow(/from 1 to 60/);
    expect(() => readConfig({ ...complete, POWERBI_CLOUD: "mars" })).toThrow(/public, gcc, gcchigh, dod/);
    expect(() => readConfig({ ...complete, PORTAL_SESSION_SECRET: "short" })).toThrow(/at least 32/);
    expect(() => readConfig({ ...complete, AZURE_CLIENT_CERTIFICATE_PATH: "app.pem" })).toThrow(
        "Set AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH, not both.",
    );
});

test("a certificate instead of a secret: the SHA-256 thumbprint and the chain for msal-node", () => {
    const { cert, key } = selfSignedCertificate();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ais-portal-cert-"));
    try {
        const file = path.join(dir, "app.pem");
        fs.writeFileSync(file, `${key}\n${cert}`);
        const env: Record<string, string> = { ...complete, AZURE_CLIENT_CERTIFICATE_PATH: file };
        delete env.AZURE_CLIENT_SECRET;
        const config = readConfig(env) as PowerBiConfig;
        expect("clientCertificate" in config.credential).toBe(true);
        const certificate = (
            config.credential as { clientCertificate: { thumbprintSha256: string; privateKey: string; x5c: string } }
        ).clientCertificate;
        expect(certificate.thumbprintSha256).toMatch(/^[0-9A-F]{64}$/);
        expect(certificate.privateKey).toContain("BEGIN PRIVATE KEY");
        expect(cert.replace(/-----[^-]+-----|\s/g, "")).toBe(certificate.x5c);
        expect(() => certificateCredential(cert)).toThrow(/both the private key/);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});
