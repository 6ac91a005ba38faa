import { messagePage } from './html/message-page.ts';
import { securityHeaders } from './html/layout.ts';
import type { WebResponse } from './http-types.ts';

export function htmlResponse(status: number, html: string, extraHeaders: Record<string, string> = {}): WebResponse {
  return { status, headers: { ...securityHeaders(), ...extraHeaders }, body: html };
}

export const notFound = (): WebResponse =>
  htmlResponse(404, messagePage('Page not found', ['There is nothing at this address.'], { linkHome: true }));

export const methodNotAllowed = (allow: string): WebResponse =>
  htmlResponse(405, messagePage('Method not allowed', ['This page does not accept that kind of request.'], { linkHome: true }), { allow });

/** A 500 says nothing about internals. */
export const serverError = (): WebResponse =>
  htmlResponse(500, messagePage('Something went wrong', ['Your request could not be completed. Please try again in a few minutes.']));

export const badForm = (status: 400 | 413, reason: string): WebResponse =>
  htmlResponse(status, messagePage(status === 413 ? 'Request too large' : 'Bad request', [`The form could not be read: ${reason}.`], { linkHome: true }));
