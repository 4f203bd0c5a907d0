// Prints each example's report height at 1280 px and where its first finding's fix ends (for the
// notes: the verdict and its fix should sit in the first screen). Run: node heights.mjs (after
// cargo xtask dist).
import { chromium } from 'playwright-core';
import { serveDist } from './serve.mjs';

const server = await serveDist();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(`${server.origin}/`);
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
await browser.close();
await server.close();
