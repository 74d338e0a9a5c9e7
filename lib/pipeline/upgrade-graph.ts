import { GRAPH_SCHEMA_VERSION } from './schema';

/**
 * Stored graphs carry `schemaVersion`. Each step upgrades a document by one
 * version; reading runs every step from the document's version to the current
 * one, so a pipeline saved by any earlier release still opens.
 *
 * Version 0 is a document without the field (written before it existed):
 * same shape as version 1.
 */
type Doc = Record<string, unknown> & { schemaVersion?: unknown };

export const UPGRADE_STEPS: Record<number, (doc: Doc) => Doc> = {
  0: (doc) => ({ ...doc, schemaVersion: 1 }),
};

export class GraphVersionError extends Error {}

export function upgradeGraph(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  let doc = input as Doc;
  let version = typeof doc.schemaVersion === 'number' ? doc.schemaVersion : 0;
  if (version > GRAPH_SCHEMA_VERSION) {
    throw new GraphVersionError(
      `This graph was saved by a newer Conveyor (schema version ${version}; this one reads up to ${GRAPH_SCHEMA_VERSION}).`,
    );
  }
  while (version < GRAPH_SCHEMA_VERSION) {
    const step = UPGRADE_STEPS[version];
    if (!step) throw new GraphVersionError(`No upgrade from graph schema version ${version}.`);
    doc = step(doc);
    version += 1;
  }
  return doc;
}
