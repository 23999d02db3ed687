import type { Response } from 'express';

/**
 * JSON as TensorBoard sends it: numbers that are not finite travel as the
 * strings "NaN", "Infinity" and "-Infinity" (JSON has no literal for them).
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
    return v;
  });
}

export function sendJson(res: Response, value: unknown, status = 200): void {
  res.status(status).setHeader('Content-Type', 'application/json');
  res.end(toJson(value));
}

export function sendBytes(res: Response, bytes: Uint8Array, contentType: string): void {
  res.status(200).setHeader('Content-Type', contentType);
  res.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/**
 * A float as Python's repr() writes it (TensorBoard's CSV uses it): `1.0` not
 * `1`, exponent form below 1e-4 and from 1e16, `nan`, `inf`, `-inf`.
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  // Python: scientific when the decimal point position is <= -4 or > 16.
  const decpt = exp + 1;
  if (decpt <= -4 || decpt > 16) {
    const frac = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${sign}${frac}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}
