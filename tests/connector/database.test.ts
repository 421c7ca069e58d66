/**
 * @jest-environment node
 *
 * The PostgreSQL path against a real server that this file starts (tests/support/postgres.ts):
 * load-sample, validate --source postgres compared with the CSV validator on the same rows,
 * read-only validation, connection errors without credentials, and what happens without the
 * PostgreSQL binaries.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Client } from "pg";
import { findPostgresBin, INSTALL_HINT, PostgresServer, startPostgres } from "../support/postgres";
import { runCli } from "../support/cli";
import { validateFolder, ValidationReport } from "../../connector/src/validate";
import { validateDatabase } from "../../connector/src/database/validate";
import { connectionConfig } from "../../connector/src/database/connection";
import { DEFAULT_MAPPING } from "../../connector/src/mapping";
import { sourceTables } from "../../connector/src/schema";
import { buildFolder } from "./validateSupport";

const SAMPLE = path.join(__dirname, "..", "..", "connector", "sample");
// Each test validates whole tables against a real server: on a busy 2-core machine that can
// take longer than jest's 5 s default, which says nothing about the validator being wrong.
jest.setTimeout(60_000);
let server: PostgresServer;
let admin: Client;
let work: string;

beforeAll(async () => {
    // Without the binaries this fails every test of the file with INSTALL_HINT (apt-get install -y postgresql).
    server = await startPostgres();
    admin = new Client({ host: server.host, port: server.port, user: server.user, database: server.database });
    await admin.connect();
    work = fs.mkdtempSync(path.join(os.tmpdir(), "database-test-"));
}, 60_000);

afterAll(async () => {
    await admin?.end();
    server?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const previous = process.env.PGUSER;
    process.env.PGUSER = server.user;
    try {
        return await runCli(...args);
    } finally {
        if (previous === undefined) delete process.env.PGUSER;
        else process.env.PGUSER = previous;
    }
}

const db = (): string[] => [
    "--source",
    "postgres",
    "--server",
    server.host,
    "--port",
    String(server.port),
    "--database",
    server.database,
];

/** What both validators must agree on: verdict, counts per table, and each kind of problem with its count. */
function verdict(report: ValidationReport): object {
    return {
        exitCode: report.exitCode,
        verdict: report.verdict,
        tables: report.tables.map((t) => [t.table, t.status, t.rowsRead, t.accepted, t.quarantined]),
        errors: report.totals.errors,
        warnings: report.totals.warnings,
        groups: report.problems
            .map((g) => `${g.severity} ${g.code} ${g.table}${g.column ? ` ${g.column}` : ""}: ${g.count}`)
            .sort(),
    };
}

async function validateSchema(
    schema: string,
    user = server.user,
    maxExamples?: number,
    smallTableBytes?: number,
): Promise<ValidationReport> {
    const connection = connectionConfig(
        { server: server.host, port: String(server.port), database: server.database, readOnly: true },
        { PGUSER: user },
    );
    const client = new Client({ ...connection.config, user });
    await client.connect();
    try {
        const mapping = {
            ...DEFAULT_MAPPING,
            tables: Object.fromEntries(sourceTables().map((t) => [t.source as string, { schema }])),
        };
        return await validateDatabase(client, { mapping, label: connection.label, maxExamples, smallTableBytes });
    } finally {
        await client.end();
    }
}

/** The sample with one of each problem the validators know, written as CSV files. */
function badFolder(): string {
    const folder = path.join(work, "bad");
    fs.cpSync(SAMPLE, folder, { recursive: true });
    const append = (file: string, lines: string[]): void =>
        fs.appendFileSync(path.join(folder, file), `${lines.join("\n")}\n`);
    append("agencies.csv", ["ag01,Duplicate of AG01 in lower case", "AG99,"]);
    const services = fs.readFileSync(path.join(folder, "services.csv"), "utf8").split("\n");
    services[2] = services[2].replace(/,[^,]*$/, ",n/a"); // a service whose unit rate is not a number: quarantined, and its charges refer to a quarantined row
    fs.writeFileSync(path.join(folder, "services.csv"), services.join("\n"));
    append("charges.csv", [
        "INV-X1,2024-02-30,AG01,Email and Calendar,Usage,1,User-Month,8.00,8.00",
        'INV-X2,2024-02-01,AG01,Email and Calendar,Usage,1,User-Month,"12,34,5",8.00',
        "INV-X3,2024-02-01,AG77,Email and Calendar,Usage,1,User-Month,8.00,8.00",
        "INV-X4,2024-02-01,AG01,Email and Calendar,Refund,1,User-Month,8.00,8.00",
        "INV-X5,2024-02-01,AG01,Email and Calendar,Usage,,User-Month,8.00,8.00",
        "INV-X6,2030-01-01,AG01,Email and Calendar,Usage,1,User-Month,8.00,8.00",
        'INV-X7,2030-01-01,AG02,Email and Calendar,Usage,1,User-Month,"1,234.50",',
        // Edges of the text-column checks (a fast test without a regex, then the regex): both validators must agree.
        "INV-X8,2024-02-01,AG01,Email and Calendar,Usage,-.5,User-Month,8.00,8.00",
        "INV-X9,2024-02-01,AG01,Email and Calendar,Usage,5.,User-Month,8.00,8.00",
        "INV-X10,2024-2-01,AG01,Email and Calendar,Usage,1,User-Month,1-2,8.00",
        "INV-X11,2024-02-29,AG01,Email and Calendar,Usage,1e3,User-Month,-0,8.00",
        "INV-X12,2023-02-29,AG01,Email and Calendar,Usage, 7 ,User-Month,--5,8.00",
        // Outside the Currency type, and within it at the edge: the same verdict in both validators.
        "INV-X13,2024-02-01,AG01,Email and Calendar,Usage,1,User-Month,1E+16,-922337203685477",
        // Outside the Date table (a "no date" stand-in), and its last day: the same verdict in both.
        "INV-X14,9999-12-31,AG01,Email and Calendar,Usage,1,User-Month,8.00,8.00",
        "INV-X15,9998-12-31,AG01,Email and Calendar,Usage,1,User-Month,8.00,8.00",
        // Dates written another way: a US date, an Excel serial number, a date and time.
        "INV-X16,07/01/2024,AG01,Email and Calendar,Usage,1,User-Month,8.00,8.00",
        "INV-X17,45474,AG01,Email and Calendar,Usage,1,User-Month,8.00,8.00",
        "INV-X18,2024-07-01T10:30:00,AG01,Email and Calendar,Usage,1,User-Month,8.00,8.00",
    ]);
    append("headcount.csv", [
        "AG01,2023-07-01,90",
        "AG02,2031-01-01,0",
        "AG03,2031-01-01,12.5",
        "AG04,2031-02-01,-3",
        "AG05,2031-02-01,12345678901234567",
        'AG06,2031-02-01,"1,000"',
    ]);
    append("goals.csv", [
        "G99,T01,Backwards goal,%,10,20,,2025-01-01,2024-01-01",
        "G98,T77,Unknown team,%,1,2,,,",
        "G96,T01,Keep at zero,count,0,0,,2024-01-01,2024-12-31", // target = baseline, no direction
        "G95,T02, open ticket BACKLOG,tickets,1200,600,,2024-01-01,2024-10-31", // T02 has this goal already
        "G94,T03,Zero incidents,count,0,0,lower,2024-01-01,2024-12-31", // target = baseline, with its direction
    ]);
    append("goal_measurements.csv", ["G97,2024-05-31,1"]);
    append("survey_responses.csv", [
        "RX1,AG01,2024-03-03,7,Email and Calendar",
        "RX2,AG01,2024-03-03,4,",
        "rx1,AG01,2024-03-04,4,Email and Calendar",
    ]);
    append("agency_access.csv", [
        "avery.lee@example.gov,AG77",
        "AVERY.LEE@example.gov,ag33",
        "Avery Lee,AG01",
        "jordan.patel@example,AG01",
        ",AG01",
    ]);
    append("follow_ups.csv", [
        "RX404,2024-03-05,Ann Lee,Resolved,,a follow-up on no known response (a warning: kept)",
        "RX2,2024-03-05,Ann Lee,Resolved,,a follow-up on a rating of 4 (a warning)",
        "RX1,2024-03-05,Ann Lee,Resolved,,a follow-up on a quarantined response (a warning: kept)",
        "R00008,2024-03-05,Ann Lee,Resolved,2024-03-01,closed before the contact (an error)",
        "R00008,2024-03-05,Ann Lee,Called back,,an outcome outside the list (a warning)",
    ]);
    append("goal_checkins.csv", ["G404,2024-03-05,On plan.,,,Ann Lee,", "G01,2024-13-05,On plan.,,,Ann Lee,"]);
    return folder;
}

describe("PostgreSQL test server", () => {
    it("runs as an unprivileged user on 127.0.0.1 in a temporary folder", async () => {
        const who = await admin.query(
            "SELECT current_setting('listen_addresses') AS listen, current_setting('data_directory') AS data",
        );
        expect(who.rows[0].listen).toBe("127.0.0.1");
        expect(who.rows[0].data.startsWith(server.dir)).toBe(true);
        if (process.getuid?.() === 0) expect(fs.statSync(path.join(server.dir, "data")).uid).not.toBe(0);
    });

    it("fails saying how to install the binaries when they are missing", async () => {
        expect(findPostgresBin([path.join(work, "nothing-here")])).toBeNull();
        await expect(startPostgres({ searched: [path.join(work, "nothing-here")] })).rejects.toThrow(INSTALL_HINT);
        expect(INSTALL_HINT).toContain("apt-get install -y postgresql");
    });
});

describe("load-sample --source postgres", () => {
    it("creates the eleven sample tables, typed, and refuses to touch them again without --replace", async () => {
        const first = await cli("load-sample", ...db());
        expect(first).toMatchObject({ code: 0, err: "" });
        expect(first.out).toContain("Created 11 tables (typed columns) in schema public");
        expect(first.out).toContain("public.charges: 12,545 rows");
        const types = await admin.query(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'charges' ORDER BY ordinal_position",
        );
        expect(types.rows.map((r) => `${r.column_name} ${r.data_type}`)).toEqual([
            "InvoiceId text",
            "ChargePeriodStart date",
            "SubAccountId text",
            "ServiceName text",
            "ChargeCategory text",
            "PricingQuantity double precision",
            "PricingUnit text",
            "BilledCost numeric",
            "EffectiveCost numeric",
        ]);
        await admin.query("UPDATE public.agencies SET \"SubAccountName\" = 'Changed' WHERE \"SubAccountId\" = 'AG01'");
        const again = await cli("load-sample", ...db());
        expect(again.code).toBe(1);
        expect(again.err).toContain(
            "public.agencies, public.agency_access, public.charges, public.follow_ups, public.goal_checkins, public.goal_measurements, public.goals, public.headcount, public.services, public.survey_responses, public.teams already exist: nothing was changed",
        );
        expect(
            (await admin.query("SELECT count(*) FROM public.agencies WHERE \"SubAccountName\" = 'Changed'")).rows[0]
                .count,
        ).toBe("1");
        const replaced = await cli("load-sample", ...db(), "--replace");
        expect(replaced.code).toBe(0);
        expect(
            (await admin.query("SELECT count(*) FROM public.agencies WHERE \"SubAccountName\" = 'Changed'")).rows[0]
                .count,
        ).toBe("0");
    });

    it("loads text columns for a staging schema, and leaves nothing behind when a typed load fails", async () => {
        expect((await cli("load-sample", ...db(), "--schema", "staging", "--column-types", "text")).code).toBe(0);
        const types = await admin.query(
            "SELECT DISTINCT data_type FROM information_schema.columns WHERE table_schema = 'staging'",
        );
        expect(types.rows.map((r) => r.data_type)).toEqual(["text"]);
        const failed = await cli("load-sample", ...db(), "--schema", "badtyped", "--folder", badFolder());
        expect(failed.code).toBe(1);
        expect(failed.err).toMatch(/Cannot load .*use --column-types text/);
        expect((await admin.query("SELECT count(*) FROM pg_namespace WHERE nspname = 'badtyped'")).rows[0].count).toBe(
            "0",
        );
    });
});

describe("validate --source postgres: the CSV validator's report, computed in SQL", () => {
    beforeAll(async () => {
        await cli("load-sample", ...db(), "--schema", "typed", "--replace");
        await cli("load-sample", ...db(), "--schema", "text", "--column-types", "text", "--replace");
        await cli(
            "load-sample",
            ...db(),
            "--schema",
            "bad",
            "--column-types",
            "text",
            "--folder",
            fs.existsSync(path.join(work, "bad")) ? path.join(work, "bad") : badFolder(),
            "--replace",
        );
    }, 60_000);

    it("agrees with the CSV validator on the sample, typed or text columns", async () => {
        const csv = verdict(await validateFolder({ folder: SAMPLE, mapping: DEFAULT_MAPPING }));
        expect(verdict(await validateSchema("typed"))).toEqual(csv);
        expect(verdict(await validateSchema("text"))).toEqual(csv);
        expect(csv).toMatchObject({ exitCode: 0, warnings: 0 });
    });

    it("agrees with the CSV validator on dates outside the Date table, in date and in text columns", async () => {
        // The corpus case: "no date" stand-ins (0001-01-01, 9999-12-31) and 9999-01-01 quarantined, the span's edges kept.
        const folder = buildFolder("date-outside-date-table", path.join(work, "dates"));
        const csv = await validateFolder({ folder, mapping: DEFAULT_MAPPING });
        expect(csv.problems.map((g) => [g.code, g.count])).toEqual([
            ["outside-date-table", 1],
            ["outside-date-table", 1],
            ["outside-date-table", 1],
        ]);
        for (const types of ["typed", "text"]) {
            const schema = `dates_${types}`;
            const loaded = await cli(
                "load-sample",
                ...db(),
                "--schema",
                schema,
                ...(types === "text" ? ["--column-types", "text"] : []),
                "--folder",
                folder,
                "--replace",
            );
            expect(loaded.code).toBe(0);
            const report = await validateSchema(schema);
            expect(verdict(report)).toEqual(verdict(csv));
            expect(report.problems.flatMap((g) => g.examples.map((p) => p.message))).toEqual(
                csv.problems.flatMap((g) => g.examples.map((p) => p.message)),
            );
        }
    });

    it("agrees with the CSV validator on rows with every kind of problem", async () => {
        const csvReport = await validateFolder({ folder: path.join(work, "bad"), mapping: DEFAULT_MAPPING });
        const dbReport = await validateSchema("bad");
        expect(verdict(dbReport)).toEqual(verdict(csvReport));
        // Text dates looked up in the calendar first (large tables) or only tested as strings (small
        // ones): the same report, examples and messages included.
        const withCalendar = await validateSchema("bad", server.user, 20, 0);
        const withoutCalendar = await validateSchema("bad", server.user, 20, Number.MAX_SAFE_INTEGER);
        expect(withCalendar).toEqual(withoutCalendar);
        expect(verdict(withCalendar)).toEqual(verdict(csvReport));
        const codes = new Set<string>(dbReport.problems.map((g) => g.code));
        for (const code of [
            "duplicate-key",
            "empty-value",
            "bad-number",
            "bad-date",
            "outside-date-table",
            "bad-integer",
            "unknown-reference",
            "not-allowed",
            "bad-rating",
            "users-not-positive",
            "due-before-start",
            "target-equals-baseline",
            "duplicate-goal-name",
            "no-headcount",
            "duplicate-headcount",
            "not-user-principal-name",
            "duplicate-access",
        ]) {
            expect([code, codes.has(code)]).toEqual([code, true]);
        }
    });

    it("prints the validator's report with each bad row's key and reason, and exits 1", async () => {
        const result = await cli("validate", ...db(), "--schema", "bad", "--examples", "2");
        expect(result.code).toBe(1);
        expect(result.err).toBe("");
        expect(result.out).toContain(
            `Validated 11 tables in PostgreSQL database postgres on 127.0.0.1:${server.port} (no mapping file).`,
        );
        expect(result.out).toContain("Every row is accounted for: rows read = accepted + quarantined in each table.");
        expect(result.out).toContain(
            'bad.agencies row SubAccountId "ag01", column SubAccountId: "ag01" is already the agency key of an earlier row as "AG01"; Power BI compares keys ignoring case and surrounding spaces: keys must be unique',
        );
        expect(result.out).toContain(
            'bad.charges row InvoiceId "INV-X1", SubAccountId "AG01", ServiceName "Email and Calendar", ChargePeriodStart "2024-02-30"',
        );
        expect(result.out).toContain('column ChargePeriodStart: "2024-02-30" is not a real date (2024-02 has 29 days)');
        expect(result.out).toContain(
            'bad.survey_responses row x_ResponseId "RX1", column x_Rating: "7" is not a rating from 1 to 5',
        );
        expect(result.out).toMatch(
            /bad\.charges \(ctid \(\d+,\d+\)\), column SubAccountId: AG01 has 1 charge row in 2030-01 and no headcount that month/,
        );
        expect(result.out).toContain(
            'bad.agency_access row x_UserPrincipalName "Avery Lee", SubAccountId "AG01" (ctid (0,10)), column x_UserPrincipalName: "Avery Lee" is not a user principal name',
        );
        expect(result.out).toMatch(/Not clean: [\d,]+ rows quarantined/);
    });

    it("words a date error as the CSV validator does, naming a conversion in the database that reads it", async () => {
        const dateMessages = (report: ValidationReport): Map<string, string> =>
            new Map(
                report.problems
                    .filter((g) => g.code === "bad-date" && g.table === "charges")
                    .flatMap((g) => g.examples)
                    .map((e) => [e.value as string, e.message]),
            );
        const csv = dateMessages(
            await validateFolder({ folder: path.join(work, "bad"), mapping: DEFAULT_MAPPING, maxExamples: 20 }),
        );
        const pg = dateMessages(await validateSchema("bad", server.user, 20));
        expect([...pg.keys()].sort()).toEqual([...csv.keys()].sort());
        // No other way of writing it: the CSV validator's message, word for word.
        expect(pg.get("2024-02-30")).toBe(csv.get("2024-02-30"));
        expect(pg.get("2024-02-30")).toBe('"2024-02-30" is not a real date (2024-02 has 29 days)');
        const looks = {
            "07/01/2024": "a US date, month first",
            "45474": "an Excel serial date, day 45474 = 2024-07-01",
            "2024-07-01T10:30:00": "a date and time",
        };
        for (const [raw, what] of Object.entries(looks)) {
            const message = pg.get(raw) as string;
            // What it looks like is the CSV validator's finding; the fix is the database's.
            expect(message.startsWith(`"${raw}" is not a date written yyyy-MM-dd (it looks like ${what}: `)).toBe(true);
            expect(csv.get(raw)).toContain(what);
            expect(message).toContain(`the mapping's "dateFormat" is read for CSV files only)`);
            // The conversion it names reads the stored value as the date it stands for.
            const convert = /convert it in a view with (.*); the mapping's/.exec(message)?.[1] as string;
            const converted = await admin.query<{ day: string }>(
                `SELECT (${convert})::text AS day FROM bad.charges WHERE "ChargePeriodStart" = $1`,
                [raw],
            );
            expect([raw, converted.rows.map((r) => r.day)]).toEqual([raw, ["2024-07-01"]]);
        }
        expect(pg.get("07/01/2024")).toContain(`to_date("ChargePeriodStart", 'MM/DD/YYYY')`);
    });

    it("refuses keys with surrounding spaces for a DirectQuery model, which relates them as stored", async () => {
        // The text schema with one charge's agency id and one service's key written with spaces.
        await admin.query("CREATE SCHEMA dq");
        for (const t of sourceTables())
            await admin.query(`CREATE TABLE dq.${t.source as string} AS TABLE text.${t.source as string}`);
        const invoice = (await admin.query<{ id: string }>('SELECT min("InvoiceId") AS id FROM dq.charges')).rows[0].id;
        const spaced = await admin.query(
            `UPDATE dq.charges SET "SubAccountId" = ' ' || "SubAccountId" WHERE "InvoiceId" = $1`,
            [invoice],
        );
        expect(spaced.rowCount).toBeGreaterThan(0);
        await admin.query(
            `UPDATE dq.services SET "ServiceName" = "ServiceName" || ' ' WHERE "ServiceName" = 'Email and Calendar'`,
        );
        // Imported, the model's M trims keys as the validator compares them: clean.
        const imported = await cli("validate", ...db(), "--schema", "dq");
        expect(imported.code).toBe(0);
        // The spaced agency id finds its agency and its headcount months, as the CSV validator's trimmed key does.
        expect(imported.out).toContain("Clean: 18,251 rows accepted.");
        expect(imported.out).not.toContain("no headcount");
        const direct = await cli("validate", ...db(), "--schema", "dq", "--mode", "directquery");
        expect(direct.code).toBe(1);
        expect(direct.out).toContain(
            `dq.charges, column SubAccountId: key with surrounding spaces (DirectQuery) (${spaced.rowCount})`,
        );
        expect(direct.out).toMatch(
            /column SubAccountId: " AG\d\d" has surrounding spaces: a DirectQuery model relates keys as they are stored, so it would not match "AG\d\d"; trim the column in the database or in a view \(btrim\("SubAccountId"\)\)/,
        );
        expect(direct.out).toContain("dq.services, column ServiceName: key with surrounding spaces (DirectQuery) (1)");
        // The charges of that service then refer to a quarantined row: quarantined too, as the CSV validator does.
        expect(direct.out).toMatch(/dq\.charges, column ServiceName: refers to an unknown row \([\d,]+\)/);
        expect((await cli("validate", ...db(), "--schema", "dq", "--mode", "live")).err).toContain(
            'Unknown mode "live": use import or directquery',
        );
    });

    it("exits 0 on clean tables and reads another schema with --schema", async () => {
        const result = await cli("validate", ...db(), "--schema", "typed");
        expect(result.code).toBe(0);
        expect(result.out).toContain("Clean: 18,251 rows accepted.");
    });

    it("reports missing tables and columns, including a name PostgreSQL folded to lower case", async () => {
        await admin.query(
            "CREATE SCHEMA partial; CREATE TABLE partial.agencies (\"SubAccountId\" text, subaccountname text); INSERT INTO partial.agencies VALUES ('AG01', 'Revenue')",
        );
        const result = await cli("validate", ...db(), "--schema", "partial");
        expect(result.code).toBe(1);
        expect(result.out).toContain("partial.agencies: required column missing (1)");
        expect(result.out).toContain(
            'required column SubAccountName is missing (the table has "subaccountname": Power Query matches names exactly',
        );
        expect(result.out).toContain("partial.charges: file missing (1)");
        expect(result.out).toContain("the table partial.charges is not in the database");
        expect(result.out).toMatch(/agencies\s+1\s+0\s+1\s+0\s+unusable/);
    });
});

describe("validate --source postgres is read-only", () => {
    it("runs in a read-only transaction on a read-only session: the server refuses writes", async () => {
        const connection = connectionConfig(
            { server: server.host, port: String(server.port), database: server.database, readOnly: true },
            {},
        );
        const client = new Client({ ...connection.config, user: server.user });
        await client.connect();
        try {
            await expect(client.query("CREATE TABLE public.x (a int)")).rejects.toThrow(/read-only transaction/);
            await expect(client.query("INSERT INTO typed.teams VALUES ('T99', 'Nope')")).rejects.toThrow(
                /read-only transaction/,
            );
            await expect(client.query("CREATE TEMP TABLE t (a int)")).rejects.toThrow(/read-only transaction/);
        } finally {
            await client.end();
        }
    });

    it("needs no more than SELECT: a role without write privileges validates the same", async () => {
        await admin.query(
            "CREATE ROLE reader LOGIN; GRANT USAGE ON SCHEMA bad TO reader; GRANT SELECT ON ALL TABLES IN SCHEMA bad TO reader",
        );
        // The earlier tests' writes are counted now, not while validating (a backend may hold its counts up to 10 s).
        await admin.query("SELECT pg_stat_force_next_flush()");
        const before = (
            await admin.query("SELECT sum(n_tup_ins + n_tup_upd + n_tup_del)::text AS writes FROM pg_stat_user_tables")
        ).rows[0].writes;
        const asReader = await validateSchema("bad", "reader");
        expect(verdict(asReader)).toEqual(verdict(await validateSchema("bad")));
        await admin.query("SELECT pg_stat_clear_snapshot()");
        expect(
            (
                await admin.query(
                    "SELECT sum(n_tup_ins + n_tup_upd + n_tup_del)::text AS writes FROM pg_stat_user_tables",
                )
            ).rows[0].writes,
        ).toBe(before);
    });
});

describe("validate --source postgres: usage and connection errors", () => {
    it.each([
        [["--out", "x"], /--out is for CSV exports/],
        [["--folder", "x"], /--folder is for CSV exports/],
        [["--port", "99999"], /Invalid --port "99999"/],
    ])("exits 2 on %j", async (args, message) => {
        const result = await cli("validate", ...db(), ...(args as string[]));
        expect(result.code).toBe(2);
        expect(result.err).toMatch(message);
    });

    it("exits 2 for SQL Server and for CSV options given database options", async () => {
        expect((await cli("validate", "--source", "sqlserver", "--server", "x", "--database", "y")).err).toMatch(
            /not supported yet/,
        );
        expect((await cli("validate", "--folder", SAMPLE, "--server", "x")).err).toMatch(
            /--server is for --source postgres/,
        );
    });

    it("exits 2 when it cannot connect, naming the server but never the password", async () => {
        const previous = process.env.PGPASSWORD;
        process.env.PGPASSWORD = "s3cret-Passw0rd";
        process.env.BILLING_URL = `postgresql://someone:url-Secret-9@127.0.0.1:${server.port}/nosuchdb`;
        try {
            const wrongDb = await cli("validate", "--source", "postgres", "--url-env", "BILLING_URL");
            expect(wrongDb.code).toBe(2);
            expect(wrongDb.err).toContain(
                `Cannot connect to the PostgreSQL database nosuchdb on 127.0.0.1:${server.port}`,
            );
            expect(wrongDb.err).not.toContain("url-Secret-9");
            expect(wrongDb.err).not.toContain("someone:");
            const closed = await cli(
                "validate",
                "--source",
                "postgres",
                "--server",
                "127.0.0.1",
                "--port",
                "1",
                "--database",
                "billing",
            );
            expect(closed.code).toBe(2);
            expect(closed.err).toContain("Cannot connect to the PostgreSQL database billing on 127.0.0.1:1");
            expect(`${closed.err}${wrongDb.err}${closed.out}`).not.toContain("s3cret-Passw0rd");
        } finally {
            if (previous === undefined) delete process.env.PGPASSWORD;
            else process.env.PGPASSWORD = previous;
            delete process.env.BILLING_URL;
        }
    });
});
