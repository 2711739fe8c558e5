/**
 * The label set a rule list works on, with the semantics of Prometheus's `labels.Builder`
 * (model/labels/labels_common.go): an empty value is the same as an absent label, and `Range` visits the
 * untouched input labels in name order first, then the labels set by earlier rules in the order they were
 * first set. Only `labelmap` can observe that order (two sources mapping to one target: the last one
 * wins), so it is tracked only for rule lists that contain a labelmap.
 */

/** Label name → value; includes `__name__`; never contains empty values. */
export type Labels = ReadonlyMap<string, string>;

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Prometheus 3 validates label names with the UTF-8 scheme by default (`metric_name_validation_scheme:
 * utf8`; prometheus/common model `LabelName.IsValid`): any non-empty, valid UTF-8 string. A JavaScript
 * string is valid UTF-8 unless it holds a lone surrogate.
 */
export function isValidLabelName(name: string): boolean {
  return name.length > 0 && !LONE_SURROGATE.test(name);
}

/**
 * Orders names as Go's `strings.Compare` does (UTF-8 bytes, i.e. code points). UTF-16 code-unit order
 * differs only between surrogates (U+10000 and up) and U+E000..U+FFFF.
 */
export function compareNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys && (xs ? y >= 0xe000 : x >= 0xe000)) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * Copies labels, leaving out empty values: the Builder treats them as absent (`Reset` deletes them), so a
 * caller that breaks the no-empty-values contract still gets Prometheus's behaviour. `forEach` is faster
 * than `new Map(labels)`, which goes through the iterator protocol.
 */
function copyOf(labels: Labels): Map<string, string> {
  const copy = new Map<string, string>();
  labels.forEach((value, name) => {
    if (value !== '') copy.set(name, value);
  });
  return copy;
}

function inNameOrder(labels: Labels): boolean {
  let previous: string | undefined;
  for (const name of labels.keys()) {
    if (previous !== undefined && compareNames(previous, name) > 0) return false;
    previous = name;
  }
  return true;
}

function sortedCopy(labels: Labels): Map<string, string> {
  const sorted = new Map<string, string>();
  for (const name of Array.from(labels.keys()).sort(compareNames)) {
    const value = labels.get(name) as string;
    if (value !== '') sorted.set(name, value);
  }
  return sorted;
}

export class LabelState {
  /** Current labels. When order is tracked, the map's iteration order is the Builder's `Range` order. */
  readonly map: Map<string, string>;
  /** Names set since the start, in the order the Builder's `add` list holds them; null when untracked. */
  private readonly added: Set<string> | null;

  constructor(input: Labels, trackOrder: boolean) {
    this.map = !trackOrder || inNameOrder(input) ? copyOf(input) : sortedCopy(input);
    this.added = trackOrder ? new Set() : null;
  }

  get(name: string): string {
    return this.map.get(name) ?? '';
  }

  /** As `Builder.Set`: an empty value deletes. */
  set(name: string, value: string): void {
    if (value === '') {
      this.delete(name);
      return;
    }
    const added = this.added;
    if (added !== null && !added.has(name)) {
      // The Builder appends a name to `add` the first time it is set, so Range visits it last.
      this.map.delete(name);
      added.add(name);
    }
    this.map.set(name, value);
  }

  delete(name: string): void {
    this.map.delete(name);
    this.added?.delete(name);
  }

  /** An independent copy of the current labels (for traces). */
  copy(): Map<string, string> {
    return copyOf(this.map);
  }
}
