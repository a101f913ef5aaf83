// The connector process without an OPC UA peer: start-up, heartbeat, errors, exit on stdin EOF.
import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { Connector, freePort } from "../testing/harness.mjs";

test("answers ping before and after hello, sends ready, exits 0 on stdin EOF", async () => {
  const c = new Connector("ping");
  c.send({ type: "ping", id: 1 });
  assert.equal((await c.waitType("pong")).id, 1);
  const port = await freePort(); // nothing listens there
  c.hello("client", { endpoint: `opc.tcp://127.0.0.1:${port}`, reconnect: { initial_ms: 100, max_ms: 200 }, items: [] });
  const ready = await c.waitType("ready");
  assert.equal(ready.protocol, 1);
  assert.equal(ready.connector, "opcua");
  assert.match(ready.version, /^\d+\.\d+\.\d+/);
  c.send({ type: "ping", id: 2 });
  assert.equal((await c.waitType("pong", (m) => m.id === 2)).id, 2);
  const down = await c.waitType("connection");
  assert.equal(down.state, "disconnected");
  assert.match(down.message, /ECONNREFUSED|connect/i);
  // requests while disconnected fail cleanly
  const r = await c.request("read", { node_ids: ["ns=0;i=2258"] });
  assert.equal(r.ok, false);
  assert.match(r.message, /BadNotConnected/);
  const { code } = await c.close();
  assert.equal(code, 0);
});

test("unknown message type is answered with a warn log, not fatal", async () => {
  const c = new Connector("unknown");
  c.send({ type: "frobnicate", x: 1 });
  const log = await c.waitType("log");
  assert.equal(log.level, "warn");
  assert.match(log.message, /frobnicate/);
  c.send({ type: "ping", id: 3 });
  await c.waitType("pong");
  assert.equal((await c.close()).code, 0);
});

test("a bad frame makes the connector exit with status 3", async () => {
  const c = new Connector("badframe");
  const body = Buffer.from("{not json");
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length, 0);
  c.writeRaw(Buffer.concat([header, body]));
  const { code } = await c.exited;
  assert.equal(code, 3);
  assert.match(c.stderr, /not valid JSON/);
});

test("an oversized length makes the connector exit with status 3", async () => {
  const c = new Connector("oversize");
  c.writeRaw(Buffer.from([0x01, 0x00, 0x00, 0x01]));
  assert.equal((await c.exited).code, 3);
});

test("unsupported protocol version -> fatal, exit 2", async () => {
  const c = new Connector("proto");
  c.send({ type: "hello", protocol: 99, role: "client", name: "x", config: {} });
  const fatal = await c.waitType("fatal");
  assert.match(fatal.message, /protocol/);
  assert.equal((await c.exited).code, 2);
});

test("invalid configuration -> fatal, exit 2; port in use -> error log, exit 1", async () => {
  const busy = net.createServer();
  await new Promise((resolve) => busy.listen(0, "127.0.0.1", resolve));
  try {
    // several connectors at once: each takes a while to load node-opcua
    const c = new Connector("badconfig");
    const d = new Connector("badconfig2");
    const e = new Connector("portinuse");
    const f = new Connector("badnodeid");
    c.hello("server", { port: 4840, nodes: [{ h: 0, node_id: "ns=1;s=A", browse_path: ["A"], data_type: "Quaternion" }] });
    f.hello("server", { port: 4840, nodes: [{ h: 0, node_id: "ns=2;s=A", browse_path: ["A"], data_type: "Int32" }] });
    d.hello("client", { endpoint: "http://nope", items: [] });
    const g = new Connector("badpath");
    g.hello("server", {
      port: 4840,
      nodes: [
        { h: 0, node_id: "ns=1;s=AB", browse_path: ["A", "B"], data_type: "Int32" },
        { h: 1, node_id: "ns=1;s=ABC", browse_path: ["A", "B", "C"], data_type: "Int32" },
      ],
    });
    e.hello("server", { host: "127.0.0.1", port: busy.address().port, nodes: [] });
    assert.match((await c.waitType("fatal")).message, /data_type/);
    assert.match((await d.waitType("fatal")).message, /endpoint/);
    assert.equal((await c.exited).code, 2);
    assert.equal((await d.exited).code, 2);
    assert.match((await g.waitType("fatal")).message, /goes through the variable/);
    assert.match((await f.waitType("fatal")).message, /ns=1/);
    assert.equal((await f.exited).code, 2);
    assert.equal((await e.exited).code, 1);
    const error = e.messages.find((m) => m.type === "log" && m.level === "error");
    assert.match(error.message, /EADDRINUSE/);
  } finally {
    busy.close();
  }
});
