/** The windows-1252 byte of each character it maps above U+00FF (the rest of 0x80–0xFF is Latin-1). */
const WINDOWS_1252_BYTES = new Map<number, number>([
  [0x20ac, 0x80], [0x201a, 0x82], [0x0192, 0x83], [0x201e, 0x84], [0x2026, 0x85], [0x2020, 0x86], [0x2021, 0x87],
  [0x02c6, 0x88], [0x2030, 0x89], [0x0160, 0x8a], [0x2039, 0x8b], [0x0152, 0x8c], [0x017d, 0x8e], [0x2018, 0x91],
  [0x2019, 0x92], [0x201c, 0x93], [0x201d, 0x94], [0x2022, 0x95], [0x2013, 0x96], [0x2014, 0x97], [0x02dc, 0x98],
  [0x2122, 0x99], [0x0161, 0x9a], [0x203a, 0x9b], [0x0153, 0x9c], [0x017e, 0x9e], [0x0178, 0x9f],
]);

/** A UTF-8 lead byte read as a windows-1252 character, then a continuation byte read so (`Ã©`, `â€`). */
const SUSPECT =
  /[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]/;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Undoes double-encoded UTF-8 (UTF-8 bytes read as windows-1252 or Latin-1 and encoded again:
 * `cafÃ©`, `donâ€™t`), but only when that is unambiguous: every character of the text maps back
 * to one windows-1252 byte and those bytes are valid UTF-8. Text mixing a misread part with
 * anything else (a correct `é`, a kanji) is left alone: which part is wrong cannot be known.
 * Latin-1 text that happens to be valid UTF-8 after such a misreading does not occur in prose.
 */
export function repairMojibake(text: string): string {
  let current = text;
  // Text can be misread more than once on its way through several systems; undo up to three.
  for (let round = 0; round < 3 && SUSPECT.test(current); round += 1) {
    const repaired = reread(current);
    if (repaired === undefined) break;
    current = repaired;
  }
  return current;
}

function reread(text: string): string | undefined {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    const b = c <= 0xff ? c : WINDOWS_1252_BYTES.get(c);
    if (b === undefined) return undefined;
    bytes[i] = b;
  }
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}
