// The benchmark's settings, read once from the environment and the command line (see run.ts's header).
const env = process.env;
const list = (v: string | undefined, d: string) =>
  (v ?? d)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const lockModeArg = process.argv.indexOf('--autoinc-lock-mode');
export const LOCK_MODE = lockModeArg >= 0 ? process.argv[lockModeArg + 1] : env.AUTOINC_LOCK_MODE;
export const BENCH = new Set(list(env.BENCH, LOCK_MODE ? 'rowpath' : 'chat,idle,cluster,cross'));
export const RATES = list(env.RATES, '5000,10000,15000,20000,25000,30000,40000').map(Number);
// Lower first steps: the row-by-row path saturated at 2000/s on the shared 2-core box (README).
export const ROWPATH_RATES = list(env.RATES, '500,1000,2000,3000,4000,6000,8000,10000,15000,20000,30000').map(Number);
export const STEP_SECONDS = Number(env.STEP_SECONDS ?? 5);
export const WARMUP_SECONDS = Number(env.WARMUP_SECONDS ?? 3);
export const PAIRS = Number(env.PAIRS ?? 500);
export const TEXT_BYTES = 140; // ~200-byte frames with the envelope, targetId and localId
export const IDLE_COUNTS = list(env.IDLE_COUNTS, '5000,10000,19000').map(Number);
export const WORKERS = Number(env.WORKERS ?? 2);
export const CLUSTER_COUNT = Number(env.CLUSTER_COUNT ?? 38000);
export const REDIS_URL = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const PER_LOADGEN = 18000; // each process stays under the 20,000 file-descriptor limit
