'use strict';
// Headless Debian chromium (apt package `chromium`, /usr/bin/chromium) driven by playwright-core. Never
// downloads a browser: the executable path is fixed. Each launch gets a fresh user-data-dir, removed on close.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];
/** Default timeout of every page action and wait (ms). */
const ACTION_TIMEOUT_MS = 10000;

/**
 * Launches chromium, with `args` after the fixed ARGS (e.g. `--host-resolver-rules=…`). Resolves with
 * { context, newPage(), errors, close() }; `errors` collects uncaught page errors and console errors of every
 * page opened through newPage().
 */
async function launchBrowser({ timeoutMs = 30000, args = [] } = {}) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'socketio-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...ARGS, ...args],
      timeout: timeoutMs,
      viewport: { width: 900, height: 640 },
    });
  } catch (e) {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS);
  const errors = [];
  return {
    context,
    errors,
    async newPage() {
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
      return page;
    },
    async close() {
      try {
        await Promise.race([context.close(), new Promise((r) => setTimeout(r, 10000))]);
      } finally {
        fs.rmSync(userDataDir, { recursive: true, force: true });
      }
    },
  };
}

/** The folder for test artefacts: $TEST_OUTPUT_DIR (set by test.sh), else a folder under the temp dir. */
function outputDir() {
  const dir = process.env.TEST_OUTPUT_DIR || path.join(os.tmpdir(), 'socketio-test-output');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Saves a full-page screenshot as `<name>.png` in outputDir(); resolves with the file path. */
async function screenshot(page, name) {
  const file = path.join(outputDir(), `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, timeout: ACTION_TIMEOUT_MS });
  return file;
}

module.exports = { launchBrowser, screenshot, outputDir, CHROMIUM, ARGS };
