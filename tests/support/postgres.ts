/**
 * A throwaway PostgreSQL server for tests and the bench: initdb into a temporary folder, start it
 * on 127.0.0.1 and a free port (unix socket in the same folder), connect as the `postgres`
 * superuser with trust auth, and stop and remove everything afterwards. As root (initdb refuses
 * root) the server runs as the unprivileged user `nobody` through runuser or setpriv.
 *
 * The binaries come from $PG_BIN, then Debian's /usr/lib/postgresql/<version>/bin (newest first,
 * not on PATH), then PATH. Without them, startPostgres throws a message saying how to install them.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";

export const INSTALL_HINT =
    "PostgreSQL server binaries (initdb, pg_ctl) were not found: install them with `apt-get install -y postgresql` (Debian; they land in /usr/lib/postgresql/<version>/bin), or set PG_BIN to their folder";

export interface PostgresServer {
    host: string;
    port: number;
    user: string;
    database: string;
    /** Folder holding the data directory, socket and log. */
    dir: string;
    version: string;
    stop(): void;
}

function executable(file: string): boolean {
    try {
        fs.accessSync(file, fs.constants.X_OK);
        return true;
    } catch {
        return false;
    }
}

function defaultSearch(): string[] {
    const candidates: string[] = [];
    if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
    const debian = "/usr/lib/postgresql";
    if (fs.existsSync(debian)) {
        const versions = fs
            .readdirSync(debian)
            .filter((v) => /^\d+(\.\d+)?$/.test(v))
            .sort((a, b) => Number(b) - Number(a));
        for (const v of versions) candidates.push(path.join(debian, v, "bin"));
    }
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) if (dir) candidates.push(dir);
    return candidates;
}

/** The folder holding initdb, pg_ctl and postgres (searched: $PG_BIN, Debian's folders, PATH), or null. */
export function findPostgresBin(searched: string[] = defaultSearch()): string | null {
    const candidates = searched;
    for (const dir of candidates) {
        const initdb = path.join(dir, "initdb");
        if (!executable(initdb) || !executable(path.join(dir, "pg_ctl"))) continue;
        // /usr/local/bin/initdb may be a symlink into the real folder, where postgres lives too.
        const real = path.dirname(fs.realpathSync(initdb));
        if (executable(path.join(real, "postgres"))) return real;
    }
    return null;
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.on("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const port = (server.address() as net.AddressInfo).port;
            server.close(() => resolve(port));
        });
    });
}

/** Runs a command as `user` (null: as ourselves); throws with its output when it fails. */
function runAs(user: string | null, command: string, args: string[]): string {
    let file = command;
    let argv = args;
    if (user) {
        if (fs.existsSync("/usr/sbin/runuser") || fs.existsSync("/sbin/runuser")) {
            file = "runuser";
            argv = ["-u", user, "--", command, ...args];
        } else {
            file = "setpriv";
            const uid = spawnSync("id", ["-u", user], { encoding: "utf8" }).stdout.trim();
            const gid = spawnSync("id", ["-g", user], { encoding: "utf8" }).stdout.trim();
            argv = [`--reuid=${uid}`, `--regid=${gid}`, "--clear-groups", command, ...args];
        }
    }
    const result = spawnSync(file, argv, { encoding: "utf8", env: { ...process.env, LC_ALL: "C" } });
    if (result.status !== 0)
        throw new Error(
            `${command} ${args.join(" ")} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}${result.stderr}`,
        );
    return result.stdout;
}

export interface StartOptions {
    /** Extra server settings, e.g. { work_mem: "64MB" }. */
    settings?: Record<string, string>;
    /** Folders to look for the binaries in (default: $PG_BIN, Debian's, PATH). */
    searched?: string[];
}

export async function startPostgres(options: StartOptions = {}): Promise<PostgresServer> {
    const bin = findPostgresBin(options.searched);
    if (!bin) throw new Error(INSTALL_HINT);
    const asRoot = process.getuid?.() === 0;
    const user = asRoot ? "nobody" : null;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pg-test-"));
    const data = path.join(dir, "data");
    const socket = path.join(dir, "socket");
    fs.mkdirSync(socket);
    if (asRoot) {
        fs.chmodSync(dir, 0o755);
        const uid = Number(spawnSync("id", ["-u", "nobody"], { encoding: "utf8" }).stdout.trim());
        const gid = Number(spawnSync("id", ["-g", "nobody"], { encoding: "utf8" }).stdout.trim());
        fs.chownSync(socket, uid, gid);
        fs.mkdirSync(data, { mode: 0o700 });
        fs.chownSync(data, uid, gid);
        fs.writeFileSync(path.join(dir, "server.log"), "");
        fs.chownSync(path.join(dir, "server.log"), uid, gid);
    }
    const stop = (): void => {
        process.removeListener("exit", stop);
        if (fs.existsSync(path.join(data, "postmaster.pid"))) {
            try {
                runAs(user, path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
            } catch {
                /* removed below anyway */
            }
        }
        fs.rmSync(dir, { recursive: true, force: true });
    };
    // A script that dies before calling stop() still stops its server (the server outlives a killed parent otherwise).
    process.once("exit", stop);
    try {
        runAs(user, path.join(bin, "initdb"), [
            "-D",
            data,
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        ]);
        const port = await freePort();
        const settings: Record<string, string> = {
            listen_addresses: "127.0.0.1",
            port: String(port),
            unix_socket_directories: socket,
            fsync: "off",
            synchronous_commit: "off",
            full_page_writes: "off",
            ...options.settings,
        };
        const serverOptions = Object.entries(settings)
            .map(([k, v]) => `-c ${k}=${v}`)
            .join(" ");
        runAs(user, path.join(bin, "pg_ctl"), [
            "-D",
            data,
            "-l",
            path.join(dir, "server.log"),
            "-o",
            serverOptions,
            "-w",
            "-t",
            "60",
            "start",
        ]);
        const version = runAs(user, path.join(bin, "postgres"), ["--version"]).trim();
        return { host: "127.0.0.1", port, user: "postgres", database: "postgres", dir, version, stop };
    } catch (error) {
        const log = path.join(dir, "server.log");
        const tail = fs.existsSync(log) ? fs.readFileSync(log, "utf8").slice(-2000) : "";
        stop();
        throw new Error(`${(error as Error).message}${tail ? `\nserver log:\n${tail}` : ""}`);
    }
}
