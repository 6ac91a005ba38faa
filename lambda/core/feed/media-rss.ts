import type { TextSource } from './text-source.ts';
import { child, children, textOf, type XmlElement } from './xml-tree.ts';

/**
 * Media RSS (https://www.rssboard.org/media-rss): the `media:description` of a `media:group` or
 * `media:content`, or the element itself when it is one. Video and photo feeds often carry their
 * only description there.
 */
export function mediaDescription(el: XmlElement): TextSource | undefined {
  if (el.local === 'description') return mediaText(el);
  const description = child(el, 'media', 'description');
  if (description) return mediaText(description);
  for (const content of children(el, 'media', 'content')) {
    const inner = child(content, 'media', 'description');
    if (inner) return mediaText(inner);
  }
  return undefined;
}

function mediaText(el: XmlElement): TextSource {
  const text = textOf(el);
  return el.attrs.type?.trim().toLowerCase() === 'html' ? { format: 'html', text } : { format: 'plain', text };
}
