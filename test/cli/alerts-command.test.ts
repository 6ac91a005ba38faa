import { describe, expect, it } from 'vitest';
import { openStore } from '../../lambda/adapters/dynamodb/open-store.ts';
import type { Alert } from '../../lambda/core/domain/alert.ts';
import type { Subscriber } from '../../lambda/core/domain/subscriber.ts';
import { subscriberId } from '../../lambda/core/ids/subscriber-id.ts';
import { LIVE_CONFIG_VERSION } from '../../lambda/core/ports/version-store.ts';
import { operatorWorkspace } from '../support/operator-workspace.ts';
import { testAlert, testProfile } from '../support/profiles.ts';

const AT = '2026-03-02T00:00:00.000Z';

const alert = (id: string, name: string, query: string, more: Partial<Alert> = {}): Alert => testAlert(id, name, query, { createdAt: AT, updatedAt: AT, ...more });

const subscriber = (email: string, alerts: Alert[], more: Partial<Subscriber> = {}): Subscriber =>
  testProfile(email, alerts, { topics: ['jaxa'], frequency: 'daily', createdAt: AT, updatedAt: AT, ...more });

/** Writes profiles straight into the workspace's store, as the manage page would have saved them. */
async function stored(data: string, ...subscribers: Subscriber[]): Promise<void> {
  const opened = await openStore({ dataDir: data, env: {} });
  try {
    for (const s of subscribers) await opened.store.putSubscriber(s);
  } finally {
    await opened.close();
  }
}

async function inStore<T>(data: string, read: (store: Awaited<ReturnType<typeof openStore>>['store']) => Promise<T>): Promise<T> {
  const opened = await openStore({ dataDir: data, env: {} });
  try {
    return await read(opened.store);
  } finally {
    await opened.close();
  }
}

// The operator's view of personal alerts, driven in-process through the real CLI entry over the embedded store.
describe('newshound alerts list|remove', () => {
  const { cli, data } = operatorWorkspace('newshound-alerts-', { email: 'listed@example.com', topics: ['tick'] }, { alerts: { maxQueryLength: 40, maxPerSubscriber: 2 } });

  it('says there are none before any subscriber has written an alert', async () => {
    const listed = await cli('alerts', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toBe('No alerts (no subscriber has written one).\n');
  });

  it("lists every subscriber's alerts with id, email, name, query, frequency and state", async () => {
    // Prepare
    await stored(
      data(),
      subscriber('reader@example.com', [alert('a1b2c3d4e5', 'Space hacks', '"JAXA breach" OR 宇宙航空研究開発機構', { frequency: 'immediate' }), alert('pausedalrt', 'Old story', 'hack* -sports', { paused: true })]),
      subscriber('analyst@example.com', [alert('zz99yy88xx', 'Tick group', '=Tick AND (APT OR サイバー攻撃)')], { frequency: 'hourly' }),
    );
    // Act
    const listed = await cli('alerts', 'list');
    // Assess
    expect(listed.code, listed.stderr).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+EMAIL\s+NAME\s+QUERY\s+FREQUENCY\s+STATE$/);
    expect(lines[1]).toMatch(/^zz99yy88xx\s+analyst@example\.com\s+Tick group\s+=Tick AND \(APT OR サイバー攻撃\)\s+hourly \(default\)\s+active$/);
    expect(lines[2]).toMatch(/^a1b2c3d4e5\s+reader@example\.com\s+Space hacks\s+"JAXA breach" OR 宇宙航空研究開発機構\s+immediate\s+active$/);
    expect(lines[3]).toMatch(/^pausedalrt\s+reader@example\.com\s+Old story\s+hack\* -sports\s+daily \(default\)\s+paused$/);
    expect(lines[4]).toBe('3 alerts of 2 subscribers: 2 active, 1 paused');
  });

  it("lists one address's alerts with --email, and refuses an address with no stored profile", async () => {
    const one = await cli('alerts', 'list', '--email', 'Reader@Example.com');
    const nobody = await cli('alerts', 'list', '--email', 'nobody@example.com');
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('a1b2c3d4e5');
    expect(one.stdout).not.toContain('analyst@example.com');
    expect(one.stdout).toContain('2 alerts of 1 subscriber: 1 active, 1 paused');
    expect([nobody.code, nobody.stderr]).toEqual([1, 'newshound alerts list: no stored subscriber nobody@example.com\n']);
  });

  it('prints names and queries with control and bidi characters neutralised', async () => {
    // Prepare: a name that would clear the screen, a query that would reorder the line
    await stored(data(), subscriber('mallory@example.com', [alert('evil000001', 'Evil\u001b[2J\nname', 'gnp\u202eexe')]));
    // Act
    const listed = await cli('alerts', 'list', '--email', 'mallory@example.com');
    // Assess
    expect(listed.stdout).not.toMatch(/[\u001b\u202e]/u);
    expect(listed.stdout).toMatch(/^evil000001\s+mallory@example\.com\s+Evil \[2J name\s+gnp exe\s+daily \(default\)\s+active$/m);
  });

  it('marks the alerts the matcher would skip (over alerts.maxQueryLength or alerts.maxPerSubscriber since they were saved) and says why', async () => {
    // Prepare: limits lowered to 40 characters and 2 alerts after these were saved
    await stored(
      data(),
      subscriber('long@example.com', [
        alert('longquery1', 'Too long now', 'JAXA OR NASA OR ESA OR Roscosmos OR ISRO OR CNSA'),
        alert('firstok001', 'First', 'JAXA'),
        alert('paused0001', 'Paused', 'ISRO', { paused: true }),
        alert('secondok01', 'Second', 'NASA'),
        alert('onetoomany', 'Third', 'ESA'),
      ]),
    );
    // Act
    const listed = await cli('alerts', 'list', '--email', 'long@example.com');
    // Assess
    expect(listed.stdout).toMatch(/^longquery1\s+long@example\.com\s+Too long now\s+.*\s+skipped$/m);
    expect(listed.stdout).toMatch(/^firstok001\s.*\sactive$/m);
    expect(listed.stdout).toMatch(/^paused0001\s.*\spaused$/m);
    expect(listed.stdout).toMatch(/^secondok01\s.*\sactive$/m);
    expect(listed.stdout).toMatch(/^onetoomany\s.*\sskipped$/m);
    expect(listed.stdout).toContain('5 alerts of 1 subscriber: 2 skipped, 2 active, 1 paused\n');
    expect(listed.stdout).toContain('skipped longquery1: query longer than alerts.maxQueryLength (40)\n');
    expect(listed.stdout).toContain('skipped onetoomany: more than alerts.maxPerSubscriber (2) active alerts\n');
  });

  it('marks an alert whose stored query no longer parses as skipped, with the position and reason newshound match gives', async () => {
    await stored(data(), subscriber('broken@example.com', [alert('badquery01', 'Broken', '(JAXA OR NASA')]));
    const listed = await cli('alerts', 'list', '--email', 'broken@example.com');
    expect(listed.stdout).toMatch(/^badquery01\s.*\sskipped$/m);
    // `newshound match '(JAXA OR NASA'` says: the query does not parse: at 13: expected ")"
    expect(listed.stdout).toContain('skipped badquery01: query does not parse: at 13: expected ")"\n');
  });

  it('removes one alert from the profile that holds it, leaves the others, and moves the live-config version', async () => {
    // Prepare
    const before = await inStore(data(), (store) => store.getVersion(LIVE_CONFIG_VERSION));
    // Act
    const removed = await cli('alerts', 'remove', 'a1b2c3d4e5');
    // Assess
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toBe('Removed alert a1b2c3d4e5 "Space hacks" of reader@example.com; 1 alert left for that address.\n');
    const [reader, analyst, after] = await inStore(data(), (store) =>
      Promise.all([store.getSubscriber(subscriberId('reader@example.com')), store.getSubscriber(subscriberId('analyst@example.com')), store.getVersion(LIVE_CONFIG_VERSION)]),
    );
    expect(reader?.alerts?.map((a) => a.id)).toEqual(['pausedalrt']);
    expect(reader?.topics).toEqual(['jaxa']);
    expect(analyst?.alerts?.map((a) => a.id)).toEqual(['zz99yy88xx']);
    expect(after).toBeGreaterThan(before);
    expect((await cli('alerts', 'list')).stdout).not.toContain('a1b2c3d4e5');
  });

  it('refuses an unknown alert id with exit 1 and changes nothing', async () => {
    const before = await inStore(data(), (store) => store.getVersion(LIVE_CONFIG_VERSION));
    const again = await cli('alerts', 'remove', 'a1b2c3d4e5');
    const after = await inStore(data(), (store) => store.getVersion(LIVE_CONFIG_VERSION));
    expect([again.code, again.stdout]).toEqual([1, '']);
    expect(again.stderr).toBe('newshound alerts remove: no alert "a1b2c3d4e5" (see newshound alerts list)\n');
    expect(after).toBe(before);
  });

  it('needs an id to remove (a usage error)', async () => {
    const bare = await cli('alerts', 'remove');
    expect(bare.code).toBe(64);
    expect(bare.stderr).toContain("missing required argument 'id'");
  });
});

describe('subscribers export with personal alerts', () => {
  const { cli, data } = operatorWorkspace('newshound-alerts-export-', { email: 'listed@example.com', topics: ['tick'] });

  it('writes each subscriber\'s alerts into the CSV as one JSON cell and into the JSON lines', async () => {
    // Prepare
    await stored(data(), subscriber('reader@example.com', [alert('a1b2c3d4e5', 'Space, "hacks"', '=JAXA OR 中国', { frequency: 'hourly' }), alert('pausedalrt', 'Old', 'hack*', { paused: true })]));
    // Act
    const csv = await cli('subscribers', 'export');
    const jsonl = await cli('subscribers', 'export', '--format', 'jsonl');
    // Assess
    const cell = JSON.stringify([
      { id: 'a1b2c3d4e5', name: 'Space, "hacks"', query: '=JAXA OR 中国', frequency: 'hourly', paused: false },
      { id: 'pausedalrt', name: 'Old', query: 'hack*', paused: true },
    ]);
    expect(csv.stdout).toContain(`reader@example.com,active,api,daily,UTC,jaxa,"${cell.replace(/"/g, '""')}",${AT},${AT},\n`);
    expect(csv.stdout).toContain('listed@example.com,active,config,immediate,UTC,tick,,,,\n');
    const reader = jsonl.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .find((r) => r.email === 'reader@example.com');
    expect(reader.alerts.map((a: Alert) => [a.id, a.name, a.query, a.frequency, a.paused])).toEqual([
      ['a1b2c3d4e5', 'Space, "hacks"', '=JAXA OR 中国', 'hourly', false],
      ['pausedalrt', 'Old', 'hack*', undefined, true],
    ]);
  });
});
