// The line a digest cut at mail.maxStoriesPerDigest carries, in both parts.
/** `250 more stories are waiting; they follow in the next digest.` (empty when none wait). */
export function waitingLine(waiting: number): string {
  if (waiting <= 0) return '';
  return `${waiting} more ${waiting === 1 ? 'story is' : 'stories are'} waiting; ${waiting === 1 ? 'it follows' : 'they follow'} in the next digest.`;
}
