/**
 * The tests' whole-body parser, their oracle: a text 0.0.4 or OpenMetrics 1.0 body into families, read with
 * the bridge's one-line readers (src/exposition/sample-line.ts, comment-line.ts). The bridge itself reads a
 * body with its one reader, src/exposition/line-scanner.ts. Lines are found with indexOf and read in place
 * (no split of the body), samples are grouped into families as they come.
 *
 * A line that cannot be read never throws and never stops the parse: it is recorded with its 1-based
 * number, a reason and an excerpt, and the next line is read, where Prometheus would fail the whole
 * scrape. Besides what the Prometheus parsers accept, lines may end in CRLF, blank lines are skipped
 * in both formats (OpenMetrics forbids them) and OpenMetrics comments are ignored.
 */
import { CH_CR, CH_HASH, skipBlanks } from '../../src/exposition/chars.js';
import { readCommentLine } from '../../src/exposition/comment-line.js';
import { invalidLine } from '../../src/exposition/invalid-line.js';
import type { ExpositionFormat, InvalidLine, InvalidLineKind, MetricFamily } from '../../src/exposition/model.js';
import { SampleLineReader } from '../../src/exposition/sample-line.js';
import { FamilyBuilder } from './family-builder.js';

export interface ParseResult {
  format: ExpositionFormat;
  families: MetricFamily[];
  /** Lines that were skipped. */
  invalidLines: InvalidLine[];
  /** Count of non-empty lines read. */
  totalLines: number;
}

export function parseExposition(body: string, format: ExpositionFormat = 'text'): ParseResult {
  const om = format === 'openmetrics';
  const builder = new FamilyBuilder(format);
  const reader = new SampleLineReader();
  const invalidLines: InvalidLine[] = [];
  let totalLines = 0;
  let lineNumber = 0;
  let sawEof = false;
  const reject = (kind: InvalidLineKind, reason: string, start: number, end: number): void => {
    invalidLines.push(invalidLine(lineNumber, kind, reason, body.slice(start, end)));
  };

  for (let pos = 0; pos < body.length;) {
    let lineEnd = body.indexOf('\n', pos);
    if (lineEnd < 0) lineEnd = body.length;
    const start = pos;
    const end = lineEnd > start && body.charCodeAt(lineEnd - 1) === CH_CR ? lineEnd - 1 : lineEnd;
    pos = lineEnd + 1;
    lineNumber++;

    const first = skipBlanks(body, start, end);
    if (first === end) continue;
    totalLines++;
    if (sawEof) {
      // openmetricsparse.go: "unexpected data after # EOF".
      reject('eof', 'unexpected data after # EOF', start, end);
      continue;
    }
    // OpenMetrics allows no leading blanks (openmetricslex.l); text does (promlex.l `<*>[ \t]+`).
    const lineStart = om ? start : first;

    if (body.charCodeAt(lineStart) === CH_HASH) {
      const line = readCommentLine(body, lineStart, end, om);
      let reason: string | undefined;
      switch (line.kind) {
        case 'comment':
          break;
        case 'eof':
          sawEof = true;
          break;
        case 'help':
          builder.declareHelp(line.name, line.help);
          break;
        case 'type':
          builder.declareType(line.name, line.type);
          break;
        case 'unit':
          builder.declareUnit(line.name, line.unit);
          break;
        case 'invalid':
          reason = line.reason;
          break;
        default: {
          const unreachable: never = line;
          reason = `unexpected line kind ${JSON.stringify(unreachable)}`;
        }
      }
      if (reason !== undefined) reject('metadata', reason, start, end);
      continue;
    }

    const sample = reader.read(body, lineStart, end, om);
    if (sample === undefined) reject('sample', reader.reason, start, end);
    else builder.addSample(sample);
  }

  if (om && !sawEof) {
    // openmetricsparse.go: "data does not end with # EOF". Reported on the line after the last.
    invalidLines.push({ line: lineNumber + 1, kind: 'eof', reason: 'expected # EOF at end of input', excerpt: '' });
  }
  return { format, families: builder.finish(), invalidLines, totalLines };
}
