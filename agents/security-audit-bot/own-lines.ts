import type { LogDto } from '@echocenter/contracts';
import type { HubLogClient } from './log-client';

/** Marks the bot's own log lines, which quote suspicious text and must not be audited again. */
export const AUDIT_PREFIX = 'Audit:';

/**
 * Tells the bot's own lines from everyone else's. The prefix alone is not enough: any agent could start
 * its lines with "Audit:" to hide them. So the bot learns its agent id from the hub, which answers a log
 * it reports with the stored log and the reporter's id, and skips only prefixed lines of that id.
 */
export class OwnLines {
  private selfId: Promise<number | null> | undefined;

  constructor(private readonly client: HubLogClient) {}

  /** The logs minus the bot's own audit lines. Rejects while the hub cannot be asked (tried again next time). */
  async skip(logs: LogDto[], signal?: AbortSignal): Promise<LogDto[]> {
    const self = await this.id(signal);
    return logs.filter((l) => !(l.agentId !== null && l.agentId === self && l.content.startsWith(AUDIT_PREFIX)));
  }

  private id(signal?: AbortSignal): Promise<number | null> {
    this.selfId ??= this.client.report('INFO', `${AUDIT_PREFIX} watching the hub's logs`, signal).then(
      (log) => log.agentId,
      (err: unknown) => {
        this.selfId = undefined;
        throw err;
      },
    );
    return this.selfId;
  }
}
