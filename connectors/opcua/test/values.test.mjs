import { test } from "node:test";
import assert from "node:assert/strict";
import { toVariant, variantToJson, variantTypeName, quality, timeMs, ValueError, DATA_TYPES } from "../values.mjs";

const roundTrip = (type, value) => variantToJson(toVariant(type, value));

test("Int64 and UInt64 travel as decimal strings without precision loss", () => {
  for (const v of ["0", "9007199254740993", "-9223372036854775808", "9223372036854775807", "-1"]) {
    assert.equal(roundTrip("Int64", v), v);
  }
  for (const v of ["0", "18446744073709551615", "9007199254740993"]) assert.equal(roundTrip("UInt64", v), v);
  assert.equal(roundTrip("Int64", 42), "42"); // a safe integer number is accepted too
  assert.throws(() => toVariant("Int64", "9223372036854775808"), ValueError);
  assert.throws(() => toVariant("UInt64", "-1"), ValueError);
  assert.throws(() => toVariant("Int64", "12.5"), ValueError);
  assert.throws(() => toVariant("Int64", 2 ** 60), ValueError); // unsafe number: must be a string
});

test("32-bit integers are range-checked numbers", () => {
  assert.equal(roundTrip("Int32", -2147483648), -2147483648);
  assert.equal(roundTrip("UInt32", 4294967295), 4294967295);
  assert.equal(roundTrip("Byte", 255), 255);
  assert.equal(roundTrip("SByte", -128), -128);
  assert.equal(roundTrip("Int16", "123"), 123);
  assert.throws(() => toVariant("Byte", 256), ValueError);
  assert.throws(() => toVariant("Int32", 1.5), ValueError);
  assert.throws(() => toVariant("UInt16", -1), ValueError);
  assert.throws(() => toVariant("Int32", true), ValueError);
});

test("Boolean, Float, Double, String, DateTime", () => {
  assert.equal(roundTrip("Boolean", true), true);
  assert.throws(() => toVariant("Boolean", 1), ValueError);
  assert.equal(roundTrip("Double", 3.25), 3.25);
  assert.equal(roundTrip("Float", 0.5), 0.5);
  assert.throws(() => toVariant("Double", "3.2"), ValueError);
  assert.equal(roundTrip("String", "héllo"), "héllo");
  assert.throws(() => toVariant("String", 5), ValueError);
  assert.equal(roundTrip("DateTime", 1700000000123), 1700000000123);
  assert.throws(() => toVariant("DateTime", "yesterday"), ValueError);
  assert.throws(() => toVariant("Complex", 1), ValueError);
});

test("type names and qualities", () => {
  assert.equal(DATA_TYPES.length, 13);
  for (const type of DATA_TYPES) {
    const sample = { Boolean: false, Int64: "1", UInt64: "1", String: "", DateTime: 0 }[type] ?? 1;
    assert.equal(variantTypeName(toVariant(type, sample)), type);
  }
  assert.equal(quality(0), "good");
  assert.equal(quality(0x40000000), "uncertain");
  assert.equal(quality(0x80340000), "bad");
  assert.equal(timeMs(new Date(5)), 5);
  assert.equal(timeMs(null), null);
  assert.equal(timeMs(new Date(Date.UTC(1601, 0, 1))), null);
});
