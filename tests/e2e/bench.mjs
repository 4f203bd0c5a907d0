// The page's benchmark, run by `cargo xtask bench` (not by the tests: it takes minutes).
// In headless Chromium against the release build: a HAR of the benchmark's shape (20,000
// entries, about 55 MB: mostly 200s with JSON bodies, plus 401/404/429/500 and blocked
// entries — the shape of ../shared/bench/make_har.py) is chosen from disk through the page's
// file input, then dropped on the page as a `File` made in it, and the time
// to its first screen (the report with its exchange list) is compared with the browser's
// own `JSON.parse` of the same text, each the median of several runs. Each run also says
// where the time went: when each of the worker's messages reached the page (the file read,
// the entries read, the rules run, the index and its further rows), how long the page's
// handler of each kind of message took, the time to all findings (every exchange checked and
// shown), and the longest task of the page's main thread (a PerformanceObserver of long
// tasks) from the file chosen (or dropped) to all findings.
import { chromium } from 'playwright-core';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDist, fixture, recordWorkerMessages } from './serve.mjs';

const ENTRIES = Number(process.env.BENCH_ENTRIES || 20000);
const RUNS = Number(process.env.BENCH_RUNS || 3);
// How the HAR reaches the page: `chosen`, a file on disk chosen through the page's file
// input (what a person does: the browser reads it from disk); `dropped`, a `File` made in the
// page from the text and dropped on it (its bytes are in memory, copied to the browser's
// process before they can be read). Both, by default.
const HOW = (process.env.BENCH_HOW || 'chosen,dropped').split(',');

// BENCH_JS_FLAGS passes V8 flags to Chromium (`--no-liftoff`: every function compiled
// optimised from the start, as a warmed-up worker's are).
const server = await serveDist();
const { origin } = server;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', ...(process.env.BENCH_JS_FLAGS ? [`--js-flags=${process.env.BENCH_JS_FLAGS}`] : [])],
});

// Runs in the page before its scripts: records every long task of the main thread (the
// worker's messages are recorded by `recordWorkerMessages`).
function recordLongTasks() {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push({ start: entry.startTime, ms: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const harDir = mkdtempSync(join(tmpdir(), 'httpdx-bench-'));
const harPath = join(harDir, 'bench.har');
for (const how of HOW) {
const parses = [];
const screens = [];
const alls = [];
const longests = [];
let bytes = 0;
for (let run = 0; run < RUNS; run += 1) {
  const page = await browser.newPage();
  if (process.env.BENCH_TRACE) { page.on('console', (m) => console.log('    console:', m.text())); page.on('worker', (w) => w.on('console', (m) => console.log('    worker:', m.text()))); }
  await page.addInitScript(recordLongTasks);
  await page.addInitScript(recordWorkerMessages);
  await page.goto(origin + '/');
  await page.waitForSelector('main[data-state="idle"]');
  const prepared = await page.evaluate(async (n) => {
    // A deterministic generator of the benchmark's shape (seeded, like make_har.py).
    let seed = 1;
    const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const statuses = [200, 200, 200, 200, 200, 200, 200, 200, 401, 404, 500, 429, 0];
    const entries = [];
    for (let i = 0; i < n; i += 1) {
      const status = statuses[Math.floor(random() * statuses.length)];
      const headers = [{ name: 'Content-Type', value: 'application/json' }, { name: 'Date', value: 'Tue, 24 Nov 2026 10:00:00 GMT' }, { name: 'Server', value: 'nginx' }];
      if (status === 429) headers.push({ name: 'Retry-After', value: '30' }, { name: 'X-RateLimit-Remaining', value: '0' });
      if (status === 401) headers.push({ name: 'WWW-Authenticate', value: 'Bearer error="invalid_token"' });
      const items = Array.from({ length: 30 }, (_, j) => ({ id: j, name: `item ${j}`, tags: ['a', 'b'] }));
      entries.push({
        startedDateTime: '2026-11-24T10:00:00.000Z', time: 12.5,
        request: { method: 'GET', url: `https://api.example.com/v1/items/${i}?q=abc`, httpVersion: 'HTTP/1.1',
          headers: [{ name: 'Accept', value: 'application/json' }, { name: 'Authorization', value: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.c2ln' },
            { name: 'User-Agent', value: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156 Safari/537.36' }],
          queryString: [{ name: 'q', value: 'abc' }], cookies: [], headersSize: -1, bodySize: 0 },
        response: { status, statusText: '', httpVersion: 'HTTP/1.1', headers: status ? headers : [], cookies: [],
          content: { size: 1500, mimeType: 'application/json', text: status ? JSON.stringify({ items }) : '' },
          redirectURL: '', headersSize: -1, bodySize: 1500, ...(status === 0 ? { _error: 'net::ERR_FAILED' } : {}) },
        cache: {}, timings: { send: 0.1, wait: 10, receive: 2 },
      });
    }
    const text = JSON.stringify({ log: { version: '1.2', creator: { name: 'bench', version: '1' }, entries } }, null, 1);
    // The browser's own parse of the same text.
    const parseStart = performance.now();
    JSON.parse(text);
    const parse = performance.now() - parseStart;
    window.__text = text;
    return { parse, bytes: text.length };
  }, ENTRIES);
  if (how === 'chosen' && !existsSync(harPath)) {
    writeFileSync(harPath, await page.evaluate(() => window.__text));
  }
  // The time the file is chosen: when the input's `change` event starts (a listener of the
  // capture phase on the document runs before the page's own). The page's changes are
  // watched from before, so that none is missed.
  await page.evaluate(() => {
    window.__messages.length = 0;
    window.__chosen = new Promise((resolve) => document.addEventListener('change', () => resolve(performance.now()), { capture: true, once: true }));
    const main = document.querySelector('main');
    const until = (test) => new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (test()) { observer.disconnect(); resolve(performance.now()); }
      });
      observer.observe(main, { attributes: true, childList: true, subtree: true });
    });
    // The first screen: the counts and the failures listed (`first-screen` while the rest
    // is checked; `done` at once when everything was checked before anything was shown).
    // (Timed by a MutationObserver: it runs right after the render that shows the state,
    // where a polling timer would wait behind the worker's queued messages.)
    window.__screen = until(() => ['first-screen', 'done'].includes(main.dataset.state) && document.querySelector('li[data-exchange]'));
    window.__done = until(() => main.dataset.state === 'done');
  });
  if (how === 'chosen') {
    await page.setInputFiles('#file', harPath);
  } else {
    // The `File` is made in a task of its own (encoding 58 MB of text takes the page a few
    // hundred ms): the drop's task is the page's alone.
    await page.evaluate(() => {
      window.__transfer = new DataTransfer();
      window.__transfer.items.add(new File([window.__text], 'bench.har', { type: 'application/json' }));
    });
    await page.evaluate(() => {
      window.__chosen = performance.now();
      document.querySelector('.page').dispatchEvent(new DragEvent('drop', { dataTransfer: window.__transfer, bubbles: true, cancelable: true }));
    });
  }
  const result = await page.evaluate(async ({ parse, bytes }) => {
    const main = document.querySelector('main');
    const start = await window.__chosen;
    const screen = await window.__screen - start;
    // All findings: every exchange checked (`done`), and the last of the worker's messages
    // handled, until the worker is quiet (which also lets late long-task entries arrive).
    const doneAt = await window.__done - start;
    for (let seen = -1; seen !== window.__messages.length;) {
      seen = window.__messages.length;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const reportKinds = ['index', 'rows-more', 'rows-checked', 'checked'];
    const lastReport = window.__messages.filter((m) => reportKinds.includes(m.kind)).pop();
    const all = Math.max(screen, doneAt, lastReport ? lastReport.at + lastReport.ms - start : 0);
    const after = (t) => t - start;
    const messages = window.__messages;
    const firstOf = (test) => messages.find(test);
    const lastOf = (test) => messages.filter(test).pop();
    const marks = {
      'worker starts': firstOf((m) => m.kind === 'progress' && m.phase === 'reading-file'),
      'file read': firstOf((m) => m.kind === 'progress' && m.phase === 'reading'),
      'entries read': firstOf((m) => m.kind === 'progress' && m.phase === 'checking'),
      'index arrives': firstOf((m) => m.kind === 'index'),
      'last rows arrive': lastOf((m) => m.kind === 'rows-more'),
      'checked rows arrive': firstOf((m) => m.kind === 'rows-checked'),
      'checked arrives': firstOf((m) => m.kind === 'checked'),
    };
    const breakdown = Object.entries(marks).filter(([, m]) => m).map(([name, m]) => `${name} ${after(m.at).toFixed(0)}`);
    const handled = (kind) => messages.filter((m) => m.kind === kind);
    const handlers = reportKinds.map((kind) => {
      const list = handled(kind);
      if (!list.length) return '';
      const ms = list.map((m) => m.ms);
      return `${kind}: ${list.length} × (${(list.reduce((n, m) => n + m.chars, 0) / 1e6).toFixed(1)} MB JSON) handled in ${ms.reduce((a, b) => a + b, 0).toFixed(0)} ms, longest ${Math.max(...ms).toFixed(0)}`;
    }).filter(Boolean);
    // Every task that ran after the file was given, also one that began before it (the
    // task that made and dropped the `File` runs the page's drop handler too).
    const tasks = window.__longTasks.filter((t) => t.start + t.ms > start);
    const longest = tasks.reduce((m, t) => Math.max(m, t.ms), 0);
    const beforeScreen = tasks.filter((t) => t.start < start + screen).reduce((m, t) => Math.max(m, t.ms), 0);
    const where = tasks.map((t) => `${after(t.start).toFixed(0)}+${t.ms.toFixed(0)}`).join(' ');
    const trace = messages.filter((m) => m.at - start < screen + 50).map((m) => `${m.kind}${m.phase ? ':' + m.phase : ''}@${after(m.at).toFixed(0)}+${m.ms.toFixed(0)}`).join(' ');
    return { trace, bytes, parse, screen, all, breakdown: breakdown.join(', '), handlers: handlers.join('; '), longest, beforeScreen, longTasks: tasks.length, where };
  }, prepared);
  bytes = result.bytes;
  parses.push(result.parse);
  screens.push(result.screen);
  alls.push(result.all);
  longests.push(result.longest);
  console.log(`run ${run + 1}: JSON.parse ${result.parse.toFixed(0)} ms, first screen ${result.screen.toFixed(0)} ms (×${(result.screen / result.parse).toFixed(2)}), all findings ${result.all.toFixed(0)} ms (×${(result.all / result.parse).toFixed(2)}), longest main-thread task ${result.longest.toFixed(0)} ms`);
  console.log(`  ms after the file was ${how}: ${result.breakdown}`);
  console.log(`  ${result.handlers}`);
  if (process.env.BENCH_TRACE) console.log(`  messages until the first screen: ${result.trace}`);
  console.log(`  main thread from the file to all findings: ${result.longTasks} long tasks (over 50 ms), the longest ${result.longest.toFixed(0)} ms (${result.beforeScreen.toFixed(0)} ms before the first screen)${result.where ? ` at ${result.where} ms after the file` : ''}`);
  await page.close();
}
const parse = median(parses);
const screen = median(screens);
const all = median(alls);
console.log(`page, file ${how}: ${(bytes / 1e6).toFixed(1)} MB HAR (${ENTRIES} entries), medians of ${RUNS} run${RUNS === 1 ? '' : 's'}: JSON.parse ${parse.toFixed(0)} ms, first screen ${screen.toFixed(0)} ms (×${(screen / parse).toFixed(2)} JSON.parse, ${(bytes / 1e6 / (screen / 1000)).toFixed(0)} MB/s), all findings ${all.toFixed(0)} ms (×${(all / parse).toFixed(2)}); longest main-thread task ${median(longests).toFixed(0)} ms (worst run ${Math.max(...longests).toFixed(0)} ms)`);
}

// A small paste (a curl -v capture of a 401) on a fresh page whose worker has loaded: the time
// from the paste to its report with the chosen exchange's details, the first time and after.
const pasted = fixture('fastapi/401-expired-jwt.txt');
const firsts = [];
const laters = [];
for (let run = 0; run < RUNS; run += 1) {
  const page = await browser.newPage();
  await page.goto(origin + '/');
  await page.waitForSelector('main[data-state="idle"]');
  await page.waitForTimeout(1000);
  for (let paste = 0; paste < 4; paste += 1) {
    const ms = await page.evaluate((text) => new Promise((resolve) => {
      const main = document.querySelector('main');
      const input = document.querySelector('#input');
      let working = false;
      const start = performance.now();
      const shown = () => working && main.dataset.state === 'done' && document.querySelector('article.exchange:not([aria-busy]) [data-finding]');
      new MutationObserver((records, observer) => {
        working ||= records.some((r) => r.target === main && main.dataset.state === 'working') || main.dataset.state === 'working';
        if (shown()) { observer.disconnect(); resolve(performance.now() - start); }
      }).observe(main, { attributes: true, childList: true, subtree: true });
      // Each paste differs by a trailing newline count, so each is a new diagnosis.
      input.value = text + '\n'.repeat(Math.floor(performance.now()) % 3 + 1);
      input.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true }));
    }), pasted);
    (paste === 0 ? firsts : laters).push(ms);
  }
  await page.close();
}
console.log(`paste: a 401 curl -v capture to its report, medians of ${RUNS} page${RUNS === 1 ? '' : 's'}: first paste ${median(firsts).toFixed(0)} ms, later pastes ${median(laters).toFixed(0)} ms`);
rmSync(harDir, { recursive: true, force: true });
await browser.close();
await server.close();
