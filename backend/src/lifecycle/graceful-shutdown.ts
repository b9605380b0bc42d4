import type { INestApplication } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { DrainGateway } from './drain.gateway';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';

/**
 * For main.ts only (tests close their apps themselves). Nest's own shutdown hooks (enableShutdownHooks)
 * run the close sequence on SIGTERM/SIGINT; this listener goes first so the node stops accepting before
 * any module starts tearing down, and arms a deadline so a stuck shutdown still ends the process.
 */
export function installGracefulShutdown(app: INestApplication): void {
  const { timeoutMs } = app.get<AppConfig>(APP_CONFIG).shutdown;
  const logger = new Logger('Shutdown');
  const onSignal = (signal: NodeJS.Signals) => {
    logger.log(`${signal}: draining (exit within ${timeoutMs} ms)`);
    app.get(DrainGateway).begin();
    const deadline = setTimeout(() => {
      logger.error(`shutdown took longer than ${timeoutMs} ms; exiting now`);
      process.exit(1);
    }, timeoutMs);
    deadline.unref();
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.prependOnceListener(signal, onSignal);
}
