// The OPC UA server goes away (its process is killed) and a new one starts on the same port: the client
// connector, not restarted itself, must report disconnected, then connected, then values again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { freePort, startServer, startClient } from "../testing/harness.mjs";

test("client survives a server restart and re-creates its subscriptions", async () => {
  const port = await freePort();
  const nodes = [
    { h: 0, node_id: "ns=1;s=Line.Count", browse_path: ["Line", "Count"], data_type: "Int64", value: "1" },
    { h: 1, node_id: "ns=1;s=Line.Speed", browse_path: ["Line", "Speed"], data_type: "Double", value: 1.5 },
  ];
  const serverConfig = { host: "127.0.0.1", port, resource_path: "/strata", nodes };
  let server = await startServer("server-1", serverConfig);
  const client = await startClient("client", {
    endpoint: `opc.tcp://127.0.0.1:${port}/strata`,
    reconnect: { initial_ms: 200, max_ms: 1000 },
    items: [
      { h: 0, node_id: "ns=1;s=Line.Count", sampling_interval_ms: 50, publishing_interval_ms: 100 },
      { h: 1, node_id: "ns=1;s=Line.Speed", sampling_interval_ms: 50, publishing_interval_ms: 200 },
    ],
  });
  try {
    await client.waitValues((l) => l.get(0)?.v === "1" && l.get(1)?.v === 1.5);

    await server.kill("SIGKILL");
    const down = await client.waitFor((m) => m.type === "connection" && m.state === "disconnected");

    // the new server starts with other values: the client must report them
    server = await startServer("server-2", {
      ...serverConfig,
      nodes: [{ ...nodes[0], value: "9007199254740993" }, { ...nodes[1], value: 2.5 }],
    });
    const up = await client.waitFor((m) => m.type === "connection" && m.state === "connected", { from: down.index });
    const latest = await client.waitValues((l) => l.get(0)?.v === "9007199254740993" && l.get(1)?.v === 2.5, { from: up.index });
    assert.equal(latest.get(0).q, "good");

    // the new subscriptions are live
    server.send({ type: "set", items: [{ h: 1, v: 3.75, t: Date.now() }] });
    await client.waitValues((l) => l.get(1)?.v === 3.75, { from: up.index });

    // requests work on the new session
    const read = await client.request("read", { node_ids: ["ns=1;s=Line.Count"] });
    assert.equal(read.ok, true, read.message);
    assert.equal(read.values[0].v, "9007199254740993");
    assert.equal(client.exitCode, undefined, "the client connector was not restarted");
  } finally {
    await Promise.all([client.close(), server.close()]);
  }
});
