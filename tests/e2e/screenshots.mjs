// The README's screenshots: three scenes — a pasted `curl -v` 401 (an expired JWT), a HAR with
// mixed failures, a shared link as its recipient opens it — on a desktop (1280×800) and a phone
// (390×844), light and dark, each the first screen with the diagnosis in view, into
// docs/screenshots/<scene>-<desktop|mobile>-<light|dark>.png. Real fixtures, the built page
// (dist/), headless Chromium. Run by `cargo xtask screenshots`, which builds the page first;
// `node screenshots.mjs` reuses the dist/ there is.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { serveDist, fixture, root } from './serve.mjs';

const out = path.join(root, 'docs/screenshots');

const SCREENS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  mobile: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
};
const SCHEMES = ['light', 'dark'];

/** A share link to `fixtureName`'s diagnosis on this server, made by the CLI as a sender would. */
function shareLink(origin, fixtureName) {
  return execFileSync('cargo', ['run', '--quiet', '--bin', 'httpdx', '--', 'share', '--base', `${origin}/`, path.join('tests/fixtures', fixtureName)], { cwd: root, encoding: 'utf8' }).trim();
}

async function openIdle(page, origin) {
  await page.goto(`${origin}/`);
  await page.waitForSelector('main[data-state="idle"] textarea#input');
}

/** Each scene brings the page to its state; `ready` is what proves the worker answered. */
const SCENES = {
  'curl-401': {
    async show(page, origin) {
      await openIdle(page, origin);
      await page.fill('#input', fixture('fastapi/401-expired-jwt.txt'));
    },
    ready: 'main[data-state="done"] [data-finding="auth.token-expired"]',
  },
  'har-mixed': {
    async show(page, origin) {
      await openIdle(page, origin);
      await page.setInputFiles('#file', path.join(root, 'tests/fixtures/chromium/mixed-page.har'));
    },
    ready: 'main[data-state="done"] li[data-exchange] ~ li[data-exchange]',
    // The chosen exchange's details follow the list by a worker round trip.
    details: 'article.exchange:not([aria-busy]) [data-finding]',
  },
  'shared-link': {
    async show(page, origin, link) {
      await page.goto(link);
    },
    ready: 'main[data-state="done"] #shared-banner',
    details: '[data-finding]',
    link: 'fastapi/403-insufficient-scope.txt',
  },
};

/** Scrolls the report into view when the layout puts it below the input (a narrow screen). */
async function bringReportIntoView(page) {
  await page.evaluate(() => {
    const report = document.querySelector('section.report');
    if (report && report.getBoundingClientRect().top > window.innerHeight / 2) {
      window.scrollTo(0, report.getBoundingClientRect().top + window.scrollY - 8);
    }
  });
}

async function shoot(browser, origin, scene, name, screen, scheme, link) {
  const context = await browser.newContext({ ...SCREENS[screen], colorScheme: scheme, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await scene.show(page, origin, link);
  await page.waitForSelector(scene.ready, { timeout: 30000 });
  if (scene.details) await page.waitForSelector(scene.details, { timeout: 30000 });
  await page.evaluate(() => document.fonts.ready);
  await bringReportIntoView(page);
  const file = path.join(out, `${name}-${screen}-${scheme}.png`);
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  await context.close();
  if (errors.length) throw new Error(`${name} (${screen}, ${scheme}): ${errors.join('; ')}`);
  console.log(`${path.relative(root, file)}  ${fs.statSync(file).size} bytes`);
}

const server = await serveDist();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--hide-scrollbars', '--font-render-hinting=none'],
});
try {
  fs.mkdirSync(out, { recursive: true });
  for (const [name, scene] of Object.entries(SCENES)) {
    const link = scene.link ? shareLink(server.origin, scene.link) : null;
    for (const screen of Object.keys(SCREENS)) {
      for (const scheme of SCHEMES) {
        await shoot(browser, server.origin, scene, name, screen, scheme, link);
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}
