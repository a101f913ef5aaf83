// Test helper: spawns connector.mjs, speaks the framing to it, and awaits messages (timeouts are failure
// guards only).

import { spawn } from "node:child_process";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { encodeFrame, FrameDecoder } from "../framing.mjs";

export const CONNECTOR = fileURLToPath(new URL("../connector.mjs", import.meta.url));
export const GUARD_MS = Number(process.env.STRATA_TEST_GUARD_MS || 30000);

/** A free TCP port on 127.0.0.1 (bind to port 0, read it, close). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export class Connector {
  /** Spawns the connector; `name` prefixes its stderr lines when STRATA_TEST_VERBOSE is set. */
  constructor(name = "connector", { env } = {}) {
    this.name = name;
    this.messages = []; // every message received, in order
    this.waiters = [];
    this.stderr = "";
    this.decoder = new FrameDecoder();
    this.protocolError = null;
    this.child = spawn(process.execPath, [CONNECTOR], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, ...env },
    });
    this.exited = new Promise((resolve) => {
      this.child.on("exit", (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        resolve({ code, signal });
        this.checkWaiters();
      });
    });
    this.child.stdout.on("data", (chunk) => {
      try {
        for (const message of this.decoder.push(chunk)) {
          this.messages.push(message);
        }
      } catch (err) {
        this.protocolError = err;
      }
      this.checkWaiters();
    });
    this.child.stderr.on("data", (chunk) => {
      this.stderr += chunk.toString();
      if (this.stderr.length > 1e6) this.stderr = this.stderr.slice(-5e5);
      if (process.env.STRATA_TEST_VERBOSE) {
        for (const line of chunk.toString().split("\n")) if (line) process.stderr.write(`[${name}] ${line}\n`);
      }
    });
    this.child.stdin.on("error", () => {});
    this.nextId = 1;
  }

  send(message) {
    this.child.stdin.write(encodeFrame(message));
  }

  writeRaw(bytes) {
    this.child.stdin.write(bytes);
  }

  hello(role, config, name = this.name) {
    this.send({ type: "hello", protocol: 1, role, name, config });
  }

  /**
   * Resolves with the first message (at or after index `from`) matching `predicate`; rejects after the
   * guard time or when the process exits first. Returns { message, index }.
   */
  waitFor(predicate, { from = 0, guardMs = GUARD_MS, what = "message" } = {}) {
    return new Promise((resolve, reject) => {
      const waiter = { predicate, from, resolve, reject, what };
      waiter.timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`${this.name}: no ${what} within ${guardMs} ms; got ${this.summary()}\nstderr tail:\n${this.stderr.slice(-3000)}`));
      }, guardMs);
      this.waiters.push(waiter);
      this.checkWaiters();
    });
  }

  /** Waits for a message of `type` (and matching optional predicate). */
  async waitType(type, predicate = () => true, options = {}) {
    const { message } = await this.waitFor((m) => m.type === type && predicate(m), { what: type, ...options });
    return message;
  }

  checkWaiters() {
    for (const waiter of [...this.waiters]) {
      for (let i = waiter.from; i < this.messages.length; i += 1) {
        if (waiter.predicate(this.messages[i])) {
          clearTimeout(waiter.timer);
          this.waiters = this.waiters.filter((w) => w !== waiter);
          waiter.resolve({ message: this.messages[i], index: i });
          break;
        }
      }
      if (this.waiters.includes(waiter) && this.exitCode !== undefined) {
        clearTimeout(waiter.timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.reject(new Error(`${this.name}: exited (${this.exitCode ?? this.exitSignal}) before ${waiter.what}; got ${this.summary()}\nstderr tail:\n${this.stderr.slice(-3000)}`));
      }
    }
  }

  summary() {
    const counts = {};
    for (const m of this.messages) counts[m.type] = (counts[m.type] || 0) + 1;
    const last = this.messages.filter((m) => m.type !== "values").slice(-6).map((m) => JSON.stringify(m).slice(0, 300));
    return `${JSON.stringify(counts)} last: ${last.join(" | ")}`;
  }

  /** Sends a request with a fresh id and resolves with its result message. */
  async request(type, fields = {}, options = {}) {
    const id = this.nextId++;
    this.send({ type, id, ...fields });
    return this.waitType("result", (m) => m.id === id, { what: `result of ${type} #${id}`, ...options });
  }

  /**
   * Latest value per handle seen so far in `values` messages: Map h -> {v, q, t}.
   */
  latestValues(from = 0) {
    const latest = new Map();
    for (let i = from; i < this.messages.length; i += 1) {
      const m = this.messages[i];
      if (m.type === "values") for (const item of m.items) latest.set(item.h, item);
    }
    return latest;
  }

  /** Waits until predicate(latest values map) holds (evaluated on every new message). */
  waitValues(predicate, { from = 0, what = "values", guardMs } = {}) {
    let latest = new Map();
    let scanned = from;
    return this.waitFor(
      () => {
        for (; scanned < this.messages.length; scanned += 1) {
          const m = this.messages[scanned];
          if (m.type === "values") for (const item of m.items) latest.set(item.h, item);
        }
        return predicate(latest);
      },
      { from, what, guardMs },
    ).then(() => latest);
  }

  /** Closes stdin and waits for the exit; throws if the connector ever wrote anything but frames. */
  async close() {
    if (this.exitCode === undefined) this.child.stdin.end();
    const exit = await this.exited;
    if (this.protocolError) throw new Error(`${this.name} broke the framing on stdout: ${this.protocolError.message}`);
    return exit;
  }

  kill(signal = "SIGKILL") {
    if (this.exitCode === undefined) this.child.kill(signal);
    return this.exited;
  }
}

/** Starts a server-role connector and waits for `listening`. */
export async function startServer(name, config) {
  const server = new Connector(name);
  server.hello("server", config);
  await server.waitType("ready");
  await server.waitType("listening");
  return server;
}

/** Starts a client-role connector and waits for `ready`. */
export async function startClient(name, config) {
  const client = new Connector(name);
  client.hello("client", config);
  await client.waitType("ready");
  return client;
}
