/** "1 feed", "2 feeds", "1 story", "3 stories": counts in terminal output read as English. */
export function countNoun(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
