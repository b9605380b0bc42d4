import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The demo fleet's tokens, kept in the data folder (mode 0600) so a restart reuses them. */
export class FleetTokenFile {
  constructor(private readonly path: string) {}

  read(): Record<string, string> {
    if (!existsSync(this.path)) return {};
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as unknown;
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  write(tokens: Record<string, string>): void {
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileSync(this.path, JSON.stringify(tokens, null, 2) + '\n', { mode: 0o600 });
    chmodSync(this.path, 0o600);
  }
}
