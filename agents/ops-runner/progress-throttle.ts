/**
 * Bounds the rate of `command:progress`: output is gathered and sent at most every `intervalMs`, each
 * message at most `maxChars` (the newest part kept, the rest counted as skipped). The full tail is in the
 * result either way; the live stream is for watching.
 */
export class ProgressThrottle {
  private pending = '';
  private skipped = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly send: (text: string) => void,
    private readonly intervalMs = 250,
    private readonly maxChars = 4000,
  ) {}

  push(text: string): void {
    this.pending += text;
    if (this.pending.length > this.maxChars * 2) {
      this.skipped += this.pending.length - this.maxChars;
      this.pending = this.pending.slice(-this.maxChars);
    }
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.pending && !this.skipped) return;
    let text = this.pending;
    if (text.length > this.maxChars) {
      this.skipped += text.length - this.maxChars;
      text = text.slice(-this.maxChars);
    }
    const note = this.skipped ? `[… ${this.skipped} characters not streamed; the result keeps the tail]\n` : '';
    this.pending = '';
    this.skipped = 0;
    this.send(note + text.replace(/\n$/, ''));
  }
}
