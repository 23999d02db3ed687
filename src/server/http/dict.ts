/**
 * An empty object without a prototype, for maps keyed by run, tag or form
 * field names: a run named `__proto__` stays an ordinary key.
 */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
