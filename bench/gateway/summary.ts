// What a chat sweep measured, its figures (sustained and peak rate, p99, server CPU per message) and the
// tables that put each hub run beside bare socket.io.
import type { StepResult } from './loadgen';

export interface Sweep {
  label: string;
  steps: (StepResult & { achieved: number; cpu: number; usPerMsg: number })[];
  /** What the hub processes printed (warnings and errors). */
  output?: string;
}

export const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '-');

/** Highest acked rate of a step that kept up with its offered rate (≥ 95%). */
export const sustained = (s: Sweep) =>
  Math.max(0, ...s.steps.filter((x) => x.achieved >= x.offered * 0.95 && x.failed === 0).map((x) => x.achieved));
/** Highest acked rate of any step (saturated or not). */
export const peak = (s: Sweep) => Math.max(0, ...s.steps.map((x) => x.achieved));
export const p99At = (s: Sweep, rate: number) => s.steps.find((x) => x.offered === rate)?.p99 ?? NaN;
/** Server CPU µs per message, median over the steps. */
export const usPerMsg = (s: Sweep) => {
  const v = s.steps
    .map((x) => x.usPerMsg)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  return v.length ? v[Math.floor(v.length / 2)] : NaN;
};

/** Metrics on against off, from METRICS=compare's two sweeps. */
export function metricsRatio([off, on]: Sweep[]): void {
  const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(1)}%`;
  console.log(
    `\n  metrics on / off (same run): sustained ${pct(sustained(on), sustained(off))}, peak acked ${pct(peak(on), peak(off))}, server CPU/msg ${pct(usPerMsg(on), usPerMsg(off))}, ` +
      `p99 @10k/s ${ms(p99At(on, 10000))} vs ${ms(p99At(off, 10000))} ms`,
  );
}

const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(0).padStart(5)}%`;

/** The table: bare socket.io, then each result, with each figure as a share of bare's. */
export function summary(bare: Sweep, results: Sweep[]): void {
  console.log(
    '\n  summary                  sustained/s  vs bare   peak acked/s  vs bare   p99 @10k/s   server CPU/msg  vs bare',
  );
  for (const s of [bare, ...results]) {
    console.log(
      `  ${s.label.padEnd(24)} ${sustained(s).toFixed(0).padStart(8)}  ${pct(sustained(s), sustained(bare))}   ${peak(s).toFixed(0).padStart(10)}  ${pct(peak(s), peak(bare))}   ${ms(p99At(s, 10000)).padStart(7)} ms   ${usPerMsg(s).toFixed(0).padStart(8)} µs  ${pct(usPerMsg(bare), usPerMsg(s))}`,
    );
  }
}
