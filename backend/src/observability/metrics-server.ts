import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { HubMetrics } from './hub-metrics';
import { metricsHandler } from './metrics-endpoint';

/**
 * METRICS_PORT: /metrics on a port of its own, bound to METRICS_HOST (loopback by default), so the
 * public port never serves it and a scraper on the same host or network namespace needs no token.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: Server | null = null;
  private readonly logger = new Logger('Metrics');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: HubMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { port, host, token } = this.config.metrics;
    if (port === null) return;
    const handle = metricsHandler(this.metrics, token);
    const server = createServer((req, res) =>
      req.url?.split('?')[0] === '/metrics' ? handle(req, res) : res.writeHead(404).end(),
    );
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
    this.server = server;
    this.logger.log(`metrics on http://${host}:${(server.address() as AddressInfo).port}/metrics`);
  }

  /** Where it listens (null when METRICS_PORT is unset). */
  address(): AddressInfo | null {
    return (this.server?.address() as AddressInfo | null) ?? null;
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }
}
