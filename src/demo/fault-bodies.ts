/**
 * Faulty variants of a healthy exposition, as pure functions of its text: the same input always gives
 * the same bytes, so a test can count exactly what was damaged. Each keeps every line it does not damage.
 */

/** Calls `map` on each sample line (neither empty nor a comment) with its index among sample lines. */
function mapSampleLines(text: string, map: (line: string, index: number) => string[]): string[] {
  const out: string[] = [];
  let index = 0;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) out.push(line);
    else out.push(...map(line, index++));
  }
  return out;
}

/**
 * Unparsable stand-ins for a sample line, each a mistake a broken exporter or proxy makes. All lines the
 * simulator renders carry labels, which the unterminated quote and the bad label name rely on.
 */
const GARBLERS: ReadonlyArray<(line: string) => string> = [
  // Missing value: `name{labels}` and nothing after.
  (line) => line.slice(0, line.lastIndexOf(' ')),
  // Unterminated quote: cut inside the first label value.
  (line) => `${line.slice(0, line.indexOf('="') + 5)} 1`,
  // Bad label name: a hyphen is not allowed in one.
  (line) => line.replace('{', '{bad-label="x",'),
  // A value that is not a number.
  (line) => `${line.slice(0, line.lastIndexOf(' '))} twelve`,
];

/**
 * Replaces `ratio` of the sample lines with garbage, spread evenly: line i is replaced when
 * floor((i+1)·ratio) > floor(i·ratio), so exactly floor(n·ratio) of n lines are.
 */
export function malformLines(text: string, ratio: number): string {
  let garbled = 0;
  return mapSampleLines(text, (line, i) => {
    if (Math.floor((i + 1) * ratio) <= Math.floor(i * ratio)) return [line];
    const garble = GARBLERS[garbled++ % GARBLERS.length] as (line: string) => string;
    return [garble(line)];
  }).join('\n');
}

const NEWLINE = Buffer.from('\n');

/** One in this many sample lines is damaged by `invalidUtf8` and repeated by `duplicateSeries`. */
export const DAMAGE_EVERY = 20;

/**
 * Byte sequences no UTF-8 decoder may accept (Unicode 15, table 3-7): a lone 0xFF, a lead byte followed
 * by ASCII, an encoded UTF-16 surrogate, an overlong `/`. None contains `"`, `\` or a line feed, so the
 * line's quoting stays intact: only the bytes inside the label value are wrong.
 */
const INVALID_SEQUENCES = [
  Buffer.from([0xff]),
  Buffer.from([0xc3, 0x28]),
  Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xc0, 0xaf]),
];

/** Puts an invalid sequence at the start of the first label value of every DAMAGE_EVERY-th sample line. */
export function invalidUtf8(text: string): Buffer {
  const out: Buffer[] = [];
  let sample = 0;
  let damaged = 0;
  text.split('\n').forEach((line, n) => {
    if (n > 0) out.push(NEWLINE);
    if (line === '' || line.startsWith('#') || sample++ % DAMAGE_EVERY !== 0) {
      out.push(Buffer.from(line, 'utf8'));
      return;
    }
    const at = line.indexOf('="') + 2;
    const sequence = INVALID_SEQUENCES[damaged++ % INVALID_SEQUENCES.length] as Buffer;
    out.push(Buffer.from(line.slice(0, at), 'utf8'), sequence, Buffer.from(line.slice(at), 'utf8'));
  });
  return Buffer.concat(out);
}

/** Repeats every DAMAGE_EVERY-th sample line right after itself, as a broken aggregation layer would. */
export function duplicateSeries(text: string): string {
  return mapSampleLines(text, (line, i) => (i % DAMAGE_EVERY === 0 ? [line, line] : [line])).join('\n');
}

/** Drops every HELP and TYPE line (Baseten does not document whether it sends them). */
export function stripHelpType(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('# HELP ') && !line.startsWith('# TYPE '))
    .join('\n');
}
