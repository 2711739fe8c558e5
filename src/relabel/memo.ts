/**
 * A bounded memo for pure functions of one string, kept inside a compiled rule. A cold relabel cycle sees the
 * same label names and values over and over (250,000 series carry a few thousand distinct values), and a
 * regex evaluation costs about a microsecond, so remembering recent answers removes most of the work. The
 * memo forgets everything when full: no bookkeeping per hit, and high-cardinality values cost one miss each.
 */

/** Values longer than this are not remembered: they are rare and would pin memory. */
const MAX_KEY_LENGTH = 256;

export class BoundedMemo<V> {
  private readonly entries = new Map<string, V>();

  constructor(
    private readonly compute: (key: string) => V,
    private readonly capacity = 4096,
  ) {}

  get(key: string): V {
    if (key.length > MAX_KEY_LENGTH) return this.compute(key);
    const known = this.entries.get(key);
    if (known !== undefined || this.entries.has(key)) return known as V;
    const value = this.compute(key);
    if (this.entries.size >= this.capacity) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }
}
