// End to end against the real binary: REST, WebSocket stream, commands, history, journal, and a
// kill -9 followed by a restart on the same data.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';

import { makeTempDir, startServer } from '../support/server.mjs';

const FILLER = 'bottling/packaging/L1/filler';
const SPEED_TAG = `${FILLER}/Status.CurMachSpeed`;
const enc = encodeURIComponent;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let data;
let server;

async function api(path, init) {
  const response = await fetch(`${server.baseUrl}${path}`, init);
  const body = await response.json();
  return { status: response.status, body };
}

async function post(path, payload, raw = false) {
  return api(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ? payload : JSON.stringify(payload),
  });
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
  const ws = new WebSocket(server.wsUrl);
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
