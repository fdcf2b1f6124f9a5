// One table of hostile host text (process names, session names, log lines), run through every sink's escaping.
export const HOSTILE: ReadonlyArray<[string, string]> = [
  ['newline + heading', 'x\n# INJECTED'],
  ['carriage return', 'ok\rFAKE'],
  ['ESC colour sequence', '\u001b[31mred\u001b[0m (pid'],
  ['ESC clear screen', 'a\u001b[2J\u001b[Hb'],
  ['OSC title', '\u001b]0;pwned\u0007x'],
  ['one-byte CSI', 'a\u009b31mb'],
  ['table pipe', 'a | b | c'],
  ['backticks', 'x`y``z'],
  ['HTML bold', '<b>bold</b>'],
  ['ampersand', 'a & b &amp;'],
  ['RTL override', 'abc\u202Egnp.exe'],
  ['HTML comment marker', '<!-- argus:human:end -->'],
  ['tab', 'a\tb'],
  ['10 KB name', 'n'.repeat(10_240)],
];
