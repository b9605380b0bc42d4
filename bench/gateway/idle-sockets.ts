// The idle scenarios' runners: many authenticated agent sockets held open, their connect time and memory.
import { PER_LOADGEN } from './lib/config';
import { rss, type ServerProcess } from './lib/hub';
import { Loadgen } from './lib/loadgen-client';

const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

// Each call takes loopback source addresses no earlier call used: the ports of closed connections stay in
// TIME_WAIT for a minute, and one address has only ~28k ephemeral ports towards a server port.
let sourceBlock = 0;

/** Connects `count` agent sockets across enough load generators; returns them with the connect time. */
async function holdSockets(url: string, tokens: string[]): Promise<{ gens: Loadgen[]; ms: number; failed: number }> {
  const block = ++sourceBlock;
  const started = Date.now();
  const gens: Loadgen[] = [];
  const jobs: Promise<{ failed: number; errors: string[] }>[] = [];
  for (let i = 0; i * PER_LOADGEN < tokens.length; i++) {
    const gen = new Loadgen();
    gens.push(gen);
    // A source address per generator: each gets its own 28k ephemeral ports towards the one server port.
    jobs.push(
      gen.ask({
        cmd: 'connect',
        urls: [url],
        tokens: tokens.slice(i * PER_LOADGEN, (i + 1) * PER_LOADGEN),
        localAddress: `127.0.${block}.${i + 1}`,
        concurrency: 200,
      }),
    );
  }
  const results = await Promise.all(jobs);
  const failed = results.reduce((s, r) => s + r.failed, 0);
  if (failed)
    console.log(
      `    ${failed} failed: ${results
        .flatMap((r) => r.errors)
        .slice(0, 3)
        .join('; ')}`,
    );
  return { gens, ms: Date.now() - started, failed };
}

/** `pids`: the processes that hold sockets (a cluster's primary only hands connections over). */
export async function idleRow(
  label: string,
  server: ServerProcess,
  tokens: string[],
  pids = server.pids,
): Promise<void> {
  await sleep(2000);
  const base = pids().reduce((s, p) => s + rss(p), 0);
  const held = await holdSockets(server.url, tokens);
  await sleep(5000);
  const total = pids().reduce((s, p) => s + rss(p), 0);
  const n = tokens.length - held.failed;
  console.log(
    `  ${label.padEnd(24)} ${String(n).padStart(6)} sockets  connect ${(held.ms / 1000).toFixed(1).padStart(5)} s (${Math.round(n / (held.ms / 1000))}/s)  RSS ${mb(total).padStart(4)} MB (idle ${mb(base)} MB, +${((total - base) / n / 1024).toFixed(1)} KB/socket)`,
  );
  if (pids !== server.pids)
    console.log(
      `    per worker RSS: ${pids()
        .map((p) => `${mb(rss(p))} MB`)
        .join(', ')}; cluster primary ${mb(rss(server.pids()[0]))} MB`,
    );
  for (const g of held.gens) await g.close();
}
