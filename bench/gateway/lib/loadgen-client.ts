// The parent's side of a load generator: loadgen.ts runs in its own process, so the clients' work does not
// share a CPU or an event loop with the runner; each command is answered with one message.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { LoadgenCommand } from '../loadgen';

export class Loadgen {
  private readonly proc: ChildProcess;
  private pending: ((m: unknown) => void) | null = null;
  constructor() {
    this.proc = fork(join(__dirname, '..', 'loadgen.ts'), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    this.proc.on('message', (m) => this.pending?.(m));
  }
  ask<T>(cmd: LoadgenCommand): Promise<T> {
    return new Promise((done) => {
      this.pending = done as (m: unknown) => void;
      this.proc.send(cmd);
    });
  }
  async close(): Promise<void> {
    await this.ask({ cmd: 'close' });
  }
}
