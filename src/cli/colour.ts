// Colour on a terminal: severities, marks and verdicts painted after the text was made safe (the escapes added here
// are ours; host text was already stripped of its own). Off on a pipe, with NO_COLOR set, TERM=dumb, --no-color or --json.

const ESC = '\u001b[';
const paint = (code: string) => (s: string) => `${ESC}${code}m${s}${ESC}0m`;
const red = paint('1;31');
const yellow = paint('33');
const green = paint('32');
const dim = paint('2');

/** Whether this run may colour its standard output. */
export function colourWanted(
  isTTY: boolean,
  env: Record<string, string | undefined>,
  argv: readonly string[],
): boolean {
  if (!isTTY || env.TERM === 'dumb' || (env.NO_COLOR !== undefined && env.NO_COLOR !== '')) return false;
  return !argv.includes('--no-color') && !argv.includes('--json');
}

const RULES: ReadonlyArray<[RegExp, (s: string) => string]> = [
  [/^(\s*)(CRITICAL|FAILED?|STALE)\b/, red],
  [/^(\s*)(WARNING)\b/, yellow],
  [/^(\s*)(RESOLVED|ok)\b/, green],
  [/^(\s*)(INFO)\b/, dim],
  [/^(\s*)(✓)/, green],
  [/^(\s*)(✗)/, red],
  [/^(\s*)(!)(?= )/, yellow],
  [/^(argus )(ok)\b/, green],
  [/^(argus )(STALE|failing|never ran)\b/, red],
];

/** Paint the first matching word of each line. */
export function colourise(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      for (const [re, fn] of RULES) {
        const m = re.exec(line);
        if (m) return `${m[1]}${fn(m[2]!)}${line.slice(m[0].length)}`;
      }
      return line;
    })
    .join('\n');
}
