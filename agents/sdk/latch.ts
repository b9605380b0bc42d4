/** A one-shot signal: resolved or rejected once, awaited by any number of callers. */
export interface Latch {
  promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

export function latch(): Latch {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Callers may never await it; a rejection nobody asked about must not crash the process.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
