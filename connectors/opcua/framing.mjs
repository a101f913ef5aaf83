// Connector protocol framing: a 4-byte unsigned big-endian length N, then N bytes of UTF-8 JSON holding
// one object with a string member `type` (docs/connector-protocol.md, "Framing").

export const MIN_FRAME = 2;
export const MAX_FRAME = 16 * 1024 * 1024;

export class FrameError extends Error {
  constructor(message) {
    super(message);
    this.name = "FrameError";
  }
}

/** Encodes one message object as a frame (Buffer). Throws FrameError when the JSON is too large. */
export function encodeFrame(message) {
  const body = Buffer.from(JSON.stringify(message), "utf8");
  if (body.length < MIN_FRAME || body.length > MAX_FRAME) {
    throw new FrameError(`frame length ${body.length} out of range [${MIN_FRAME}, ${MAX_FRAME}]`);
  }
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

/**
 * Incremental decoder: push() chunks as they arrive, get back the complete messages they finish.
 * Throws FrameError on a length out of range, bytes that are not UTF-8 JSON, or JSON that is not an object
 * with a string `type`; the stream is unusable afterwards.
 */
export class FrameDecoder {
  constructor({ maxFrame = MAX_FRAME } = {}) {
    this.maxFrame = maxFrame;
    this.chunks = [];
    this.buffered = 0;
    this.need = -1; // body length of the frame being read; -1 while reading the header
    this.failed = null;
  }

  /** Bytes received but not yet part of a complete frame. */
  get pending() {
    return this.buffered;
  }

  push(chunk) {
    if (this.failed) throw this.failed;
    if (chunk.length) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const out = [];
    for (;;) {
      if (this.need < 0) {
        if (this.buffered < 4) break;
        const n = this.take(4).readUInt32BE(0);
        if (n < MIN_FRAME || n > this.maxFrame) {
          this.failed = new FrameError(`frame length ${n} out of range [${MIN_FRAME}, ${this.maxFrame}]`);
          throw this.failed;
        }
        this.need = n;
      }
      if (this.buffered < this.need) break;
      const body = this.take(this.need);
      this.need = -1;
      try {
        out.push(parseBody(body));
      } catch (err) {
        this.failed = err;
        throw err;
      }
    }
    return out;
  }

  take(n) {
    let head = this.chunks[0];
    if (head.length < n) {
      head = Buffer.concat(this.chunks, this.buffered);
      this.chunks = [head];
    }
    const part = head.subarray(0, n);
    if (head.length === n) this.chunks.shift();
    else this.chunks[0] = head.subarray(n);
    this.buffered -= n;
    return part;
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function parseBody(body) {
  let text;
  try {
    text = utf8.decode(body);
  } catch {
    throw new FrameError("frame is not valid UTF-8");
  }
  let message;
  try {
    message = JSON.parse(text);
  } catch (err) {
    throw new FrameError(`frame is not valid JSON: ${err.message}`);
  }
  if (message === null || typeof message !== "object" || Array.isArray(message)) {
    throw new FrameError("frame JSON is not an object");
  }
  if (typeof message.type !== "string") {
    throw new FrameError("frame object has no string member 'type'");
  }
  return message;
}
