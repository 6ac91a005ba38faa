import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { FeedQueueError, SqsFeedQueue } from '../../../lambda/adapters/queue/sqs-feed-queue.ts';
import type { FeedJob } from '../../../lambda/core/ports/feed-queue.ts';

// The SQS adapter's requests, checked on a mocked client: no SQS emulator among the test tools speaks
// the SDK's current JSON protocol. The queue's delivery semantics (redelivery, partial batch failure)
// are exercised on the worker bundle with real SQS event shapes (test/cdk/bundled-asset.test.ts).

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/feed-jobs';
const sqs = mockClient(SQSClient);
afterEach(() => sqs.reset());

const jobs = (n: number): FeedJob[] =>
  Array.from({ length: n }, (_, i) => ({ feedUrl: `https://feeds.example.org/${i}.xml`, dueAt: `2026-03-02T00:${String(i % 60).padStart(2, '0')}:00.000Z` }));
const queue = () => new SqsFeedQueue({ client: new SQSClient({ region: 'eu-west-1' }), queueUrl: QUEUE_URL, backoffMs: 0 });
const entriesOf = (call: number) => sqs.commandCalls(SendMessageBatchCommand)[call]!.args[0].input.Entries ?? [];
const allOk = (input: { Entries?: Array<{ Id?: string }> }) => ({
  Successful: (input.Entries ?? []).map((e) => ({ Id: e.Id!, MessageId: `m-${e.Id}`, MD5OfMessageBody: 'x' })),
  Failed: [],
});

describe('SqsFeedQueue', () => {
  it('sends 25 jobs as batches of 10, 10 and 5, each body the job as JSON', async () => {
    // Prepare
    sqs.on(SendMessageBatchCommand).callsFake(allOk);
    const queued = jobs(25);
    // Act
    await queue().enqueue(queued);
    // Assess
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 5]);
    expect(calls.every((c) => c.args[0].input.QueueUrl === QUEUE_URL)).toBe(true);
    const bodies = calls.flatMap((c) => (c.args[0].input.Entries ?? []).map((e) => JSON.parse(e.MessageBody!)));
    expect(bodies).toEqual(queued);
    for (const c of calls) {
      const ids = (c.args[0].input.Entries ?? []).map((e) => e.Id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('sends nothing for no jobs', async () => {
    await queue().enqueue([]);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('sends again only the entries SQS refused, until they are accepted', async () => {
    // Prepare: the first answer refuses entries 2 and 7 of 10
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({
        Successful: ['0', '1', '3', '4', '5', '6', '8', '9'].map((Id) => ({ Id, MessageId: `m-${Id}`, MD5OfMessageBody: 'x' })),
        Failed: ['2', '7'].map((Id) => ({ Id, Code: 'InternalError', SenderFault: false, Message: 'try again' })),
      })
      .callsFake(allOk);
    const queued = jobs(10);
    // Act
    await queue().enqueue(queued);
    // Assess
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(2);
    expect(entriesOf(1).map((e) => JSON.parse(e.MessageBody!))).toEqual([queued[2], queued[7]]);
  });

  it('throws, naming the feed and the code, when an entry is still refused after every attempt, having queued the rest', async () => {
    // Prepare: entry 1 of the second batch is always refused
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries?: Array<{ Id?: string; MessageBody?: string }> }) => {
      const refused = (input.Entries ?? []).filter((e) => JSON.parse(e.MessageBody!).feedUrl.endsWith('/11.xml'));
      return {
        Successful: (input.Entries ?? []).filter((e) => !refused.includes(e)).map((e) => ({ Id: e.Id!, MessageId: 'm', MD5OfMessageBody: 'x' })),
        Failed: refused.map((e) => ({ Id: e.Id!, Code: 'RequestThrottled', SenderFault: false, Message: 'slow down' })),
      };
    });
    // Act
    const enqueue = queue().enqueue(jobs(12));
    // Assess: batch 1 once, batch 2 once, then its refused entry twice more (3 attempts)
    const error = await enqueue.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FeedQueueError);
    expect((error as FeedQueueError).queued).toBe(11);
    expect((error as FeedQueueError).failed).toEqual([{ feedUrl: 'https://feeds.example.org/11.xml', code: 'RequestThrottled', message: 'slow down' }]);
    expect((error as Error).message).toMatch(/^1 feed job\(s\) not queued \(11 queued\); first: https:\/\/feeds\.example\.org\/11\.xml RequestThrottled/);
    expect(sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries?.length)).toEqual([10, 2, 1, 1]);
  });

  it('lets a failed call itself reject (the SDK has retried it already)', async () => {
    sqs.on(SendMessageBatchCommand).rejects(new Error('AccessDenied'));
    await expect(queue().enqueue(jobs(3))).rejects.toThrow('AccessDenied');
  });
});
