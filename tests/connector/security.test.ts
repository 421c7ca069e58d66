/** @jest-environment node */
/**
 * Row-level security of the generated model: the Agency and State roles, the access table they
 * read, and the sample's agency heads.
 */
import * as path from "node:path";
import { DefaultSettings, TaskUtils } from "@microsoft/powerquery-parser";
import { ACCESS_TABLE, RELATIONSHIPS, ROLES, TABLES, USER_PRINCIPAL_NAME_PATTERN } from "../../connector/src/schema";
import { buildModel } from "../../connector/src/model";
import { modelToTmdl } from "../../connector/src/tmdl";
import { modelToBim } from "../../connector/src/bim";
import { checkMeasure, daxReferences } from "../../connector/src/dax";
import { references } from "../../connector/src/validate/tables";
import { readCsv } from "../../connector/src/reference";

const SAMPLE = path.join(__dirname, "..", "..", "connector", "sample");
const model = buildModel({ name: "Agency IT Scorecard", source: { kind: "csv", folder: SAMPLE } });
const tmdl = modelToTmdl(model);
const OWN_ROWS = /'Agency Access'\[UserPrincipalName\]\s*=\s*USERPRINCIPALNAME\s*\(\s*\)/;

describe("roles", () => {
    it("are Agency and State, each filter a DAX expression over existing tables and columns", () => {
        expect(ROLES.map((r) => r.name)).toEqual(["Agency", "State"]);
        for (const role of ROLES) {
            for (const permission of role.tablePermissions) {
                expect(TABLES.map((t) => t.name)).toContain(permission.table);
                expect([role.name, permission.table, checkMeasure(permission.filter, TABLES)]).toEqual([
                    role.name,
                    permission.table,
                    [],
                ]);
            }
        }
    });

    it("Agency shows a member only the agencies the access table maps their sign-in name to", () => {
        const agency = ROLES.find((r) => r.name === "Agency");
        const filter = agency?.tablePermissions.find((p) => p.table === "Agencies")?.filter ?? "";
        expect(filter).toMatch(/^Agencies\[SubAccountId\]\s+IN\s+CALCULATETABLE\s*\(/);
        expect(filter).toMatch(OWN_ROWS);
        expect(daxReferences(filter).columns).toEqual([
            { table: "Agencies", column: "SubAccountId" },
            { table: ACCESS_TABLE, column: "SubAccountId" },
            { table: ACCESS_TABLE, column: "UserPrincipalName" },
        ]);
    });

    it("State filters no agency; both roles show a member only their own rows of the access table", () => {
        const state = ROLES.find((r) => r.name === "State");
        expect(state?.tablePermissions.map((p) => p.table)).toEqual([ACCESS_TABLE]);
        for (const role of ROLES) {
            const own = role.tablePermissions.find((p) => p.table === ACCESS_TABLE);
            expect([role.name, own?.filter.replace(/\s+/g, " ")]).toEqual([
                role.name,
                "'Agency Access'[UserPrincipalName] = USERPRINCIPALNAME ()",
            ]);
        }
    });

    it("are written as TMDL role files referenced from model.tmdl, and in model.bim", () => {
        expect(tmdl.get("model.tmdl")).toContain("ref role Agency\nref role State\n");
        const agency = tmdl.get("roles/Agency.tmdl") ?? "";
        expect(agency).toMatch(/^\/\/\/ .+\nrole Agency\n\tmodelPermission: read\n/);
        expect(agency).toContain("\ttablePermission Agencies =\n\t\t\tAgencies[SubAccountId]\n");
        expect(agency).toContain(
            "\ttablePermission 'Agency Access' = 'Agency Access'[UserPrincipalName] = USERPRINCIPALNAME ()\n",
        );
        const bim = modelToBim(model) as {
            model: { roles: Array<{ name: string; modelPermission: string; tablePermissions: { name: string }[] }> };
        };
        expect(bim.model.roles.map((r) => [r.name, r.modelPermission, r.tablePermissions.map((p) => p.name)])).toEqual([
            ["Agency", "read", ["Agencies", ACCESS_TABLE]],
            ["State", "read", [ACCESS_TABLE]],
        ]);
    });
});

describe("the access table", () => {
    const table = TABLES.find((t) => t.name === ACCESS_TABLE);

    it("is loaded from agency_access like the other tables, hidden with its columns", async () => {
        expect(table?.source).toBe("agency_access");
        expect(table?.columns.map((c) => [c.source, c.name, c.hidden])).toEqual([
            ["x_UserPrincipalName", "UserPrincipalName", true],
            ["SubAccountId", "SubAccountId", true],
        ]);
        const text = tmdl.get(`tables/${ACCESS_TABLE}.tmdl`) ?? "";
        expect(text).toMatch(/\ntable 'Agency Access'\n\tlineageTag: [^\n]+\n\tisHidden\n/);
        const partition = model.tables.find((t) => t.name === ACCESS_TABLE)?.partition.expression ?? "";
        expect(partition).toContain('"\\agency_access.csv"');
        expect(TaskUtils.isOk(await TaskUtils.tryLexParse(DefaultSettings, partition))).toBe(true);
    });

    it("has no relationship (only the role filters read it), and the validators check its agencies", () => {
        expect(RELATIONSHIPS.filter((r) => r.fromTable === ACCESS_TABLE || r.toTable === ACCESS_TABLE)).toEqual([]);
        expect(references().get("agency_access")?.get("SubAccountId")).toMatchObject({
            kind: "reference",
            target: "agencies",
            noun: "agency",
        });
    });

    it("in the sample: a few fictional agency heads at example.gov, one with two agencies, one heading State Library", () => {
        const access = readCsv(path.join(SAMPLE, "agency_access.csv"));
        const agencies = new Map(
            readCsv(path.join(SAMPLE, "agencies.csv")).map((a) => [a.SubAccountId, a.SubAccountName]),
        );
        const byUser = new Map<string, string[]>();
        for (const row of access)
            byUser.set(row.x_UserPrincipalName, [...(byUser.get(row.x_UserPrincipalName) ?? []), row.SubAccountId]);
        expect(byUser.size).toBeGreaterThanOrEqual(4);
        expect(byUser.size).toBeLessThanOrEqual(6);
        for (const [user, ids] of byUser) {
            expect(user).toMatch(new RegExp(USER_PRINCIPAL_NAME_PATTERN));
            expect(user.endsWith("@example.gov")).toBe(true);
            for (const id of ids) expect([id, agencies.has(id)]).toEqual([id, true]);
        }
        expect([...byUser.values()].some((ids) => ids.length >= 2)).toBe(true);
        const library = [...byUser.entries()].filter(([, ids]) => ids.includes("AG33"));
        expect(library.length).toBeGreaterThanOrEqual(1);
        expect(agencies.get("AG33")).toBe("State Library");
    });
});

describe("user principal names", () => {
    it.each([
        ["avery.lee@example.gov", true],
        ["jordan.o'neil-smith@agency.example.gov", true],
        ["a_b!c#d^e~f@example.gov", true],
        ["Avery Lee", false],
        [" avery.lee@example.gov", false],
        ["avery.lee@example", false],
        [".avery@example.gov", false],
        ["avery.@example.gov", false],
        ["avery..lee@example.gov", false],
        ["avery@lee@example.gov", false],
        ["", false],
    ])("%j is a user principal name: %s", (value, ok) => {
        expect(new RegExp(USER_PRINCIPAL_NAME_PATTERN).test(value)).toBe(ok);
    });
});
