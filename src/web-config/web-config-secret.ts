/**
 * A value that must never reach a log line: it prints as `<secret>` through `String()`, `JSON.stringify`
 * and `util.inspect`, as Prometheus's config_util.Secret marshals to `<secret>`. Only `reveal()` gives it out.
 */
import { inspect } from 'node:util';

export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '<secret>';
  }
  toJSON(): string {
    return '<secret>';
  }
  [inspect.custom](): string {
    return '<secret>';
  }
}
