/**
 * @module decode — the one way every YAML surface is read: a `Decoder` over a value and its path that
 * collects every problem, the one YAML-syntax reporter, and the shared words (did you mean, type names,
 * one-of, durations, byte sizes). A leaf: it imports nothing of the project, so config/, relabel/, rules/,
 * server/ and cli/ all use it without a cycle.
 */
export { Decoder, isMapping, type Mapping, type UrlAdvice } from './decoder.js';
export { closestKey, isOneOf, notOneOf, typeName, unknownField } from './suggest.js';
export { readYaml, type YamlRead } from './yaml-text.js';
export { formatDuration, parseDuration } from './duration.js';
export { formatByteSize, parseByteSize } from './byte-size.js';
