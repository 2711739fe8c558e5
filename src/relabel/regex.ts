/**
 * Relabel regexes: RE2 syntax (re2js is a port of Go's regexp, the engine Prometheus uses), anchored the
 * way Prometheus 3 anchors them (model/relabel/relabel.go `NewRegexp`: `^(?s:` + REGEX + `)$`, so `.`
 * matches a newline). The wrapping is plain string concatenation, as upstream: a regex such as `a)|(b`
 * escapes the anchors exactly as it does in Prometheus, so matching is an unanchored search like Go's
 * `MatchString` / `FindStringSubmatchIndex`.
 */
import { RE2JS } from 're2js';
import { BoundedMemo } from './memo.js';

/** Submatch positions as Go returns them: [start0, end0, start1, end1, ...], -1 for a group that did not take part. */
export type MatchIndexes = readonly number[];

export interface AnchoredRegex {
  /** The regex as the user wrote it. */
  readonly source: string;
  readonly groupCount: number;
  /** Named group → index (own entries only: `$constructor` must not find Object.prototype). */
  readonly groupIndexByName: ReadonlyMap<string, number>;
  test(input: string): boolean;
  /** Leftmost-first match with submatches, or null. */
  firstMatch(input: string): MatchIndexes | null;
  /** Every match, as Go's `ReplaceAllString` visits them. */
  allMatches(input: string): MatchIndexes[];
}

export function anchor(source: string): string {
  return `^(?s:${source})$`;
}

// Characters with a meaning in RE2 syntax outside a class; a regex without any of them is a literal.
const META = /[\\.+*?()|[\]{}^$]/;
const META_BUT_BAR = /[\\.+*?()[\]{}^$]/;

type Shape =
  | { kind: 'any'; group: boolean } // (.*) or .*
  | { kind: 'nonEmpty'; group: boolean } // (.+) or .+
  | { kind: 'literals'; values: ReadonlySet<string> } // foo, or foo|bar|baz
  | { kind: 'general' };

/** Shapes common in relabel rules whose anchored meaning is plain string logic. */
function shapeOf(source: string): Shape {
  if (source === '(.*)' || source === '.*') return { kind: 'any', group: source === '(.*)' };
  if (source === '(.+)' || source === '.+') return { kind: 'nonEmpty', group: source === '(.+)' };
  if (!META.test(source)) return { kind: 'literals', values: new Set([source]) };
  if (!META_BUT_BAR.test(source)) return { kind: 'literals', values: new Set(source.split('|')) };
  return { kind: 'general' };
}

/** Compiles a relabel regex; throws re2js's syntax error (same wording as Go's) for an invalid one. */
export function compileAnchored(source: string): AnchoredRegex {
  const compiled = RE2JS.compile(anchor(source));
  const engine = compiled.re2();
  const groupIndexByName = new Map(Object.entries(compiled.namedGroups()));
  const groupCount = compiled.groupCount();
  // Answers are shared between callers, hence readonly; they depend on nothing but the input.
  const tests = new BoundedMemo((input) => compiled.test(input));
  const firsts = new BoundedMemo((input) => engine.findSubmatchIndex(input) as MatchIndexes | null);
  const general = {
    source,
    groupCount,
    groupIndexByName,
    test: (input: string): boolean => tests.get(input),
    firstMatch: (input: string): MatchIndexes | null => firsts.get(input),
    allMatches: (input: string): MatchIndexes[] => (engine.findAllSubmatchIndex(input, -1) as number[][] | null) ?? [],
  };
  const shape = shapeOf(source);
  switch (shape.kind) {
    case 'general':
      return general;
    case 'any':
    case 'nonEmpty': {
      const nonEmpty = shape.kind === 'nonEmpty';
      const whole = (input: string): MatchIndexes | null => {
        if (nonEmpty && input === '') return null;
        const n = input.length;
        return shape.group ? [0, n, 0, n] : [0, n];
      };
      return {
        ...general,
        test: (input) => !nonEmpty || input !== '',
        firstMatch: whole,
        allMatches: (input) => {
          const m = whole(input);
          return m === null ? [] : [m];
        },
      };
    }
    case 'literals': {
      const values = shape.values;
      const whole = (input: string): MatchIndexes | null => (values.has(input) ? [0, input.length] : null);
      return {
        ...general,
        test: (input) => values.has(input),
        firstMatch: whole,
        allMatches: (input) => {
          const m = whole(input);
          return m === null ? [] : [m];
        },
      };
    }
    default: {
      const unreachable: never = shape;
      throw new Error(`relabel: unknown regex shape ${JSON.stringify(unreachable)}`);
    }
  }
}
