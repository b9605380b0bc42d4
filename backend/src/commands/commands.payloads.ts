import type {
  CommandClaimPayload,
  CommandPendingPayload,
  CommandProgressPayload,
  CommandResultPayload,
} from '@echocenter/contracts';
import { PayloadReader } from '../gateway/payload-reader';

/** A progress line, a result or an error an agent reports: enough for any real output, bounded for the store. */
export const COMMAND_TEXT = { min: 0, max: 64 * 1024 } as const;
// An agent process's own id (the SDKs use a UUID); the column holds 64.
const INSTANCE = { min: 8, max: 64 } as const;

export function parseCommandProgress(body: unknown): CommandProgressPayload {
  const r = PayloadReader.of(body);
  const out = { commandId: r.int('commandId'), text: r.str('text', COMMAND_TEXT) };
  r.done();
  return out;
}

export function parseCommandResult(body: unknown): CommandResultPayload {
  const r = PayloadReader.of(body);
  const out: CommandResultPayload = { commandId: r.int('commandId'), ok: r.bool('ok') };
  const result = r.optStr('result', COMMAND_TEXT);
  const error = r.optStr('error', COMMAND_TEXT);
  r.done();
  if (result !== undefined) out.result = result;
  if (error !== undefined) out.error = error;
  return out;
}

export function parseCommandClaim(body: unknown): CommandClaimPayload {
  const r = PayloadReader.of(body);
  const out = { commandId: r.int('commandId'), instance: r.str('instance', INSTANCE) };
  r.done();
  return out;
}

export function parseCommandPending(body: unknown): CommandPendingPayload {
  const r = PayloadReader.of(body);
  const out = { instance: r.str('instance', INSTANCE) };
  r.done();
  return out;
}
