#!/usr/bin/env node
// Benchmark: a server-role connector with N variables all changing every SET_MS, a client-role connector
// monitoring all of them (sampling and publishing SAMPLING_MS). Measures value notifications per second
// arriving in the client's `values` frames over MEASURE_S seconds after WARMUP_S, and the CPU used by each
// process (/proc/<pid>/stat). Prints one JSON object.
//
//   node bench/notifications.mjs [--nodes 10000] [--set-ms 100] [--sampling-ms 100] [--warmup-s 5] [--measure-s 10]

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { encodeFrame, FrameDecoder } from "../framing.mjs";

const { values: args } = parseArgs({
  options: {
    nodes: { type: "string", default: "10000" },
    "set-ms": { type: "string", default: "100" },
    "sampling-ms": { type: "string", default: "100" },
    "warmup-s": { type: "string", default: "5" },
    "measure-s": { type: "string", default: "10" },
  },
});
const N = Number(args.nodes);
const SET_MS = Number(args["set-ms"]);
const SAMPLING_MS = Number(args["sampling-ms"]);
const WARMUP_S = Number(args["warmup-s"]);
const MEASURE_S = Number(args["measure-s"]);
const CONNECTOR = fileURLToPath(new URL("../connector.mjs", import.meta.url));
const CLK_TCK = 100; // Linux USER_HZ

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime + stime
  } catch {
    return NaN;
  }
}

function rssMiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

function startConnector(name, onMessage) {
  const child = spawn(process.execPath, [CONNECTOR], { stdio: ["pipe", "pipe", "pipe"] });
  const decoder = new FrameDecoder();
  child.stdout.on("data", (chunk) => {
    for (const message of decoder.push(chunk)) onMessage(message);
  });
  let stderr = "";
  child.stderr.on("data", (c) => {
    stderr += c;
    if (stderr.length > 100000) stderr = stderr.slice(-50000);
  });
  child.on("exit", (code) => {
    if (!stopping) {
      console.error(`${name} exited early (${code}):\n${stderr.slice(-3000)}`);
      process.exit(1);
    }
  });
  child.stdin.on("error", () => {});
  return { child, send: (m) => child.stdin.write(encodeFrame(m)) };
}

function waitUntil(predicate, what, guardMs = 180000) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (predicate()) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > guardMs) {
        clearInterval(timer);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 5);
  });
}

let stopping = false;
const port = await freePort();
const nodes = Array.from({ length: N }, (_, i) => ({
  h: i,
  node_id: `ns=1;s=Bench.G${Math.floor(i / 100)}.V${i}`,
  browse_path: ["Bench", `G${Math.floor(i / 100)}`, `V${i}`],
  data_type: "Double",
  value: 0,
}));

// ---- server ----
let listeningAt = 0;
const server = startConnector("server", (m) => {
  if (m.type === "listening") listeningAt = Date.now();
  if (m.type === "fatal") {
    console.error("server fatal:", m.message);
    process.exit(1);
  }
});
const serverHelloAt = Date.now();
server.send({ type: "hello", protocol: 1, role: "server", name: "bench-server", config: { host: "127.0.0.1", port, resource_path: "/bench", nodes } });
await waitUntil(() => listeningAt, "server listening");
const serverStartMs = listeningAt - serverHelloAt;

// ---- client ----
let connectedAt = 0;
let itemsReceived = 0;
let framesReceived = 0;
let itemErrors = 0;
const seen = new Uint8Array(N);
let distinctSeen = 0;
let allSeenAt = 0;
const client = startConnector("client", (m) => {
  if (m.type === "connection" && m.state === "connected" && !connectedAt) connectedAt = Date.now();
  if (m.type === "item_error") itemErrors += 1;
  if (m.type === "values") {
    framesReceived += 1;
    itemsReceived += m.items.length;
    for (const item of m.items) {
      if (!seen[item.h]) {
        seen[item.h] = 1;
        distinctSeen += 1;
        if (distinctSeen === N) allSeenAt = Date.now();
      }
    }
  }
});
const clientHelloAt = Date.now();
client.send({
  type: "hello",
  protocol: 1,
  role: "client",
  name: "bench-client",
  config: {
    endpoint: `opc.tcp://127.0.0.1:${port}/bench`,
    items: nodes.map((n) => ({ h: n.h, node_id: n.node_id, sampling_interval_ms: SAMPLING_MS, publishing_interval_ms: SAMPLING_MS })),
  },
});

// ---- continuous changes ----
let tick = 0;
let setsSent = 0;
const setter = setInterval(() => {
  tick += 1;
  const t = Date.now();
  const items = new Array(N);
  for (let i = 0; i < N; i += 1) items[i] = { h: i, v: tick + i / N, t };
  server.send({ type: "set", items });
  setsSent += N;
}, SET_MS);

await waitUntil(() => allSeenAt, "first value of every item");
const clientReadyMs = { connected: connectedAt - clientHelloAt, all_items_first_value: allSeenAt - clientHelloAt };
await new Promise((r) => setTimeout(r, WARMUP_S * 1000));

const c0 = { server: cpuSeconds(server.child.pid), client: cpuSeconds(client.child.pid), bench: process.cpuUsage() };
const i0 = itemsReceived;
const f0 = framesReceived;
const s0 = setsSent;
const t0 = process.hrtime.bigint();
await new Promise((r) => setTimeout(r, MEASURE_S * 1000));
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const c1 = { server: cpuSeconds(server.child.pid), client: cpuSeconds(client.child.pid), bench: process.cpuUsage(c0.bench) };
const rss = { server: rssMiB(server.child.pid), client: rssMiB(client.child.pid) };
clearInterval(setter);

const result = {
  nodes: N,
  set_interval_ms: SET_MS,
  sampling_and_publishing_ms: SAMPLING_MS,
  server_start_ms: serverStartMs,
  client_connected_ms: clientReadyMs.connected,
  client_all_first_values_ms: clientReadyMs.all_items_first_value,
  item_errors: itemErrors,
  measure_s: Number(seconds.toFixed(2)),
  values_set_per_s: Math.round((setsSent - s0) / seconds),
  notifications_per_s: Math.round((itemsReceived - i0) / seconds),
  values_frames_per_s: Number(((framesReceived - f0) / seconds).toFixed(1)),
  cpu_percent: {
    server_connector: Number((((c1.server - c0.server) / seconds) * 100).toFixed(1)),
    client_connector: Number((((c1.client - c0.client) / seconds) * 100).toFixed(1)),
    bench_driver: Number((((c1.bench.user + c1.bench.system) / 1e6 / seconds) * 100).toFixed(1)),
  },
  rss_mib: rss,
  load_average_1m: Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]),
};

stopping = true;
server.child.stdin.end();
client.child.stdin.end();
await Promise.all([server.child, client.child].map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.on("exit", r)))));
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
