/**
 * @jest-environment node
 *
 * The portal reads the same access table as the model's Agency role, from either billing
 * source: the sample's CSV folder and the same tables loaded into a real PostgreSQL server that
 * this file starts (tests/support/postgres.ts) give the same agencies for every user.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Client } from "pg";
import { startPostgres, type PostgresServer } from "../support/postgres";
import { loadSample } from "../../connector/src/database/loadSample";
import { readCsv } from "../../connector/src/reference";
import { folderAccessTable, postgresAccessTable, type AccessTable } from "../../portal/src/access";

const SAMPLE = path.join(__dirname, "..", "..", "connector", "sample");
const accessRows = readCsv(path.join(SAMPLE, "agency_access.csv"));
const names = new Map(readCsv(path.join(SAMPLE, "agencies.csv")).map((row) => [row.SubAccountId, row.SubAccountName]));
const users = [...new Set(accessRows.map((row) => row.x_UserPrincipalName))];
const expected = (upn: string) =>
    accessRows
        .filter((row) => row.x_UserPrincipalName === upn)
        .map((row) => ({ id: row.SubAccountId, name: names.get(row.SubAccountId) }))
        .sort((a, b) => String(a.name).localeCompare(String(b.name)));

let server: PostgresServer;
let database: AccessTable;
const previousUser = process.env.PGUSER;

beforeAll(async () => {
    // Without the binaries this fails with how to install them (apt-get install -y postgresql).
    server = await startPostgres();
    const admin = new Client({ host: server.host, port: server.port, user: server.user, database: server.database });
    await admin.connect();
    await loadSample(admin, { folder: SAMPLE, schema: "billing", columnTypes: "typed", replace: false });
    await admin.end();
    process.env.PGUSER = server.user;
    database = postgresAccessTable({
        kind: "postgres",
        server: server.host,
        port: String(server.port),
        database: server.database,
        schema: "billing",
    });
}, 60_000);

afterAll(async () => {
    await database?.close();
    server?.stop();
    if (previousUser === undefined) delete process.env.PGUSER;
    else process.env.PGUSER = previousUser;
});

test("the sample lists agency heads, one of them with two agencies", () => {
    expect(users.length).toBeGreaterThanOrEqual(3);
    expect(users.some((upn) => expected(upn).length >= 2)).toBe(true);
});

test.each(users)("%s: the same agencies from the CSV folder and from PostgreSQL", async (upn) => {
    const folder = folderAccessTable(SAMPLE);
    expect(await folder.agenciesOf(upn)).toEqual(expected(upn));
    expect(await database.agenciesOf(upn)).toEqual(expected(upn));
    // USERPRINCIPALNAME() = [UserPrincipalName] compares text case-insensitively in DAX.
    expect(await folder.agenciesOf(upn.toUpperCase())).toEqual(expected(upn));
    expect(await database.agenciesOf(` ${upn.toUpperCase()} `)).toEqual(expected(upn));
});

test("a user the table does not list has no agency in either source; both list the same users", async () => {
    expect(await folderAccessTable(SAMPLE).agenciesOf("stranger@example.gov")).toEqual([]);
    expect(await database.agenciesOf("stranger@example.gov")).toEqual([]);
    expect(await database.agenciesOf("")).toEqual([]);
    expect((await database.users()).sort()).toEqual([...users].sort());
    expect(await folderAccessTable(SAMPLE).users()).toEqual(users);
});

test("the folder is read again when the export rewrites the access table", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ais-portal-access-"));
    try {
        fs.copyFileSync(path.join(SAMPLE, "agencies.csv"), path.join(dir, "agencies.csv"));
        fs.writeFileSync(
            path.join(dir, "agency_access.csv"),
            "x_UserPrincipalName,SubAccountId\nnew.head@example.gov,AG01\n",
        );
        const table = folderAccessTable(dir);
        expect(await table.agenciesOf("new.head@example.gov")).toEqual([{ id: "AG01", name: names.get("AG01") }]);
        fs.writeFileSync(
            path.join(dir, "agency_access.csv"),
            "x_UserPrincipalName,SubAccountId\nnew.head@example.gov,AG02\n",
        );
        const later = new Date(Date.now() + 5000);
        fs.utimesSync(path.join(dir, "agency_access.csv"), later, later);
        expect(await table.agenciesOf("new.head@example.gov")).toEqual([{ id: "AG02", name: names.get("AG02") }]);
        fs.rmSync(path.join(dir, "agency_access.csv"));
        await expect(table.agenciesOf("new.head@example.gov")).rejects.toThrow(
            /The access table is missing: .*agency_access\.csv/,
        );
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});
