// The 500 MB check, run by `cargo xtask bench` (not by the tests: it takes minutes and GBs):
// a HAR of 184,000 entries (about 502 MB) in the shape of ../shared/bench/make_har.py is chosen in the built
// page, which must show its report without crashing the tab; the peak resident memory of
// Chromium's processes is sampled while it works (the worker runs in the page's renderer).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { serveDist } from './serve.mjs';

const ENTRIES = Number(process.env.HUGE_ENTRIES || 184000);
const file = path.join(os.tmpdir(), `httpdx-huge-${ENTRIES}.har`);

/** Writes the HAR entry by entry (make_har.py's shape and seed idea), never whole in memory. */
function writeHar() {
  if (fs.existsSync(file)) return;
  const out = fs.openSync(file, 'w');
  let seed = 1;
  const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  const statuses = [200, 200, 200, 200, 200, 200, 200, 200, 401, 404, 500, 429, 0];
  const items = JSON.stringify({ items: Array.from({ length: 30 }, (_, j) => ({ id: j, name: `item ${j}`, tags: ['a', 'b'] })) });
  fs.writeSync(out, '{"log": {"version": "1.2", "creator": {"name": "bench", "version": "1"}, "entries": [');
  for (let i = 0; i < ENTRIES; i += 1) {
    const status = statuses[Math.floor(random() * statuses.length)];
    const headers = [{ name: 'Content-Type', value: 'application/json' }, { name: 'Date', value: 'Tue, 24 Nov 2026 10:00:00 GMT' }, { name: 'Server', value: 'nginx' }];
    if (status === 429) headers.push({ name: 'Retry-After', value: '30' }, { name: 'X-RateLimit-Remaining', value: '0' });
    if (status === 401) headers.push({ name: 'WWW-Authenticate', value: 'Bearer error="invalid_token"' });
    const entry = {
      startedDateTime: '2026-11-24T10:00:00.000Z', time: 12.5,
      request: { method: 'GET', url: `https://api.example.com/v1/items/${i}?q=abc`, httpVersion: 'HTTP/1.1',
        headers: [{ name: 'Accept', value: 'application/json' }, { name: 'Authorization', value: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.c2ln' },
          { name: 'User-Agent', value: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156 Safari/537.36' }],
        queryString: [{ name: 'q', value: 'abc' }], cookies: [], headersSize: -1, bodySize: 0 },
      response: { status, statusText: '', httpVersion: 'HTTP/1.1', headers: status ? headers : [], cookies: [],
        content: { size: 1500, mimeType: 'application/json', text: status ? items : '' },
        redirectURL: '', headersSize: -1, bodySize: 1500, ...(status === 0 ? { _error: 'net::ERR_FAILED' } : {}) },
      cache: {}, timings: { send: 0.1, wait: 10, receive: 2 },
    };
    fs.writeSync(out, (i ? ', ' : '') + JSON.stringify(entry, null, 1));
  }
  fs.writeSync(out, ']}}\n');
  fs.closeSync(out);
}

/** Resident memory of every Chromium process, in bytes, by pid. */
function chromiumRss() {
  const rss = new Map();
  const text = execFileSync('ps', ['-eo', 'pid,rss,args'], { encoding: 'utf8' });
  for (const line of text.split('\n').slice(1)) {
    const [pid, kb, ...args] = line.trim().split(/\s+/);
    if (args.join(' ').includes('chromium')) rss.set(pid, Number(kb) * 1024);
  }
  return rss;
}

writeHar();
const bytes = fs.statSync(file).size;
const { origin, close } = await serveDist();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
});
// The waits below evaluate script in the page, which its pinned CSP refuses (by design).
const page = await (await browser.newContext({ bypassCSP: true })).newPage();
let crashed = false;
page.on('crash', () => { crashed = true; });
await page.goto(origin + '/');
await page.waitForSelector('main[data-state="idle"]');
let peakProcess = 0;
let peakTotal = 0;
const sampler = setInterval(() => {
  const rss = [...chromiumRss().values()];
  peakProcess = Math.max(peakProcess, ...rss);
  peakTotal = Math.max(peakTotal, rss.reduce((a, b) => a + b, 0));
}, 200);
const start = Date.now();
await page.setInputFiles('#file', file);
await page.waitForFunction(() => ['done', 'error'].includes(document.querySelector('main').dataset.state) && !document.querySelector('#progress'), null, { timeout: 30 * 60 * 1000, polling: 500 });
const seconds = (Date.now() - start) / 1000;
clearInterval(sampler);
const state = await page.getAttribute('main', 'data-state');
const summary = await page.evaluate(() => document.querySelector('.exchanges')?.innerText.split('\n')[0] ?? document.querySelector('.error-message')?.innerText);
const wasm = await page.evaluate(() => performance.memory ? performance.memory.usedJSHeapSize : 0);
console.log(`huge: ${(bytes / 1e6).toFixed(0)} MB HAR (${ENTRIES} entries): state ${state}${crashed ? ' (tab crashed)' : ''} after ${seconds.toFixed(1)} s; "${summary}"`);
console.log(`huge: peak resident memory: largest Chromium process ${(peakProcess / 1e6).toFixed(0)} MB, all Chromium processes ${(peakTotal / 1e6).toFixed(0)} MB; page JS heap after ${(wasm / 1e6).toFixed(0)} MB`);
await browser.close();
close();
if (state !== 'done' || crashed) process.exit(1);
