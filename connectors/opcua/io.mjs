// The connector's only channel to Strata: frames on stdout. Everything else (console output of this
// process and of node-opcua) is redirected to stderr, which Strata forwards to its log.

import { format } from "node:util";
import { encodeFrame, FrameError } from "./framing.mjs";

const stdout = process.stdout;
const rawWrite = stdout.write.bind(stdout);
let guarded = false;

/** Redirects console.* and process.stdout.write to stderr, so that stdout carries frames only. */
export function guardStdout() {
  if (guarded) return;
  guarded = true;
  const toStderr = (...args) => {
    process.stderr.write(`${format(...args)}\n`);
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  console.trace = toStderr;
  console.dir = (obj) => toStderr("%o", obj);
  console.table = toStderr;
  stdout.write = (chunk, encoding, callback) => process.stderr.write(chunk, encoding, callback);
}

/** A line on stderr (Strata's log of this connector). */
export function stderrLog(message) {
  process.stderr.write(`${new Date().toISOString()} ${message}\n`);
}

/** Writes one message as a frame on stdout; a message too large for a frame is logged on stderr instead. */
export function send(message, callback) {
  let frame;
  try {
    frame = encodeFrame(message);
  } catch (err) {
    if (err instanceof FrameError && message.type === "result") {
      frame = encodeFrame({ type: "result", id: message.id, ok: false, message: `result too large: ${err.message}` });
    } else {
      stderrLog(`cannot send ${message.type} message: ${err.message}`);
      if (callback) setImmediate(callback);
      return;
    }
  }
  rawWrite(frame, callback);
}

/** A `log` message to Strata. */
export function log(level, message) {
  send({ type: "log", level, message: String(message) });
}

/** Sends `fatal`, then exits with status 2 once the frame is written. */
export function fatal(message) {
  send({ type: "fatal", message: String(message) }, () => process.exit(2));
  setTimeout(() => process.exit(2), 500).unref();
}
