// Keeps package-lock.json usable by `npm ci` on every machine. The registry mirror this project is
// built against does not serve some optional platform binaries (macOS, Windows, other CPUs) of
// @swc/core and unrs-resolver, so `npm install` here leaves them out of the lock, and `npm ci`
// then refuses the lock as out of sync. This adds each missing optional dependency as an optional
// entry limited to its platform: Linux x64 skips it; other platforms fetch it by name and version.
// Run it after `npm install` changes the lock: `node scripts/lock-optional-platforms.mjs`.
import { readFileSync, writeFileSync } from "node:fs";

const platforms = ["darwin", "win32", "linux", "android", "freebsd", "openharmony"];
const cpus = ["arm64", "x64", "ia32", "ppc64", "s390x", "riscv64", "loong64", "arm"];

export function addMissingOptionalPlatforms(lock) {
    const added = [];
    for (const entry of Object.values(lock.packages)) {
        for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
            const key = `node_modules/${name}`;
            if (lock.packages[key]) continue;
            const stub = { version, dev: true, optional: true };
            const os = platforms.find((platform) => name.includes(platform));
            const cpu = name.includes("wasm32") ? "wasm32" : cpus.find((arch) => name.includes(`-${arch}`));
            if (os) stub.os = [os];
            if (cpu) stub.cpu = [cpu];
            if (name.includes("musl")) stub.libc = ["musl"];
            else if (name.includes("-gnu")) stub.libc = ["glibc"];
            lock.packages[key] = stub;
            added.push(`${name}@${version}`);
        }
    }
    lock.packages = Object.fromEntries(
        Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b, "en"))),
    );
    return added;
}

if (import.meta.url === `file://${process.argv[1]}`) {
    const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
    const added = addMissingOptionalPlatforms(lock);
    writeFileSync("package-lock.json", `${JSON.stringify(lock, null, 2)}\n`);
    console.log(
        added.length
            ? `Added ${added.length} optional platform entries:\n  ${added.join("\n  ")}`
            : "package-lock.json lists every optional platform package.",
    );
}
