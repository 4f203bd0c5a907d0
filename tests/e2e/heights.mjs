// Prints each example's report height at 1280 px and where its first finding's fix ends (for the
// notes: the verdict and its fix should sit in the first screen). Run: node heights.mjs (after
// cargo xtask build).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
const dist = path.resolve('../../dist');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml' };
const server = http.createServer((req, res) => { const u = new URL(req.url, 'http://x'); const f = path.join(dist, u.pathname === '/' ? 'index.html' : u.pathname); if (!fs.existsSync(f)) { res.writeHead(404); return res.end(); } res.writeHead(200, { 'content-type': TYPES[path.extname(f)] || 'application/octet-stream' }); fs.createReadStream(f).pipe(res); }).listen(0);
await new Promise((r) => server.on('listening', r));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(`http://127.0.0.1:${server.address().port}/`);
await page.waitForSelector('main[data-state="idle"]');
const options = await page.$$eval('#examples option', (els) => els.filter((e) => e.value !== '').map((e) => [e.value, e.textContent]));
for (const [value, label] of options) {
  await page.selectOption('#examples', value);
  await page.waitForSelector('main[data-state="done"] article.exchange:not([aria-busy]) article.finding');
  await page.waitForTimeout(300);
  const m = await page.evaluate(() => {
    const report = document.querySelector('.report-main') || document.querySelector('section.report');
    const top = report.getBoundingClientRect().top + window.scrollY;
    const card = document.querySelector('article.exchange [data-finding], section.report [data-finding]');
    const fix = card?.querySelector('.fix, dl');
    const end = (fix || card).getBoundingClientRect().bottom + window.scrollY;
    return { report: Math.round(report.scrollHeight), firstFixBottom: Math.round(end), reportTop: Math.round(top) };
  });
  console.log(`${label.padEnd(50)} report ${m.report}px, first card's fix ends at ${m.firstFixBottom}px (report starts ${m.reportTop}px)`);
  await page.fill('#input', '');
}
await browser.close(); server.close();
