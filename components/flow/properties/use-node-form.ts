'use client';

import { useMemo } from 'react';
import type { NodeType } from '@/lib/pipeline/schema';
import { getIn, setIn, type SetOptions } from './data-path';
import { nodeDataIssues, pathKey, type DataPath, type FieldIssues } from './schema-issues';

export type Update<T> = (patch: (d: T) => T) => void;

export interface NodeForm<T> {
  data: T;
  issues: FieldIssues;
  /** The schema's message for the stored value at `path`, or null. */
  issue: (path: DataPath) => string | null;
  set: (path: DataPath, value: unknown, opts?: SetOptions) => void;
  /** Props for a NumberInput bound to `path`: a typed value is written only when the schema accepts it there. */
  number: (
    path: DataPath,
    opts?: SetOptions,
  ) => {
    value: number | undefined;
    onValueChange: (v: number | undefined) => void;
    validate: (v: number) => string | null;
    error: string | null;
  };
}

/**
 * Binds a node type's properties form to its data: reads and writes at paths
 * inside `data`, and parses the data with the node type's schema so every
 * field can show what the API would refuse, next to it.
 */
export function useNodeForm<T extends object>(type: NodeType, data: T, update: Update<T>): NodeForm<T> {
  return useMemo(() => {
    const issues = nodeDataIssues(type, data);
    const issue = (path: DataPath) => issues[pathKey(path)] ?? null;
    const set = (path: DataPath, value: unknown, opts?: SetOptions) => update((d) => setIn(d, path, value, opts));
    return {
      data,
      issues,
      issue,
      set,
      number: (path, opts) => {
        const value = getIn(data, path);
        return {
          value: typeof value === 'number' ? value : undefined,
          onValueChange: (v) => set(path, v, opts),
          validate: (v) => nodeDataIssues(type, setIn(data, path, v, opts))[pathKey(path)] ?? null,
          error: issue(path),
        };
      },
    };
  }, [type, data, update]);
}
