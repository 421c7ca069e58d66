import powerbiVisuals from "eslint-plugin-powerbi-visuals";
import tseslint from "typescript-eslint";
import globals from "globals";

export default [
    { ignores: ["node_modules/**", "dist/**", ".tmp/**", "out/**", "coverage/**", "bench/results.json"] },
    // Certification rules apply to every file, the visual's and the tools'.
    powerbiVisuals.configs.recommended,
    ...tseslint.configs.recommended.map((config) => ({ ...config, files: ["**/*.ts"] })),
    {
        files: ["**/*.ts"],
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
        },
    },
    {
        // The connector, the portal's server, tests and scripts run in Node and read and write files the user names,
        // so fs paths are variables by design; the visual itself (src/) never touches fs.
        files: ["connector/**", "tests/**", "scripts/**", "portal/**", "*.js", "*.mjs"],
        languageOptions: { globals: { ...globals.node, ...globals.jest } },
        rules: {
            "powerbi-visuals/non-literal-fs-path": "off",
            "@typescript-eslint/no-require-imports": "off",
        },
    },
    {
        // The portal is a web server with a session cookie and loopback test stand-ins, not a
        // visual: the visual-only bans on cookies and http:// URLs do not apply to it.
        files: ["portal/**", "tests/portal/**"],
        rules: {
            "powerbi-visuals/no-banned-terms": "off",
            "powerbi-visuals/no-http-string": "off",
        },
    },
];
