/**
 * Tab and Shift+Tab in a code textarea: indent or outdent the selected lines
 * by one step, or insert a step at the caret. Pure, so the textarea only
 * applies the result.
 */
export const INDENT = '  ';

export interface TextEdit {
  value: string;
  start: number;
  end: number;
}

export function indentEdit(value: string, start: number, end: number, outdent: boolean): TextEdit {
  const lineStart = value.lastIndexOf('\n', start - 1) + 1;
  // A selection ending at the very start of a line does not take that line along.
  const lastLineEnd = end > start && value[end - 1] === '\n' ? end - 1 : end;
  const multiLine = value.slice(start, lastLineEnd).includes('\n');

  if (!outdent && !multiLine) {
    return { value: value.slice(0, start) + INDENT + value.slice(end), start: start + INDENT.length, end: start + INDENT.length };
  }

  const blockEnd = (() => {
    const nl = value.indexOf('\n', lastLineEnd);
    return nl === -1 ? value.length : nl;
  })();
  const lines = value.slice(lineStart, blockEnd).split('\n');
  let firstDelta = 0;
  let total = 0;
  const changed = lines.map((line, i) => {
    if (!outdent) {
      if (i === 0) firstDelta = INDENT.length;
      total += INDENT.length;
      return INDENT + line;
    }
    const remove = line.startsWith(INDENT) ? INDENT.length : line.startsWith(' ') || line.startsWith('\t') ? 1 : 0;
    if (i === 0) firstDelta = -remove;
    total -= remove;
    return line.slice(remove);
  });
  const next = value.slice(0, lineStart) + changed.join('\n') + value.slice(blockEnd);
  const newStart = Math.max(lineStart, start + firstDelta);
  return { value: next, start: newStart, end: multiLine ? end + total : Math.max(lineStart, end + firstDelta) };
}
