import { io, type Socket } from 'socket.io-client';
import type { ChatMessageDto } from '@echocenter/contracts';

export interface Sample {
  sentAt: number;
  latencyMs: number;
}

/** One operator: a socket, a thread of its own, and a closed loop of send → wait for the Butler's whole reply. */
export class Operator {
  readonly samples: Sample[] = [];
  failures = 0;
  sent = 0;
  private socket!: Socket;
  private pending: {
    streamId: string | null;
    resolve: () => void;
    reject: (e: Error) => void;
    afterId: number;
  } | null = null;

  constructor(
    private readonly url: string,
    readonly token: string,
    readonly threadId: number,
    private readonly butlerId: number,
  ) {}

  async connect(): Promise<void> {
    this.socket = io(this.url, {
      auth: { token: this.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    this.socket.on('chat:message', (m: ChatMessageDto) => {
      const p = this.pending;
      if (p && m.senderId === this.butlerId && m.conversationId === this.threadId && m.id > p.afterId)
        p.streamId = m.streamId ?? null;
    });
    this.socket.on('chat:end', (e: { streamId: string }) => {
      const p = this.pending;
      if (p && p.streamId === e.streamId) p.resolve();
    });
    await new Promise<void>((res, rej) => {
      this.socket.once('connect', () => res());
      this.socket.once('connect_error', rej);
    });
  }

  /** Loops until `stopAt` after `startDelayMs`; each request's latency runs from chat:send to the reply's chat:end. */
  async run(stopAt: number, timeoutMs: number, startDelayMs = 0): Promise<void> {
    await new Promise((r) => setTimeout(r, startDelayMs));
    let n = 0;
    while (Date.now() < stopAt) {
      const sentAt = performance.now();
      const wall = Date.now();
      this.sent++;
      try {
        await this.once(`request ${n++} from operator ${this.threadId}: how is the fleet doing?`, timeoutMs);
        this.samples.push({ sentAt: wall, latencyMs: performance.now() - sentAt });
      } catch {
        this.failures++;
      }
    }
  }

  close(): void {
    this.socket.disconnect();
  }

  private async once(text: string, timeoutMs: number): Promise<void> {
    // Armed before sending: in a closed loop every earlier reply has ended, so the next one is ours.
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = null;
        reject(new Error('no reply in time'));
      }, timeoutMs);
      this.pending = {
        streamId: null,
        afterId: 0,
        resolve: () => {
          clearTimeout(timer);
          this.pending = null;
          resolve();
        },
        reject,
      };
    });
    const ack = (await this.socket
      .timeout(timeoutMs)
      .emitWithAck('chat:send', { targetId: this.butlerId, text, conversationId: this.threadId })) as { ok: boolean };
    if (!ack.ok) {
      this.pending?.resolve();
      throw new Error('chat:send refused');
    }
    await done;
  }
}
