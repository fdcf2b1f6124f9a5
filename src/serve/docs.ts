// The chronicler's runbooks and post-mortems as pages (read-only): /docs/ lists them, /docs/<folder>/<name>.md shows
// one. They live where the chronicle writes them (ARGUS_DOCS_DIR, else `<state>/docs`). Names are
// checked (no path, no traversal) and symlinks are not followed: only the chronicler's own files are served.
import express, { type Request, type Response } from 'express';
import { DOC_FOLDERS, docTitle, listDocs, readDoc } from '../state/doc-files.js';
import { renderMarkdown } from './markdown.js';
import { sendText } from './send.js';

// The file-name rule and the no-symlink read are shared with the MCP resources (src/mcp/resources.ts).
export { DOC_FOLDERS, DOC_NAME, isDocName, readDoc } from '../state/doc-files.js';
/** No script at all; the page's one small stylesheet inline. */
export const DOCS_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#1b1f24}
table{border-collapse:collapse;display:block;overflow-x:auto}td,th{border:1px solid #ccd;padding:.2rem .5rem;text-align:left}
pre{background:#f3f4f6;padding:.6rem;overflow-x:auto}code{font:13px ui-monospace,monospace}a{color:#0a58ca}`;

const page = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><style>${STYLE}</style></head><body><p><a href="/">← dashboard</a> · <a href="/docs/">all documents</a></p>${body}</body></html>`;

export function docsRoutes(docsDirs: readonly string[]): express.Router {
  const router = express.Router();
  const send = (req: Request, res: Response, html: string) => {
    res.setHeader('Content-Security-Policy', DOCS_CSP);
    sendText(req, res, 'text/html; charset=utf-8', html);
  };
  router.get('/docs/', async (req: Request, res: Response) => {
    const sections: string[] = [];
    for (const folder of DOC_FOLDERS) {
      const { names } = await listDocs(docsDirs, folder);
      const items = await Promise.all(
        names.map(
          async (n) =>
            `<li><a href="/docs/${folder}/${n}">${renderMarkdown(docTitle((await readDoc(docsDirs, folder, n)) ?? '', n), folder).replace(/^<p>|<\/p>$/g, '')}</a></li>`,
        ),
      );
      sections.push(
        `<h2>${folder === 'runbooks' ? 'Runbooks' : 'Post-mortems'}</h2>${items.length ? `<ul>${items.join('')}</ul>` : '<p>None yet: `argus chronicle` writes them from closed incidents.</p>'}`,
      );
    }
    send(req, res, page('Argus: runbooks and post-mortems', `<h1>Runbooks and post-mortems</h1>${sections.join('')}`));
  });

  router.get('/docs/:folder/:name', async (req: Request, res: Response) => {
    const folder = String(req.params.folder);
    const name = String(req.params.name);
    // A name that is not a plain `.md` name, a symlink, anything but a regular file: not found (never followed).
    const md = await readDoc(docsDirs, folder, name);
    if (md === null) return void res.status(404).json({ error: 'no such document' });
    send(req, res, page(`Argus: ${name}`, renderMarkdown(md, folder)));
  });
  return router;
}
