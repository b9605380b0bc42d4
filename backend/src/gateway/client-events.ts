import type { ClientToServerEvents } from '@echocenter/contracts';

/**
 * Every event a client may send, derived from the contract. The connection middleware answers any other
 * name with UNKNOWN_EVENT; the type check below fails the build when the contract gains an event that is
 * missing here.
 */
export const CLIENT_EVENTS = [
  'chat:send',
  'chat:chunk',
  'chat:end',
  'log:report',
  'agent:hello',
  'approval:respond',
  'command:progress',
  'command:result',
  'command:claim',
  'command:pending',
] as const satisfies readonly (keyof ClientToServerEvents)[];

type Missing = Exclude<keyof ClientToServerEvents, (typeof CLIENT_EVENTS)[number]>;
const everyEventListed: [Missing] extends [never] ? true : Missing = true;
void everyEventListed;

const KNOWN = new Set<string>(CLIENT_EVENTS);
export const isClientEvent = (name: unknown): name is keyof ClientToServerEvents =>
  typeof name === 'string' && KNOWN.has(name);
