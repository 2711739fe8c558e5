/**
 * Builds a large output string (a 250,000-series exposition is ~50 MB) without leaving millions of
 * linked string pieces for the garbage collector to trace. `out += line` in V8 makes a rope: every
 * piece stays reachable until the end, and rendering spent most of its time in GC. Here the rope is
 * cut into ~64 KiB chunks, each flattened as soon as it is full, and the chunks are joined once.
 */

const CHUNK_CHARS = 64 * 1024;

export class ChunkedText {
  private readonly chunks: string[] = [];
  private chunk = '';

  append(text: string): void {
    this.chunk += text;
    if (this.chunk.length >= CHUNK_CHARS) this.cut();
  }

  /** The whole text; the builder is empty afterwards. */
  finish(): string {
    this.cut();
    const text = this.chunks.join('');
    this.chunks.length = 0;
    return text;
  }

  private cut(): void {
    if (this.chunk === '') return;
    // Reading a character makes V8 flatten the rope into one string, so its pieces die young.
    this.chunk.charCodeAt(0);
    this.chunks.push(this.chunk);
    this.chunk = '';
  }
}
