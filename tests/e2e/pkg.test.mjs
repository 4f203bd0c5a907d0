// The npm package as a user gets it: `npm pack` of pkg/ (built by `cargo xtask pkg`),
// installed into an empty project, then called from Node and from a page in Chromium.
// Run by `cargo xtask test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const pkg = path.join(root, 'pkg');
const fixture = (name) => fs.readFileSync(path.join(root, 'tests/fixtures', name), 'utf8');

let project, installed;

before(() => {
  assert.ok(fs.existsSync(path.join(pkg, 'package.json')), 'build the package first: cargo xtask pkg');
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'httpdx-pkg-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', temp], { cwd: pkg, encoding: 'utf8' }));
  const tarball = path.join(temp, packed[0].filename);
  const files = packed[0].files.map((f) => f.path).sort();
  assert.deepEqual(files, ['README.md', 'httpdx.js', 'httpdx_bg.wasm', 'index.d.ts', 'node.js', 'package.json']);
  project = path.join(temp, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'uses-httpdx', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball], { cwd: project, stdio: 'inherit' });
  installed = path.join(project, 'node_modules/httpdx');
});

after(() => {
  if (project) fs.rmSync(path.dirname(project), { recursive: true, force: true });
});

test('diagnose() and the share helpers work from Node after npm install', () => {
  fs.writeFileSync(path.join(project, 'fixture.txt'), fixture('fastapi/401-expired-jwt.txt'));
  fs.writeFileSync(path.join(project, 'main.mjs'), `
    import fs from 'node:fs';
    import init, { diagnose, markdown, shareLink, openLink, redact } from 'httpdx';
    await init();
    const text = fs.readFileSync('fixture.txt', 'utf8');
    const report = diagnose(text, { referenceTime: 1795631400 });
    const link = shareLink(text, 'http://127.0.0.1:8080/');
    const opened = openLink(link.url);
    let error = null;
    try { diagnose('', {}); } catch (e) { error = e instanceof Error ? e.message : String(e); }
    let badFormat = null;
    try { diagnose(text, { format: 'yaml' }); } catch (e) { badFormat = e.message; }
    console.log(JSON.stringify({
      report, link, opened: { text: opened.text.slice(0, 200), ids: opened.report.exchanges[0].findings.map((f) => f.id) },
      markdown: markdown(text), redacted: redact('GET /x?api_key=abcdef123456 HTTP/1.1\\n\\n'), error, badFormat,
    }));
  `);
  const out = JSON.parse(execFileSync('node', ['main.mjs'], { cwd: project, encoding: 'utf8' }));
  assert.equal(out.report.schema, 'httpdx.report/2');
  assert.equal(out.report.format, 'curl-verbose');
  assert.equal(out.report.exchanges[0].response.status, 401);
  assert.ok(out.report.exchanges[0].findings.some((f) => f.id === 'auth.token-expired'));
  assert.match(out.link.url, /^http:\/\/127\.0\.0\.1:8080\/#v1\./);
  assert.ok(out.link.redactions > 0);
  assert.ok(out.opened.ids.includes('auth.token-expired'));
  assert.match(out.markdown, /\(`auth\.token-expired`\)/);
  assert.ok(!out.redacted.text.includes('abcdef123456') && out.redacted.redactions === 1, JSON.stringify(out.redacted));
  assert.match(out.error, /empty/i);
  assert.match(out.badFormat, /unknown format `yaml`/);
});

test('the same package runs in a page in Chromium', async () => {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>httpdx package</title><script type="module">import init, { diagnose } from "./httpdx/httpdx.js"; await init(); window.diagnose = diagnose; window.ready = true;</script>');
      return;
    }
    const file = path.join(installed, path.normalize(url.pathname.replace(/^\/httpdx\//, '')));
    if (!file.startsWith(installed) || !fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
    const type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
    res.writeHead(200, { 'content-type': type });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.ready === true);
    const ids = await page.evaluate((text) => window.diagnose(text).exchanges[0].findings.map((f) => f.id), fixture('nginx/502-dead-upstream.txt'));
    assert.ok(ids.includes('gateway.upstream-unreachable'), ids.join(', '));
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
});
