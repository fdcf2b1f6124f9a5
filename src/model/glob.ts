// Identity globs (`service:*`, `disk:/var*`): `*` matches anything, including `:` and `/`; every other character is
// literal. One rule for every place that matches identities by pattern (silences, `argus problems --identity`).

/** Compile a glob to an anchored RegExp. */
export function globRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}
