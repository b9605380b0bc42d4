import { StringDecoder } from 'node:string_decoder';

/**
 * Turns one byte stream's chunks into text for the live output. SSH splits output anywhere, so a
 * multi-byte character may arrive in two chunks: decoding each chunk alone would show U+FFFD twice
 * instead of it. A decoder per stream (stdout and stderr apart) holds the partial bytes back until the rest comes.
 */
export class Utf8Stream {
  private readonly decoder = new StringDecoder('utf8');

  constructor(private readonly onText: (text: string) => void) {}

  push(chunk: Buffer): void {
    const text = this.decoder.write(chunk);
    if (text) this.onText(text);
  }

  /** At the end of the stream: what is held back (an incomplete last character) as U+FFFD. */
  end(): void {
    const rest = this.decoder.end();
    if (rest) this.onText(rest);
  }
}
