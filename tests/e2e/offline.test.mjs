// The installable, offline page (`cargo xtask dist`): one visit online installs the service
// worker, which caches the page's own hashed files; then, with the network off, the page
// reloads and diagnoses a paste. Run by `cargo xtask test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dist = path.join(root, 'dist');
const fixture = (name) => fs.readFileSync(path.join(root, 'tests/fixtures', name), 'utf8');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml', '.webmanifest': 'application/manifest+json' };

let server, origin, browser;
const served = [];
/** Bumped to serve sw.js changed, as a new release would. */
let release = 0;
/** While true the server drops every connection: Chromium's offline emulation does not
 * cover a service worker's own fetches, a dead server does. */
let down = false;

before(async () => {
  assert.ok(fs.existsSync(path.join(dist, 'sw.js')), 'build the folder first: cargo xtask dist');
  server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (down) { req.socket.destroy(); return; }
    served.push(url.pathname);
    const file = path.join(dist, url.pathname === '/' ? 'index.html' : path.normalize(url.pathname));
    if (!file.startsWith(dist) || !fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-cache' });
    if (url.pathname === '/sw.js' && release > 0) { res.end(`${fs.readFileSync(file, 'utf8')}\n// release ${release}\n`); return; }
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

test('after one visit the page reloads and diagnoses with the network off', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(origin + '/');
  await page.waitForSelector('main[data-state="idle"] textarea#input');
  // The service worker is installed and has cached the page's files.
  const cached = await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    const names = await caches.keys();
    const cache = await caches.open(names.find((n) => n.startsWith('httpdx-')));
    return (await cache.keys()).map((r) => new URL(r.url).pathname);
  });
  assert.ok(cached.some((p) => /httpdx-web-[0-9a-f]+_bg\.wasm$/.test(p)), cached.join(' '));
  assert.ok(cached.some((p) => /httpdx-worker-[0-9a-f]+_bg\.wasm$/.test(p)), 'the worker too');
  const manifest = await page.evaluate(async () => (await fetch(document.querySelector('link[rel=manifest]').href)).json());
  assert.equal(manifest.short_name, 'httpdx');

  await context.setOffline(true);
  down = true;
  const before = served.length;
  await page.reload();
  await page.waitForSelector('main[data-state="idle"] textarea#input');
  await page.fill('#input', fixture('fastapi/401-expired-jwt.txt'));
  await page.waitForSelector('[data-finding="auth.token-expired"]');
  // A large paste goes to the Web Worker: it loads from the cache too.
  await page.fill('#input', fixture('nginx/502-dead-upstream.txt') + '\n' + ' '.repeat(300 * 1024));
  await page.waitForSelector('[data-finding="gateway.upstream-unreachable"]', { timeout: 20000 });
  assert.equal(served.length, before, `offline, the server saw ${served.slice(before).join(', ')}`);
  assert.deepEqual(errors, []);
  down = false;
  await context.close();
});

test('a new release replaces the old cache', async () => {
  const sw = fs.readFileSync(path.join(dist, 'sw.js'), 'utf8');
  const version = sw.match(/const CACHE = '(httpdx-[0-9a-f]+)'/)[1];
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(origin + '/');
  // An old release's cache, as a previous version of the page would have left it.
  await page.evaluate(async () => { await navigator.serviceWorker.ready; await caches.open('httpdx-0000000000000000'); });
  // The browser checks sw.js for updates: serve it changed, as a new release would.
  release += 1;
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  await page.evaluate(async () => {
    for (let i = 0; i < 100 && (await caches.keys()).includes('httpdx-0000000000000000'); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  const names = await page.evaluate(() => caches.keys());
  assert.deepEqual(names.filter((n) => n.startsWith('httpdx-')), [version]);
  await context.close();
});
