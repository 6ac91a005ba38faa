/** True for the error a failed ConditionExpression raises: the "already there" answer, not a fault. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/**
 * Awaits a conditional write: true when it was applied, false when its condition did not hold.
 * Any other failure (throttling, validation, network) is thrown, never mistaken for "already there".
 */
export async function applied(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}
