import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpFeedFetcher } from '../../lambda/adapters/http/http-feed-fetcher.ts';
import { silentLog } from '../../lambda/app/cycle-log.ts';
import { LiveConfigCache } from '../../lambda/app/live-config.ts';
import { pollOneFeed } from '../../lambda/app/poll-one-feed.ts';
import { runCycle } from '../../lambda/app/run-cycle.ts';
import { sendDue } from '../../lambda/app/send-due.ts';
import { saveSubscriber } from '../../lambda/app/subscriber-changes.ts';
import type { Config } from '../../lambda/core/config/schema.ts';
import { subscriberId } from '../../lambda/core/ids/subscriber-id.ts';
import { LIVE_CONFIG_VERSION } from '../../lambda/core/ports/version-store.ts';
import { rss, type RssItem } from '../e2e/support/rss.ts';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { RecordingMailer } from '../support/recording-mailer.ts';
import { testAlert, testProfile } from '../support/profiles.ts';
import { openWorkspace, testConfig, type Workspace } from './support.ts';

// Personal alerts end to end over real parts: a local feed server, the embedded store, the services
// the CLI and the Lambdas run. The subscribers are stored profiles, as the manage page writes them.

const OWNER = 'owner@example.com';
const OTHER = 'other@example.com';
const AT = '2026-03-02T01:00:00.000Z';

const story = (n: number, title: string): RssItem => ({
  title,
  link: `https://news.example/${n}`,
  description: `${title}, reported.`,
  pubDate: new Date('2026-03-02T00:00:00Z'),
});

const alert = testAlert;

const profile = testProfile;

describe('personal alerts', () => {
  let server: FeedServer;
  let ws: Workspace;
  let config: Config;
  let mailer: RecordingMailer;
  const to = (email: string) => mailer.sent.filter((m) => m.to === email);
  const cycle = (at: string) => runCycle(ws.deps(config, at, mailer));

  beforeAll(async () => {
    server = await startFeedServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(async () => {
    ws = await openWorkspace();
    mailer = new RecordingMailer();
    config = testConfig({
      feeds: [{ url: server.url('/wire.xml') }],
      topics: [{ id: 'jaxa', name: 'JAXA', query: 'JAXA' }],
      subscribers: [{ email: 'desk@example.com', topics: ['jaxa'] }],
      mail: { from: 'alerts@example.com', publicUrl: 'https://news.example.org' },
    });
  });
  afterEach(async () => {
    await ws?.close();
  });

  it("mails a story matching a subscriber's alert to that subscriber only, under the alert's name and its own terms", async () => {
    // Arrange
    server.route('/wire.xml', { body: rss('Wire', [story(1, 'Hayabusa2 lands on asteroid'), story(2, 'Rain in Osaka')]) });
    await saveSubscriber(ws.opened.store, profile(OWNER, [alert('a1b2c3d4e5', 'Asteroid <missions>', 'hayabusa* OR "sample return"')]));
    await saveSubscriber(ws.opened.store, profile(OTHER, [alert('f6g7h8i9j0', 'Weather', 'typhoon')]));
    // Act
    await cycle(AT);
    // Assess
    const [mail] = to(OWNER);
    expect(to(OWNER)).toHaveLength(1);
    expect(to(OTHER)).toHaveLength(0);
    expect(to('desk@example.com')).toHaveLength(0);
    expect(mail?.content.subject).toBe('1 new story: Asteroid <missions>');
    expect(mail?.content.text).toContain('Asteroid <missions> (1)');
    expect(mail?.content.text).toContain('Why: hayabusa* in title, summary · alert Asteroid <missions>');
    expect(mail?.content.html).toContain('Asteroid &lt;missions&gt;');
    expect(mail?.content.text).not.toContain('a1b2c3d4e5');
  });

  it('mails nothing for a paused alert, and the same story for an active one beside it', async () => {
    // Arrange
    server.route('/wire.xml', { body: rss('Wire', [story(1, 'Hayabusa2 lands on asteroid')]) });
    await saveSubscriber(ws.opened.store, profile(OWNER, [alert('a1b2c3d4e5', 'Asteroids', 'hayabusa*', { paused: true })]));
    await saveSubscriber(ws.opened.store, profile(OTHER, [alert('f6g7h8i9j0', 'Space', 'asteroid')]));
    // Act
    const report = await cycle(AT);
    // Assess
    expect(to(OWNER)).toHaveLength(0);
    expect(to(OTHER).map((m) => m.content.subject)).toEqual(['1 new story: Space']);
    expect(report.totals.hits).toBe(1);
  });

  it('lists a story matching both a config topic and an alert once, under the topic, naming the alert too', async () => {
    // Arrange
    server.route('/wire.xml', { body: rss('Wire', [story(1, 'JAXA: Hayabusa2 lands')]) });
    await saveSubscriber(ws.opened.store, profile(OWNER, [alert('a1b2c3d4e5', 'Asteroids', 'hayabusa*')], { topics: ['jaxa'] }));
    // Act
    await cycle(AT);
    // Assess
    const [mail] = to(OWNER);
    expect(mail?.content.subject).toBe('1 new story: JAXA, Asteroids');
    expect(mail?.content.text).toContain('Why: JAXA in title, summary · topic JAXA');
    expect(mail?.content.text).toContain('Why: hayabusa* in title, summary · alert Asteroids');
    expect(mail?.content.text).toContain('Also matches: Asteroids');
  });

  it('skips a stored alert whose query no longer parses, logging it, and keeps matching the others', async () => {
    // Arrange
    server.route('/wire.xml', { body: rss('Wire', [story(1, 'Hayabusa2 lands on asteroid')]) });
    await saveSubscriber(ws.opened.store, profile(OWNER, [alert('a1b2c3d4e5', 'Broken', 'NOT hayabusa'), alert('k1l2m3n4o5', 'Fine', 'asteroid')]));
    const warnings: unknown[] = [];
    const log = { ...silentLog, warn: (message: string, fields?: Record<string, unknown>) => void warnings.push({ message, ...fields }) };
    // Act
    await runCycle({ ...ws.deps(config, AT, mailer), log });
    // Assess
    expect(to(OWNER).map((m) => m.content.subject)).toEqual(['1 new story: Fine']);
    expect(warnings).toEqual([expect.objectContaining({ message: 'alert left out of matching', alert: 'a1b2c3d4e5' })]);
  });

  it("holds a daily alert's story for the daily slot while an immediate alert's story of the same subscriber goes out at once", async () => {
    // Arrange
    server.route('/wire.xml', { body: rss('Wire', [story(1, 'Hayabusa2 lands on asteroid'), story(2, 'Artemis II crew named')]) });
    await saveSubscriber(
      ws.opened.store,
      profile(OWNER, [alert('a1b2c3d4e5', 'Asteroids', 'hayabusa*', { frequency: 'daily' }), alert('k1l2m3n4o5', 'Moon', 'artemis')]),
    );
    // Act
    const night = await cycle(AT);
    const later = await cycle('2026-03-02T05:00:00.000Z');
    server.route('/wire.xml', { body: rss('Wire', [story(3, 'Artemis III delayed'), story(1, 'Hayabusa2 lands on asteroid'), story(2, 'Artemis II crew named')]) });
    const morning = await cycle('2026-03-02T08:00:00.000Z');
    const after = await cycle('2026-03-02T08:30:00.000Z');
    // Assess
    const subjects = to(OWNER).map((m) => m.content.subject);
    expect(subjects).toEqual(['1 new story: Moon', '2 new stories: Asteroids, Moon']);
    expect(to(OWNER)[1]?.content.text).toContain('III delayed');
    expect(night.held).toBe(0);
    expect(later.held).toBe(1);
    expect(morning.emails).toHaveLength(1);
    expect(after.emails).toHaveLength(0);
  });

  it("does not mail a story waiting for a daily alert that was deleted meanwhile, and takes it off the pending stories", async () => {
    // Arrange
    server.route('/wire.xml', { body: rss('Wire', [story(1, 'Hayabusa2 lands on asteroid')]) });
    const owner = profile(OWNER, [alert('a1b2c3d4e5', 'Asteroids', 'hayabusa*', { frequency: 'daily' }), alert('k1l2m3n4o5', 'Moon', 'artemis')]);
    await saveSubscriber(ws.opened.store, owner);
    await cycle(AT);
    // Act: the alert is deleted on the manage page; the daily slot comes.
    await saveSubscriber(ws.opened.store, { ...owner, alerts: owner.alerts?.slice(1) ?? [] });
    const morning = await cycle('2026-03-02T08:00:00.000Z');
    // Assess
    expect(morning.emails).toEqual([]);
    expect(to(OWNER)).toEqual([]);
    expect(await ws.opened.store.pendingHits(subscriberId(OWNER))).toEqual([]);
    const [withdrawn] = await ws.opened.store.getHits(subscriberId(OWNER), ['https://news.example/1']);
    expect(withdrawn?.digestId).toBe('withdrawn');
  });

  describe('in a long-running worker (one live-config cache, as `up` and the worker Lambda keep it)', () => {
    // ws.deps sets the store's clock too (it reads records as of the service's clock).
    const clockAt = (now: Date) => ws.deps(config, now.toISOString()).clock;
    const poll = (live: LiveConfigCache, now: Date) =>
      pollOneFeed({ store: ws.opened.store, fetcher: new HttpFeedFetcher(), config, live, clock: clockAt(now), log: silentLog }, { feedUrl: server.url('/wire.xml'), dueAt: now.toISOString() });
    const send = (live: LiveConfigCache, now: Date) => sendDue({ store: ws.opened.store, mailer, config, clock: clockAt(now), tokenKey: 'k', log: silentLog, live });

    it('follows an edited query at the next poll, without a restart', async () => {
      // Arrange
      const live = new LiveConfigCache(ws.opened.store, config, { checkEveryMs: 0 });
      const owner = profile(OWNER, [alert('a1b2c3d4e5', 'Missions', 'hayabusa*')]);
      await saveSubscriber(ws.opened.store, owner);
      server.route('/wire.xml', { body: rss('Wire', [story(1, 'Hayabusa2 lands on asteroid')]) });
      await poll(live, new Date(AT));
      await send(live, new Date(AT));
      // Act: the manage page saves the edit; then the feed carries one story for each query.
      await saveSubscriber(ws.opened.store, { ...owner, alerts: [alert('a1b2c3d4e5', 'Missions', 'artemis', { updatedAt: '2026-03-02T01:05:00.000Z' })] });
      server.route('/wire.xml', { body: rss('Wire', [story(2, 'Artemis II crew named'), story(3, 'Hayabusa3 planned'), story(1, 'Hayabusa2 lands on asteroid')]) });
      const later = new Date('2026-03-02T01:10:00.000Z');
      await poll(live, later);
      await send(live, later);
      // Assess
      const texts = to(OWNER).map((m) => m.content.text);
      expect(texts).toHaveLength(2);
      expect(texts[0]).toContain('lands on asteroid');
      expect(texts[1]).toContain('II crew named');
      expect(texts[1]).not.toContain('Hayabusa3');
    });

    it('keeps the compiled matcher when only the feeds change, and builds a new one when an alert changes', async () => {
      // Arrange
      const live = new LiveConfigCache(ws.opened.store, config, { checkEveryMs: 0 });
      const owner = profile(OWNER, [alert('a1b2c3d4e5', 'Missions', 'hayabusa*')]);
      await saveSubscriber(ws.opened.store, owner);
      const first = await live.current(new Date(AT));
      // Act: `feeds add` stores a feed and moves the counter; then a frequency change; then an edit.
      await ws.opened.store.putStoredFeed({ url: 'https://added.example/feed.xml', addedAt: AT });
      await ws.opened.store.bumpVersion(LIVE_CONFIG_VERSION);
      const afterFeed = await live.current(new Date(AT));
      await saveSubscriber(ws.opened.store, { ...owner, frequency: 'daily' });
      const afterFrequency = await live.current(new Date(AT));
      await saveSubscriber(ws.opened.store, { ...owner, alerts: [alert('a1b2c3d4e5', 'Missions', 'artemis')] });
      const afterEdit = await live.current(new Date(AT));
      // Assess
      expect(afterFeed.feeds).toHaveLength(2);
      expect(afterFeed.matcher).toBe(first.matcher);
      expect(afterFrequency.subscribers.find((s) => s.email === OWNER)?.frequency).toBe('daily');
      expect(afterFrequency.matcher).toBe(first.matcher);
      expect(afterEdit.matcher).not.toBe(first.matcher);
      expect(afterEdit.matcher.match({ title: 'Artemis II', text: '', categories: [] }).map((m) => m.topicId)).toEqual(['alert:a1b2c3d4e5']);
    });
  });
});
