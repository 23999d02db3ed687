import { pythonFloatRepr } from '../../render/python-float';

/**
 * The session table of the HParams dashboard's "Download data" links, written
 * the way TensorBoard's Python writes it: CSV by the `csv` module, JSON by
 * `json.dumps`, LaTeX with `%.3g` numbers. Numbers are Python floats (hparam
 * values and metrics are doubles), `null` a missing metric.
 */
export type Cell = number | string | boolean | null;

export interface Table {
  header: string[];
  rows: Cell[][];
}

/** Python's `str()` of a cell inside a CSV row (`None` is an empty field). */
function csvText(c: Cell): string {
  if (c === null) return '';
  if (typeof c === 'number') return pythonFloatRepr(c);
  if (typeof c === 'boolean') return c ? 'True' : 'False';
  return c;
}

/** One record of `csv.writer` (excel dialect: minimal quoting, `""` escapes, CRLF). */
function csvRecord(cells: Cell[]): string {
  const fields = cells.map((c) => {
    const t = csvText(c);
    return /[",\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  });
  // A record of one empty field is written quoted, else it would read as an empty line.
  if (fields.length === 1 && fields[0] === '') return '""\r\n';
  return `${fields.join(',')}\r\n`;
}

export function tableCsv(t: Table): string {
  return [t.header, ...t.rows].map(csvRecord).join('');
}

/** A string as `json.dumps` writes it (`ensure_ascii`: everything outside space..~ escaped). */
function pythonJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** A cell after TensorBoard's `json_util.Cleanse` (non-finite floats become strings), dumped. */
function pythonJsonCell(c: Cell): string {
  if (c === null) return 'null';
  if (typeof c === 'boolean') return c ? 'true' : 'false';
  if (typeof c === 'string') return pythonJsonString(c);
  if (Number.isNaN(c)) return '"NaN"';
  if (!Number.isFinite(c)) return c > 0 ? '"Infinity"' : '"-Infinity"';
  return pythonFloatRepr(c);
}

/** `json.dumps({"header": ..., "rows": ...})` with its default `", "` and `": "` separators. */
export function tableJson(t: Table): string {
  const list = (cells: Cell[]) => `[${cells.map(pythonJsonCell).join(', ')}]`;
  return `{"header": ${list(t.header)}, "rows": [${t.rows.map(list).join(', ')}]}`;
}

/** Exactly `x` (finite, > 0) as decimal digits times a power of ten: x = digits × 10^exp. */
function exactDecimal(x: number): { digits: string; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const e2 = (biased === 0 ? 1 : biased) - 1075;
  if (e2 >= 0) return { digits: (mantissa << BigInt(e2)).toString(), exp: 0 };
  // m / 2^k = m·5^k / 10^k: finite and exact.
  return { digits: (mantissa * 5n ** BigInt(-e2)).toString(), exp: e2 };
}

/**
 * Python's `'%.3g' % x`: three significant digits, correctly rounded (ties to
 * even on the exact binary value), fixed notation for exponents -4..2, else
 * `d.dde±XX`; trailing zeros dropped.
 */
export function pythonG3(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${sign}0`;
  const { digits, exp } = exactDecimal(Math.abs(x));
  let kept = digits.slice(0, 3).padEnd(3, '0');
  let point = digits.length - 1 + exp; // decimal exponent of the leading digit
  const rest = digits.slice(3);
  const half =
    rest.length > 0 &&
    (rest[0]! > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || Number(kept[2]) % 2 === 1)));
  if (half) {
    const up = String(Number(kept) + 1);
    if (up.length > 3) {
      kept = '100';
      point += 1;
    } else kept = up;
  }
  const trim = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (point < -4 || point >= 3) {
    const coefficient = trim(`${kept[0]}.${kept.slice(1)}`);
    return `${sign}${coefficient}e${point < 0 ? '-' : '+'}${String(Math.abs(point)).padStart(2, '0')}`;
  }
  if (point < 0) return `${sign}${trim(`0.${'0'.repeat(-point - 1)}${kept}`)}`;
  return `${sign}${trim(`${kept.slice(0, point + 1)}.${kept.slice(point + 1)}`)}`;
}

/** A cell of TensorBoard's LaTeX table. */
function latexCell(c: Cell): string {
  if (c === null) return '-';
  // Python's bool is an int: `$%d$`.
  if (typeof c === 'boolean') return c ? '$1$' : '$0$';
  if (typeof c === 'string') return c.replace(/_/g, '\\_').replace(/%/g, '\\%');
  if (Number.isNaN(c)) return '$\\mathrm{NaN}$';
  if (!Number.isFinite(c)) return c > 0 ? '$+\\infty$' : '$-\\infty$';
  const g = pythonG3(c);
  const e = g.indexOf('e');
  return e < 0 ? `$${g}$` : `$${g.slice(0, e)}\\cdot 10^{${Number(g.slice(e + 1))}}$`;
}

export function tableLatex(t: Table): string {
  const line = (cells: Cell[]) => cells.map(latexCell).join(' & ');
  return (
    `\\begin{table}[tbp]\n\\begin{tabular}{${'l'.repeat(t.header.length)}}\n` +
    `${line(t.header)} \\\\ \\hline\n` +
    t.rows.map((r) => `${line(r)} \\\\\n`).join('') +
    '\\hline\n\\end{tabular}\n\\end{table}\n'
  );
}
