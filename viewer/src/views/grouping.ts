/** Tags grouped by their first path component (`loss/train` → `loss`), as TensorBoard groups them. */
export function groupByPrefix(tags: string[]): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const tag of tags) {
    const slash = tag.indexOf('/');
    const key = slash > 0 ? tag.slice(0, slash) : '';
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(tag);
  }
  // Top-level tags first, then groups by name.
  return [...groups.entries()].sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)));
}
