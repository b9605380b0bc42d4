import type { LogDto, LogLevel, Page } from '@echocenter/contracts';

/** The hub answered 401/403: this token may not read logs. Retrying every poll would only add noise. */
export class LogAccessError extends Error {
  override name = 'LogAccessError';
}

const PAGE_SIZE = 200;
// A poll reads at most this many pages; a backlog beyond that is a burst worth reporting anyway.
const MAX_PAGES = 10;

/** Reads the hub's log stream over REST (`GET /api/logs`) with the agent token as Bearer. */
export class HubLogClient {
  private readonly endpoint: URL;

  constructor(
    url: string,
    private readonly token: string,
  ) {
    this.endpoint = new URL('api/logs', url.endsWith('/') ? url : `${url}/`);
  }

  /** Logs created at or after `since`, oldest first, without duplicates. */
  async since(since: Date, signal?: AbortSignal): Promise<LogDto[]> {
    const byId = new Map<number, LogDto>();
    let before: number | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const url = new URL(this.endpoint);
      url.searchParams.set('since', since.toISOString());
      url.searchParams.set('limit', String(PAGE_SIZE));
      if (before !== null) url.searchParams.set('before', String(before));
      const body = await this.get(url, signal);
      body.items.forEach((log) => byId.set(log.id, log));
      if (body.nextCursor === null || body.items.length < PAGE_SIZE) break;
      before = body.nextCursor;
    }
    return [...byId.values()].sort((a, b) => a.id - b.id);
  }

  /** Logs with an id above `afterId`, oldest first: the cheap, clock-free way to follow the stream. */
  async after(afterId: number, signal?: AbortSignal): Promise<LogDto[]> {
    const logs: LogDto[] = [];
    let cursor = afterId;
    for (let page = 0; page < MAX_PAGES; page++) {
      const url = new URL(this.endpoint);
      url.searchParams.set('after', String(cursor));
      url.searchParams.set('limit', String(PAGE_SIZE));
      const { items } = await this.get(url, signal);
      logs.push(...items);
      if (items.length < PAGE_SIZE) break;
      cursor = items[items.length - 1]!.id;
    }
    return logs;
  }

  /** Reports one log over REST; the hub answers the stored log, which names the reporting agent. */
  async report(level: LogLevel, content: string, signal?: AbortSignal): Promise<LogDto> {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${this.token}`,
        accept: 'application/json',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ level, content }),
      signal: signal ?? AbortSignal.timeout(10_000),
    });
    if (response.status === 401 || response.status === 403) {
      throw new LogAccessError(
        `the hub refused the report (HTTP ${response.status}); this agent token needs POST /api/logs`,
      );
    }
    if (!response.ok) throw new Error(`POST /api/logs answered HTTP ${response.status}`);
    return (await response.json()) as LogDto;
  }

  private async get(url: URL, signal?: AbortSignal): Promise<Page<LogDto>> {
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' },
      signal: signal ?? AbortSignal.timeout(10_000),
    });
    if (response.status === 401 || response.status === 403) {
      throw new LogAccessError(
        `the hub refused to share its logs (HTTP ${response.status}); this agent token needs read access to GET /api/logs`,
      );
    }
    if (!response.ok) throw new Error(`GET /api/logs answered HTTP ${response.status}`);
    return (await response.json()) as Page<LogDto>;
  }
}
