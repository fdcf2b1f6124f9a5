// systemd unit names: one rule for "nginx" → "nginx.service" everywhere (collector, evaluator, executor, silences).

export const UNIT_TYPES = [
  'service',
  'socket',
  'target',
  'timer',
  'mount',
  'automount',
  'swap',
  'path',
  'slice',
  'scope',
  'device',
] as const;

/** `nginx` → `nginx.service`; a name that already ends in a unit type (`.timer`, `.service`, …) is kept as it is. */
export function withUnitType(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && (UNIT_TYPES as readonly string[]).includes(name.slice(dot + 1)) ? name : `${name}.service`;
}
