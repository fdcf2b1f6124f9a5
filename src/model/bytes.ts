// Byte counts as people read them, in binary (IEC) units like free -h and du -h: one rule for every message.
const UNITS: Array<[number, string]> = [
  [2 ** 40, 'TiB'],
  [2 ** 30, 'GiB'],
  [2 ** 20, 'MiB'],
  [2 ** 10, 'KiB'],
];

export function fmtBytes(bytes: number): string {
  for (const [size, unit] of UNITS) if (Math.abs(bytes) >= size) return `${(bytes / size).toFixed(1)} ${unit}`;
  return `${Math.round(bytes)} B`;
}
