/**
 * Case folding for case-insensitive terms: lower-case, and final sigma read as sigma, because
 * toLowerCase picks ς or σ from the surrounding letters, which differ between a word alone and the
 * same word inside a sentence.
 */
export function foldCase(text: string): string {
  const lower = text.toLowerCase();
  return lower.includes('ς') ? lower.replaceAll('ς', 'σ') : lower;
}
