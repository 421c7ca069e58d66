/** Command-line entry: `npm run connector -- <command> ...` (see commands.ts for the usage). */
import { runAsync } from "./commands";

void runAsync(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
});
