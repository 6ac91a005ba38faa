import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../lambda/core/feed/parse-feed.ts';
import { feedFixture } from '../../support/feed-server.ts';

// What a feed says of how often it changes, read for the scheduler (docs/scheduling.md).

const FEED_URL = 'https://example.com/feed/';

/** An RSS 2.0 feed as WordPress writes it: the Syndication module on the channel. */
function wordpress(period: string, frequency: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	>

<channel>
	<title>Security Notes</title>
	<atom:link href="https://example.com/feed/" rel="self" type="application/rss+xml" />
	<link>https://example.com</link>
	<description>Incident write-ups</description>
	<lastBuildDate>Tue, 14 May 2024 09:12:03 +0000</lastBuildDate>
	<language>en-US</language>
	<sy:updatePeriod>
	${period}	</sy:updatePeriod>
	<sy:updateFrequency>
	${frequency}	</sy:updateFrequency>
	${extra}
	<generator>https://wordpress.org/?v=6.5.3</generator>
	<item>
		<title>Tick returns with a new loader</title>
		<link>https://example.com/2024/05/14/tick-loader/</link>
		<dc:creator><![CDATA[analyst]]></dc:creator>
		<pubDate>Tue, 14 May 2024 09:12:03 +0000</pubDate>
		<category><![CDATA[APT]]></category>
		<guid isPermaLink="false">https://example.com/?p=4242</guid>
		<description><![CDATA[The group behind the JAXA intrusion is back.]]></description>
	</item>
</channel>
</rss>
`;
}

/** An RSS 1.0 feed binding the Syndication module to a prefix of its own. */
const RDF_WITH_OWN_PREFIX = `<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns="http://purl.org/rss/1.0/"
  xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
  xmlns:syn="http://purl.org/rss/1.0/modules/syndication/">
<channel rdf:about="https://example.org/index.rdf">
<title>Advisories</title>
<link>https://example.org/</link>
<description>Advisories</description>
<syn:updatePeriod>daily</syn:updatePeriod>
<syn:updateFrequency>4</syn:updateFrequency>
<syn:updateBase>2000-01-01T12:00+00:00</syn:updateBase>
<items><rdf:Seq><rdf:li rdf:resource="https://example.org/a1"/></rdf:Seq></items>
</channel>
<item rdf:about="https://example.org/a1"><title>Advisory 1</title><link>https://example.org/a1</link></item>
</rdf:RDF>
`;

describe('parseFeed: how often the feed says it changes', () => {
  it('reads the RSS 2.0 channel ttl', async () => {
    const feed = await parseFeed(feedFixture('nhk-cat0.xml').toString('utf8'), 'https://www3.nhk.or.jp/rss/news/cat0.xml');
    expect(feed.ttlMinutes).toBe(5);
    expect(feed.updateEveryMinutes).toBeUndefined();
  });

  it('reads a WordPress feed’s hourly sy:updatePeriod as every 60 minutes', async () => {
    const feed = await parseFeed(wordpress('hourly', '1'), FEED_URL);
    expect(feed.updateEveryMinutes).toBe(60);
    expect(feed.entries).toHaveLength(1);
  });

  it('divides the period by sy:updateFrequency', async () => {
    expect((await parseFeed(wordpress('daily', '2'), FEED_URL)).updateEveryMinutes).toBe(720);
    expect((await parseFeed(wordpress('Weekly', '7'), FEED_URL)).updateEveryMinutes).toBe(1440);
    expect((await parseFeed(wordpress('monthly', '1'), FEED_URL)).updateEveryMinutes).toBe(43_200);
  });

  it('reads the Syndication module under whatever prefix the document binds to it', async () => {
    const feed = await parseFeed(RDF_WITH_OWN_PREFIX, 'https://example.org/index.rdf');
    expect(feed.updateEveryMinutes).toBe(360);
  });

  it('reads both ttl and sy:updatePeriod when a feed gives both', async () => {
    const feed = await parseFeed(wordpress('hourly', '1', '<ttl>1440</ttl>'), FEED_URL);
    expect(feed).toMatchObject({ ttlMinutes: 1440, updateEveryMinutes: 60 });
  });

  it('ignores values no feed could mean', async () => {
    for (const ttl of ['0', '-5', 'sixty', '', '600000']) {
      const feed = await parseFeed(wordpress('hourly', '1', `<ttl>${ttl}</ttl>`), FEED_URL);
      expect(feed.ttlMinutes, `ttl ${ttl}`).toBeUndefined();
    }
    for (const [period, frequency] of [['fortnightly', '1'], ['daily', '0'], ['daily', 'often'], ['yearly', '0.5']] as const) {
      const feed = await parseFeed(wordpress(period, frequency), FEED_URL);
      expect(feed.updateEveryMinutes, `${period}/${frequency}`).toBeUndefined();
    }
  });

  it('says nothing for feeds that declare nothing', async () => {
    for (const name of ['jpcert-rdf.xml', 'therecord-atom.xml', 'netscape-rss091.xml']) {
      const feed = await parseFeed(feedFixture(name).toString('utf8'), 'https://example.com/feed.xml');
      expect(feed.ttlMinutes, name).toBeUndefined();
      expect(feed.updateEveryMinutes, name).toBeUndefined();
    }
  });
});
