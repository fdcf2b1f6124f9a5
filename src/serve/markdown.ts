// The chronicler's markdown as a page: everything is escaped first, then a small, known subset is turned into tags
// (headings, paragraphs, lists, tables, fenced code, inline code, bold, links between the docs). Host text inside a
// runbook stays text: nothing it contains can become a tag, a script or a link elsewhere.
const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A link target kept only when it stays inside the docs (a relative .md path); anything else is shown as text. */
function docLink(target: string, base: string): string | null {
  if (!/^(\.\.\/)?(runbooks|postmortems)\/[A-Za-z0-9._-]+\.md$|^[A-Za-z0-9._-]+\.md$/.test(target)) return null;
  const path = target.startsWith('../') ? target.slice(3) : target.includes('/') ? target : `${base}/${target}`;
  return `/docs/${path}`;
}

function inline(text: string, base: string): string {
  const parts = text.split(/(`[^`]*`)/);
  return parts
    .map((p) => {
      if (p.startsWith('`') && p.endsWith('`') && p.length >= 2) return `<code>${escape(p.slice(1, -1))}</code>`;
      return escape(p)
        .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
        .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label: string, target: string) => {
          const href = docLink(target.replace(/&amp;/g, '&'), base);
          return href ? `<a href="${escape(href)}">${label}</a>` : whole;
        });
    })
    .join('');
}

const cells = (row: string): string[] =>
  row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, '|'));

/** Render one document; `base` is its folder (runbooks or postmortems), for relative links. */
export function renderMarkdown(md: string, base: string): string {
  const lines = md.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (/^```/.test(line)) {
      const code: string[] = [];
      for (i++; i < lines.length && !/^```/.test(lines[i]!); i++) code.push(lines[i]!);
      i++;
      out.push(`<pre><code>${escape(code.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6}) (.*)$/.exec(line);
    if (heading) {
      out.push(`<h${heading[1]!.length}>${inline(heading[2]!, base)}</h${heading[1]!.length}>`);
      i++;
      continue;
    }
    if (/^\s*\|/.test(line)) {
      const rows: string[] = [];
      for (; i < lines.length && /^\s*\|/.test(lines[i]!); i++) rows.push(lines[i]!);
      const body = rows.filter((r) => !/^\s*\|[\s:|-]+\|\s*$/.test(r));
      const [head, ...rest] = body;
      out.push(
        `<table><thead><tr>${cells(head ?? '')
          .map((c) => `<th>${inline(c, base)}</th>`)
          .join('')}</tr></thead><tbody>${rest
          .map(
            (r) =>
              `<tr>${cells(r)
                .map((c) => `<td>${inline(c, base)}</td>`)
                .join('')}</tr>`,
          )
          .join('')}</tbody></table>`,
      );
      continue;
    }
    const list = /^\s*([-*]|\d+\.) /.exec(line);
    if (list) {
      const ordered = /\d/.test(list[1]!);
      const items: string[] = [];
      for (; i < lines.length && /^\s*([-*]|\d+\.) /.test(lines[i]!); i++)
        items.push(lines[i]!.replace(/^\s*([-*]|\d+\.) /, ''));
      out.push(
        `<${ordered ? 'ol' : 'ul'}>${items.map((t) => `<li>${inline(t, base)}</li>`).join('')}</${ordered ? 'ol' : 'ul'}>`,
      );
      continue;
    }
    if (line.trim() === '') {
      i++;
      continue;
    }
    const para: string[] = [];
    for (; i < lines.length && lines[i]!.trim() !== '' && !/^(```|#{1,6} |\s*\||\s*([-*]|\d+\.) )/.test(lines[i]!); i++)
      para.push(lines[i]!);
    out.push(`<p>${inline(para.join(' '), base)}</p>`);
  }
  return out.join('\n');
}
