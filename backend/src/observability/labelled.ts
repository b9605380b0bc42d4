/**
 * Pre-bound label children, made once per label value: the hot path then costs a Map lookup and an
 * increment, never a label-object allocation (prom-client's `inc({ a, b })` hashes a fresh object each call).
 */
export class Labelled<T> {
  private readonly children = new Map<string, T>();

  constructor(private readonly make: (value: string) => T) {}

  of(value: string): T {
    let child = this.children.get(value);
    if (child === undefined) {
      child = this.make(value);
      this.children.set(value, child);
    }
    return child;
  }
}

/** A label taken from outside (an event name, a tool the model chose): only known values, else 'other'. */
export function knownOr(value: string, known: ReadonlySet<string>): string {
  return known.has(value) ? value : 'other';
}
