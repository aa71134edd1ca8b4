/**
 * What a terminal of a given width shows for the bytes a program wrote: enough of a VT100 to judge
 * spinners and prompts (printable text with automatic wrap at the right margin, CR, LF, backspace,
 * erase-in-line; other escape sequences are dropped). Rows are returned without trailing spaces.
 */
export function renderScreen(output: string, columns: number): string[] {
  const rows: string[][] = [[]];
  let row = 0;
  let column = 0;
  // xterm wraps only when a character arrives with the cursor past the last column.
  let pendingWrap = false;
  const newline = () => {
    row += 1;
    rows[row] ??= [];
  };
  const chars = [...output];
  for (let index = 0; index < chars.length; index += 1) {
    const char = chars[index]!;
    if (char === '\x1b') {
      const rest = chars.slice(index + 1, index + 32).join('');
      const csi = /^\[([0-9;?]*)([A-Za-z])/.exec(rest);
      if (csi) {
        index += csi[0].length;
        if (csi[2] === 'K') rows[row]!.length = Math.min(rows[row]!.length, column);
      }
      continue;
    }
    if (char === '\r') {
      column = 0;
      pendingWrap = false;
    } else if (char === '\n') {
      newline();
      pendingWrap = false;
    } else if (char === '\b') {
      column = Math.max(0, column - 1);
      pendingWrap = false;
    } else if (char >= ' ') {
      if (pendingWrap) {
        newline();
        column = 0;
        pendingWrap = false;
      }
      const line = rows[row]!;
      while (line.length < column) line.push(' ');
      line[column] = char;
      if (column === columns - 1) pendingWrap = true;
      else column += 1;
    }
  }
  return rows.map((line) => line.join('').trimEnd());
}
