// A server-role connector and a client-role connector talking OPC UA to each other (security None).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Connector, freePort, startClient } from "../testing/harness.mjs";

const NODES = [
  { h: 0, node_id: "ns=1;s=L1.filler.Status.StateCurrent", browse_path: ["L1", "filler", "Status", "StateCurrent"], data_type: "Int32", value: 1 },
  { h: 1, node_id: "ns=1;s=L1.filler.Counters.Produced", browse_path: ["L1", "filler", "Counters", "Produced"], data_type: "Int64", value: "9007199254740993" },
  { h: 2, node_id: "ns=1;s=L1.filler.Speed", browse_path: ["L1", "filler", "Speed"], data_type: "Double", value: 12.5 },
  { h: 3, node_id: "ns=1;s=L1.filler.Running", browse_path: ["L1", "filler", "Running"], data_type: "Boolean", value: true },
  { h: 4, node_id: "ns=1;s=L1.filler.Recipe", browse_path: ["L1", "filler", "Recipe"], data_type: "String", value: "cola" },
  { h: 5, node_id: "ns=1;s=L1.filler.Cmd.Setpoint", browse_path: ["L1", "filler", "Cmd", "Setpoint"], data_type: "Double", writable: true, value: 0 },
  { h: 6, node_id: "ns=1;s=L1.filler.LastStop", browse_path: ["L1", "filler", "LastStop"], data_type: "DateTime", value: 1700000000000 },
  { h: 7, node_id: "ns=1;i=5000", browse_path: ["L1", "filler", "Cmd", "Batch"], data_type: "UInt64", writable: true, value: "18446744073709551615" },
  { h: 10, node_id: "ns=1;s=TopLevel", browse_path: ["TopLevel"], data_type: "UInt16", value: 7 }, // right under Objects
];

let server;
let client;
let endpoint;

before(async () => {
  const port = await freePort();
  endpoint = `opc.tcp://127.0.0.1:${port}/strata`;
  server = new Connector("server");
  server.hello("server", { host: "127.0.0.1", port, resource_path: "/strata", security_modes: ["None"], nodes: NODES });
  // a set sent before the server listens is applied once the variables exist
  server.send({ type: "set", items: [{ h: 2, v: 13.5, t: 1700000000500 }] });
  await server.waitType("ready");
  await server.waitType("listening");
  const items = NODES.map((n, i) => ({
    h: n.h,
    node_id: n.node_id,
    data_type: n.data_type,
    sampling_interval_ms: 50,
    publishing_interval_ms: i % 2 ? 100 : 150, // two subscriptions
  }));
  items.push({ h: 8, node_id: "ns=1;s=L1.filler.Missing", sampling_interval_ms: 50, publishing_interval_ms: 100 });
  items.push({ h: 9, node_id: "this is not a node id", sampling_interval_ms: 50, publishing_interval_ms: 100 });
  client = await startClient("client", { endpoint, session_timeout_ms: 30000, items });
});

after(async () => {
  const codes = await Promise.all([client?.close(), server?.close()]);
  for (const c of codes) assert.equal(c?.code, 0);
});

test("server announces its endpoint", () => {
  const listening = server.messages.find((m) => m.type === "listening");
  assert.equal(listening.endpoint, endpoint);
});

test("client connects and reports every initial value with the protocol's JSON types", async () => {
  const connected = await client.waitType("connection", (m) => m.state === "connected");
  assert.equal(typeof connected.message, "string");
  const latest = await client.waitValues((l) => [0, 1, 2, 3, 4, 5, 6, 7, 10].every((h) => l.has(h)));
  assert.equal(latest.get(10).v, 7);
  assert.equal(latest.get(0).v, 1);
  assert.equal(latest.get(1).v, "9007199254740993");
  assert.equal(latest.get(2).v, 13.5); // the early set
  assert.equal(latest.get(2).t, 1700000000500);
  assert.equal(latest.get(3).v, true);
  assert.equal(latest.get(4).v, "cola");
  assert.equal(latest.get(5).v, 0);
  assert.equal(latest.get(6).v, 1700000000000);
  assert.equal(latest.get(7).v, "18446744073709551615");
  for (const h of [0, 1, 2, 3, 4, 5, 6, 7]) {
    assert.equal(latest.get(h).q, "good");
    assert.equal(typeof latest.get(h).t, "number");
  }
});

test("item_error for a node the server does not have and for an invalid node id", async () => {
  const missing = await client.waitType("item_error", (m) => m.h === 8);
  assert.equal(missing.message, "BadNodeIdUnknown");
  const invalid = await client.waitType("item_error", (m) => m.h === 9);
  assert.match(invalid.message, /BadNodeIdInvalid/);
});

test("set on the server reaches the client (Int64 string, Double, Boolean, String) with source time", async () => {
  const from = client.messages.length;
  const t = Date.now() - 1234;
  server.send({
    type: "set",
    items: [
      { h: 1, v: "-9223372036854775807", t },
      { h: 2, v: -0.125, t },
      { h: 3, v: false, t },
      { h: 4, v: "sprite ✓", t },
      { h: 0, v: 3, t },
    ],
  });
  const latest = await client.waitValues((l) => l.get(0)?.v === 3 && l.get(1)?.v === "-9223372036854775807" && l.get(3)?.v === false, { from });
  assert.equal(latest.get(2).v, -0.125);
  assert.equal(latest.get(4).v, "sprite ✓");
  assert.equal(latest.get(0).t, t);
});

test("a set with a value of the wrong type is logged and ignored", async () => {
  const logFrom = server.messages.length;
  server.send({ type: "set", items: [{ h: 0, v: "not a number", t: Date.now() }, { h: 99, v: 1 }] });
  const warn = await server.waitFor((m) => m.type === "log" && m.level === "warn" && /h=0/.test(m.message), { from: logFrom });
  assert.ok(warn);
  const from = client.messages.length;
  server.send({ type: "set", items: [{ h: 0, v: 4, t: Date.now() }] });
  const latest = await client.waitValues((l) => l.get(0)?.v === 4, { from });
  assert.equal(latest.get(0).q, "good");
  // the server is still alive and answering
  server.send({ type: "ping", id: 77 });
  await server.waitType("pong", (m) => m.id === 77);
});

test("write from the client to a writable server variable -> written on the server", async () => {
  const from = server.messages.length;
  const result = await client.request("write", { node_id: "ns=1;s=L1.filler.Cmd.Setpoint", data_type: "Double", value: 42.75 });
  assert.deepEqual({ ok: result.ok, message: result.message }, { ok: true, message: undefined });
  const written = await server.waitFor((m) => m.type === "written" && m.h === 5, { from });
  assert.equal(written.message.v, 42.75);
  const r64 = await client.request("write", { node_id: "ns=1;i=5000", data_type: "UInt64", value: "12345678901234567890" });
  assert.equal(r64.ok, true, r64.message);
  const w64 = await server.waitFor((m) => m.type === "written" && m.h === 7, { from });
  assert.equal(w64.message.v, "12345678901234567890");
  // and the client sees the new value through its subscription
  await client.waitValues((l) => l.get(5)?.v === 42.75 && l.get(7)?.v === "12345678901234567890");
});

test("writes that cannot succeed fail with a reason", async () => {
  const readOnly = await client.request("write", { node_id: "ns=1;s=L1.filler.Speed", data_type: "Double", value: 1 });
  assert.equal(readOnly.ok, false);
  assert.match(readOnly.message, /^Bad/);
  const wrongType = await client.request("write", { node_id: "ns=1;s=L1.filler.Cmd.Setpoint", data_type: "Double", value: "x" });
  assert.equal(wrongType.ok, false);
  assert.match(wrongType.message, /Double/);
  const mismatch = await client.request("write", { node_id: "ns=1;s=L1.filler.Cmd.Setpoint", data_type: "Int32", value: 5 });
  assert.equal(mismatch.ok, false);
  assert.match(mismatch.message, /^Bad/);
  const missing = await client.request("write", { node_id: "ns=1;s=Nope", data_type: "Int32", value: 5 });
  assert.equal(missing.ok, false);
  assert.match(missing.message, /BadNodeIdUnknown/);
});

test("read returns values, qualities, times and data types", async () => {
  const result = await client.request("read", {
    node_ids: ["ns=1;s=L1.filler.Counters.Produced", "ns=1;s=L1.filler.Recipe", "ns=1;s=Nope", "ns=0;i=2259"],
  });
  assert.equal(result.ok, true, result.message);
  const [produced, recipe, missing, state] = result.values;
  assert.deepEqual([produced.v, produced.q, produced.data_type], ["-9223372036854775807", "good", "Int64"]);
  assert.equal(typeof produced.t, "number");
  assert.deepEqual([recipe.v, recipe.data_type], ["sprite ✓", "String"]);
  assert.equal(missing.q, "bad");
  assert.equal(missing.v, null);
  assert.equal(state.q, "good"); // Server.ServerStatus.State
  const bad = await client.request("read", { node_ids: ["garbage"] });
  assert.equal(bad.ok, false);
  assert.match(bad.message, /BadNodeIdInvalid/);
});

test("browse returns the folder tree with node classes and variable data types", async () => {
  const result = await client.request("browse", { node_id: "ns=0;i=85", depth: 4 });
  assert.equal(result.ok, true, result.message);
  const top = result.nodes.find((n) => n.node_id === "ns=1;s=TopLevel");
  assert.deepEqual([top?.node_class, top?.data_type], ["Variable", "UInt16"]);
  const l1 = result.nodes.find((n) => n.display_name === "L1");
  assert.ok(l1, "L1 under Objects");
  assert.equal(l1.node_class, "Object");
  assert.equal(l1.browse_name, "1:L1");
  const filler = l1.children.find((n) => n.display_name === "filler");
  const status = filler.children.find((n) => n.display_name === "Status");
  const state = status.children.find((n) => n.display_name === "StateCurrent");
  assert.deepEqual(
    { node_id: state.node_id, node_class: state.node_class, data_type: state.data_type, browse_name: state.browse_name },
    { node_id: "ns=1;s=L1.filler.Status.StateCurrent", node_class: "Variable", data_type: "Int32", browse_name: "1:StateCurrent" },
  );
  const speed = filler.children.find((n) => n.display_name === "Speed");
  assert.equal(speed.data_type, "Double");
  // depth 1: direct children only
  const shallow = await client.request("browse", { node_id: "ns=1;s=L1/filler", depth: 1 });
  assert.equal(shallow.ok, true, shallow.message);
  const names = shallow.nodes.map((n) => n.display_name).sort();
  assert.deepEqual(names, ["Cmd", "Counters", "LastStop", "Recipe", "Running", "Speed", "Status"]);
  assert.ok(shallow.nodes.every((n) => n.children === undefined));
  const cmd = shallow.nodes.find((n) => n.display_name === "Cmd");
  assert.equal(cmd.node_class, "Object");
  const unknown = await client.request("browse", { node_id: "ns=1;s=Nope", depth: 1 });
  assert.equal(unknown.ok, false);
  assert.match(unknown.message, /BadNodeIdUnknown/);
});
