import { neutraliseControls } from '../core/digest/safe-text.ts';

export function truncate(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, width - 1).join('')}…`;
}

/** A plain-text table: the first row is the header; columns listed in `right` are right-aligned. */
export function formatTable(rows: string[][], right: ReadonlySet<number> = new Set()): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, [...cell].length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - [...cell].length);
        return right.has(i) ? pad + cell : i === row.length - 1 ? cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}

/**
 * The last step of every table or summary printed to a terminal: no line may carry a control
 * character, an escape sequence's ESC or a bidi control (docs/cli.md, "Terminal output"), whatever
 * field it came from. Length-preserving, so the padding computed before still lines up.
 */
export function terminalLines(lines: readonly string[]): string[] {
  return lines.map(neutraliseControls);
}
