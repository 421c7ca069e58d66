/**
 * `npm run portal`: the agency heads' portal. Configuration from environment variables (see
 * portal/README.md); with no AZURE_TENANT_ID, the local demo on the sample data.
 */
import { openAccessTable, folderAccessTable } from "./src/access";
import { ConfigError, readConfig } from "./src/config";
import { buildPortal } from "./src/server";

async function main() {
    let config;
    try {
        config = readConfig();
    } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        console.error(`Portal configuration: ${error.message} See portal/README.md.`);
        process.exit(2);
    }
    const access = config.mode === "demo" ? folderAccessTable(config.folder) : openAccessTable(config.access);
    const app = await buildPortal(config, { access, logStream: process.stdout });
    const address = await app.listen({ host: config.listen.host, port: config.listen.port });
    const shown = address.replace("0.0.0.0", "localhost");
    console.error(
        config.mode === "demo"
            ? `Portal demo (the sample data, not Power BI): ${shown}`
            : `Portal for report ${config.reportId}: ${shown} (public address ${config.publicUrl})`,
    );
    for (const signal of ["SIGINT", "SIGTERM"] as const)
        process.once(signal, () => {
            void app.close().then(() => process.exit(0));
        });
}

main().catch((error) => {
    console.error(`Portal failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
});
