/**
 * Where a sample line's series ends, in the raw bytes: after the closing `}` of its label set, or after
 * its name when it has none. The bytes before that point identify the series from one fetch to the next
 * (Baseten repeats its series every cycle); the bytes after it are the value and an optional timestamp.
 */
const SPACE = 0x20;
const TAB = 0x09;
const OPEN = 0x7b;
const CLOSE = 0x7d;

/** The end (exclusive) of the series bytes of the line `[start, end)`, or -1 for a shape to leave to the parser. */
export function seriesEnd(body: Uint8Array & { lastIndexOf(value: number, byteOffset?: number): number }, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const c = body[i]!;
    if (c === SPACE || c === TAB) return i;
    if (c === OPEN) {
      // The value and timestamp after the label set hold no `}`: the last one on the line closes it.
      const close = body.lastIndexOf(CLOSE, end - 1);
      return close > i ? close + 1 : -1;
    }
    i++;
  }
  return -1;
}
