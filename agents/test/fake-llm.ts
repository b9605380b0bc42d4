import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An OpenAI-compatible `/v1/chat/completions` that streams a canned answer, and records requests. */
export class FakeLlm {
  readonly requests: Array<{ model: string; messages: Array<{ role: string; content: string }> }> = [];
  failWith: number | undefined;

  private constructor(
    private readonly server: Server,
    private readonly pieces: string[],
  ) {}

  static async start(pieces: string[]): Promise<FakeLlm> {
    // eslint-disable-next-line prefer-const -- assigned after the server it serves is created
    let fake!: FakeLlm;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        fake.requests.push(JSON.parse(body));
        if (fake.failWith) {
          res.writeHead(fake.failWith, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ error: { message: 'model overloaded' } }));
        }
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const piece of fake.pieces) {
          const chunk = {
            id: 'c1',
            object: 'chat.completion.chunk',
            created: 0,
            model: 'fake',
            choices: [{ index: 0, delta: { content: piece }, finish_reason: null }],
          };
          res.write(`data: ${JSON.stringify(chunk)}\n\n`);
        }
        res.end('data: [DONE]\n\n');
      });
    });
    fake = new FakeLlm(server, pieces);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get baseURL(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
