/**
 * The first two principal components of a row-major n×d matrix, by power
 * iteration on the centred data (never forming the d×d covariance, so a
 * 10000×784 embedding costs a few passes over the data). Returns each row's
 * coordinates along them; the sign of a component is arbitrary, as in any PCA.
 */
export function pca2d(
  data: Float32Array,
  n: number,
  d: number,
  iterations = 100,
): { xs: Float64Array; ys: Float64Array } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += finite(data[i * d + j]!) / n;
  const centred = (i: number, j: number): number => finite(data[i * d + j]!) - mean[j]!;
  const components: Float64Array[] = [];
  for (let c = 0; c < Math.min(2, d); c++) {
    // A fixed start (not random): the same embedding always gives the same picture.
    let v = new Float64Array(d).map((_, j) => 1 + j / d);
    deflate(v, components);
    normalize(v);
    for (let it = 0; it < iterations; it++) {
      const xv = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += centred(i, j) * v[j]!;
        xv[i] = s;
      }
      const next = new Float64Array(d);
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) next[j]! += centred(i, j) * xv[i]!;
      deflate(next, components);
      if (normalize(next) === 0) break; // no variance left in this direction
      const moved = next.reduce((s, x, j) => s + Math.abs(x - v[j]!), 0);
      v = next;
      if (moved < 1e-12) break;
    }
    components.push(v);
  }
  const project = (comp: Float64Array | undefined): Float64Array => {
    const out = new Float64Array(n);
    if (comp === undefined) return out;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += centred(i, j) * comp[j]!;
      out[i] = s;
    }
    return out;
  };
  return { xs: project(components[0]), ys: project(components[1]) };
}

/** NaN and infinities would spoil every sum: they count as 0. */
function finite(x: number): number {
  return Number.isFinite(x) ? x : 0;
}

/** Remove the parts along the components already found. */
function deflate(v: Float64Array, components: Float64Array[]): void {
  for (const c of components) {
    let dot = 0;
    for (let j = 0; j < v.length; j++) dot += v[j]! * c[j]!;
    for (let j = 0; j < v.length; j++) v[j]! -= dot * c[j]!;
  }
}

function normalize(v: Float64Array): number {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let j = 0; j < v.length; j++) v[j]! /= norm;
  return norm;
}
