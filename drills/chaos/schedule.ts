// The seeded fault schedule: which kinds may run, the gap before each fault and which fault on which
// node. Every draw comes from the one seeded generator, in a fixed order, so a seed replays its run.
import { pick } from '../lib/junk';

export type FaultKind = 'kill -9' | 'SIGTERM' | 'redis down 8 s' | 'mariadb down 10 s' | 'slow consumer' | 'barrage';

export type NodeName = 'A' | 'B';

/** What one fault did and what the checks 3 s after it found. */
export interface FaultRecord {
  n: number;
  kind: FaultKind;
  node: string;
  ms: number;
  chatChecked: number;
  chatMissing: number;
  logsMissing: number;
  approvalsChecked: number;
  approvalsMissing: number;
}

/** The kinds this run draws from: all (MariaDB outages only with a private server), or those in `only`. */
export function faultKinds(withMariadb: boolean, only?: FaultKind[]): FaultKind[] {
  const all: FaultKind[] = [
    'kill -9',
    'SIGTERM',
    'redis down 8 s',
    'slow consumer',
    'barrage',
    ...(withMariadb ? (['mariadb down 10 s'] as const) : []),
  ];
  const kinds = only?.length ? all.filter((k) => only.includes(k)) : all;
  if (!kinds.length) throw new Error(`--faults names none of: ${all.join(', ')}`);
  return kinds;
}

/** Kinds aimed at one node, named with it in the fault log and in failures. */
export const hitsOneNode = (kind: FaultKind): boolean => kind === 'kill -9' || kind === 'SIGTERM';

export class FaultSchedule {
  /**
   * `r` is shared with the barrage's seeds (drawn while a barrage runs), so the order of draws here
   * (gap, then kind, then node) must stay as it is for a seed to give the same run.
   */
  constructor(
    private readonly r: () => number,
    private readonly kinds: FaultKind[],
    private readonly gapMs: [number, number],
  ) {}

  /** The wait before the next fault, drawn from [min, max) ms. */
  nextGap(): number {
    const [gapMin, gapMax] = this.gapMs;
    return gapMin + Math.floor(this.r() * (gapMax - gapMin));
  }

  /** The next fault and the node it aims at (drawn for every kind, used by those that hit one node). */
  nextFault(): { kind: FaultKind; name: NodeName } {
    const kind = pick(this.r, this.kinds);
    const name = pick(this.r, ['A', 'B'] as const);
    return { kind, name };
  }
}
