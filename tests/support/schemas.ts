import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";

/** Microsoft's JSON schemas for Power BI projects, vendored with their licence (tests/schemas/). */
export const SCHEMA_DIR = path.join(__dirname, "..", "schemas");
const SCHEMA_BASE = "https://developer.microsoft.com/json-schemas/";
const EMBEDDED = /schema[-.]embedded\.json$/;

/**
 * An ajv holding every vendored schema under the URL of its path, so relative $refs resolve
 * offline. Microsoft's files call themselves `.../schema.embedded.json` in $id while the schemas
 * that use them reference `.../schema-embedded.json`: each is registered under both names.
 */
export function loadSchemas(): Ajv {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    let count = 0;
    for (const entry of fs.readdirSync(path.join(SCHEMA_DIR, "fabric"), { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !entry.name.endsWith(".json")) continue;
        const file = path.join(entry.parentPath, entry.name);
        const url = `${SCHEMA_BASE}${path.relative(SCHEMA_DIR, file).split(path.sep).join("/")}`;
        const schema = JSON.parse(fs.readFileSync(file, "utf8"));
        const names = new Set(["schema.embedded.json", "schema-embedded.json"].map((n) => url.replace(EMBEDDED, n)));
        for (const name of names) ajv.addSchema({ ...schema, $id: name });
        count++;
    }
    if (count === 0) throw new Error(`No JSON schemas in ${SCHEMA_DIR}: the repository's tests/schemas/ is missing.`);
    return ajv;
}

/** The project's JSON files, which each name their schema: all but the embedded visual and model.bim (TMSL). */
export function schemaBoundFiles(files: ReadonlyMap<string, string>): Array<[string, { $schema?: unknown }]> {
    return [...files]
        .filter(
            ([file]) =>
                /\.(json|pbir|pbism|pbip)$|\.platform$/.test(file) &&
                !file.includes("/CustomVisuals/") &&
                !file.endsWith("model.bim"),
        )
        .map(([file, text]) => [file, JSON.parse(text)]);
}

/** What is wrong with a file against the schema its $schema names: [] when it validates. */
export function schemaProblems(ajv: Ajv, value: { $schema?: unknown }): unknown[] {
    if (typeof value.$schema !== "string") return ["no $schema"];
    const validate = ajv.getSchema(value.$schema);
    if (!validate) return [`no vendored schema ${value.$schema} in tests/schemas/`];
    return validate(value) ? [] : (validate.errors ?? ["invalid"]);
}
