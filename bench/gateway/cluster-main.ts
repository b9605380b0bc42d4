import cluster from 'node:cluster';

/**
 * `WORKERS=2` for the hub: a node cluster whose workers each run backend/dist/main.js on the shared port
 * (the primary hands connections round-robin). With REDIS_URL the workers are nodes of one hub. Workers
 * start one after the other, since each runs the migrations at start. Prints "cluster <port> <pids>".
 */
const [workers, main] = [Number(process.argv[2]), process.argv[3]];
cluster.setupPrimary({ exec: main, execArgv: [], silent: false });

async function start(): Promise<void> {
  const pids: number[] = [];
  for (let i = 0; i < workers; i++) {
    const worker = cluster.fork();
    await new Promise<void>((done, fail) => {
      worker.once('listening', () => done());
      worker.once('exit', (code) => fail(new Error(`worker exited with ${code}`)));
    });
    pids.push(worker.process.pid!);
  }
  process.stdout.write(`cluster ${process.env.PORT} ${pids.join(',')}\n`);
}

const stop = () => {
  for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
  setTimeout(() => process.exit(0), 5000).unref();
  cluster.on('exit', () => Object.keys(cluster.workers ?? {}).length === 0 && process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
start().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
