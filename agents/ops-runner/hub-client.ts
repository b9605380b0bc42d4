import type { NodeCredentialDto, OpsTargetDto } from '@echocenter/contracts';

/** The hub refused (its message says why: not running, not approved, not pinned, already released…). */
export class HubRefusal extends Error {
  override name = 'HubRefusal';
}

/**
 * The Ops-Runner's REST calls, with its own agent token as Bearer and the instance id its process claimed
 * commands with (the hub answers only the claiming process). The agent keeps no keys: it asks for one
 * node's credential per running command, and the hub gives it once.
 */
export class OpsHubClient {
  private readonly base: URL;

  constructor(
    url: string,
    private readonly token: string,
    /** Read when a call is made: the SDK's agent knows it once connected. */
    private readonly instance: () => string,
  ) {
    this.base = new URL('api/ops/agent/', url.endsWith('/') ? url : `${url}/`);
  }

  targets(commandId: number, signal?: AbortSignal): Promise<OpsTargetDto[]> {
    return this.call<OpsTargetDto[]>(`commands/${commandId}/targets`, { method: 'GET' }, signal);
  }

  credential(commandId: number, node: string, signal?: AbortSignal): Promise<NodeCredentialDto> {
    return this.call<NodeCredentialDto>(
      'credentials',
      { method: 'POST', body: JSON.stringify({ commandId, node }) },
      signal,
    );
  }

  private async call<T>(path: string, init: RequestInit, signal?: AbortSignal): Promise<T> {
    const response = await fetch(new URL(path, this.base), {
      ...init,
      headers: {
        authorization: `Bearer ${this.token}`,
        'x-agent-instance': this.instance(),
        accept: 'application/json',
        'content-type': 'application/json',
      },
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(10_000)]) : AbortSignal.timeout(10_000),
    });
    const body = (await response.json().catch(() => null)) as { message?: string; code?: string } | null;
    if (!response.ok)
      throw new HubRefusal(`${body?.code ?? `HTTP ${response.status}`}: ${body?.message ?? response.statusText}`);
    return body as T;
  }
}
