import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
const dist = path.resolve('../../dist');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml' };
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const file = path.join(dist, url.pathname === '/' ? 'index.html' : path.normalize(url.pathname));
  if (!fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (let run = 0; run < Number(process.env.RUNS || 3); run++) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(() => {
    window.__lt = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lt.push([Math.round(e.startTime), Math.round(e.duration)]); }).observe({ type: 'longtask', buffered: true });
    window.__msgs = [];
    const d = Object.getOwnPropertyDescriptor(Worker.prototype, 'onmessage');
    Object.defineProperty(Worker.prototype, 'onmessage', { configurable: true, get() { return d.get.call(this); }, set(h) { d.set.call(this, h && function (ev) { const s = performance.now(); const r = h.call(this, ev); window.__msgs.push([ev.data.kind, Math.round(s), Math.round(performance.now() - s)]); return r; }); } });
  });
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector('main[data-state="idle"]');
  if (process.env.TRACE) await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  const t0 = await page.evaluate(() => { window.__lt.length = 0; return performance.now(); });
  await page.setInputFiles('#file', '/tmp/chrome30.har');
  await page.waitForSelector('main[data-state="done"]', { timeout: 120000 });
  await page.waitForTimeout(800);
  if (process.env.TRACE) fs.writeFileSync('/tmp/trace.json', await browser.stopTracing());
  const r = await page.evaluate(() => ({ lt: window.__lt, msgs: window.__msgs }));
  const long = r.lt.filter(([s]) => s > t0).map(([s, d]) => `${s - Math.round(t0)}+${d}`);
  const near = (s) => r.msgs.filter(([, at]) => Math.abs(at - s) < 120).map(([k, at, ms]) => `${k}@${at - Math.round(t0)}(${ms})`).join(' ');
  console.log(`run ${run + 1}: long tasks ${long.join(', ') || 'none'}`);
  for (const [s] of r.lt.filter(([s]) => s > t0)) console.log('   near:', near(s));
  await page.close();
}
await browser.close(); server.close();
