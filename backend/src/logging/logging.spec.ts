import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { PinoLoggerService } from './pino-logger.service';
import { requestLogger } from './request-logger';
import { createRootLogger } from './root-logger';
import { startBanner } from '../bootstrap/start-banner';

/** A pino destination that keeps every line, parsed. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  return { lines, stream: { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) } };
}

describe('PinoLoggerService', () => {
  it("writes Nest's log calls as pino lines with their context, level and errors", () => {
    const { lines, stream } = capture();
    const service = new PinoLoggerService(createRootLogger({ logLevel: 'debug', logPretty: false }, stream));
    const nest = new Logger('Gateway');
    Logger.overrideLogger(service);
    try {
      nest.log('listening');
      nest.warn({ sockets: 3 });
      nest.error('turn failed', 'Error: boom\n    at turn (butler.ts:1:1)');
      nest.error(new Error('broken pipe'));
      nest.verbose('too chatty');
      service.error('no context', 'Error: bare\n    at x (y.ts:1:1)');
    } finally {
      Logger.overrideLogger(true);
    }
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({ level: 30, context: 'Gateway', msg: 'listening' });
    expect(lines[1]).toMatchObject({ level: 40, context: 'Gateway', sockets: 3 });
    expect(lines[2]).toMatchObject({
      level: 50,
      context: 'Gateway',
      msg: 'turn failed',
      err: { stack: expect.stringContaining('at turn') },
    });
    expect(lines[3]).toMatchObject({ level: 50, context: 'Gateway', err: { message: 'broken pipe' } });
    // verbose maps to trace, below the debug level: not written.
    expect(lines[4]).toMatchObject({ level: 50, msg: 'no context', err: { stack: expect.stringContaining('at x') } });
    expect(lines[4]).not.toHaveProperty('context');
  });
});

describe('start-up at info', () => {
  it("keeps Nest's module and route lines at debug and everything else at its level", () => {
    const { lines, stream } = capture();
    const service = new PinoLoggerService(createRootLogger({ logLevel: 'info', logPretty: false }, stream));
    Logger.overrideLogger(service);
    try {
      new Logger('InstanceLoader').log('AppModule dependencies initialized');
      new Logger('RouterExplorer').log('Mapped {/api/agents, GET} route');
      new Logger('Fleet').log('demo fleet started');
      new Logger('InstanceLoader').error('cannot resolve a dependency');
    } finally {
      Logger.overrideLogger(true);
    }
    expect(lines.map((l) => l.msg)).toEqual(['demo fleet started', 'cannot resolve a dependency']);
  });

  it('prints the banner with the console, Swagger and the login, and warns while the default password is in use', () => {
    const banner = startBanner({
      port: 3000,
      admin: { username: 'admin', password: 'admin123', isDefaultPassword: true },
    });
    expect(banner).toContain('console  http://localhost:3000/');
    expect(banner).toContain('swagger  http://localhost:3000/api/docs');
    expect(banner).toContain('login    admin / admin123');
    expect(banner).toMatch(/default admin password is in use/);
    const safe = startBanner({
      port: 8080,
      admin: { username: 'root', password: 's3cret-pass', isDefaultPassword: false },
    });
    expect(safe).toContain('login    root / (ADMIN_PASSWORD)');
    expect(safe).not.toMatch(/s3cret-pass|default admin password/);
  });
});

describe('requestLogger', () => {
  let server: Server;
  const { lines, stream } = capture();

  beforeAll(async () => {
    const log = requestLogger(createRootLogger({ logLevel: 'info', logPretty: false }, stream));
    server = createServer((req, res) =>
      log(req, res, () => res.writeHead(req.url === '/api/missing' ? 404 : 200).end('ok')),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const get = (path: string) =>
    new Promise<void>((resolve, reject) => {
      const { port } = server.address() as AddressInfo;
      request(
        { host: '127.0.0.1', port, path, headers: { authorization: 'Bearer ec_secret-token', cookie: 'sid=secret' } },
        (res) => res.resume().on('end', resolve),
      )
        .on('error', reject)
        .end();
    });

  it('logs one line per request with method, url and status, never headers, and skips the health probe', async () => {
    await get('/api/agents');
    await get('/api/health');
    await get('/api/missing');
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => [(l.req as { url: string }).url, (l.res as { statusCode: number }).statusCode])).toEqual([
      ['/api/agents', 200],
      ['/api/missing', 404],
    ]);
    expect(lines[0]).toMatchObject({ msg: 'request completed', req: { method: 'GET' } });
    expect(JSON.stringify(lines)).not.toMatch(/secret/);
  });

  it('in a terminal (successLevel debug) shows failed requests only', async () => {
    const quiet = capture();
    const log = requestLogger(createRootLogger({ logLevel: 'info', logPretty: false }, quiet.stream), {
      successLevel: 'debug',
    });
    const srv = createServer((req, res) =>
      log(req, res, () =>
        res.writeHead(req.url === '/api/missing' ? 404 : req.url === '/api/boom' ? 500 : 200).end('ok'),
      ),
    );
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const { port } = srv.address() as AddressInfo;
      for (const path of ['/api/agents', '/api/missing', '/api/boom']) {
        await new Promise<void>((resolve, reject) =>
          request({ host: '127.0.0.1', port, path }, (res) => res.resume().on('end', resolve))
            .on('error', reject)
            .end(),
        );
      }
      await new Promise((r) => setImmediate(r));
    } finally {
      await new Promise<void>((r) => srv.close(() => r()));
    }
    expect(quiet.lines.map((l) => [(l.req as { url: string }).url, l.level])).toEqual([
      ['/api/missing', 30],
      ['/api/boom', 50],
    ]);
  });

  it('never logs a token from the query string (plain WebSocket agents may send ?token=)', async () => {
    lines.length = 0;
    await get('/api/ws?token=ec_query-secret&x=1');
    await get('/api/ws?a=b&TOKEN=ec_query-secret');
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => (l.req as { url: string }).url)).toEqual([
      '/api/ws?token=[redacted]&x=1',
      '/api/ws?a=b&TOKEN=[redacted]',
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/secret/);
  });
});
