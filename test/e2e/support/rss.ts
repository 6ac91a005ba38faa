// Builds real RSS 2.0 bytes for the e2e feeds: every text XML-escaped, as a publisher's would be.

export interface RssItem {
  title: string;
  link?: string;
  description?: string;
  /** A Date (written as RFC 822) or a raw string. */
  pubDate?: Date | string;
  guid?: string;
}

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\r/g, '&#13;');

export function rss(channelTitle: string, items: readonly RssItem[]): string {
  const body = items
    .map((item) => {
      const parts = [`<title>${escapeXml(item.title)}</title>`];
      if (item.link) parts.push(`<link>${escapeXml(item.link)}</link>`);
      if (item.description) parts.push(`<description>${escapeXml(item.description)}</description>`);
      if (item.pubDate) {
        const date = typeof item.pubDate === 'string' ? item.pubDate : item.pubDate.toUTCString();
        parts.push(`<pubDate>${escapeXml(date)}</pubDate>`);
      }
      if (item.guid) parts.push(`<guid isPermaLink="false">${escapeXml(item.guid)}</guid>`);
      return `    <item>\n      ${parts.join('\n      ')}\n    </item>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>${escapeXml(channelTitle)}</title>
    <link>https://news.example/</link>
    <description>test feed</description>
${body}
  </channel>
</rss>
`;
}
