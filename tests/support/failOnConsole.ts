// A visual must never log errors or warnings for any input: any console.error or console.warn
// during a test fails it.
const logged: string[] = [];
const original = { error: console.error, warn: console.warn };

beforeEach(() => {
    logged.length = 0;
    console.error = (...args: unknown[]) => {
        logged.push(`console.error: ${args.map(String).join(" ")}`);
    };
    console.warn = (...args: unknown[]) => {
        logged.push(`console.warn: ${args.map(String).join(" ")}`);
    };
});

afterEach(() => {
    console.error = original.error;
    console.warn = original.warn;
    if (logged.length > 0) throw new Error(`The test logged:\n${logged.join("\n")}`);
});
