import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

interface TraceExport {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: { name: string; attributes: unknown[] }[] }[];
  }[];
}

/**
 * The hub's OTLP/HTTP exporter against a fake collector on loopback: JSON to <endpoint>/v1/traces, the
 * service and node named, flushed at shutdown. It runs in a child process (otlp-export-child.ts): the
 * exporter loads `http` with `import()`, which Jest's CommonJS sandbox cannot run. Which spans the hub makes
 * is tracing.e2e-spec.ts's subject.
 */
describe('tracing over OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  let collector: Server;
  let url: string;
  const received: { path: string; type: string; body: TraceExport }[] = [];

  beforeAll(async () => {
    collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          path: req.url ?? '',
          type: String(req.headers['content-type']),
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as TraceExport,
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => collector?.close(resolve));
  });

  it('posts the spans as JSON to /v1/traces, naming the service and the node, before the process ends', async () => {
    const child = spawn(
      process.execPath,
      [require.resolve('tsx/cli'), join(__dirname, 'fakes', 'otlp-export-child.ts'), `${url}/`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ path: '/v1/traces', type: expect.stringContaining('application/json') });
    const [rs] = received[0].body.resourceSpans;
    expect(Object.fromEntries(rs.resource.attributes.map((a) => [a.key, a.value.stringValue]))).toMatchObject({
      'service.name': 'echocenter-e2e',
      'service.instance.id': 'node-otlp',
    });
    expect(rs.scopeSpans[0].spans[0]).toMatchObject({
      name: 'GET /api/agents',
      attributes: [{ key: 'http.route', value: { stringValue: '/api/agents' } }],
    });
  }, 30000);
});
