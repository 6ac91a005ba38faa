import type { WebSubLinks } from '../model.ts';
import { boundedLinks, isHubRel, isSelfRel } from '../websub/discovery.ts';
import { resolveLink } from './raw-entry.ts';
import { attr, type XmlElement } from './xml-tree.ts';

/**
 * The WebSub links of a feed's top level (docs/feeds.md, "Push (WebSub)"): `<atom:link rel="hub">`
 * and `rel="self"` on an Atom `<feed>` or inside an RSS `<channel>`, and, in RSS, a plain
 * `<link rel="hub" href="…"/>`. A rel attribute may list several types. Undefined without a hub.
 */
export function readWebSubLinks(scope: XmlElement): WebSubLinks | undefined {
  const hubs: string[] = [];
  let self: string | undefined;
  for (const c of scope.children) {
    if (typeof c === 'string' || c.local !== 'link' || (c.ns !== 'atom' && c.ns !== '')) continue;
    const rels = (attr(c, 'rel') ?? '').trim().split(/\s+/);
    const href = resolveLink(attr(c, 'href'), c.base);
    if (href === undefined) continue;
    if (rels.some(isHubRel)) hubs.push(href);
    if (rels.some(isSelfRel)) self ??= href;
  }
  const links = boundedLinks(hubs, self);
  return links.hubs.length > 0 ? links : undefined;
}
