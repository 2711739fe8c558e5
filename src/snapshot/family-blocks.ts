/**
 * Finds the families of a rendered text 0.0.4 exposition (ours: each family is its `# HELP`/`# TYPE` lines,
 * then its samples), so snapshots of several targets can be merged family by family.
 */
import { readCommentLine } from '../exposition/index.js';

export interface FamilyBlock {
  name: string;
  /** The `# TYPE` of the family ('untyped' when the block has none). */
  type: string;
  /** Offsets in the text: the header (comment lines) is [start, bodyStart), the samples [bodyStart, end). */
  start: number;
  bodyStart: number;
  end: number;
  /** Offsets of the header's and the body's gzip members in the snapshot's gzip bytes. */
  gzHeader: [number, number];
  gzBody: [number, number];
}

const HASH = 0x23;
const NEWLINE = 0x0a;

/** The metric name and, for `# TYPE`, the type of a `# HELP name …` or `# TYPE name type` line. */
function readComment(text: Buffer, start: number, end: number): { name: string; type?: string } | undefined {
  const line = text.toString('utf8', start, end);
  const comment = readCommentLine(line, 0, line.length, false);
  if (comment.kind === 'type') return { name: comment.name, type: comment.type };
  return comment.kind === 'help' ? { name: comment.name } : undefined;
}

export function familyBlocks(text: Buffer): FamilyBlock[] {
  const blocks: FamilyBlock[] = [];
  let current: FamilyBlock | undefined;
  // Only comment lines matter: jump from one to the next, over the samples between them.
  let pos = text.length > 0 && text[0] === HASH ? 0 : text.indexOf('\n#');
  if (pos > 0) pos++;
  while (pos >= 0 && pos < text.length) {
    let lineEnd = text.indexOf(NEWLINE, pos);
    if (lineEnd < 0) lineEnd = text.length;
    const comment = readComment(text, pos, lineEnd);
    if (comment && comment.name !== current?.name) {
      if (current) current.end = pos;
      current = { name: comment.name, type: comment.type ?? 'untyped', start: pos, bodyStart: lineEnd + 1, end: text.length, gzHeader: [0, 0], gzBody: [0, 0] };
      blocks.push(current);
    } else if (comment && current) {
      if (comment.type) current.type = comment.type;
      current.bodyStart = lineEnd + 1;
    }
    const next = text.indexOf('\n#', lineEnd);
    pos = next < 0 ? -1 : next + 1;
  }
  if (current) current.bodyStart = Math.min(current.bodyStart, current.end);
  return blocks;
}
