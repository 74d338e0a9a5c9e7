/**
 * The text of a JSON field and the value it stands for. An empty field is
 * `undefined` (the key is left out of the document).
 */
export type JsonParse = { ok: true; value: unknown } | { ok: false; error: string };

export function parseJsonText(text: string): JsonParse {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

export function formatJson(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value, null, 2);
}

/** Whether the text already stands for `value`, so an outside change need not replace what the user typed. */
export function sameJson(text: string, value: unknown): boolean {
  const parsed = parseJsonText(text);
  return parsed.ok && JSON.stringify(parsed.value) === JSON.stringify(value);
}
