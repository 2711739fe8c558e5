/**
 * Byte sizes as Prometheus's `body_size_limit` reads them (alecthomas/units Base2Bytes): `64MiB`, `64MB`
 * (also 2^20 — Prometheus's MB is base 2), `512KB`, `1GB`, or a plain number of bytes.
 */
const UNITS: Record<string, number> = {
  B: 1,
  KB: 2 ** 10,
  MB: 2 ** 20,
  GB: 2 ** 30,
  TB: 2 ** 40,
  KIB: 2 ** 10,
  MIB: 2 ** 20,
  GIB: 2 ** 30,
  TIB: 2 ** 40,
};

export function parseByteSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+)\s*([a-zA-Z]*)$/.exec(value.trim());
  if (!match) return undefined;
  const unit = match[2] === '' ? 1 : UNITS[match[2]!.toUpperCase()];
  return unit === undefined ? undefined : Number(match[1]) * unit;
}

const SIZES: Array<[unit: string, bytes: number]> = [
  ['GiB', 2 ** 30],
  ['MiB', 2 ** 20],
  ['KiB', 2 ** 10],
];

/** Bytes in the largest binary unit that divides them (as parseByteSize reads it back). */
export function formatByteSize(bytes: number): string {
  const unit = SIZES.find(([, size]) => bytes >= size && bytes % size === 0);
  return unit ? `${bytes / unit[1]}${unit[0]}` : String(bytes);
}
