// A static file server for the page: correct MIME types (application/wasm), no directory
// escapes, and only the folders the pages need (web/ and examples/ of the project: never
// .git/, node_modules/, tests/ or any dotfile). URLs up to 1 MiB are served (the widgets keep
// their state in the query string), not refused with HTTP 431 as Node's 16 KB default would.
//   node scripts/serve.mjs [port] [host]      (or PORT=, HOST=; host 0.0.0.0 for a container or VM)
// Tests import startServer() and pass port 0 for a free port.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** The project's folders a browser may read. */
export const PUBLISHED_FOLDERS = ['web', 'examples'];
const MAX_REQUEST_HEAD_BYTES = 1 << 20;

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.gz': 'application/gzip',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ts': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

/** The file a URL path names, or null: outside the published folders, a dotfile, or absent. */
async function resolveFile(root, folders, urlPath) {
  const relative = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '');
  const segments = relative.split(/[/\\]/).filter(Boolean);
  if (segments.some((segment) => segment.startsWith('.'))) return null;
  if (folders && !folders.includes(segments[0])) return null;
  let file = join(root, relative);
  if (!file.startsWith(root + sep)) return null;
  const info = await stat(file).catch(() => null);
  if (info?.isDirectory()) file = join(file, 'index.html');
  return (await stat(file).catch(() => null))?.isFile() ? file : null;
}

/**
 * Serves `folders` of `root` (default: the project's web/ and examples/; folders null serves
 * everything under root but dotfiles). `/` redirects to `/<index>/`.
 */
export function startServer({
  root = projectRoot,
  folders = PUBLISHED_FOLDERS,
  index = 'web',
  port = 8000,
  host = '127.0.0.1',
} = {}) {
  const server = createServer({ maxHeaderSize: MAX_REQUEST_HEAD_BYTES }, async (request, response) => {
    const path = new URL(request.url, 'http://localhost').pathname;
    if (path === '/') {
      response.writeHead(302, { Location: `/${index}/` });
      response.end();
      return;
    }
    const file = await resolveFile(root, folders, path).catch(() => null);
    if (!file) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(`not found: ${path}\n`);
      return;
    }
    const body = await readFile(file);
    response.writeHead(200, {
      'Content-Type': MIME_TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': body.length,
      'Cache-Control': 'no-cache',
    });
    response.end(body);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actualPort } = server.address();
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolvePromise({
        url: `http://${shownHost}:${actualPort}/`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] || process.env.PORT || 8000);
  const host = process.argv[3] || process.env.HOST || '127.0.0.1';
  const { url } = await startServer({ port, host });
  const everywhere = host === '0.0.0.0' || host === '::' ? ' (every address of this machine)' : '';
  console.log(`Serving the page at ${url}web/${everywhere}  (examples at ${url}examples/)  Ctrl-C stops.`);
}
