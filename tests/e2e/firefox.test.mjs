// A smoke test of the deployable page (dist/, from `cargo xtask dist`) in Firefox ESR —
// Debian's firefox-esr, headless, driven over W3C WebDriver by geckodriver (crates.io): the
// people who open a shared link do not all use Chromium. It opens a share link made by the
// CLI, diagnoses a paste, and reads a HAR dropped on the page, with no error on the way.
// Each goes through the page's web worker (every diagnosis does), under the deployed CSP.
// Run by `cargo xtask test`, which installs firefox-esr and geckodriver.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serveDist, fixture, root } from './serve.mjs';
import { startGeckodriver, Session, Keys } from './webdriver.mjs';

const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';

// Runs first on every page served (see serve.mjs): records uncaught errors, unhandled promise
// rejections, console.error calls, files that failed to load and CSP refusals, from the first
// moment — WebDriver classic has no console log of its own for Firefox.
const RECORDER = `
window.__problems = [];
const note = (text) => window.__problems.push(String(text));
addEventListener('error', (e) => {
  if (e.target && e.target !== window) note('failed to load ' + (e.target.src || e.target.href || e.target.tagName));
  else note('uncaught ' + e.message + ' at ' + e.filename + ':' + e.lineno);
}, true);
addEventListener('unhandledrejection', (e) => note('unhandled rejection: ' + (e.reason && e.reason.message || e.reason)));
addEventListener('securitypolicyviolation', (e) => note('CSP refused ' + e.blockedURI + ' (' + e.violatedDirective + ')'));
const consoleError = console.error;
console.error = (...args) => { note('console.error: ' + args.join(' ')); consoleError.apply(console, args); };
`;

let server, driver;

before(async () => {
  assert.ok(fs.existsSync(FIREFOX), `${FIREFOX} is missing: apt-get install firefox-esr (cargo xtask test installs it)`);
  server = await serveDist({ headScript: RECORDER });
  driver = await startGeckodriver();
});

after(async () => {
  await driver?.stop();
  await server?.close();
});

/**
 * A fresh headless Firefox (its own new profile) for `use(session, downloads)`, always closed
 * after; `downloads` is the folder its downloads land in, removed after.
 */
async function withFirefox(use) {
  const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'httpdx-firefox-'));
  let session;
  try {
    session = await Session.create(driver.url, {
      browserName: 'firefox',
      'moz:firefoxOptions': {
        binary: FIREFOX,
        args: ['-headless', '-width', '1280', '-height', '800'],
        prefs: {
          // No first-run pages, updates or telemetry reaching out from the test machine.
          'browser.shell.checkDefaultBrowser': false,
          'app.update.enabled': false,
          'datareporting.policy.dataSubmissionEnabled': false,
          'toolkit.telemetry.enabled': false,
          // Downloads go to `downloads` without a dialog.
          'browser.download.folderList': 2,
          'browser.download.dir': downloads,
          'browser.download.useDownloadDir': true,
          'browser.download.always_ask_before_handling_new_types': false,
          // The test may read the clipboard back (a page needs the person's consent for that).
          'dom.events.testing.asyncClipboard': true,
        },
      },
      timeouts: { pageLoad: 60000, script: 30000 },
    });
    await use(session, downloads);
  } catch (error) {
    error.message += `\n--- geckodriver and Firefox said:\n${driver.log().slice(-4000)}`;
    throw error;
  } finally {
    await session?.quit();
    fs.rmSync(downloads, { recursive: true, force: true });
  }
}

/**
 * The text of the first file downloaded into `folder`, once Firefox has finished writing it
 * (it writes `<name>.part` beside an empty `<name>`, then moves one over the other).
 */
async function downloaded(folder, timeout = 30000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const names = fs.readdirSync(folder);
    const done = names.filter((name) => !name.endsWith('.part') && fs.statSync(path.join(folder, name)).size > 0);
    const writing = names.some((name) => name.endsWith('.part'));
    if (done.length > 0 && !writing) return fs.readFileSync(path.join(folder, done[0]), 'utf8');
    if (Date.now() > deadline) throw new Error(`no download in ${folder} after ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the worker's answer is on the page: done, or an error message. */
function settled(session) {
  return session.waitFor(() => document.querySelector('main[data-state="done"], main[data-state="error"]')?.dataset.state, [], { what: 'main done or error' });
}

/** Every error the page met so far (see RECORDER). */
function problems(session) {
  return session.execute(() => window.__problems);
}

function findingIds(session) {
  return session.execute(() => [...document.querySelectorAll('[data-finding]')].map((e) => e.dataset.finding));
}

async function openPage(session) {
  await session.navigate(server.origin + '/');
  await session.waitForSelector('main[data-state="idle"] textarea#input');
}

test('Firefox opens a share link made by the CLI: the diagnosis, the banner, no secret', async () => {
  const text = fixture('fastapi/401-expired-jwt.txt');
  const signature = text.match(/eyJ[\w-]+\.[\w-]+\.([\w-]+)/)[1];
  const link = execFileSync('cargo', ['run', '--quiet', '--bin', 'httpdx', '--', 'share', '--base', `${server.origin}/`, 'tests/fixtures/fastapi/401-expired-jwt.txt'], { cwd: root, encoding: 'utf8' }).trim();
  assert.ok(link.startsWith(`${server.origin}/#v1.`), link.slice(0, 60));
  await withFirefox(async (session) => {
    await session.navigate(link);
    assert.equal(await settled(session), 'done');
    await session.waitForSelector('[data-finding="auth.token-expired"]');
    assert.match(await session.execute(() => document.querySelector('#shared-banner')?.innerText), /secrets were redacted by the sender/);
    const input = await session.execute(() => document.querySelector('#input').value);
    assert.match(input, /401 Unauthorized/);
    assert.ok(!input.includes(signature), 'the token signature is not in the link');
    assert.deepEqual(await problems(session), []);
  });
});

test('Firefox diagnoses a pasted curl -v 401, copies a share link that opens, saves the redacted file', async () => {
  const text = fixture('fastapi/401-expired-jwt.txt');
  const signature = text.match(/eyJ[\w-]+\.[\w-]+\.([\w-]+)/)[1];
  await withFirefox(async (session, downloads) => {
    await openPage(session);
    // A paste, as the browser delivers it: the text lands in the field, then one input event.
    await session.execute((pasted) => {
      const area = document.querySelector('#input');
      area.focus();
      area.value = pasted;
      area.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    }, text);
    assert.equal(await settled(session), 'done');
    await session.waitForSelector('[data-finding="auth.token-expired"]');
    assert.equal(await session.execute(() => document.querySelector('[data-finding="auth.token-expired"]').dataset.severity), 'error');
    assert.match(await session.execute(() => document.querySelector('.summary .outcome').innerText), /401 Unauthorized/);
    // Share: the preview, then the link, made in Firefox for this page.
    await session.click('#share');
    await session.waitForSelector('#share-preview');
    await session.click('#copy-link');
    const link = await session.waitFor(() => document.querySelector('#share-link')?.value, [], { what: '#share-link' });
    assert.ok(link.startsWith(`${server.origin}/#v1.`), link.slice(0, 60));
    // Firefox's clipboard holds the link the page shows (a returned promise is awaited).
    assert.equal(await session.waitFor(() => navigator.clipboard.readText(), [], { what: 'the clipboard' }), link);
    // The redacted file, saved through a temporary object URL.
    await session.click('#download-redacted');
    const saved = await downloaded(downloads);
    assert.equal(saved.length, (await session.execute(() => document.querySelector('#input').value)).length);
    assert.ok(saved.includes('REDACTED') && !saved.includes(signature));
    assert.deepEqual(await problems(session), []);
    // The link made in Firefox opens in Firefox (from another page: a new fragment alone
    // would not reload this one).
    await session.navigate('about:blank');
    await session.navigate(link);
    await session.waitForSelector('main[data-state="done"] #shared-banner');
    await session.waitForSelector('[data-finding="auth.token-expired"]');
    assert.deepEqual(await problems(session), []);
  });
});

test('Firefox reads a HAR dropped on the page: failures first, each diagnosed', async () => {
  await withFirefox(async (session) => {
    await openPage(session);
    // A drop as Firefox delivers it: a DataTransfer holding the file, on the page's area.
    await session.execute((content) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([content], 'mixed-page.har', { type: 'application/json' }));
      document.querySelector('.page').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, fixture('chromium/mixed-page.har'));
    assert.equal(await settled(session), 'done');
    await session.waitForSelector('li[data-exchange]');
    const statuses = await session.execute(() => [...document.querySelectorAll('li[data-exchange]')].map((e) => e.dataset.status));
    assert.deepEqual(statuses.slice(0, 3), ['401', '404', '500']);
    assert.match(await session.execute(() => document.querySelector('.hint')?.innerText ?? ''), /mixed-page\.har/);
    await session.waitForSelector('article.exchange:not([aria-busy])');
    assert.ok((await findingIds(session)).includes('auth.header-missing'));
    // The keyboard moves to the next failure; its details follow from the worker.
    await session.sendKeys('li[aria-selected="true"]', Keys.ArrowDown);
    await session.waitForSelector('li[data-status="404"][aria-selected="true"]');
    await session.waitFor(() => document.querySelector('article.exchange:not([aria-busy]) [data-finding="url.version-mismatch"]') !== null, [], { what: 'the 404 exchange diagnosed' });
    assert.deepEqual(await problems(session), []);
  });
});
