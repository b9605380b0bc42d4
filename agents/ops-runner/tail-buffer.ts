/**
 * Keeps the last `maxBytes` of a stream: the end of a command's output is where its verdict usually is.
 * Counts what it dropped so the result can say so.
 */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private kept = 0;
  private total = 0;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    this.chunks.push(chunk);
    this.kept += chunk.length;
    while (this.kept > this.maxBytes && this.chunks.length) {
      const over = this.kept - this.maxBytes;
      const first = this.chunks[0]!;
      if (first.length <= over) {
        this.chunks.shift();
        this.kept -= first.length;
      } else {
        this.chunks[0] = first.subarray(over);
        this.kept -= over;
      }
    }
  }

  get truncated(): boolean {
    return this.total > this.kept;
  }

  get droppedBytes(): number {
    return this.total - this.kept;
  }

  /** The kept tail as text; a multi-byte character cut at the start shows as U+FFFD. */
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
