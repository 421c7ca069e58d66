/** Command-line entry: `npm run connector -- <command> ...` (see commands.ts for the usage). */
import { run } from "./commands";

process.exitCode = run(process.argv.slice(2));
