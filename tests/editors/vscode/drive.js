// Drive VS Code (code-server in headless Debian Chromium) like a person, and record
// what it shows. Usage: node drive.js spec.json  (see test_vscode.py for the spec).
// The spec names the files to open (explorer paths), what to hover and complete, and
// an optional settings change; the report (JSON) is judged by the Python test.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const report = { steps: {}, errors: [], console_errors: [] };
const t0 = Date.now();
const mark = (name) => { report.steps[name] = Date.now() - t0; };

async function shot(page, name) {
  const file = path.join(spec.artifacts, name);
  await page.screenshot({ path: file });
  (report.screenshots ||= []).push(file);
}

/** Expand explorer folders and open a file, e.g. ['.claude', 'agents', 'x.md']. */
async function openInExplorer(page, segments) {
  for (let i = 0; i < segments.length; i++) {
    const item = page.locator('.explorer-folders-view').getByRole('treeitem', { name: segments[i], exact: true });
    await item.first().waitFor({ timeout: 30000 });
    const expanded = await item.first().getAttribute('aria-expanded');
    if (i < segments.length - 1 && expanded === 'true') continue;
    await item.first().click();
  }
  const tab = page.locator('.tabs-container .tab', { hasText: segments[segments.length - 1] });
  await tab.first().waitFor({ timeout: 30000 });
}

/** Rows of the Problems panel with their severity icon. */
async function problemRows(page) {
  return page.$$eval('.markers-panel .monaco-list-row', (rows) => rows.map((row) => {
    const icon = row.querySelector('.marker-icon');
    const cls = icon ? icon.className : '';
    const severity = /error/.test(cls) ? 'error' : /warning/.test(cls) ? 'warning' : /info/.test(cls) ? 'info' : '';
    return { text: row.innerText.replace(/\s+/g, ' ').trim(), severity };
  }));
}

/** Wait until `pred(rows)` holds for the Problems panel rows, and the rows have settled:
 * while the panel re-renders (after a settings change, say) its list can briefly hold a
 * row twice, so the same rows must be read twice in a row, 300 ms apart. */
async function waitForProblems(page, pred, timeout) {
  const until = Date.now() + timeout;
  let rows = [];
  let previous = null;
  while (Date.now() < until) {
    rows = await problemRows(page);
    const key = JSON.stringify(rows);
    if (pred(rows) && key === previous) return rows;
    previous = pred(rows) ? key : null;
    await page.waitForTimeout(pred(rows) ? 300 : 200);
  }
  return rows;
}

async function editorLine(page, text) {
  const line = page.locator('.monaco-editor .view-line', { hasText: text }).first();
  await line.waitFor({ timeout: 20000 });
  return line;
}

async function main(page) {
  await page.goto(spec.url);
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  mark('workbench_ms');

  await openInExplorer(page, spec.open);
  await page.waitForSelector('.monaco-editor .view-lines', { timeout: 30000 });
  mark('editor_ms');

  if (spec.expect_notification) {
    // the server cannot be found: one clear message, and no second one for a second file
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: spec.expect_notification });
    await toast.first().waitFor({ timeout: 60000 }).catch(() => {});
    mark('notification_ms');
    report.notifications = await page.locator('.notifications-toasts .notification-toast').allInnerTexts();
    await shot(page, 'vscode-not-found.png');
    if (spec.open_second) {
      await openInExplorer(page, spec.open_second);
      await page.waitForTimeout(3000);
    }
    // every notification of the session, toasts that hid themselves included
    await page.keyboard.press('F1');
    await page.keyboard.type('Notifications: Show Notifications');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Notifications' }).first()
      .waitFor({ timeout: 10000 });
    await page.keyboard.press('Enter');
    const items = page.locator('.notifications-center .notification-list-item');
    await items.first().waitFor({ timeout: 10000 }).catch(() => {});
    report.notification_center = await items.allInnerTexts();
    await shot(page, 'vscode-notification-center.png');
    if (spec.then_settings) {
      // the user follows the message: a settings file on disk, then the server must start
      await page.keyboard.press('Escape');
      fs.writeFileSync(spec.then_settings.file, JSON.stringify(spec.then_settings.settings, null, 2));
      report.squiggle_after_settings = await page
        .waitForSelector('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error', { timeout: 60000 })
        .then(() => true, () => false);
      mark('squiggle_after_settings_ms');
      await shot(page, 'vscode-after-settings.png');
    }
    return;
  }

  await page.waitForSelector('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error', { timeout: 60000 });
  mark('squiggle_ms');
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').first().waitFor({ timeout: 20000 });
  report.problems = await waitForProblems(page, (rows) => spec.expect_codes.every((c) => rows.some((r) => r.text.includes(c))), 30000);
  mark('problems_ms');
  await shot(page, 'vscode-problems.png');

  // hover on a frontmatter key
  const hoverLine = await editorLine(page, spec.hover_line);
  const box = await hoverLine.boundingBox();
  const hover = page.locator('.monaco-hover-content', { hasText: spec.hover_expect });
  for (let attempt = 0; attempt < 3; attempt++) {  // a hover can be lost to a re-render: move away and back
    await page.mouse.move(box.x + 300, box.y - 60);
    await page.mouse.move(box.x + 12, box.y + box.height / 2, { steps: 3 });
    if (await hover.first().waitFor({ timeout: 8000 }).then(() => true, () => false)) break;
  }
  report.hover = await hover.allInnerTexts().catch(() => []);
  mark('hover_ms');
  await page.waitForTimeout(600); // let the hover finish fading in for the screenshot
  await shot(page, 'vscode-hover.png');
  await page.keyboard.press('Escape');

  // completion at the value of that key
  await hoverLine.click({ position: { x: 2, y: box.height / 2 } });
  await page.keyboard.press('Home');
  for (let i = 0; i < spec.completion_column; i++) await page.keyboard.press('ArrowRight');
  const rows = page.locator('.suggest-widget .monaco-list-row');
  const wanted = page.locator('.suggest-widget .monaco-list-row', { hasText: spec.completion_expect[0] });
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.keyboard.press('Control+Space');
    if (await wanted.first().waitFor({ timeout: 8000 }).then(() => true, () => false)) break;
    await page.keyboard.press('Escape');
  }
  report.completion = await rows.allInnerTexts().catch(() => []);
  mark('completion_ms');
  await shot(page, 'vscode-completion.png');
  await page.keyboard.press('Escape');

  // a Markdown file outside the agent locations: nothing from agentls
  if (spec.open_other) {
    await openInExplorer(page, spec.open_other);
    await page.waitForTimeout(3000);
    report.problems_with_other = await problemRows(page);
    mark('other_ms');
  }

  // change a setting on disk, as the Settings editor would: the server must re-lint
  if (spec.settings_change) {
    fs.writeFileSync(spec.settings_change.file, JSON.stringify(spec.settings_change.settings, null, 2));
    report.problems_after_settings = await waitForProblems(page,
      (rows) => !rows.some((r) => r.text.includes(spec.settings_change.gone)) && rows.length > 0, 30000);
    mark('settings_ms');
    await shot(page, 'vscode-problems-after-settings.png');
  }
}

(async () => {
  fs.mkdirSync(spec.artifacts, { recursive: true });
  const udd = fs.mkdtempSync(path.join(spec.tmp, 'chromium-'));
  const ctx = await chromium.launchPersistentContext(udd, {
    executablePath: spec.chromium, headless: true, viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = ctx.pages()[0] || await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error') report.console_errors.push(m.text().slice(0, 300)); });
  try {
    await main(page);
  } catch (e) {
    report.errors.push(String(e && e.stack || e));
    await shot(page, 'vscode-error.png').catch(() => {});
  }
  report.elapsed_ms = Date.now() - t0;
  fs.writeFileSync(spec.out, JSON.stringify(report, null, 2));
  await ctx.close().catch(() => {});
  process.exit(0);
})();
