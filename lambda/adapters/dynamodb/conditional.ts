/** True for the error a failed ConditionExpression raises: the "already there" answer, not a fault. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
