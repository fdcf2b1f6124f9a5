// Test helper: is this text valid Telegram HTML as we produce it (balanced tags, only known entities)?
export function htmlProblems(text: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const tag = /<(\/?)([a-z]+)>/g;
  let last = 0;
  for (let m = tag.exec(text); m; m = tag.exec(text)) {
    if (/[<>]/.test(text.slice(last, m.index))) problems.push(`stray < or > before ${m.index}`);
    last = m.index + m[0].length;
    if (m[1]) {
      if (stack.pop() !== m[2]) problems.push(`unbalanced </${m[2]}> at ${m.index}`);
    } else stack.push(m[2]!);
  }
  if (/[<>]/.test(text.slice(last))) problems.push('stray < or > at the end');
  if (stack.length) problems.push(`unclosed ${stack.join(',')}`);
  if (/&(?!(amp|lt|gt);)/.test(text)) problems.push('bare & or broken entity');
  return problems;
}
