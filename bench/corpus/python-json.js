'use strict';
/**
 * Python's `json.dumps(d, sort_keys=True, separators=(",", ":"))` for a flat
 * dict of hyperparameters: TensorBoard's `hp.hparams` hashes exactly these
 * bytes into the session's group name. Python ints are given as BigInt (3n
 * prints "3"), floats as numbers (3 prints "3.0", as Python's repr does).
 */

/** Python's `repr(float)`: shortest round-trip digits, exponent form below 1e-4 or from 1e16. */
function pythonFloatRepr(x) {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, exp] = x.toExponential().split('e');
  const e = Number(exp);
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  const int = digits.slice(0, e + 1).padEnd(e + 1, '0');
  const frac = digits.slice(e + 1);
  return `${sign}${int}.${frac || '0'}`;
}

/** A JSON string as Python writes it with ensure_ascii (every non-ASCII character escaped). */
function pythonJsonString(s) {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function pythonJsonValue(v) {
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'number') return pythonFloatRepr(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return pythonJsonString(v);
  throw new TypeError(`unsupported hyperparameter value ${String(v)}`);
}

/** Python's sort_keys orders by code point, as JavaScript's default sort does for BMP strings. */
function pythonSortedCompactJson(dict) {
  const keys = Object.keys(dict).sort();
  return `{${keys.map((k) => `${pythonJsonString(k)}:${pythonJsonValue(dict[k])}`).join(',')}}`;
}

module.exports = { pythonFloatRepr, pythonSortedCompactJson };
