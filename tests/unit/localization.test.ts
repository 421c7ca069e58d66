import * as fs from "fs";
import * as path from "path";
import { englishStrings } from "../../src/data/strings";
import { VisualSettings } from "../../src/settings";

const root = path.resolve(__dirname, "../..");
const locales = fs.readdirSync(path.join(root, "stringResources"));
const resources = (locale: string): Record<string, string> =>
    JSON.parse(fs.readFileSync(path.join(root, "stringResources", locale, "resources.resjson"), "utf8"));

/** Every displayNameKey / descriptionKey in capabilities.json. */
function capabilityKeys(): string[] {
    const keys: string[] = [];
    const walk = (node: unknown) => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (node && typeof node === "object") {
            for (const [name, value] of Object.entries(node)) {
                if ((name === "displayNameKey" || name === "descriptionKey") && typeof value === "string")
                    keys.push(value);
                else walk(value);
            }
        }
    };
    walk(JSON.parse(fs.readFileSync(path.join(root, "capabilities.json"), "utf8")));
    return keys;
}

/** Every displayNameKey of the Format pane model: its groups are in no capabilities.json object. */
function formatPaneKeys(): string[] {
    const keys: string[] = [];
    const seen = new Set<unknown>();
    const walk = (node: unknown) => {
        if (!node || typeof node !== "object" || seen.has(node)) return;
        seen.add(node);
        for (const [name, value] of Object.entries(node)) {
            if (name === "displayNameKey" && typeof value === "string") keys.push(value);
            else walk(value);
        }
    };
    walk(new VisualSettings());
    return keys;
}

describe("localization", () => {
    it("ships en-US and es-ES", () => {
        expect(locales).toEqual(expect.arrayContaining(["en-US", "es-ES"]));
    });

    it("gives every role, object, property and enum value a displayNameKey", () => {
        const capabilities = JSON.parse(fs.readFileSync(path.join(root, "capabilities.json"), "utf8"));
        for (const role of capabilities.dataRoles)
            expect([role.name, typeof role.displayNameKey]).toEqual([role.name, "string"]);
        for (const [name, object] of Object.entries<{
            displayNameKey?: string;
            properties: Record<string, { displayNameKey?: string }>;
        }>(capabilities.objects)) {
            expect([name, typeof object.displayNameKey]).toEqual([name, "string"]);
            for (const [property, definition] of Object.entries(object.properties)) {
                expect([`${name}.${property}`, typeof definition.displayNameKey]).toEqual([
                    `${name}.${property}`,
                    "string",
                ]);
            }
        }
    });

    it.each(locales)("translates every key the visual uses into %s", (locale) => {
        const strings = resources(locale);
        const missing = [...capabilityKeys(), ...formatPaneKeys(), ...Object.keys(englishStrings)].filter(
            (key) => !strings[key]?.trim(),
        );
        expect(missing).toEqual([]);
    });

    it("keeps en-US resources equal to the texts the visual falls back to", () => {
        const strings = resources("en-US");
        for (const [key, text] of Object.entries(englishStrings)) expect([key, strings[key]]).toEqual([key, text]);
    });

    it("has no keys in one locale that the other lacks", () => {
        const [first, ...others] = locales.map((locale) => Object.keys(resources(locale)).sort());
        for (const keys of others) expect(keys).toEqual(first);
    });
});
