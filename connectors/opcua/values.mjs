// JSON <-> OPC UA Variant conversion (docs/connector-protocol.md, "Values").
// Booleans as booleans, integers up to 32 bits and floats as numbers, 64-bit integers as decimal strings,
// strings as strings, DateTime as milliseconds since the Unix epoch.

import opcua from "node-opcua";
import { DATA_TYPES, isDataType, ValueError, jsonToOpcua } from "./datatypes.mjs";

const { DataType, Variant, VariantArrayType } = opcua;

export { DATA_TYPES, isDataType, ValueError, jsonToOpcua };

/** A node-opcua Variant for a JSON value of protocol data type `name`; throws ValueError. */
export function toVariant(name, value) {
  const converted = jsonToOpcua(name, value);
  return new Variant({ dataType: DataType[name], arrayType: VariantArrayType.Scalar, value: converted });
}

function int64ToString(value, signed) {
  if (typeof value === "bigint") return (signed ? BigInt.asIntN(64, value) : BigInt.asUintN(64, value)).toString();
  if (typeof value === "number") return String(value);
  if (!Array.isArray(value) || value.length !== 2) return null;
  const u = (BigInt(value[0] >>> 0) << 32n) | BigInt(value[1] >>> 0);
  return (signed ? BigInt.asIntN(64, u) : u).toString();
}

function scalarToJson(dataType, value) {
  if (value === null || value === undefined) return null;
  switch (dataType) {
    case DataType.Boolean:
    case DataType.SByte:
    case DataType.Byte:
    case DataType.Int16:
    case DataType.UInt16:
    case DataType.Int32:
    case DataType.UInt32:
    case DataType.String:
      return value;
    case DataType.Float:
    case DataType.Double:
      return Number.isFinite(value) ? value : null; // JSON has no NaN/Infinity
    case DataType.Int64:
      return int64ToString(value, true);
    case DataType.UInt64:
      return int64ToString(value, false);
    case DataType.DateTime:
      return value instanceof Date && !Number.isNaN(value.getTime()) ? value.getTime() : null;
    case DataType.ByteString:
      return Buffer.isBuffer(value) ? value.toString("base64") : null;
    case DataType.LocalizedText:
      return value.text ?? null;
    case DataType.QualifiedName:
      return value.toString();
    case DataType.NodeId:
    case DataType.ExpandedNodeId:
    case DataType.StatusCode:
    case DataType.Guid:
      return value.toString();
    default:
      if (typeof value === "object" && typeof value.toJSON === "function") return value.toJSON();
      if (typeof value === "object") return String(value);
      return value;
  }
}

/** JSON value of a node-opcua Variant (arrays become JSON arrays). */
export function variantToJson(variant) {
  if (!variant || variant.dataType === DataType.Null) return null;
  if (variant.arrayType !== undefined && variant.arrayType !== VariantArrayType.Scalar) {
    const elements = variant.value ? Array.from(variant.value) : [];
    return elements.map((element) => scalarToJson(variant.dataType, element));
  }
  return scalarToJson(variant.dataType, variant.value);
}

/** Name of a Variant's data type ("Int32", ...), or null for an empty Variant. */
export function variantTypeName(variant) {
  if (!variant || variant.dataType === DataType.Null) return null;
  return DataType[variant.dataType] ?? null;
}

/** "good" | "uncertain" | "bad" from an OPC UA StatusCode (or its numeric value). */
export function quality(statusCode) {
  const code = typeof statusCode === "number" ? statusCode : statusCode ? statusCode.value : 0;
  const severity = (code >>> 30) & 3;
  return severity === 0 ? "good" : severity === 1 ? "uncertain" : "bad";
}

/** Name of a StatusCode ("BadNodeIdUnknown"), falling back to its hex value. */
export function statusName(statusCode) {
  if (!statusCode) return "Good";
  return statusCode.name || `0x${(statusCode.value >>> 0).toString(16).padStart(8, "0")}`;
}

/** Milliseconds since the epoch of a Date, or null. */
export function timeMs(date) {
  if (!(date instanceof Date)) return null;
  const t = date.getTime();
  // OPC UA's "no time" (1601-01-01 or earlier) and invalid dates become null
  return Number.isNaN(t) || t <= -11644473600000 ? null : t;
}
