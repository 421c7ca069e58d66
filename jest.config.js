/**
 * Unit tests run in jsdom; d3 and the powerbi-visuals-utils packages ship ESM, so they are transformed too,
 * as are @fastify/cookie (it loads the ESM-only cookie package with import(), which jest's CommonJS runtime
 * cannot run) and that cookie package.
 */
module.exports = {
    testEnvironment: "jsdom",
    roots: ["<rootDir>/tests"],
    testMatch: ["**/*.test.ts"],
    transform: {
        "^.+\\.(ts|js|mjs)$": [
            "@swc/jest",
            { jsc: { target: "es2022", parser: { syntax: "typescript" } }, module: { type: "commonjs" } },
        ],
    },
    transformIgnorePatterns: [
        "/node_modules/(?!(d3-[^/]+|internmap|lodash-es|powerbi-visuals-utils-[^/]+|@fastify/cookie|cookie)/)",
    ],
    moduleNameMapper: { "\\.(less|css)$": "<rootDir>/tests/support/styleStub.js" },
    setupFilesAfterEnv: ["<rootDir>/tests/support/failOnConsole.ts"],
    maxWorkers: 2,
};
