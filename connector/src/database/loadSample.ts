/**
 * `load-sample --source postgres`: creates the billing tables of the sample state (or of any
 * folder of CSVs named as the schema's input tables) in a database the user chooses, to try the
 * PostgreSQL path end to end: load-sample, validate --source postgres, generate --source postgres.
 *
 * Columns are named exactly as the schema's input columns (quoted, so their case is kept) and
 * typed (date, numeric, bigint) or, with `--column-types text`, all text as a staging schema
 * would hold them. Existing tables are never touched unless `--replace` is given; everything
 * runs in one transaction, so a failed load leaves the database as it was.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Papa from "papaparse";
import { Client } from "pg";
import { ColumnKind, sourceTables } from "../schema";
import { ident, literal } from "./connection";

export type ColumnTypes = "typed" | "text";

export interface LoadSampleOptions {
    folder: string;
    schema: string;
    columnTypes: ColumnTypes;
    replace: boolean;
}

export class LoadSampleError extends Error {}

const SQL_TYPES: Record<ColumnKind, string> = {
    text: "text",
    int: "bigint",
    number: "double precision",
    currency: "numeric(19, 4)",
    date: "date",
    boolean: "boolean",
};
const BATCH = 5000;

export interface LoadedTable {
    table: string;
    rows: number;
}

export async function loadSample(client: Client, options: LoadSampleOptions): Promise<LoadedTable[]> {
    const tables = sourceTables();
    const files = tables.map((t) => path.join(options.folder, `${t.source}.csv`));
    const absent = files.filter((f) => !fs.existsSync(f));
    if (absent.length > 0)
        throw new LoadSampleError(
            `${options.folder} lacks ${absent.map((f) => path.basename(f)).join(", ")}: load-sample reads <table>.csv for every input table.`,
        );
    await client.query("BEGIN");
    try {
        const existing = await client.query<{ name: string }>(
            "SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = ANY($2)",
            [options.schema, tables.map((t) => t.source as string)],
        );
        if (existing.rows.length > 0 && !options.replace) {
            const names = existing.rows.map((r) => `${options.schema}.${r.name}`).sort();
            throw new LoadSampleError(
                `${names.join(", ")} already exist${names.length === 1 ? "s" : ""}: nothing was changed. Choose another --schema, or give --replace to drop and recreate the sample tables.`,
            );
        }
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(options.schema)}`);
        const loaded: LoadedTable[] = [];
        for (const [i, table] of tables.entries()) {
            const name = `${ident(options.schema)}.${ident(table.source as string)}`;
            if (options.replace) await client.query(`DROP TABLE IF EXISTS ${name}`);
            const parsed = Papa.parse<string[]>(fs.readFileSync(files[i], "utf8").replace(/^\uFEFF/, ""), {
                skipEmptyLines: "greedy",
            });
            const [header = [], ...rows] = parsed.data;
            // The file's columns, as named there: a schema column gets its type, any other is text.
            const kinds = header.map((h) => table.columns.find((c) => c.source === h)?.kind ?? "text");
            const sqlTypes = kinds.map((k) => (options.columnTypes === "text" ? "text" : SQL_TYPES[k]));
            await client.query(
                `CREATE TABLE ${name} (${header.map((h, j) => `${ident(h)} ${sqlTypes[j]}`).join(", ")})`,
            );
            const select = header.map((_, j) =>
                sqlTypes[j] === "text" ? `c${j}` : `NULLIF(btrim(c${j}), '')::${sqlTypes[j]}`,
            );
            for (let start = 0; start < rows.length; start += BATCH) {
                const batch = rows.slice(start, start + BATCH);
                const columns = header.map((_, j) => batch.map((r) => r[j] ?? null));
                try {
                    await client.query(
                        `INSERT INTO ${name} (${header.map(ident).join(", ")}) SELECT ${select.join(", ")} FROM unnest(${header.map((_, j) => `$${j + 1}::text[]`).join(", ")}) AS u(${header.map((_, j) => `c${j}`).join(", ")})`,
                        columns,
                    );
                } catch (error) {
                    throw new LoadSampleError(
                        `Cannot load ${path.basename(files[i])} into ${options.schema}.${table.source} (${(error as Error).message})${options.columnTypes === "typed" ? ": use --column-types text to load values that do not cast, as a staging table would hold them" : ""}. Nothing was changed.`,
                    );
                }
            }
            await client.query(
                `COMMENT ON TABLE ${name} IS ${literal(`Agency IT Scorecard sample: ${table.description}`)}`,
            );
            loaded.push({ table: `${options.schema}.${table.source}`, rows: rows.length });
        }
        await client.query("COMMIT");
        return loaded;
    } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
    }
}
