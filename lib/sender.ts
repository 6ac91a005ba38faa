// Which SES identity the stack sends as, derived from `mail.from` and the deploy context.

/** What the stack needs to know about the sender. */
export interface Sender {
  /** The bare address of `mail.from` (the `ses:FromAddress` condition value). */
  fromAddress: string;
  /** An identity the stack creates, when the context asked for one. */
  create?: { kind: 'email' | 'domain'; name: string };
  /** Identity names the functions may send as (the email, its domain, or both). */
  identities: string[];
}

/** Thrown for a sender context that contradicts the config: synth stops with this message. */
export class SenderError extends Error {
  override readonly name = 'SenderError';
}

/** `Newshound Alerts <alerts@example.com>` → `alerts@example.com`. */
export function bareAddress(from: string): string {
  const angle = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(from);
  const address = (angle?.[1] ?? from).trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) {
    throw new SenderError(`mail.from: "${from}" holds no email address`);
  }
  return address;
}

/**
 * Resolves the sender. `senderEmail` must be the From address and `senderDomain` its domain: SES
 * only sends as a verified identity, and a mismatch would deploy a system that can never send.
 * Without either, the identity is assumed to be verified already (email or domain: both allowed).
 */
export function resolveSender(mailFrom: string, context: { senderEmail?: string; senderDomain?: string }): Sender {
  const fromAddress = bareAddress(mailFrom);
  const domain = fromAddress.slice(fromAddress.indexOf('@') + 1);
  if (context.senderEmail && context.senderDomain) {
    throw new SenderError('context: give senderEmail or senderDomain, not both');
  }
  if (context.senderEmail) {
    if (context.senderEmail.toLowerCase() !== fromAddress) {
      throw new SenderError(`context senderEmail "${context.senderEmail}" differs from mail.from address "${fromAddress}"`);
    }
    return { fromAddress, create: { kind: 'email', name: fromAddress }, identities: [fromAddress] };
  }
  if (context.senderDomain) {
    if (context.senderDomain.toLowerCase() !== domain) {
      throw new SenderError(`context senderDomain "${context.senderDomain}" is not the domain of mail.from ("${domain}")`);
    }
    return { fromAddress, create: { kind: 'domain', name: domain }, identities: [domain] };
  }
  return { fromAddress, identities: [fromAddress, domain] };
}
