// Malformed, oversized and wrong-typed inputs for the barrage drill. Seeded so a run can be repeated.

/** Small deterministic PRNG (mulberry32): the same seed gives the same barrage. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const deepArray = (n: number): unknown => {
  let v: unknown = [];
  for (let i = 0; i < n; i++) v = [v];
  return v;
};

/** Values of every wrong type and size a field might get. */
export function junkValue(r: () => number): unknown {
  return pick(r, [
    () => null,
    () => undefined,
    () => true,
    () => 0,
    () => -1,
    () => 1e308,
    () => 2 ** 53 + 1,
    () => 1.5,
    () => '',
    () => '1',
    () => 'x'.repeat(Math.floor(r() * 70000)),
    () => '\ud800\udfff\ud800',
    () => '\u0000\u202e🙂'.repeat(50),
    () => [],
    () => Array.from({ length: 5000 }, (_, i) => i),
    () => ({}),
    () => JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}'),
    () => ({ toString: 1, valueOf: 'x', length: -1 }),
    () => deepArray(200),
  ])();
}

export const EVENTS = [
  'chat:send',
  'chat:chunk',
  'chat:end',
  'log:report',
  'agent:hello',
  'approval:respond',
  'command:progress',
  'command:result',
] as const;

/** A contract event with a payload that is wrong in one of many ways. */
export function junkEvent(r: () => number, ids: { self: number; peer: number }): { event: string; args: unknown[] } {
  const event =
    r() < 0.85
      ? pick(r, EVENTS)
      : pick(r, ['no:such', '__proto__', 'constructor', 'hasOwnProperty', 'x'.repeat(5000), 'chat:send ', 'CHAT:SEND']);
  const valid = {
    targetId: ids.peer,
    text: 'fuzz',
    streamId: 's',
    commandId: 1,
    id: 1,
    approved: true,
    ok: true,
    level: 'INFO',
    content: 'c',
    commands: [],
  };
  const shapes: (() => unknown)[] = [
    () => junkValue(r),
    () => ({ ...valid, [pick(r, Object.keys(valid))]: junkValue(r) }),
    () => ({ targetId: ids.self, text: 'to myself' }),
    () => ({ targetId: 2 ** 31 + 5, text: 'nobody' }),
    () => ({ targetId: ids.peer, text: 'x'.repeat(20000) }),
    () => ({ targetId: ids.peer, text: 'ok', localId: 'l'.repeat(65 + Math.floor(r() * 200)) }),
    () => ({ targetId: ids.peer, text: 'ok', conversationId: -3 }),
    () => ({ level: 'PANIC', content: junkValue(r) }),
    () => ({ commands: Array.from({ length: 2000 }, () => ({ name: junkValue(r) })) }),
    () => ({ commandId: junkValue(r), ok: 'yes', result: junkValue(r) }),
  ];
  const extra = r() < 0.2 ? [junkValue(r), junkValue(r)] : [];
  return { event, args: [pick(r, shapes)(), ...extra] };
}

/** Raw Socket.IO frames (engine.io message type 4 + socket.io packet), most of them broken. */
export function junkFrame(r: () => number): string | Buffer {
  return pick(r, [
    () => '42["chat:send",',
    () => '42["chat:send",{"targetId":' + '['.repeat(3000),
    () => '451-["chat:send",{"_placeholder":true,"num":0}]',
    () => '42/nope,["chat:send",{}]',
    () => '4299999999999999999999["chat:send",{}]',
    () => '42[{"not":"a name"}]',
    () => '42[]',
    () => '42["__proto__",{}]',
    () => '42["connect"]',
    () => '42["disconnecting"]',
    () => '49',
    () => '4' + 'z'.repeat(50),
    () => '6',
    () => '2probe',
    () => '',
    () => Buffer.from(Array.from({ length: 64 }, () => Math.floor(r() * 256))),
    () => '42["chat:send",{"targetId":1,"text":"' + 'x'.repeat(200 * 1024) + '"}]',
  ])();
}
