/**
 * The access table the model's Agency role filters by: which agencies (SubAccountId) each user
 * principal name may see. The portal reads the same table from the same billing source (the
 * export folder's agency_access.csv, or the database table), so the agencies it names in the
 * header and the audit log are the ones row-level security shows.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Client } from "pg";
import { readCsv, type CsvRow } from "../../connector/src/reference";
import { connect, connectionConfig, ident } from "../../connector/src/database/connection";
import { ACCESS_TABLE as ACCESS_TABLE_NAME, findTable } from "../../connector/src/schema";
import type { AccessSource } from "./config";

/** A model column's name in the billing source (the CSV header, the SQL column). */
function sourceColumn(table: string, column: string): string {
    const found = findTable(table).columns.find((c) => c.name === column);
    if (!found) throw new Error(`The schema's ${table} table has no column ${column}`);
    return found.source;
}

/** The access table and the agencies as the billing source names them, from the connector's schema. */
export const ACCESS_TABLE = {
    source: findTable(ACCESS_TABLE_NAME).source as string,
    upn: sourceColumn(ACCESS_TABLE_NAME, "UserPrincipalName"),
    agency: sourceColumn(ACCESS_TABLE_NAME, "SubAccountId"),
} as const;
export const AGENCY_TABLE = {
    source: findTable("Agencies").source as string,
    id: sourceColumn("Agencies", "SubAccountId"),
    name: sourceColumn("Agencies", "AgencyName"),
} as const;

export interface Agency {
    id: string;
    name: string;
}

export interface AccessTable {
    /** The user's agencies, by name; none for a user the table does not list. */
    agenciesOf(upn: string): Promise<Agency[]>;
    /** Every user listed, in the table's order (the demo's picker). */
    users(): Promise<string[]>;
    close(): Promise<void>;
}

// USERPRINCIPALNAME() = [x_UserPrincipalName] in DAX compares text case-insensitively: so does the portal.
const normalize = (upn: string) => upn.trim().toLowerCase();

interface Snapshot {
    access: Array<{ upn: string; agency: string }>;
    names: Map<string, string>;
}

function resolve(snapshot: Snapshot, upn: string): Agency[] {
    const wanted = normalize(upn);
    const ids = [...new Set(snapshot.access.filter((row) => normalize(row.upn) === wanted).map((row) => row.agency))];
    return ids
        .map((id) => ({ id, name: snapshot.names.get(id) ?? id }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The CSV export folder: read again whenever a file changes (a refresh may rewrite it). */
export function folderAccessTable(folder: string): AccessTable {
    const files = [ACCESS_TABLE, AGENCY_TABLE].map((table) => path.join(folder, `${table.source}.csv`));
    let cached: { stamp: string; snapshot: Snapshot } | undefined;
    const load = (): Snapshot => {
        const missing = files.filter((file) => !fs.existsSync(file));
        if (missing.length > 0)
            throw new Error(`The access table is missing: ${missing.join(", ")} (the billing export folder's files).`);
        const stamp = files.map((file) => fs.statSync(file).mtimeMs).join("|");
        if (cached?.stamp !== stamp) {
            const column = (rows: CsvRow[], file: string, name: string) => {
                if (rows.length > 0 && !(name in rows[0])) throw new Error(`${file} has no column ${name}.`);
                return name;
            };
            const accessRows = readCsv(files[0]);
            const agencyRows = readCsv(files[1]);
            const upn = column(accessRows, files[0], ACCESS_TABLE.upn);
            const agency = column(accessRows, files[0], ACCESS_TABLE.agency);
            cached = {
                stamp,
                snapshot: {
                    access: accessRows
                        .map((row) => ({ upn: row[upn].trim(), agency: row[agency].trim() }))
                        .filter((row) => row.upn !== "" && row.agency !== ""),
                    names: new Map(agencyRows.map((row) => [row[AGENCY_TABLE.id], row[AGENCY_TABLE.name]])),
                },
            };
        }
        return cached.snapshot;
    };
    return {
        agenciesOf: async (upn) => resolve(load(), upn),
        users: async () => [...new Set(load().access.map((row) => row.upn))],
        close: async () => undefined,
    };
}

/** The database source: the same tables, read through the connector's connection code (PG* variables). */
export function postgresAccessTable(source: Extract<AccessSource, { kind: "postgres" }>): AccessTable {
    const connection = connectionConfig({ ...source, readOnly: true });
    let client: Promise<Client> | undefined;
    const query = async <T extends object>(sql: string, values: unknown[] = []): Promise<T[]> => {
        client ??= connect(connection).catch((error) => {
            client = undefined;
            throw error;
        });
        return (await (await client).query<T>(sql, values)).rows;
    };
    const access = `${ident(source.schema)}.${ident(ACCESS_TABLE.source)}`;
    const agencies = `${ident(source.schema)}.${ident(AGENCY_TABLE.source)}`;
    return {
        async agenciesOf(upn) {
            const rows = await query<{ id: string; name: string | null }>(
                `SELECT DISTINCT btrim(a.${ident(ACCESS_TABLE.agency)}::text) AS id, g.${ident(AGENCY_TABLE.name)}::text AS name
                 FROM ${access} a LEFT JOIN ${agencies} g ON g.${ident(AGENCY_TABLE.id)}::text = btrim(a.${ident(ACCESS_TABLE.agency)}::text)
                 WHERE lower(btrim(a.${ident(ACCESS_TABLE.upn)}::text)) = $1 AND btrim(a.${ident(ACCESS_TABLE.agency)}::text) <> ''`,
                [normalize(upn)],
            );
            return rows
                .map((row) => ({ id: row.id, name: row.name ?? row.id }))
                .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        },
        async users() {
            const rows = await query<{ upn: string }>(
                `SELECT DISTINCT btrim(${ident(ACCESS_TABLE.upn)}::text) AS upn FROM ${access} ORDER BY 1`,
            );
            return rows.map((row) => row.upn);
        },
        async close() {
            if (client) await (await client).end().catch(() => undefined);
        },
    };
}

export function openAccessTable(source: AccessSource): AccessTable {
    return source.kind === "folder" ? folderAccessTable(source.folder) : postgresAccessTable(source);
}
