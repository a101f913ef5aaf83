// The protocol's data types and the checks of JSON values against them (docs/connector-protocol.md,
// "Values"). No node-opcua here: the connector validates a configuration before it loads node-opcua.

/** The data types the protocol names, with their integer range where one applies. */
const INT_RANGES = {
  SByte: [-128, 127],
  Byte: [0, 255],
  Int16: [-32768, 32767],
  UInt16: [0, 65535],
  Int32: [-2147483648, 2147483647],
  UInt32: [0, 4294967295],
};
const INT64_RANGES = {
  Int64: [-(2n ** 63n), 2n ** 63n - 1n],
  UInt64: [0n, 2n ** 64n - 1n],
};
export const DATA_TYPES = [
  "Boolean", "SByte", "Byte", "Int16", "UInt16", "Int32", "UInt32", "Int64", "UInt64",
  "Float", "Double", "String", "DateTime",
];
const DATA_TYPE_SET = new Set(DATA_TYPES);

export class ValueError extends Error {
  constructor(message) {
    super(message);
    this.name = "ValueError";
  }
}

export function isDataType(name) {
  return typeof name === "string" && DATA_TYPE_SET.has(name);
}

function parseInteger(value, name) {
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new ValueError(`${name} needs an integer, got ${value}`);
    return value;
  }
  if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  throw new ValueError(`${name} needs an integer, got ${describe(value)}`);
}

function parseBigInteger(value, name) {
  if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return BigInt(value.trim());
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  throw new ValueError(`${name} needs a decimal string, got ${describe(value)}`);
}

function describe(value) {
  const text = JSON.stringify(value);
  return text === undefined ? typeof value : text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

/** Converts a JSON value to the node-opcua representation for `name`; throws ValueError when it does not fit. */
export function jsonToOpcua(name, value) {
  switch (name) {
    case "Boolean":
      if (typeof value !== "boolean") throw new ValueError(`Boolean needs true or false, got ${describe(value)}`);
      return value;
    case "SByte":
    case "Byte":
    case "Int16":
    case "UInt16":
    case "Int32":
    case "UInt32": {
      const n = parseInteger(value, name);
      const [lo, hi] = INT_RANGES[name];
      if (n < lo || n > hi) throw new ValueError(`${name} value ${n} out of range [${lo}, ${hi}]`);
      return n;
    }
    case "Int64":
    case "UInt64": {
      const n = parseBigInteger(value, name);
      const [lo, hi] = INT64_RANGES[name];
      if (n < lo || n > hi) throw new ValueError(`${name} value ${n} out of range [${lo}, ${hi}]`);
      const u = BigInt.asUintN(64, n);
      return [Number(u >> 32n), Number(u & 0xffffffffn)];
    }
    case "Float":
    case "Double":
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new ValueError(`${name} needs a number, got ${describe(value)}`);
      }
      return value;
    case "String":
      if (typeof value !== "string") throw new ValueError(`String needs a string, got ${describe(value)}`);
      return value;
    case "DateTime":
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new ValueError(`DateTime needs milliseconds since the epoch, got ${describe(value)}`);
      }
      return new Date(value);
    default:
      throw new ValueError(`unknown data_type ${JSON.stringify(name)}`);
  }
}

