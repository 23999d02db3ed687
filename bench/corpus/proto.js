'use strict';
/**
 * A few protobuf wire-format helpers, enough for Event, Summary and the
 * hparams plugin's messages: each returns the bytes of one field, and a
 * message is the concatenation of its fields in the order the writer
 * being imitated emits them (every writer studied emits field-number order).
 */
const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;
const FIXED32 = 5;

function varintSize(n) {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** Writes a non-negative integer (up to 2^53) as a varint at `pos`; returns the position after it. */
function writeVarint(buf, pos, n) {
  while (n >= 128) {
    buf[pos++] = (n % 128) | 128;
    n = Math.floor(n / 128);
  }
  buf[pos++] = n;
  return pos;
}

function varint(n) {
  const b = Buffer.allocUnsafe(varintSize(n));
  writeVarint(b, 0, n);
  return b;
}

const key = (field, wireType) => varint(field * 8 + wireType);

const varintField = (field, n) => Buffer.concat([key(field, VARINT), varint(n)]);
const boolField = (field, b) => varintField(field, b ? 1 : 0);

function doubleField(field, x) {
  const b = Buffer.allocUnsafe(8);
  b.writeDoubleLE(x);
  return Buffer.concat([key(field, FIXED64), b]);
}

function floatField(field, x) {
  const b = Buffer.allocUnsafe(4);
  b.writeFloatLE(x);
  return Buffer.concat([key(field, FIXED32), b]);
}

/** A length-delimited field: a string (UTF-8), bytes, or a sub-message given as its fields. */
function lenField(field, ...parts) {
  const body = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
  return Buffer.concat([key(field, LEN), varint(body.length), body]);
}

module.exports = { varintSize, writeVarint, varint, varintField, boolField, doubleField, floatField, lenField };
