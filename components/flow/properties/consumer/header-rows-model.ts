/**
 * The HTTP task's headers as editable rows. A record cannot hold a row being
 * typed (no name yet) or two rows with one name, so the rows live in the
 * form and reach the document only when they make a valid record.
 */
export interface HeaderRow {
  key: string;
  value: string;
}

// RFC 9110 token characters: what fetch() accepts as a header name.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function headersToRows(headers: Readonly<Record<string, string>> | undefined): HeaderRow[] {
  return Object.entries(headers ?? {}).map(([key, value]) => ({ key, value }));
}

/** The record for the rows (undefined when there are none), or a message per problem row. */
export function rowsToHeaders(
  rows: readonly HeaderRow[],
): { ok: true; headers: Record<string, string> | undefined } | { ok: false; errors: Record<number, string> } {
  const errors: Record<number, string> = {};
  const headers: Record<string, string> = {};
  const seen = new Map<string, number>();
  rows.forEach((row, i) => {
    const key = row.key.trim();
    if (!key && !row.value) return; // an empty row being added
    if (!key) errors[i] = 'Give the header a name.';
    else if (!TOKEN.test(key)) errors[i] = 'Header names are letters, digits and - _ . ! # $ % & * + ^ ` | ~ only.';
    else if (seen.has(key.toLowerCase())) errors[i] = `"${key}" is already set above.`;
    else {
      seen.set(key.toLowerCase(), i);
      headers[key] = row.value;
    }
  });
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, headers: Object.keys(headers).length ? headers : undefined };
}
