import { test } from "node:test";
import assert from "node:assert/strict";
import { encodeFrame, FrameDecoder, FrameError, MAX_FRAME } from "../framing.mjs";

function header(n) {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n, 0);
  return b;
}

test("encodes a 4-byte big-endian length then UTF-8 JSON", () => {
  const frame = encodeFrame({ type: "pong", id: 7, s: "é" });
  const body = Buffer.from(JSON.stringify({ type: "pong", id: 7, s: "é" }), "utf8");
  assert.equal(frame.readUInt32BE(0), body.length);
  assert.deepEqual(frame.subarray(4), body);
});

test("decodes a frame split into single bytes", () => {
  const messages = [{ type: "a", n: 1 }, { type: "b", text: "ünïcødé ✓", big: "9223372036854775807" }];
  const bytes = Buffer.concat(messages.map(encodeFrame));
  const decoder = new FrameDecoder();
  const out = [];
  for (let i = 0; i < bytes.length; i += 1) out.push(...decoder.push(bytes.subarray(i, i + 1)));
  assert.deepEqual(out, messages);
  assert.equal(decoder.pending, 0);
});

test("decodes several frames merged into one chunk, and a partial tail later", () => {
  const messages = Array.from({ length: 50 }, (_, i) => ({ type: "values", items: [{ h: i, v: i * 1.5 }] }));
  const bytes = Buffer.concat(messages.map(encodeFrame));
  const decoder = new FrameDecoder();
  const cut = bytes.length - 7;
  const first = decoder.push(bytes.subarray(0, cut));
  assert.equal(first.length, 49);
  assert.ok(decoder.pending > 0);
  const rest = decoder.push(bytes.subarray(cut));
  assert.deepEqual([...first, ...rest], messages);
});

test("decodes chunks that cut through headers at every position", () => {
  const messages = [{ type: "x" }, { type: "y", a: [1, 2, 3] }, { type: "z", s: "long".repeat(100) }];
  const bytes = Buffer.concat(messages.map(encodeFrame));
  for (let a = 1; a < bytes.length; a += 3) {
    for (let b = a; b < bytes.length; b += 17) {
      const decoder = new FrameDecoder();
      const out = [...decoder.push(bytes.subarray(0, a)), ...decoder.push(bytes.subarray(a, b)), ...decoder.push(bytes.subarray(b))];
      assert.deepEqual(out, messages);
    }
  }
});

test("a large frame (1 MiB) in 64 KiB chunks", () => {
  const message = { type: "big", s: "x".repeat(1024 * 1024) };
  const bytes = encodeFrame(message);
  const decoder = new FrameDecoder();
  const out = [];
  for (let i = 0; i < bytes.length; i += 65536) out.push(...decoder.push(bytes.subarray(i, i + 65536)));
  assert.deepEqual(out, [message]);
});

test("rejects a length above 16 MiB as soon as the header is read", () => {
  const decoder = new FrameDecoder();
  assert.throws(() => decoder.push(header(MAX_FRAME + 1)), FrameError);
  // the decoder stays failed
  assert.throws(() => decoder.push(encodeFrame({ type: "ping" })), FrameError);
});

test("accepts exactly 16 MiB", () => {
  const body = Buffer.alloc(MAX_FRAME, 0x20);
  Buffer.from('{"type":"t"}').copy(body, 0);
  const decoder = new FrameDecoder();
  const out = decoder.push(Buffer.concat([header(MAX_FRAME), body]));
  assert.deepEqual(out, [{ type: "t" }]);
});

test("rejects lengths below 2", () => {
  assert.throws(() => new FrameDecoder().push(header(0)), FrameError);
  assert.throws(() => new FrameDecoder().push(header(1)), FrameError);
});

test("rejects bodies that are not a JSON object with a string type", () => {
  const frame = (text) => Buffer.concat([header(Buffer.byteLength(text)), Buffer.from(text)]);
  for (const bad of ["{not json}", "[1,2]", "42", "null", '"str"', '{"type":5}', '{"id":1}']) {
    assert.throws(() => new FrameDecoder().push(frame(bad)), FrameError, bad);
  }
  const invalidUtf8 = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
  assert.throws(() => new FrameDecoder().push(Buffer.concat([header(invalidUtf8.length), invalidUtf8])), FrameError);
});

test("unknown members are kept (ignored by the reader)", () => {
  const [m] = new FrameDecoder().push(encodeFrame({ type: "ping", id: 1, future: { x: 1 } }));
  assert.equal(m.type, "ping");
});

test("encodeFrame refuses a message larger than 16 MiB", () => {
  assert.throws(() => encodeFrame({ type: "x", s: "a".repeat(MAX_FRAME) }), FrameError);
});
