import type { WebSubLinks } from '../model.ts';
import type { HeaderLink } from './link-header.ts';

// WebSub discovery (W3C WebSub §4; docs/feeds.md, "Push (WebSub)"): the hubs and the topic URL a
// feed names, from its HTTP Link headers and from links inside the document.

/** Hubs kept per feed: a feed naming dozens is not asking to be subscribed at dozens. */
const MAX_HUBS = 4;
/** Longest hub or topic URL kept (the same bound as an entry's link, docs/feeds.md, "Limits"). */
const MAX_WEBSUB_URL_CHARS = 2_048;

const HUB = new Set(['hub', 'http://www.iana.org/assignments/relation/hub']);
const SELF = new Set(['self', 'http://www.iana.org/assignments/relation/self']);

export const isHubRel = (rel: string): boolean => HUB.has(rel.toLowerCase());
export const isSelfRel = (rel: string): boolean => SELF.has(rel.toLowerCase());

/**
 * Hubs and self, bounded: http(s) only (a `javascript:` or `file:` hub is never requested), at most
 * MAX_WEBSUB_URL_CHARS each, the first MAX_HUBS distinct hubs in document order.
 */
export function boundedLinks(hubs: readonly string[], self: string | undefined): WebSubLinks {
  const kept: string[] = [];
  for (const hub of hubs) {
    if (kept.length >= MAX_HUBS) break;
    if (acceptable(hub) && !kept.includes(hub)) kept.push(hub);
  }
  return { hubs: kept, ...(self !== undefined && acceptable(self) ? { self } : {}) };
}

/** The hubs and self of parsed Link headers (one link may carry several relation types). */
export function headerWebSubLinks(links: readonly HeaderLink[]): WebSubLinks {
  const hubs = links.filter((l) => l.rels.some(isHubRel)).map((l) => l.href);
  const self = links.find((l) => l.rels.some(isSelfRel))?.href;
  return boundedLinks(hubs, self);
}

/**
 * What a response names, the HTTP Link headers first (§4: subscribers look there before the
 * document): the header's hubs when it names any, else the document's; the self URL from the same
 * place, else from the other. Undefined when neither names a hub.
 */
export function discoverWebSub(header: WebSubLinks | undefined, document: WebSubLinks | undefined): WebSubLinks | undefined {
  const [first, second] = header && header.hubs.length > 0 ? [header, document] : [document, header];
  if (!first || first.hubs.length === 0) return undefined;
  const self = first.self ?? second?.self;
  return { hubs: first.hubs, ...(self !== undefined ? { self } : {}) };
}

function acceptable(url: string): boolean {
  if (url.length > MAX_WEBSUB_URL_CHARS) return false;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}
