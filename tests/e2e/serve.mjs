// The built page (dist/, from `cargo xtask dist`) served on a free loopback port as a static
// host serves it: the content types, and the headers its own _headers file gives each path
// (the pinned CSP among them), so a browser runs the page as deployed.
// Used by the e2e tests, the benchmarks and screenshots.mjs.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
export const dist = path.join(root, 'dist');

/** A fixture's text, by its path under tests/fixtures. */
export const fixture = (name) => fs.readFileSync(path.join(root, 'tests/fixtures', name), 'utf8');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
};

/** The rules of a Netlify-style _headers file: `/*` splats, exact paths otherwise. */
function readHeaderRules(file) {
  if (!fs.existsSync(file)) return [];
  const rules = [];
  let current = null;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('#') || !line.trim()) continue;
    if (!line.startsWith(' ')) {
      current = { pattern: line.trim(), headers: {} };
      rules.push(current);
      continue;
    }
    const [name, ...value] = line.trim().split(':');
    current.headers[name.trim().toLowerCase()] = value.join(':').trim();
  }
  return rules;
}

/** The headers dist/_headers gives `pathname`, as a static host would send them. */
export function deployedHeaders(pathname) {
  return headersFor(readHeaderRules(path.join(dist, '_headers')), pathname);
}

function headersFor(rules, pathname) {
  const out = {};
  for (const rule of rules) {
    const matches = rule.pattern.endsWith('*') ? pathname.startsWith(rule.pattern.slice(0, -1)) : pathname === rule.pattern;
    if (matches) Object.assign(out, rule.headers);
  }
  return out;
}

/** Where the optional head script is served (see `serveDist`). */
const HEAD_SCRIPT_PATH = '/__e2e-head.js';

/**
 * Serves dist/ on 127.0.0.1 at a free port; resolves to `{ origin, close }`.
 *
 * `headScript`: JavaScript that runs before anything else on the page (a recorder of errors,
 * say). It is served from the page's own origin and linked as the first element of <head>, so
 * the page's CSP (`script-src 'self' …`) admits it like the page's own files — an inline script
 * would be refused, as the page's CSP intends.
 */
export async function serveDist({ headScript = null } = {}) {
  if (!fs.existsSync(path.join(dist, 'index.html'))) {
    throw new Error('build the page first: cargo xtask dist');
  }
  const rules = readHeaderRules(path.join(dist, '_headers'));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let pathname = decodeURIComponent(url.pathname);
    if (headScript !== null && pathname === HEAD_SCRIPT_PATH) {
      res.writeHead(200, { 'content-type': TYPES['.js'], 'cache-control': 'no-store' });
      res.end(headScript);
      return;
    }
    if (pathname.endsWith('/')) pathname += 'index.html';
    const file = path.join(dist, path.normalize(pathname));
    if (!file.startsWith(dist + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404);
      res.end();
      return;
    }
    const headers = { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', ...headersFor(rules, url.pathname) };
    res.writeHead(200, headers);
    if (headScript !== null && path.extname(file) === '.html') {
      const html = fs.readFileSync(file, 'utf8').replace(/<head>/i, `<head><script src="${HEAD_SCRIPT_PATH}"></script>`);
      res.end(html);
      return;
    }
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

/** An init script (`addInitScript`): records, in `window.__messages`, every message the
 *  page receives from its worker (its kind, job, phase, progress, the length of its JSON)
 *  with when the page's handler began and how long it took. Runs in the page: it uses
 *  nothing from this module. */
export function recordWorkerMessages() {
  window.__messages = [];
  const descriptor = Object.getOwnPropertyDescriptor(Worker.prototype, 'onmessage');
  Object.defineProperty(Worker.prototype, 'onmessage', {
    configurable: true,
    get() { return descriptor.get.call(this); },
    set(handler) {
      descriptor.set.call(this, handler && function (event) {
        const start = performance.now();
        const result = handler.call(this, event);
        const data = event.data || {};
        window.__messages.push({ kind: data.kind, job: data.job, phase: data.phase, done: data.done, at: start, ms: performance.now() - start, chars: data.json ? data.json.length : 0 });
        return result;
      });
    },
  });
}
