import { z } from 'zod';

// SES bounce and complaint notifications, as published by a configuration set's SNS event
// destination (`eventType`) or by identity notifications (`notificationType`): both shapes carry
// the same `bounce` / `complaint` objects. Only what suppression needs is validated; SES adds
// fields over time, so unknown keys are ignored.

const recipient = z.object({ emailAddress: z.string().min(3) });

const bounceNotification = z.object({
  kind: z.literal('Bounce'),
  bounce: z.object({
    bounceType: z.string(),
    bounceSubType: z.string().optional(),
    bouncedRecipients: z.array(recipient.extend({ status: z.string().optional() })).min(1),
  }),
});

const complaintNotification = z.object({
  kind: z.literal('Complaint'),
  complaint: z.object({
    complainedRecipients: z.array(recipient).min(1),
    complaintFeedbackType: z.string().optional(),
  }),
});

const notificationKind = z.object({ kind: z.string().min(1) });

export type SesNotification =
  | z.output<typeof bounceNotification>
  | z.output<typeof complaintNotification>
  | { kind: string };

/** A Bounce or Complaint must have its full shape; any other event type passes with its kind only. */
function validateSesNotification(raw: unknown): SesNotification {
  const record = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const withKind = { ...record, kind: record.eventType ?? record.notificationType };
  const { kind } = notificationKind.parse(withKind);
  if (kind === 'Bounce') return bounceNotification.parse(withKind);
  if (kind === 'Complaint') return complaintNotification.parse(withKind);
  return { kind };
}

/** An address to suppress and why (stored as the suppression's reason). */
export interface SuppressedRecipient {
  email: string;
  reason: string;
}

/** `Jane <jane@example.com>` and `jane@example.com` both give `jane@example.com`. */
function addressOf(emailAddress: string): string {
  const angle = /<([^<>]+)>\s*$/.exec(emailAddress);
  return (angle?.[1] ?? emailAddress).trim().toLowerCase();
}

/**
 * The addresses a notification says must never be mailed again: every complainant, and the
 * recipients of a Permanent bounce. Transient and Undetermined bounces (mailbox full, greylisting)
 * are left alone; SES's own reputation metrics still count them.
 */
export function suppressionsFrom(notification: SesNotification): SuppressedRecipient[] {
  if ('bounce' in notification) {
    const { bounce } = notification;
    if (bounce.bounceType !== 'Permanent') return [];
    return bounce.bouncedRecipients.map((r) => ({
      email: addressOf(r.emailAddress),
      reason: `bounce: Permanent/${bounce.bounceSubType ?? 'General'}${r.status ? ` (${r.status})` : ''}`,
    }));
  }
  if ('complaint' in notification) {
    const { complaint } = notification;
    return complaint.complainedRecipients.map((r) => ({
      email: addressOf(r.emailAddress),
      reason: `complaint: ${complaint.complaintFeedbackType ?? 'unspecified'}`,
    }));
  }
  return [];
}

/** Parses the SNS `Message` string; throws a ZodError / SyntaxError on a malformed notification. */
export function parseSesNotification(message: string): SesNotification {
  return validateSesNotification(JSON.parse(message));
}
