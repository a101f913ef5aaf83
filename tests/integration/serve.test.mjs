// End to end against the real binary: REST, WebSocket stream, commands, history, journal, and a
// kill -9 followed by a restart on the same data.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';

import { client, loginOk, makeTempDir, runCli, startServer } from '../support/server.mjs';

const FILLER = 'bottling/packaging/L1/filler';
const SPEED_TAG = `${FILLER}/Status.CurMachSpeed`;
const enc = encodeURIComponent;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let data;
let server;
let admin; // logged-in client (session cookie + CSRF token)

async function connect() {
  admin = client(server.baseUrl, await loginOk(server.baseUrl));
}

async function api(path) {
  return admin.get(path);
}

async function post(path, payload, raw = false) {
  return admin.post(path, payload, { raw });
}

async function waitFor(what, probe, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function unitState(id) {
  const { status, body } = await api(`/api/units/${enc(id)}`);
  assert.equal(status, 200);
  return body.state;
}

before(async () => {
  data = makeTempDir('strata-integration-');
  server = await startServer({ dataDir: data.dir });
  await connect();
});

after(async () => {
  await server?.stop();
  data?.cleanup();
});

test('plant tree and OpenAPI document', async () => {
  const { status, body } = await api('/api/plant');
  assert.equal(status, 200);
  assert.equal(body.enterprise.id, 'acme');
  const lines = body.sites[0].areas[0].work_centers;
  assert.deepEqual(lines.map((l) => l.id), ['bottling/packaging/L1', 'bottling/packaging/L2']);
  assert.deepEqual(lines[0].units.map((u) => u.local_id), ['filler', 'capper', 'labeler']);
  assert.equal(lines[1].parameters.nominal_speed, '450');
  assert.deepEqual(lines[0].template, { id: 'bottling-line', version: '1.0.0' });

  const openapi = await api('/api/openapi.json');
  assert.equal(openapi.status, 200);
  assert.equal(openapi.body.openapi, '3.0.3');
  assert.ok(openapi.body.paths['/api/units/{unit}/commands'].post);

  const packml = await api('/api/packml');
  assert.equal(packml.body.states.length, 17);
  assert.equal(packml.body.states.find((s) => s.number === 6).name, 'Execute');
});

test('websocket delivers a snapshot, then coalesced changes', async () => {
  const ws = new WebSocket(server.wsUrl, { headers: { Cookie: admin.session.cookie } });
  const messages = [];
  ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
  try {
    await waitFor('snapshot and two change messages', () => messages.length >= 3, 15_000);
    assert.equal(messages[0].type, 'snapshot');
    assert.equal(messages[0].units.length, 6);
    const changes = messages.slice(1);
    assert.ok(changes.every((m) => m.type === 'changes'));
    for (const message of changes) {
      const keys = message.tags.map((t) => `${t.unit}/${t.name}`);
      assert.equal(new Set(keys).size, keys.length, 'a tag appears at most once per message');
    }
    assert.ok(changes.some((m) => m.tags.length > 0), 'tag values change as the simulator runs');
  } finally {
    ws.close();
  }
});

test('commands: accepted after journaling, refused with a reason, bad input is 4xx', async () => {
  await waitFor('filler in Execute', async () => (await unitState(FILLER)) === 'Execute');

  const stop = await post(`/api/units/${enc(FILLER)}/commands`, { command: 'Stop', origin: 'integration-test' });
  assert.equal(stop.status, 200, JSON.stringify(stop.body));
  assert.equal(stop.body.state, 'Stopping');
  assert.ok(stop.body.journal_seq > 0);

  await waitFor('filler Stopped', async () => (await unitState(FILLER)) === 'Stopped');
  const start = await post(`/api/units/${enc(FILLER)}/commands`, { command: 'Start' });
  assert.equal(start.status, 409);
  assert.match(start.body.error, /Start is not allowed in state Stopped/);

  assert.equal((await post(`/api/units/${enc(FILLER)}/commands`, '{"command":', true)).status, 400);
  assert.equal((await post(`/api/units/${enc(FILLER)}/commands`, { command: 'Jump' })).status, 400);
  assert.equal((await post(`/api/units/${enc(FILLER)}/commands`, { command: 'Reset', extra: 1 })).status, 400);
  assert.equal((await post(`/api/units/${enc('bottling/nope')}/commands`, { command: 'Reset' })).status, 404);
  const wrongMethod = await api(`/api/units/${enc(FILLER)}/commands`);
  assert.equal(wrongMethod.status, 405);

  const reset = await post(`/api/units/${enc(FILLER)}/commands`, { command: 1 });
  assert.equal(reset.status, 200);
  assert.equal(reset.body.state, 'Resetting');

  const events = await api('/api/events?kind=command');
  const seqs = events.body.events.map((e) => e.seq);
  assert.ok(seqs.includes(stop.body.journal_seq));
  const stopEvent = events.body.events.find((e) => e.seq === stop.body.journal_seq);
  assert.equal(stopEvent.subject, FILLER);
  assert.equal(stopEvent.payload.origin, 'integration-test');
});

test('history range query and bad query parameters', async () => {
  const history = await waitFor('recorded speed values', async () => {
    const { body } = await api(`/api/tags/${enc(SPEED_TAG)}/history`);
    return body.values?.length > 0 ? body : null;
  });
  const times = history.values.map((v) => v.source_time);
  assert.deepEqual([...times].sort((a, b) => a - b), times, 'oldest first');
  const cut = times[Math.floor(times.length / 2)];
  const later = await api(`/api/tags/${enc(SPEED_TAG)}/history?from=${cut}&limit=1`);
  assert.equal(later.body.values.length, 1);
  assert.ok(later.body.values[0].source_time >= cut);

  assert.equal((await api(`/api/tags/${enc(SPEED_TAG)}/history?from=yesterday`)).status, 400);
  assert.equal((await api(`/api/tags/${enc(SPEED_TAG)}/history?limit=-1`)).status, 400);
  assert.equal((await api(`/api/tags/${enc(SPEED_TAG)}/history?colour=red`)).status, 400);
  assert.equal((await api(`/api/tags/${enc('no/such/tag')}/history`)).status, 404);
  assert.equal((await api('/api/nothing-here')).status, 404);
  const iso = await api(`/api/tags/${enc(SPEED_TAG)}/history?from=2000-01-01T00:00:00Z&limit=1`);
  assert.equal(iso.status, 200);
});

test('kill -9 loses no committed event and a restart continues the journal', async () => {
  const before = await api('/api/events?limit=10000');
  const committed = before.body.events;
  assert.ok(committed.length > 0);
  await server.kill9();

  server = await startServer({ dataDir: data.dir });
  await connect();
  const afterRestart = await api('/api/events?limit=10000');
  const bySeq = new Map(afterRestart.body.events.map((e) => [e.seq, e]));
  for (const event of committed) {
    assert.deepEqual(bySeq.get(event.seq), event, `event ${event.seq} survived`);
  }
  const seqs = afterRestart.body.events.map((e) => e.seq);
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], 'seq strictly increasing');
  const loads = afterRestart.body.events.filter((e) => e.kind === 'config_load');
  assert.equal(loads.length, 2, 'one configuration load per start');
  assert.ok(loads[1].seq > committed.at(-1).seq, 'the restart appends after the last committed event');

  await waitFor('units running again', async () => (await unitState(FILLER)) !== 'Undefined');
});

test('without a login nothing but /healthz answers, and the stream refuses too', async () => {
  assert.equal((await fetch(`${server.baseUrl}/healthz`)).status, 200);
  for (const path of ['/api/units', '/api/plant', '/api/openapi.json', '/api/events']) {
    assert.equal((await fetch(`${server.baseUrl}${path}`)).status, 401, path);
  }
  const refused = await new Promise((resolve) => {
    const ws = new WebSocket(server.wsUrl);
    ws.on('unexpected-response', (_request, response) => resolve(response.statusCode));
    ws.on('open', () => resolve('open'));
    ws.on('error', () => {});
  });
  assert.equal(refused, 401);
  const crossSite = await new Promise((resolve) => {
    const ws = new WebSocket(server.wsUrl, { headers: { Cookie: admin.session.cookie }, origin: 'http://evil.example' });
    ws.on('unexpected-response', (_request, response) => resolve(response.statusCode));
    ws.on('open', () => resolve('open'));
    ws.on('error', () => {});
  });
  assert.equal(crossSite, 403);
  const noCsrf = await admin.post(`/api/units/${enc(FILLER)}/commands`, { command: 'Stop' }, { headers: { 'X-CSRF-Token': '' } });
  assert.equal(noCsrf.status, 403);
});

test('oversized bodies get 413 and change nothing', async () => {
  const before = await api('/api/events?kind=command&limit=10000');
  const huge = JSON.stringify({ command: 'Stop', origin: 'x'.repeat(2 * 1024 * 1024) });
  const response = await admin.post(`/api/units/${enc(FILLER)}/commands`, huge, { raw: true });
  assert.equal(response.status, 413);
  assert.match(response.body.error, /larger than/);
  const afterwards = await api('/api/events?kind=command&limit=10000');
  assert.equal(afterwards.body.events.length, before.body.events.length);
});

test('a custom role scoped to one line grants exactly its permissions there', async () => {
  const role = await runCli(['role', 'add', 'line-lead', '--permission', 'view_plant', '--permission', 'command_unit',
    '--data-dir', data.dir]);
  assert.equal(role.code, 0, role.stderr);
  const user = await runCli(['user', 'add', 'lena', '--role', 'line-lead@bottling/packaging/L1', '--data-dir', data.dir,
    '--password-stdin'], { input: 'line lead password\n' });
  assert.equal(user.code, 0, user.stderr);
  const lena = client(server.baseUrl, await loginOk(server.baseUrl, 'lena', 'line lead password'));
  const units = await lena.get('/api/units');
  assert.deepEqual(units.body.map((u) => u.id).sort(), [
    'bottling/packaging/L1/capper', 'bottling/packaging/L1/filler', 'bottling/packaging/L1/labeler']);
  assert.deepEqual(units.body[0].permissions.sort(), ['command_unit', 'view_plant']);
  const other = await lena.post(`/api/units/${enc('bottling/packaging/L2/filler')}/commands`, { command: 'Stop' });
  assert.equal(other.status, 403);
  assert.equal((await lena.get('/api/users')).status, 403);
  assert.equal((await lena.post('/api/tokens', { name: 'mine' })).status, 403, 'no manage_own_tokens in line-lead');
});

test('API tokens for machine clients: bearer works until revoked', async () => {
  const created = await post('/api/tokens', { name: 'erp', expires_in: '30d' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const bearer = { Authorization: `Bearer ${created.body.token}` };
  assert.equal((await fetch(`${server.baseUrl}/api/units`, { headers: bearer })).status, 200);
  assert.equal((await admin.del(`/api/tokens/${created.body.id}`)).status, 200);
  assert.equal((await fetch(`${server.baseUrl}/api/units`, { headers: bearer })).status, 401);
});

test('the audit trail records operator actions and `strata audit verify` catches tampering', async () => {
  const audit = await api('/api/audit?limit=10000');
  assert.equal(audit.status, 200);
  const actions = new Set(audit.body.records.map((r) => r.action));
  for (const action of ['user.add', 'login', 'command', 'token.create', 'token.revoke']) {
    assert.ok(actions.has(action), `audit has ${action}`);
  }
  const command = audit.body.records.find((r) => r.action === 'command');
  assert.equal(command.user, 'admin');
  assert.ok(command.before.state && command.after.command, 'before/after recorded');

  await server.stop();
  const intact = await runCli(['audit', 'verify', '--data-dir', data.dir]);
  assert.equal(intact.code, 0, intact.stderr);
  assert.match(intact.stdout, /intact/);

  const tamper = await runCliRaw('sqlite3', [
    `${data.dir}/strata.db`,
    "DROP TRIGGER audit_no_update; UPDATE audit SET reason = 'nothing happened' WHERE seq = 2;",
  ]);
  assert.equal(tamper, 0);
  const broken = await runCli(['audit', 'verify', '--data-dir', data.dir]);
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /seq 2/);
  server = await startServer({ dataDir: data.dir });
  await connect();
});

async function runCliRaw(command, args) {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('exit', (code) => resolve(code));
  });
}
