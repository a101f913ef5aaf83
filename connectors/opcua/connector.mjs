#!/usr/bin/env node
// Strata OPC UA connector: speaks the connector protocol (docs/connector-protocol.md) on stdin/stdout and
// OPC UA (node-opcua) as a client ("client" role) or a server ("server" role).
//
//   npm ci                      # in this folder, once (node-opcua 2.182.x, Node.js >= 20)
//   node --test test/           # tests: spawn a server-role and client-role connector and talk to both
//   node bench/notifications.mjs  # 10k variables changing every 100 ms -> notifications/s, CPU
//
// Modules: framing.mjs (frames), io.mjs (stdout guard, send), config.mjs + datatypes.mjs (validation
// without node-opcua), values.mjs (JSON <-> Variant), pki.mjs (certificates), client_role.mjs, server_role.mjs.

import { readFileSync } from "node:fs";
import { FrameDecoder } from "./framing.mjs";
import { guardStdout, send, log, fatal, stderrLog } from "./io.mjs";

guardStdout(); // before node-opcua is loaded: it prints warnings with console.log

const PROTOCOL = 1;
const VERSION = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")).version;
const ROLES = { client: "./client_role.mjs", server: "./server_role.mjs" };
const EXIT_GRACE_MS = 1500; // stdin EOF -> exit within 2 s

let role = null; // the running role, once `ready` was sent
let starting = false; // hello received, role loading
let queued = []; // messages received while the role loads
let stopping = false;
let failed = false; // fatal sent

function dispatch(message) {
  if (stopping || failed) return;
  switch (message.type) {
    case "ping":
      send({ type: "pong", id: message.id });
      return;
    case "hello":
      if (role || starting) {
        log("warn", "hello received twice; ignored");
        return;
      }
      start(message);
      return;
    default:
      break;
  }
  if (starting) {
    queued.push(message);
    return;
  }
  if (role && role.handle(message)) return;
  unknown(message);
}

function unknown(message) {
  const what = role ? `in role ${role.roleName}` : "before hello";
  log("warn", `unknown or unsupported message type ${JSON.stringify(message.type)} ${what}; ignored`);
  if (Number.isInteger(message.id)) {
    send({ type: "result", id: message.id, ok: false, message: `unsupported request ${message.type} ${what}` });
  }
}

async function start(hello) {
  starting = true;
  try {
    if (hello.protocol !== PROTOCOL) {
      throw new ConfigFailure(`unsupported protocol ${JSON.stringify(hello.protocol)}; this connector speaks ${PROTOCOL}`);
    }
    if (!Object.hasOwn(ROLES, hello.role)) {
      throw new ConfigFailure(`unknown role ${JSON.stringify(hello.role)}; expected "client" or "server"`);
    }
    const config = hello.config ?? {};
    if (typeof config !== "object" || Array.isArray(config)) throw new ConfigFailure("config must be an object");
    const name = typeof hello.name === "string" && hello.name ? hello.name : "opcua";
    // check the configuration before loading node-opcua (which takes a second or two)
    const { parseClientConfig, parseServerConfig, probePort } = await import("./config.mjs");
    let parsed;
    try {
      parsed = (hello.role === "client" ? parseClientConfig : parseServerConfig)(config);
    } catch (err) {
      if (err && err.name === "ConfigError") throw new ConfigFailure(err.message);
      throw err;
    }
    if (hello.role === "server") await probePort(parsed.host, parsed.port); // e.g. EADDRINUSE: exit 1, retried
    const module = await import(ROLES[hello.role]);
    let instance;
    try {
      instance = module.create({ config, name, send, log });
    } catch (err) {
      if (err && err.name === "ConfigError") throw new ConfigFailure(err.message);
      throw err;
    }
    if (stopping) return;
    send({ type: "ready", protocol: PROTOCOL, connector: "opcua", version: VERSION });
    role = instance;
    starting = false;
    const pending = queued;
    queued = [];
    for (const message of pending) dispatch(message);
    await instance.start();
  } catch (err) {
    starting = false;
    if (err instanceof ConfigFailure || (err && err.name === "ConfigError")) {
      failed = true;
      stderrLog(`fatal: ${err.message}`);
      fatal(err.message);
      return;
    }
    stderrLog(`cannot start: ${err && err.stack ? err.stack : err}`);
    log("error", `cannot start: ${err && err.message ? err.message : err}`);
    exitSoon(1);
  }
}

class ConfigFailure extends Error {}

function exitSoon(code) {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(code), 100).unref();
  process.stdout.once?.("drain", () => process.exit(code));
}

async function shutdown(reason) {
  if (stopping) return;
  stopping = true;
  stderrLog(`stopping: ${reason}`);
  setTimeout(() => process.exit(0), EXIT_GRACE_MS).unref();
  try {
    if (role) await role.stop();
  } catch (err) {
    stderrLog(`error while stopping: ${err && err.message}`);
  }
  process.exit(0);
}

const decoder = new FrameDecoder();
process.stdin.on("data", (chunk) => {
  let messages;
  try {
    messages = decoder.push(chunk);
  } catch (err) {
    stderrLog(`protocol error on stdin: ${err.message}; exiting`);
    process.exit(3);
  }
  for (const message of messages) {
    try {
      dispatch(message);
    } catch (err) {
      stderrLog(`error handling ${message.type}: ${err && err.stack ? err.stack : err}`);
      log("error", `error handling ${message.type}: ${err && err.message ? err.message : err}`);
      if (Number.isInteger(message.id) && message.type !== "ping") {
        send({ type: "result", id: message.id, ok: false, message: String(err && err.message ? err.message : err) });
      }
    }
  }
});
process.stdin.on("end", () => shutdown("stdin closed"));
process.stdin.on("error", (err) => shutdown(`stdin error: ${err.message}`));
process.stdout.on("error", () => process.exit(0)); // Strata is gone
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
// never crash on a stray library exception: log it and carry on (the client role rebuilds its connection on
// any sign of trouble; Strata restarts the process if heartbeats stop)
process.on("uncaughtException", (err) => {
  stderrLog(`uncaught exception: ${err && err.stack ? err.stack : err}`);
  try {
    log("error", `uncaught exception: ${err && err.message ? err.message : err}`);
  } catch {
    // stdout gone: the 'error' handler exits
  }
});
process.on("unhandledRejection", (err) => {
  stderrLog(`unhandled rejection: ${err && err.stack ? err.stack : err}`);
});
