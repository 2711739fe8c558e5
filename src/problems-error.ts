/**
 * The one base of every load-time error (flags, config, web config, SLO file, rules, key, storage, listening):
 * where the problem is (`origin`: `config bridge.yml`, `web config web.yml`, `--shard`; empty when the
 * problem names its own place) and every problem found, each one line that ends with its fix. main prints
 * `lines()` one per line and exits 1; /-/reload answers the same lines. Request-time problems are data, not
 * this (the relabel debugger answers them as a 400).
 */
/** A problem as printed: `origin: problem`, or the problem alone when it names its own place. */
function asLine(origin: string, problem: string): string {
  return origin ? `${origin}: ${problem}` : problem;
}

export class ProblemsError extends Error {
  override name = 'ProblemsError';
  readonly origin: string;
  readonly problems: string[];

  constructor(origin: string, problems: readonly string[], options?: { cause?: unknown }) {
    super(problems.map((p) => asLine(origin, p)).join('\n'), options);
    this.origin = origin;
    this.problems = [...problems];
  }

  /** One line per problem, each naming where it is. */
  lines(): string[] {
    return this.problems.map((p) => asLine(this.origin, p));
  }
}
