/**
 * Ids for nodes and edges drawn in the browser. They must match the graph
 * language's IdSchema (/^[A-Za-z0-9_-]{1,64}$/) and be unique in the graph.
 */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomSuffix(length = 6): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

/** `queue-ab12cd`: the type first, so ids stay readable in API calls and logs. */
export function newId(prefix: string, taken: ReadonlySet<string>): string {
  for (;;) {
    const id = `${prefix}-${randomSuffix()}`;
    if (!taken.has(id)) return id;
  }
}
