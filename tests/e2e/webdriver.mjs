// A small W3C WebDriver client over Node's fetch, enough to drive Firefox through geckodriver:
// Playwright cannot drive Debian's firefox-esr (it needs its own patched Firefox), WebDriver can.
// Used by firefox.test.mjs.
import { spawn } from 'node:child_process';

/** The key W3C WebDriver names an element reference by. */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** WebDriver's code points for keys that are not characters. */
export const Keys = { ArrowDown: '\uE015', ArrowUp: '\uE013', Enter: '\uE007', Control: '\uE009' };

/**
 * Starts geckodriver on a free port (it prints the port it chose); resolves to
 * `{ url, stop, log }`. `log()` is what geckodriver and Firefox printed, for failure messages.
 */
export async function startGeckodriver({ binary = process.env.GECKODRIVER || 'geckodriver', timeout = 30000 } = {}) {
  const child = spawn(binary, ['--port', '0', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk) => { output += chunk; };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`geckodriver did not start in ${timeout} ms:\n${output}`)), timeout);
    const look = () => {
      const found = output.match(/Listening on [\d.]+:(\d+)/);
      if (found) { clearTimeout(timer); resolve(Number(found[1])); }
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.once('error', (e) => { clearTimeout(timer); reject(new Error(`cannot run ${binary}: ${e.message} (cargo install geckodriver, or cargo xtask test installs it)`)); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`geckodriver exited (${code}):\n${output}`)); });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** One WebDriver command; resolves to its `value`, throws WebDriver's error with its message. */
async function command(base, method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok || (answer.value && answer.value.error)) {
    const { error, message } = answer.value || {};
    throw new Error(`WebDriver ${method} ${path}: ${error}: ${message}`);
  }
  return answer.value;
}

/** A browser session: the commands the tests use, by their WebDriver names. */
export class Session {
  static async create(driverUrl, capabilities) {
    const value = await command(driverUrl, 'POST', '/session', { capabilities: { alwaysMatch: capabilities } });
    return new Session(driverUrl, value.sessionId, value.capabilities);
  }

  constructor(driverUrl, id, capabilities) {
    this.base = `${driverUrl}/session/${id}`;
    this.capabilities = capabilities;
  }

  send(method, path, body) {
    return command(this.base, method, path, body);
  }

  /** Goes to `url` and waits until its document has loaded (the page load strategy "normal"). */
  navigate(url) {
    return this.send('POST', '/url', { url });
  }

  /** Runs `fn(...args)` in the page; `fn` is a function whose source is sent. */
  execute(fn, ...args) {
    return this.send('POST', '/execute/sync', { script: `return (${fn}).apply(null, arguments);`, args });
  }

  /** The first element matching `selector`, as a reference for other commands. */
  async find(selector) {
    const value = await this.send('POST', '/element', { using: 'css selector', value: selector });
    return value[ELEMENT];
  }

  /** Types `text` into an element, as keys (WebDriver's Element Send Keys). */
  async sendKeys(selector, text) {
    await this.send('POST', `/element/${await this.find(selector)}/value`, { text });
  }

  async click(selector) {
    await this.send('POST', `/element/${await this.find(selector)}/click`, {});
  }

  /**
   * Polls `fn(...args)` in the page until it returns something truthy, and returns it. Each
   * poll is one command, so a page busy for a moment only delays the answer.
   */
  async waitFor(fn, args = [], { timeout = 30000, interval = 100, what = String(fn) } = {}) {
    const deadline = Date.now() + timeout;
    let last;
    for (;;) {
      last = await this.execute(fn, ...args);
      if (last) return last;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what} (last answer: ${JSON.stringify(last)})`);
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  }

  /** Waits for an element matching `selector`. */
  waitForSelector(selector, options = {}) {
    return this.waitFor((s) => document.querySelector(s) !== null, [selector], { what: selector, ...options });
  }

  /** Ends the session, which closes the browser. */
  quit() {
    return command(this.base, 'DELETE', '', undefined);
  }
}
