import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/config';
import { createApp } from './app.factory';
import { startBanner } from './bootstrap/start-banner';
import { FleetService } from './fleet/fleet.service';
import { installGracefulShutdown } from './lifecycle/graceful-shutdown';
import { McpBridgeLauncher } from './mcp-servers/mcp-bridge-launcher';
import { McpServersService } from './mcp-servers/mcp-servers.service';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  installGracefulShutdown(app);
  await app.listen(config.port, config.host);
  await app.get(FleetService).start(`http://127.0.0.1:${config.port}`);
  // The MCP servers admins added run as bridge processes on this node (unless MCP_BRIDGES=off).
  if (app.get(McpBridgeLauncher).enable(`http://127.0.0.1:${config.port}`)) await app.get(McpServersService).startAll();
  // Last, so start-up lines never push it out of view.
  process.stdout.write(startBanner(config, process.stdout.isTTY === true));
}

main().catch((err: unknown) => {
  process.stderr.write(
    (err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)) + '\n',
  );
  process.exit(1);
});
