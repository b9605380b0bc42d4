import WebSocket from 'ws';

/**
 * A minimal Socket.IO v4 client (websocket transport, default namespace) for load generation: a few
 * hundred bytes per connection and no per-event allocations beyond the frame, so one generator process
 * can drive far more sockets and messages than socket.io-client could on a 2-core box.
 */
export class RawClient {
  private ws: WebSocket | null = null;
  private nextAck = 0;
  private readonly acks = new Map<number, (payload: unknown) => void>();
  onEvent: ((event: string, payload: unknown) => void) | null = null;
  /** When set, events are counted raw (no JSON parsing) and raw acks resolve with ok: boolean. */
  onRawEvent: ((frame: string) => void) | null = null;
  private readonly rawAcks = new Set<number>();
  connected = false;

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly localAddress?: string,
  ) {}

  connect(timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${this.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, {
        perMessageDeflate: false,
        localAddress: this.localAddress,
      });
      this.ws = ws;
      const timer = setTimeout(() => (ws.terminate(), reject(new Error('connect timeout'))), timeoutMs);
      ws.on('error', (err) => (clearTimeout(timer), reject(err)));
      ws.on('close', () => (this.connected = false));
      ws.on('message', (buf: Buffer) => {
        const msg = buf.toString();
        switch (msg[0]) {
          case '0':
            ws.send(`40${JSON.stringify({ token: this.token })}`);
            return;
          case '2':
            ws.send('3');
            return;
          case '4':
            return this.onPacket(msg, (err) => {
              clearTimeout(timer);
              if (err) reject(err);
              else resolve();
            });
        }
      });
    });
  }

  /** Sends an event with an ack; resolves with the ack payload. */
  emitWithAck(event: string, payload: unknown): Promise<any> {
    const id = this.nextAck++;
    return new Promise((resolve) => {
      this.acks.set(id, resolve);
      this.ws!.send(`42${id}${JSON.stringify([event, payload])}`);
    });
  }

  /**
   * The load generator's path: the frame body is pre-serialized (`["chat:send",{...}]`) and the ack is
   * only checked for `{"ok":true`, so the generator spends its CPU on sockets, not on JSON.
   */
  emitRaw(body: string): Promise<boolean> {
    const id = this.nextAck++;
    return new Promise((resolve) => {
      this.acks.set(id, resolve as (payload: unknown) => void);
      this.rawAcks.add(id);
      this.ws!.send(`42${id}${body}`);
    });
  }

  emit(event: string, payload: unknown): void {
    this.ws!.send(`42${JSON.stringify([event, payload])}`);
  }

  close(): void {
    this.ws?.terminate();
  }

  private onPacket(msg: string, connected: (err?: Error) => void): void {
    const type = msg[1];
    if (type === '0') {
      this.connected = true;
      return connected();
    }
    if (type === '4') return connected(Object.assign(new Error('connect_error'), { data: JSON.parse(msg.slice(2)) }));
    if (type === '3') {
      const open = msg.indexOf('[');
      const id = Number(msg.slice(2, open));
      const cb = this.acks.get(id);
      if (cb) {
        this.acks.delete(id);
        if (this.rawAcks.delete(id)) cb(msg.startsWith('[{"ok":true', open));
        else cb((JSON.parse(msg.slice(open)) as unknown[])[0]);
      }
      return;
    }
    if (type === '2' && this.onRawEvent) return this.onRawEvent(msg);
    if (type === '2' && this.onEvent) {
      const [event, payload] = JSON.parse(msg.slice(msg.indexOf('['))) as [string, unknown];
      this.onEvent(event, payload);
    }
  }
}
