// Browser end-to-end test of the cockpit's ISA-18.2 alarm views (console,
// shelved list, alarm performance, open alarms in the shift report) against
// the real strata server (see cockpit.test.mjs for how to run it).
//
// The plant is a copy of examples/bottling/plant.yaml without its `calendar:`
// section (the whole day is planned time, whatever day and hour the test runs)
// and with random simulator faults switched off (mtbf raised), so the only
// alarms are the ones the test raises by holding units.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { client, defaultAdmin, defaultCockpitDir, defaultPlant, haveServerBinary, loginOk, makeTempDir, startServer, strataBin, until, withoutSection } from '../support/server.mjs';

const AREA = 'bottling/packaging';
const L1 = `${AREA}/L1`;
const L2 = `${AREA}/L2`;
const FILLER = `${L1}/filler`;
const FAULT = `${FILLER}/fault`;
const L2_FILLER = `${L2}/filler`;
const L2_FAULT = `${L2_FILLER}/fault`;
const ADMIN = defaultAdmin;
const OPERATOR = { name: 'olga', password: 'line two operator', roles: [`operator@${L2}`] };
const SHELVE_COMMENT = 'Browser test: filler under repair, WO 4711';
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const LAUNCH = {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

const skip = !process.env.STRATA_BIN && !haveServerBinary() ? `strata binary not built (${strataBin})` : false;
const row = (id) => `[data-testid="alarm-${id}"]`;

/** The example plant without its shift calendar and without random faults. */
function testPlant(source) {
  let templateMtbf = false;
  let lineMtbf = false;
  const out = withoutSection(readFileSync(source, 'utf8'), 'calendar').map((line) => {
    if (/name: mtbf,.*default: "\d+"/.test(line)) {
      templateMtbf = true;
      return line.replace(/default: "\d+"/, 'default: "1000000000"');
    }
    if (/parameters: \{.*mtbf: \d+/.test(line)) {
      lineMtbf = true;
      return line.replace(/mtbf: \d+/, 'mtbf: 1000000000');
    }
    return line;
  });
  assert.ok(templateMtbf && lineMtbf, 'mtbf parameters found in the example plant');
  return out.join('\n');
}

describe('cockpit alarm views in chromium', { skip, timeout: 300_000 }, () => {
  let server;
  let browser;
  let page;
  let data;
  let api;
  const pageErrors = [];

  async function loginAs(user) {
    await page.waitForSelector('[data-testid="login-form"]', { timeout: 15_000 });
    await page.fill('[data-testid="login-username"]', user.name);
    await page.fill('[data-testid="login-password"]', user.password);
    await page.click('[data-testid="login-submit"]');
    await page.waitForSelector('[data-testid="user-menu"]', { timeout: 15_000 });
  }

  async function openTab(id) {
    await page.click(`[data-testid="tab-${id}"]`);
    await page.waitForSelector(`[data-testid="tab-${id}"][aria-selected="true"]`, { timeout: 5_000 });
  }

  async function openSubTab(id) {
    await page.click(`[data-testid="alarms-subtab-${id}"]`);
    await page.waitForSelector(`[data-testid="alarms-subtab-${id}"][aria-selected="true"]`, { timeout: 5_000 });
  }

  async function unitState(id) {
    const res = await api.get('/api/units');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.find((u) => u.id === id)?.state;
  }

  async function apiAlarm(id) {
    const res = await api.get(`/api/alarms?state=${['Normal', 'Unacknowledged', 'Acknowledged', 'ReturnedUnacknowledged', 'Shelved'].join(',')}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.alarms.find((a) => a.id === id);
  }

  /** Sends a command, retrying while the simulator is in a state that refuses it (409). */
  async function command(id, name) {
    return until(`${name} accepted by ${id}`, async () => {
      const res = await api.post(`/api/units/${encodeURIComponent(id)}/commands`, { command: name });
      if (res.status === 200) return res.body;
      if (res.status !== 409) throw new Error(`${name}: ${res.status} ${JSON.stringify(res.body)}`);
      return null;
    });
  }

  async function badgeCount() {
    const text = await page.getAttribute('[data-testid="alarm-badge"]', 'data-count');
    return Number(text);
  }

  /** The row's computed animation and outline (the flashing rule as the browser applies it). */
  function rowStyle(id) {
    return page.$eval(row(id), (el) => {
      const cs = getComputedStyle(el);
      return { className: el.className, animationName: cs.animationName, outlineStyle: cs.outlineStyle, flashing: el.dataset.flashing };
    });
  }

  before(async () => {
    assert.ok(existsSync(join(defaultCockpitDir, 'index.html')), `cockpit not built: run "npm ci && npm run build" in cockpit/ (${defaultCockpitDir})`);
    assert.ok(existsSync(CHROMIUM), `chromium not found at ${CHROMIUM}`);
    data = makeTempDir('strata-alarms-browser-');
    const plant = join(data.dir, 'plant.yaml');
    writeFileSync(plant, testPlant(defaultPlant));
    server = await startServer({ dataDir: join(data.dir, 'data'), plant, cockpitDir: defaultCockpitDir, users: [ADMIN, OPERATOR] });
    console.log(`strata listening on ${server.baseUrl}`);
    api = client(server.baseUrl, await loginOk(server.baseUrl, ADMIN.name, ADMIN.password));
    browser = await chromium.launch(LAUNCH);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
    });
  });

  after(async () => {
    try {
      await browser?.close();
    } finally {
      try {
        await server?.stop();
      } finally {
        data?.cleanup();
      }
    }
  });

  it('opens the Alarms tab with the console and the unacknowledged badge', async () => {
    await page.goto(`${server.baseUrl}/`, { waitUntil: 'domcontentloaded' });
    await loginAs(ADMIN);
    await openTab('alarms');
    await page.waitForSelector('[data-testid="alarms-view"]', { timeout: 10_000 });
    await page.waitForSelector('[data-testid="alarm-badge"]', { timeout: 20_000 });
    assert.ok(Number.isInteger(await badgeCount()));
    // Filters: area/line, priority (shape + name), state.
    await page.waitForSelector('[data-testid="alarm-filter-priority-critical"]', { state: 'attached', timeout: 10_000 });
    const scopes = await page.$$eval('[data-testid="alarm-filter-scope"] option', (els) => els.map((e) => e.value));
    assert.deepEqual(scopes, ['', AREA, L1, L2]);
    const shapes = await page.$$eval('[data-testid="alarm-filter-priority"] .prio', (els) => els.map((e) => `${e.dataset.shape} ${e.textContent.trim()}`));
    assert.deepEqual(shapes, ['diamond critical', 'triangle high', 'square medium', 'circle low']);
    await until(`${FILLER} in Execute`, async () => (await unitState(FILLER)) === 'Execute', { timeoutMs: 90_000 });
  });

  it('Hold raises the filler fault: a flashing row with ▲ high, counted in the badge', async () => {
    const before = await badgeCount();
    await command(FILLER, 'Hold');
    const fault = `${row(FAULT)}[data-state="Unacknowledged"]`;
    await page.waitForSelector(fault, { timeout: 30_000 });
    const style = await rowStyle(FAULT);
    console.log(`unacknowledged row: ${JSON.stringify(style)}`);
    assert.match(style.className, /\bflashing\b/);
    assert.equal(style.animationName, 'alarm-flash');
    assert.equal(style.flashing, 'true');
    const prio = await page.$eval(`${row(FAULT)} .prio`, (el) => ({ shape: el.dataset.shape, icon: el.querySelector('svg')?.dataset.shape, text: el.textContent.trim() }));
    assert.deepEqual(prio, { shape: 'triangle', icon: 'triangle', text: 'high' });
    const text = await page.textContent(row(FAULT));
    assert.match(text, /Unacknowledged/);
    assert.match(text, /Unit fault/);
    assert.match(text, /Unit stopped on a fault/);
    assert.match(text, /Line 1 · Filler/);
    assert.match(text, /\d+s|\dm \d\ds/, 'time since the alarm');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="alarm-badge"]')?.dataset.count) > n, before, { timeout: 10_000 });

    // Rationalization on expand.
    const toggle = `[data-testid="alarm-toggle-${FAULT}"]`;
    assert.equal(await page.getAttribute(toggle, 'aria-expanded'), 'false');
    await page.click(toggle);
    const details = `[data-testid="alarm-details-${FAULT}"]`;
    await page.waitForSelector(details, { timeout: 5_000 });
    const rationale = await page.textContent(details);
    assert.match(rationale, /Cause\s*Machine fault reported by the PLC/);
    assert.match(rationale, /Consequence\s*Line output stops/);
    assert.match(rationale, /Corrective action\s*Check the stop reason on the unit/);
    assert.match(rationale, /Max time to respond\s*5m 00s/);
    assert.equal(await page.getAttribute(toggle, 'aria-expanded'), 'true');
    await page.click(toggle);
    await page.waitForSelector(details, { state: 'detached', timeout: 5_000 });

    // Reduced motion: no animation, a steady outline instead.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    try {
      const steady = await rowStyle(FAULT);
      assert.equal(steady.animationName, 'none');
      assert.equal(steady.outlineStyle, 'solid');
    } finally {
      await page.emulateMedia({ reducedMotion: 'no-preference' });
    }
  });

  it('acknowledging stops the flashing and lowers the badge', async () => {
    const before = await badgeCount();
    await page.click(`[data-testid="alarm-acknowledge-${FAULT}"]`);
    await page.waitForSelector(`${row(FAULT)}[data-state="Acknowledged"]`, { timeout: 15_000 });
    const style = await rowStyle(FAULT);
    assert.doesNotMatch(style.className, /\bflashing\b/);
    assert.equal(style.animationName, 'none');
    assert.equal(style.flashing, 'false');
    assert.match(await page.textContent('[data-testid="alarm-notice"]'), /Acknowledge: Unit fault — Line 1 · Filler \(Unacknowledged → Acknowledged\)/);
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="alarm-badge"]')?.dataset.count) < n, before, { timeout: 10_000 });
    assert.equal(await page.locator(`[data-testid="alarm-acknowledge-${FAULT}"]`).count(), 0, 'no Acknowledge button once acknowledged');
    const a = await apiAlarm(FAULT);
    assert.equal(a.state, 'Acknowledged');
  });

  it('shelving: the server refusals are shown verbatim, then the shelve with a comment', async () => {
    await page.click(`[data-testid="alarm-shelve-${FAULT}"]`);
    const dialog = page.locator('[data-testid="alarm-dialog"]');
    await dialog.waitFor({ state: 'visible', timeout: 10_000 });
    // Durations are bounded by the alarm's max_shelve (8 h).
    const options = await page.$$eval('[data-testid="shelve-duration"] option', (els) => els.map((e) => e.textContent.trim()));
    assert.equal(options.at(-1), '8 h (maximum)');
    assert.equal(await page.inputValue('[data-testid="shelve-duration"]'), '1800');
    assert.equal(await page.isEnabled('[data-testid="shelve-one-shot"]'), true, 'one-shot is possible while the condition is active');
    assert.equal(await page.getAttribute('[data-testid="alarm-comment"]', 'aria-required'), 'true');
    assert.ok(await page.isDisabled('[data-testid="alarm-dialog-submit"]'), 'the comment is required');
    await page.fill('[data-testid="alarm-comment"]', SHELVE_COMMENT);
    assert.ok(await page.isEnabled('[data-testid="alarm-dialog-submit"]'));

    const pattern = '**/api/alarms/actions';
    const tamper = async (change, expected) => {
      await page.route(pattern, (route) => {
        const body = change(JSON.parse(route.request().postData()));
        route.continue({ postData: JSON.stringify(body) });
      });
      try {
        await page.click('[data-testid="alarm-dialog-submit"]');
        const err = page.locator('[data-testid="alarm-dialog-error"]');
        await page.waitForFunction((text) => document.querySelector('[data-testid="alarm-dialog-error"]')?.textContent === text, expected, { timeout: 10_000 });
        console.log(`shown verbatim: ${await err.textContent()}`);
      } finally {
        await page.unroute(pattern);
      }
    };
    // The same request without the comment on the wire: the 409 as the server words it.
    await tamper(({ comment: _drop, ...body }) => body, `a comment is required to shelve ${FAULT}`);
    // Longer than the maximum.
    await tamper((body) => ({ ...body, duration: '9h' }), `shelve duration 9h exceeds the maximum 8h for ${FAULT}`);

    await page.click('[data-testid="alarm-dialog-submit"]');
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
    await page.waitForSelector(`${row(FAULT)}[data-state="Shelved"]`, { timeout: 15_000 });
    assert.equal((await rowStyle(FAULT)).animationName, 'none');
    const a = await apiAlarm(FAULT);
    assert.equal(a.state, 'Shelved');
    assert.equal(a.shelve.kind, 'timed');
    assert.equal(a.shelve.by, 'admin');
    assert.equal(a.shelve.comment, SHELVE_COMMENT);
    assert.equal(a.shelve.expires_at - a.shelve.at, 1800e6);
  });

  it('lists the shelved alarm with who, why and the expiry countdown', async () => {
    await openSubTab('shelved');
    const shelved = `[data-testid="shelved-${FAULT}"]`;
    await page.waitForSelector(shelved, { timeout: 10_000 });
    assert.equal((await page.textContent(`[data-testid="shelved-by-${FAULT}"]`)).trim(), 'admin');
    assert.match(await page.textContent(`[data-testid="shelved-comment-${FAULT}"]`), /filler under repair, WO 4711/);
    const expiry = await page.textContent(`[data-testid="shelved-expiry-${FAULT}"]`);
    console.log(`shelve expiry: ${expiry}`);
    const [, minutes] = expiry.match(/^in (\d+)m \d\dstimed, at \d\d:\d\d:\d\d$/) ?? [];
    assert.ok(minutes !== undefined && Number(minutes) <= 30, `countdown of a 30 min shelve: ${expiry}`);
    assert.equal(await page.getAttribute(shelved, 'data-kind'), 'timed');
    assert.match(await page.textContent('[data-testid="alarms-subtab-shelved"]'), /\(1\)/);
    assert.match(await page.textContent(shelved), /▲|high/);
  });

  it('the alarm performance page shows the position with rates, targets and bad actors', async () => {
    await openSubTab('performance');
    const pos = `[data-testid="alarm-kpi-position-${AREA}"]`;
    await page.waitForSelector(pos, { timeout: 30_000 });
    assert.match(await page.textContent(pos), /Packaging hall/);
    const annunciated = await page.textContent(`[data-testid="alarm-kpi-annunciated-${AREA}"]`);
    assert.ok(Number(annunciated.match(/^(\d+) annunciated/)?.[1]) >= 1, annunciated);
    const rates = await page.textContent(`[data-testid="alarm-kpi-rates-${AREA}"]`);
    assert.match(rates, /Alarms per day[\s\S]*≤ 150[\s\S]*≤ 300/);
    assert.match(rates, /Alarms per hour[\s\S]*≤ 6[\s\S]*≤ 12/);
    assert.match(rates, /Alarms per 10 minutes[\s\S]*≤ 1[\s\S]*≤ 2/);
    assert.match(rates, /EEMUA 191/);
    const targets = await page.textContent(`[data-testid="alarm-kpi-targets-${AREA}"]`);
    assert.match(targets, /Time in flood/);
    assert.match(targets, /Chattering alarms/);
    assert.match(targets, /Shelved alarms \(at the end\)\s*1\s*< 30/);
    assert.match(await page.textContent(`[data-testid="alarm-kpi-bad-actors-${AREA}"]`), /Unit fault — Line 1 · Filler/);
    const mix = await page.$$eval(`[data-testid="alarm-kpi-priorities-${AREA}"] tbody tr`, (rows) => rows.map((r) => r.querySelector('.prio')?.dataset.shape + ' ' + r.textContent));
    assert.equal(mix.length, 4);
    assert.match(mix[0], /^diamond critical/);
    assert.match(mix[1], /^triangle high\s*\d+/);
    assert.match(mix.join('\n'), /~80 %/);
    assert.match(mix.join('\n'), /< 1 %/);
    await page.waitForSelector('[data-testid="calibration-table"], [data-testid="calibration-empty"]', { timeout: 30_000 });
    assert.equal(await page.locator('[data-testid="alarm-kpi-error"], [data-testid="calibration-error"]').count(), 0);
  });

  it('the shift report lists the open alarm (printable)', async () => {
    await openTab('shift-report');
    const item = `[data-testid="report-alarm-${FAULT}"]`;
    await page.waitForSelector(item, { timeout: 30_000 });
    const text = await page.textContent(item);
    assert.match(text, /high/);
    assert.match(text, /Shelved/);
    assert.match(text, /Unit fault: Unit stopped on a fault/);
    assert.match(text, /Line 1 · Filler/);
    assert.match(text, /timed by admin, until \d\d:\d\d:\d\d/);
    assert.match(text, /filler under repair/);
    assert.equal(await page.$eval(`${item} .prio`, (el) => el.dataset.shape), 'triangle');
    await page.emulateMedia({ media: 'print' });
    try {
      assert.notEqual(await page.$eval('[data-testid="report-alarms"]', (el) => getComputedStyle(el).display), 'none');
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  });

  it('unshelving from the shelved list re-annunciates the active alarm', async () => {
    await openTab('alarms');
    await openSubTab('shelved');
    await page.click(`[data-testid="alarm-unshelve-${FAULT}"]`);
    await page.waitForSelector('[data-testid="shelved-empty"]', { timeout: 15_000 });
    await openSubTab('console');
    await page.waitForSelector(`${row(FAULT)}[data-state="Unacknowledged"]`, { timeout: 15_000 });
    assert.equal((await rowStyle(FAULT)).animationName, 'alarm-flash');
  });

  it('a line operator sees only their line and no out-of-service button', async () => {
    await page.click('[data-testid="logout"]');
    await loginAs(OPERATOR);
    await openTab('alarms');
    await page.waitForSelector('[data-testid="alarm-badge"]', { timeout: 20_000 });
    const scopes = await page.$$eval('[data-testid="alarm-filter-scope"] option', (els) => els.map((e) => e.value));
    assert.deepEqual(scopes, [L2]);
    assert.equal(await page.locator(row(FAULT)).count(), 0, 'no Line 1 alarm');
    assert.equal(await badgeCount(), 0, 'the Line 1 alarm is not counted');
    await until(`${L2_FILLER} in Execute`, async () => (await unitState(L2_FILLER)) === 'Execute', { timeoutMs: 90_000 });
    await command(L2_FILLER, 'Hold');
    await page.waitForSelector(`${row(L2_FAULT)}[data-state="Unacknowledged"]`, { timeout: 30_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="alarm-badge"]')?.dataset.count) >= 1, null, { timeout: 10_000 });
    assert.equal(await page.locator(`[data-testid="alarm-acknowledge-${L2_FAULT}"]`).count(), 1);
    assert.equal(await page.locator(`[data-testid="alarm-shelve-${L2_FAULT}"]`).count(), 1);
    assert.equal(await page.locator(`[data-testid="alarm-remove_from_service-${L2_FAULT}"]`).count(), 0, 'operators may not take alarms out of service');
  });

  it('raised no page errors', () => {
    // The 401 of GET api/me before logging in is logged by the browser as a failed resource.
    const errors = pageErrors.filter((e) => !/Failed to load resource/i.test(e));
    assert.deepEqual(errors, []);
  });
});
