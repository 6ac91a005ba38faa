/** Error names SES (and the SDK) use for conditions that pass: the next cycle should try again. */
const TRANSIENT = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'ServiceUnavailable',
  'InternalFailure',
  'RequestTimeout',
  'TimeoutError',
]);

/**
 * A send the provider refused or that never reached it. Either way the caller releases its digest
 * claim and the hits stay pending; `transient` tells an operator whether waiting will help
 * (throttling, outages) or not (MessageRejected, an unverified sender, a suspended account).
 */
export class MailSendError extends Error {
  override readonly name = 'MailSendError';

  constructor(
    message: string,
    readonly transient: boolean,
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static from(error: unknown): MailSendError {
    if (error instanceof MailSendError) return error;
    const code = error instanceof Error ? error.name : 'Unknown';
    const message = error instanceof Error ? error.message : String(error);
    const detail = error as { $metadata?: { httpStatusCode?: number }; code?: unknown } | undefined;
    const status = detail?.$metadata?.httpStatusCode ?? 0;
    // Socket-level failures (ECONNREFUSED, ETIMEDOUT, ...) never reached SES.
    const socketError = typeof detail?.code === 'string' && /^E[A-Z]+$/.test(detail.code);
    const transient = TRANSIENT.has(code) || status >= 500 || socketError;
    return new MailSendError(`SES send failed: ${code}: ${message}`, transient, code, { cause: error });
  }
}
