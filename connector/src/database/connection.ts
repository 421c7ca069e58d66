/**
 * PostgreSQL connections for `validate --source postgres` and `load-sample`: the server, port and
 * database from the command line, everything else (user, password, SSL) from the standard PG*
 * environment variables (PGUSER, PGPASSWORD, PGSSLMODE, ~/.pgpass...) that the pg client reads,
 * or from a connection string in an environment variable. Credentials are never printed: reports
 * and errors name the server, port and database only.
 */
import { Client, ClientConfig } from "pg";

export interface ConnectionOptions {
    server?: string;
    port?: string;
    database?: string;
    /** The NAME of an environment variable holding a connection string (postgres://user:pass@host/db). */
    urlEnv?: string;
    /** Every transaction read-only (validate): the server refuses any write. */
    readOnly?: boolean;
}

export class ConnectionError extends Error {}

export interface Connection {
    config: ClientConfig;
    /** "PostgreSQL database billing on db01:5432": no user, no password. */
    label: string;
}

export function connectionConfig(options: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): Connection {
    const config: ClientConfig = { application_name: "agency-it-scorecard" };
    if (options.urlEnv) {
        const url = env[options.urlEnv];
        if (!url)
            throw new ConnectionError(
                `The environment variable ${options.urlEnv} (--url-env) is not set: it should hold a connection string such as postgresql://user@host:5432/billing.`,
            );
        config.connectionString = url;
    }
    if (options.server) config.host = options.server;
    if (options.port) {
        const port = Number(options.port);
        if (!Number.isInteger(port) || port < 1 || port > 65535)
            throw new ConnectionError(`Invalid --port "${options.port}": a port number from 1 to 65535.`);
        config.port = port;
    }
    if (options.database) config.database = options.database;
    if (options.readOnly) config.options = "-c default_transaction_read_only=on";
    // The label, from what we were given or the environment the client will read (never the user or password).
    let host = options.server ?? env.PGHOST;
    let port = options.port ?? env.PGPORT;
    let database = options.database ?? env.PGDATABASE;
    if (config.connectionString) {
        try {
            const url = new URL(config.connectionString);
            host ??= url.hostname || undefined;
            port ??= url.port || undefined;
            database ??= url.pathname.replace(/^\//, "") || undefined;
        } catch {
            throw new ConnectionError(
                `The environment variable ${options.urlEnv} does not hold a connection string URL (postgresql://user@host:5432/billing).`,
            );
        }
    }
    if (!database) throw new ConnectionError("No database given: use --database <name> (or PGDATABASE).");
    return { config, label: `PostgreSQL database ${database} on ${host ?? "localhost"}:${port ?? 5432}` };
}

/** Removes anything that looks like a password from an error message before it is shown. */
export function safeMessage(error: unknown, config: ClientConfig): string {
    let message = error instanceof Error ? error.message : String(error);
    const secrets = [typeof config.password === "string" ? config.password : undefined, process.env.PGPASSWORD];
    if (config.connectionString) {
        try {
            secrets.push(decodeURIComponent(new URL(config.connectionString).password));
        } catch {
            /* not a URL */
        }
        secrets.push(config.connectionString);
    }
    for (const secret of secrets) if (secret) message = message.split(secret).join("***");
    return message;
}

/** Connects, or throws a ConnectionError naming the server (not the credentials). */
export async function connect(connection: Connection): Promise<Client> {
    const client = new Client({ ...connection.config, connectionTimeoutMillis: 15_000 });
    try {
        await client.connect();
    } catch (error) {
        await client.end().catch(() => undefined);
        throw new ConnectionError(
            `Cannot connect to the ${connection.label}: ${safeMessage(error, connection.config)}. Set the user and password in PGUSER and PGPASSWORD (or ~/.pgpass).`,
        );
    }
    return client;
}

/** A double-quoted SQL identifier. */
export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
/** A SQL string literal (standard_conforming_strings, the default since PostgreSQL 9.1). */
export const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;
