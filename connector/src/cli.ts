/** Command-line entry: `npm run connector -- <command> ...` (see commands.ts for the usage). */
import { run } from "./commands";

void run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
});
