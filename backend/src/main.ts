import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/config';
import { createApp } from './app.factory';
import { startBanner } from './bootstrap/start-banner';
import { FleetService } from './fleet/fleet.service';
import { installGracefulShutdown } from './lifecycle/graceful-shutdown';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  installGracefulShutdown(app);
  await app.listen(config.port, config.host);
  await app.get(FleetService).start(`http://127.0.0.1:${config.port}`);
  // Last, so start-up lines never push it out of view.
  process.stdout.write(startBanner(config, process.stdout.isTTY === true));
}

main().catch((err: unknown) => {
  process.stderr.write((err instanceof ConfigError ? err.message : err instanceof Error ? err.stack ?? err.message : String(err)) + '\n');
  process.exit(1);
});
