import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Answer {
  status: number;
  body?: string;
}

export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  json: any;
  /** The status this receiver answered with. */
  answered: number;
}

/**
 * A local HTTP server that records every POST (raw body kept for signature checks). `failFirst` answers
 * 503 to that many requests before answering 200; `answer` overrides the status and body per request
 * (and may hold the answer back, to keep a try in flight).
 */
export async function startWebhookReceiver(
  opts: { failFirst?: number; answer?: (r: Omit<Received, 'answered'>) => Answer | Promise<Answer> } = {},
) {
  const received: Received[] = [];
  /** Every request as it arrives, before it is answered. */
  const arrivals: Omit<Received, 'answered'>[] = [];
  let failures = opts.failFirst ?? 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
      const seen = { path: req.url ?? '', headers: req.headers, body, json };
      arrivals.push(seen);
      const reply =
        (await opts.answer?.(seen)) ??
        (failures-- > 0 ? { status: 503, body: 'try later' } : { status: 200, body: 'ok' });
      received.push({ ...seen, answered: reply.status });
      res.writeHead(reply.status, { 'content-type': 'text/plain' }).end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    arrivals,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
