/** @jest-environment node */
import * as fs from "fs";
import * as path from "path";

// `npm ci` (the first step of CI and of the README's quick start) refuses a lock file that leaves
// out any optional dependency of a locked package. See scripts/lock-optional-platforms.mjs.
describe("package-lock.json", () => {
    const lock = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../package-lock.json"), "utf8"));

    it("lists every optional dependency of every locked package, so npm ci accepts it", () => {
        const missing: string[] = [];
        for (const [where, entry] of Object.entries<{ optionalDependencies?: Record<string, string> }>(lock.packages)) {
            for (const name of Object.keys(entry.optionalDependencies ?? {})) {
                if (!lock.packages[`node_modules/${name}`] && !lock.packages[`${where}/node_modules/${name}`])
                    missing.push(`${name} (of ${where})`);
            }
        }
        expect(missing).toEqual([]);
    });

    it("pins the exact powerbi-visuals-api version that pbiviz.json declares", () => {
        const pbiviz = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../pbiviz.json"), "utf8"));
        expect(lock.packages["node_modules/powerbi-visuals-api"].version).toBe(pbiviz.apiVersion);
    });
});
