import type { WebSubLinks } from '../model.ts';
import type { TextSource } from './text-source.ts';

/** One entry as the document gives it, before normalization and bounds (normalize-entry.ts). */
export interface RawEntry {
  title?: TextSource;
  /** Absolute URL, resolved against the xml:base in effect where the link was written. */
  link?: string;
  guid?: string;
  /** Date strings in order of preference (published before updated). */
  dates: string[];
  /** Summary and full content; the one saying most is kept. */
  bodies: TextSource[];
  categories: string[];
  /** False when the entry was cut short (a truncated or broken document): it is dropped. */
  complete: boolean;
}

/** What a reader gets from a whole document. */
export interface RawFeed {
  title?: TextSource;
  siteUrl?: string;
  entries: RawEntry[];
  /** The hubs and topic URL the document names (docs/feeds.md, "Push (WebSub)"). */
  websub?: WebSubLinks;
}

/** A link as written, resolved against `base`; undefined when it is not a URL at all. */
export function resolveLink(value: string | undefined, base: string): string | undefined {
  const raw = value?.trim();
  if (!raw) return undefined;
  try {
    return new URL(raw, base).href;
  } catch {
    return undefined;
  }
}

/** The link if it is http(s): `javascript:`, `data:` and the like are never kept. */
export function httpLink(url: string | undefined): string | undefined {
  return url !== undefined && /^https?:/i.test(url) ? url : undefined;
}

/** True for an absolute http(s) URL as written (a guid that can serve as the entry's link). */
export function isAbsoluteHttpUrl(value: string): boolean {
  return /^https?:\/\/[^\s/]/i.test(value.trim());
}
