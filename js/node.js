// The Node entry of the httpdx package: loads the WebAssembly module from disk, synchronously,
// when imported, so every function can be called at once.
import { readFileSync } from 'node:fs';
import { initSync } from './httpdx.js';

initSync({ module: readFileSync(new URL('./httpdx_bg.wasm', import.meta.url)) });

export { diagnose, shareLink, openLink, markdown, redact, initSync } from './httpdx.js';

/** Already loaded in Node: kept so code written for the browser entry runs unchanged. */
export default async function init() {}
