// The small list and keyed-set edits every side of the index makes. Kept apart
// so the role, cluster, association and findings sides share one definition
// (an emptied set is deleted, so a key's presence means it has members).
export function addTo<V>(map: Map<string, Set<V>>, key: string, v: V): void {
  let s = map.get(key);
  if (!s) map.set(key, (s = new Set()));
  s.add(v);
}
export function takeFrom<V>(map: Map<string, Set<V>>, key: string, v: V): void {
  const s = map.get(key);
  if (!s) return;
  s.delete(v);
  if (s.size === 0) map.delete(key);
}

/** Replaces the item `same` finds in place (order kept) or appends it, as the next scan would list it. */
export function upsertIn<T>(list: T[], item: T, same: (t: T) => boolean): void {
  const at = list.findIndex(same);
  if (at >= 0) list[at] = item;
  else list.push(item);
}
export function removeIn<T>(list: T[], same: (t: T) => boolean): void {
  const at = list.findIndex(same);
  if (at >= 0) list.splice(at, 1);
}
