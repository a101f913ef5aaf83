// Decodes Sparkplug B payloads with the Eclipse Tahu JavaScript decoder (npm sparkplug-payload), an
// implementation independent of Strata's, so C++ tests can cross-check what Strata publishes.
// Input: one hex-encoded payload per line on stdin. Output: one JSON object per line, 64-bit integers as
// decimal strings (Long values), in the decoder's field names (timestamp, seq, metrics[].name, alias, type,
// value, isHistorical, isNull...).
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

const require = createRequire(import.meta.url);
const { get } = require('sparkplug-payload');
const sparkplug = get('spBv1.0');

const plain = (value) => {
  if (value === null || value === undefined) return value ?? null;
  if (typeof value === 'object' && typeof value.toNumber === 'function' && 'low' in value) {
    return value.toString();  // Long: exact, as a string
  }
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  }
  return value;
};

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const hex = line.trim();
  if (hex === '') continue;
  try {
    const payload = sparkplug.decodePayload(Buffer.from(hex, 'hex'));
    process.stdout.write(`${JSON.stringify(plain(payload))}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ error: String(error) })}\n`);
  }
}
