/** The connector's public API, for scripts that generate a model without the CLI. */
export { TABLES, RELATIONSHIPS, VISUAL_BINDINGS, OTHER_DOCUMENTED_FIELDS } from "./schema";
export { buildModel } from "./model";
export { projectFiles, writeProject } from "./pbip";
export { parseMapping } from "./mapping";
export { run } from "./commands";
