/**
 * Immutable reads and writes at a path inside a node's `data`, for the
 * properties panel. Writing `undefined` removes the key, so an emptied
 * optional field leaves no `"key": undefined` behind in the stored document.
 */
import type { DataPath } from './schema-issues';

export function getIn(obj: unknown, path: DataPath): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

export interface SetOptions {
  /** Remove parent objects that end up empty (retention: {} carries no meaning). */
  prune?: boolean;
}

export function setIn<T>(obj: T, path: DataPath, value: unknown, opts: SetOptions = {}): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path as [string | number, ...Array<string | number>];
  const base: Record<string | number, unknown> | unknown[] = Array.isArray(obj)
    ? [...obj]
    : obj !== null && typeof obj === 'object'
      ? { ...(obj as Record<string, unknown>) }
      : typeof head === 'number'
        ? []
        : {};
  const next = rest.length ? setIn((base as Record<string | number, unknown>)[head], rest, value, opts) : value;
  const isEmpty = next !== null && typeof next === 'object' && !Array.isArray(next) && Object.keys(next).length === 0;
  if (next === undefined || (rest.length && opts.prune && isEmpty)) {
    if (Array.isArray(base)) base.splice(Number(head), 1);
    else delete base[head];
  } else {
    (base as Record<string | number, unknown>)[head] = next;
  }
  return base as T;
}
