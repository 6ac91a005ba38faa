import { describe, expect, it } from 'vitest';
import { openStore } from '../../lambda/adapters/dynamodb/open-store.ts';
import { subscriberId } from '../../lambda/core/ids/subscriber-id.ts';
import { operatorWorkspace } from '../support/operator-workspace.ts';

// The operator commands, driven in-process through the real CLI entry over the embedded store.
describe('newshound subscribers list|add|remove|export', () => {
  const { cli, data } = operatorWorkspace('newshound-subscribers-', { email: 'listed@example.com', topics: ['tick'], frequency: 'daily', timezone: 'Europe/Paris' });

  it('adds an active subscriber and lists it', async () => {
    const added = await cli('subscribers', 'add', 'analyst@example.com', '--topics', 'jaxa,tick', '--frequency', 'daily', '--timezone', 'Asia/Tokyo');
    const listed = await cli('subscribers', 'list');
    expect(added.code).toBe(0);
    expect(listed.stdout).toMatch(/analyst@example\.com\s+active\s+operator\s+daily\s+Asia\/Tokyo\s+jaxa,tick/);
    expect(listed.stdout).toMatch(/listed@example\.com\s+active\s+config\s+daily\s+Europe\/Paris\s+tick/);
    expect(listed.stdout).toContain('2 subscribers: 2 active');
  });

  it('refuses an unknown topic or zone with exit 2 and stores nothing', async () => {
    const badTopic = await cli('subscribers', 'add', 'x@example.com', '--topics', 'weather');
    const badZone = await cli('subscribers', 'add', 'x@example.com', '--topics', 'jaxa', '--timezone', 'Mars/Olympus');
    expect([badTopic.code, badZone.code]).toEqual([2, 2]);
    expect(badTopic.stderr).toContain('unknown topic weather');
    expect((await cli('subscribers', 'list')).stdout).not.toContain('x@example.com');
  });

  it('exports CSV with formula-like cells neutralised, and JSON lines', async () => {
    await cli('subscribers', 'add', '=cmd@example.com', '--topics', 'jaxa');
    const csv = await cli('subscribers', 'export');
    const jsonl = await cli('subscribers', 'export', '--format', 'jsonl');
    expect(csv.stdout.split('\n')[0]).toBe('email,status,source,frequency,timezone,topics,alerts,createdAt,updatedAt,suppressedReason');
    expect(csv.stdout).toContain("'=cmd@example.com,active,operator,immediate,UTC,jaxa,");
    expect(csv.stdout).toContain('analyst@example.com,active,operator,daily,Asia/Tokyo,jaxa tick,');
    const records = jsonl.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(records.map((r) => r.email)).toEqual(['=cmd@example.com', 'analyst@example.com', 'listed@example.com']);
  });

  it('removes by marking unsubscribed; add then refuses to override the recipient without --force', async () => {
    const removed = await cli('subscribers', 'remove', 'analyst@example.com');
    const readd = await cli('subscribers', 'add', 'analyst@example.com', '--topics', 'jaxa');
    const listed = await cli('subscribers', 'list');
    expect([removed.code, readd.code]).toEqual([0, 1]);
    expect(readd.stderr).toContain('is unsubscribed');
    expect(listed.stdout).toMatch(/analyst@example\.com\s+unsubscribed/);
    const forced = await cli('subscribers', 'add', 'analyst@example.com', '--topics', 'jaxa', '--force');
    expect(forced.code).toBe(0);
    expect((await cli('subscribers', 'list')).stdout).toMatch(/analyst@example\.com\s+active/);
  });

  it('unsubscribes a config-file address, which then shows as unsubscribed with the file\'s settings', async () => {
    const removed = await cli('subscribers', 'remove', 'listed@example.com');
    const listed = await cli('subscribers', 'list');
    expect(removed.code).toBe(0);
    expect(listed.stdout).toMatch(/listed@example\.com\s+unsubscribed\s+config\s+daily\s+Europe\/Paris\s+tick/);
    const edit = await cli('subscribers', 'add', 'listed@example.com', '--topics', 'jaxa');
    expect(edit.code).toBe(1);
    expect(edit.stderr).toContain('change it there');
  });

  it('marks a suppressed address in list and export, and never re-adds it, even with --force', async () => {
    // Prepare: what the bounce handler records
    const opened = await openStore({ dataDir: data(), env: {} });
    try {
      await opened.store.suppress({ subscriberId: subscriberId('analyst@example.com'), email: 'analyst@example.com', reason: 'complaint: abuse', at: '2026-03-02T00:00:00.000Z' });
    } finally {
      await opened.close();
    }
    // Act
    const listed = await cli('subscribers', 'list');
    const csv = await cli('subscribers', 'export');
    const forced = await cli('subscribers', 'add', 'analyst@example.com', '--topics', 'jaxa', '--force');
    // Assess
    expect(listed.stdout).toMatch(/analyst@example\.com\s+suppressed\s+operator/);
    expect(csv.stdout).toMatch(/^analyst@example\.com,suppressed,operator,.*,complaint: abuse$/m);
    expect(forced.code).toBe(1);
    expect(forced.stderr).toContain('is suppressed (complaint: abuse)');
  });

  it('forgets an address entirely with remove --delete', async () => {
    const deleted = await cli('subscribers', 'remove', '=cmd@example.com', '--delete');
    const again = await cli('subscribers', 'remove', '=cmd@example.com');
    expect([deleted.code, again.code]).toEqual([0, 1]);
    expect((await cli('subscribers', 'list')).stdout).not.toContain('=cmd@example.com');
  });
});

describe('what the operator sees of each subscriber', () => {
  const { cli, data } = operatorWorkspace('newshound-subscribers-view-', { email: 'listed@example.com', topics: ['tick'] });

  it('counts a single subscriber in the singular', async () => {
    const listed = await cli('subscribers', 'list');
    expect(listed.stdout).toContain('\n1 subscriber: 1 active\n');
  });

  it('gives a config-file address the same dates on every command (it has no stored record to date it)', async () => {
    // Act
    const first = await cli('subscribers', 'export', '--format', 'jsonl');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await cli('subscribers', 'export', '--format', 'jsonl');
    const csv = await cli('subscribers', 'export');
    // Assess
    expect(second.stdout).toBe(first.stdout);
    expect(JSON.parse(first.stdout.trim())).not.toHaveProperty('createdAt');
    expect(csv.stdout).toContain('listed@example.com,active,config,immediate,UTC,tick,,,,\n');
  });

  it('lists an address the operator added with source operator', async () => {
    // Act
    const added = await cli('subscribers', 'add', 'analyst@example.com', '--topics', 'jaxa');
    const listed = await cli('subscribers', 'list');
    // Assess
    expect(added.code, added.stderr).toBe(0);
    expect(listed.stdout).toMatch(/analyst@example\.com\s+active\s+operator\s+immediate\s+UTC\s+jaxa/);
  });

  it('keeps source api when the operator only changes the topics of an address that confirmed itself', async () => {
    // Prepare: what a confirmed subscription through the pages stores
    const opened = await openStore({ dataDir: data(), env: {} });
    try {
      const at = '2026-03-02T00:00:00.000Z';
      await opened.store.putSubscriber({
        id: subscriberId('reader@example.com'),
        email: 'reader@example.com',
        topics: ['jaxa'],
        frequency: 'daily',
        timezone: 'Asia/Tokyo',
        status: 'active',
        source: 'api',
        createdAt: at,
        updatedAt: at,
      });
    } finally {
      await opened.close();
    }
    // Act
    const changed = await cli('subscribers', 'add', 'reader@example.com', '--topics', 'jaxa,tick', '--frequency', 'daily', '--timezone', 'Asia/Tokyo');
    const csv = await cli('subscribers', 'export');
    // Assess
    expect(changed.code, changed.stderr).toBe(0);
    expect(csv.stdout).toMatch(/^reader@example\.com,active,api,daily,Asia\/Tokyo,jaxa tick,,2026-03-02T00:00:00\.000Z,/m);
  });
});
