import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { bodyParserErrors } from './common/body-parser-errors';
import { rejectDeepJson } from './common/json-depth';
import { createValidationPipe } from './common/validation';
import type { AppConfig } from './config/config';
import { EchoIoAdapter } from './gateway/echo-io.adapter';
import { McpHttpHandler } from './mcp/mcp-http.handler';
import { PinoLoggerService } from './logging/pino-logger.service';
import { requestLogger } from './logging/request-logger';
import { httpTelemetry } from './observability/http-telemetry';
import { HubMetrics } from './observability/hub-metrics';
import { HubTracer } from './observability/hub-tracer';
import { metricsHandler } from './observability/metrics-endpoint';
import { createRootLogger } from './logging/root-logger';

/**
 * Builds the whole application; main.ts and the e2e tests share it so tests run what users run. A test may
 * give the log lines a destination of its own, to read what the hub writes (secrets must never be there).
 */
export async function createApp(
  config: AppConfig,
  opts: { logDestination?: DestinationStream } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  const logger = createRootLogger(config, opts.logDestination);
  app.useLogger(new PinoLoggerService(logger));
  app.use('/api', requestLogger(logger, { successLevel: config.logPretty ? 'debug' : 'info' }));
  const metrics = app.get(HubMetrics);
  app.use('/api', httpTelemetry(metrics, app.get(HubTracer)));
  // On the public port only behind METRICS_TOKEN; with METRICS_PORT alone it is served there instead (MetricsServer).
  if (config.metrics.token !== null && config.metrics.port === null)
    app.use('/metrics', metricsHandler(metrics, config.metrics.token));
  app.useBodyParser('json', { limit: config.bodyLimit });
  app.use(bodyParserErrors);
  app.use(rejectDeepJson);
  app.set('trust proxy', config.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // 'self' includes the same origin's ws:/wss: (CSP Level 3); bare ws:/wss: would allow any host.
          'connect-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'style-src': ["'self'", "'unsafe-inline'"],
          // Plain-HTTP installs on a LAN must keep working; TLS belongs to the load balancer.
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  // MCP Streamable HTTP for assistants and IDEs, outside the /api prefix (docs/mcp.md).
  app.use('/mcp', app.get(McpHttpHandler).handle);
  if (config.corsOrigins.length) app.enableCors({ origin: config.corsOrigins, credentials: true });
  // One-time approval links are pages for people (/a/<token>), not REST: outside /api.
  app.setGlobalPrefix('api', { exclude: [{ path: 'a/:token', method: RequestMethod.ALL }] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();
  const sockets = new EchoIoAdapter(app, config, metrics);
  await sockets.connect();
  app.useWebSocketAdapter(sockets);

  const doc = new DocumentBuilder()
    .setTitle('EchoCenter API')
    .setDescription('REST API of the EchoCenter hub. Real-time events are described in docs/protocol.md.')
    .setVersion('0.1.0')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'Human JWT from POST /api/auth/login, or a personal access token (ecp_…) from POST /api/access-tokens',
      },
      'jwt',
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Agent API token' }, 'agent-token')
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc), {
    jsonDocumentUrl: 'api/docs-json',
  });
  return app;
}
