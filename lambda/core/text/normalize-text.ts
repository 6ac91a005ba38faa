/**
 * The one text normalization every matched string goes through (docs/behaviour.md, Query language): NFKC, so full-width
 * `ＪＡＸＡ` and `Ｕｎｉｔ　６１４１９` read as `JAXA` and `Unit 61419`. Offsets of match spans refer to
 * the normalized string, which is also what the digest shows.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFKC');
}
