// The deployable folder (`cargo xtask dist`) as a static host serves it: hashed names, the
// headers from its own _headers file (CSP with the inline loader's hash, no 'unsafe-inline'),
// the worker found through its hashed address, and the finding pages linked from the report.
// Run by `cargo xtask test` after `cargo xtask dist`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serveDist, deployedHeaders as headersFor, fixture, dist } from './serve.mjs';

const HASHED = /-[0-9a-f]{12,20}(_bg)?\.[a-z]+$/;

let server, origin, browser;

before(async () => {
  assert.ok(fs.existsSync(path.join(dist, '_headers')), 'build the folder first: cargo xtask dist');
  server = await serveDist();
  origin = server.origin;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

function allFiles(dir, prefix = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? allFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]);
}

test('every file but the pages, the header files, the manifest and the service worker carries a content hash', () => {
  const files = allFiles(dist);
  const unhashed = files.filter((f) => !f.endsWith('.html') && !['_headers', 'nginx.conf', 'sw.js', 'manifest.webmanifest'].includes(f) && !HASHED.test(f));
  assert.deepEqual(unhashed, []);
  assert.ok(files.some((f) => /^httpdx-worker-[0-9a-f]+_bg\.wasm$/.test(f)), 'the worker is hashed');
  const index = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const csp = index.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)[1];
  const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src'));
  assert.ok(!scriptSrc.includes("'unsafe-inline'"), scriptSrc);
  assert.match(scriptSrc, /'sha256-[A-Za-z0-9+/]+=*'/);
  const worker = index.match(/<meta name="httpdx-worker" content="\.\/([^"]+)">/)[1];
  assert.ok(files.includes(worker), worker);
  const headers = headersFor('/');
  assert.match(headers['content-security-policy'], /frame-ancestors 'none'/);
  assert.equal(headers['referrer-policy'], 'no-referrer');
  assert.equal(headers['cache-control'], 'no-cache');
  assert.match(headersFor(`/${worker}`)['cache-control'], /immutable/);
  const nginx = fs.readFileSync(path.join(dist, 'nginx.conf'), 'utf8');
  assert.match(nginx, /frame-ancestors 'none'/);
  assert.match(nginx, /immutable/);
});

test('the page runs under its CSP headers, its worker included, and links each finding to its page', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(origin + '/');
  await page.waitForSelector('main[data-state="idle"] textarea#input');
  // Over 256 KB: diagnosed in the worker, which must load from its hashed address.
  const big = fixture('fastapi/401-expired-jwt.txt') + '\n' + ' '.repeat(300 * 1024);
  await page.fill('#input', big);
  await page.waitForSelector('[data-finding="auth.token-expired"]', { timeout: 20000 });
  assert.ok(requests.some((url) => /httpdx-worker-[0-9a-f]+_bg\.wasm$/.test(url)), 'the worker ran');
  assert.ok(requests.every((url) => url.startsWith(origin + '/')), 'nothing but its own files');
  assert.deepEqual(problems, []);
  const href = await page.locator('[data-finding="auth.token-expired"] a.id-link').getAttribute('href');
  assert.equal(href, 'findings/auth.token-expired.html');
  const doc = await context.newPage();
  const response = await doc.goto(new URL(href, origin + '/').href);
  assert.equal(response.status(), 200);
  assert.match(await doc.locator('h2').innerText(), /auth\.token-expired/);
  assert.match(await doc.locator('main').innerText(), /Fix, as the caller/);
  await context.close();
});

test('the findings index filters as one types, under the same CSP', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(origin + '/findings/');
  const all = await page.locator('#findings li').count();
  assert.ok(all > 50, `${all} findings`);
  await page.fill('#filter', 'cors');
  const visible = await page.locator('#findings li:visible').allInnerTexts();
  assert.ok(visible.length > 0 && visible.length < all, `${visible.length} of ${all}`);
  assert.ok(visible.every((t) => /cors/i.test(t)), visible.join('\n'));
  assert.match(await page.locator('#count').innerText(), new RegExp(`^${visible.length} of ${all}$`));
  assert.deepEqual(problems, []);
  await context.close();
});
