import { DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoStore } from '../../../lambda/adapters/dynamodb/dynamo-store.ts';
import { digest, hit, story } from './fixtures.ts';

// No emulator throttles, so this one behaviour is shown with a mocked client: a write DynamoDB
// refuses for capacity must surface as an error, never read as "already there" (a silent loss).

const documentClient = mockClient(DynamoDBDocumentClient);
afterEach(() => documentClient.reset());

const throttled = () =>
  new ProvisionedThroughputExceededException({ message: 'Rate of requests exceeds the allowed throughput', $metadata: {} });

const makeStore = () => new DynamoStore({ client: new DynamoDBClient({ region: 'us-east-1' }), tableName: 'newshound' });

describe('a throttled write', () => {
  it('fails putHit instead of reporting the hit as a duplicate', async () => {
    documentClient.on(PutCommand).rejects(throttled());
    await expect(makeStore().putHit(hit())).rejects.toThrow(ProvisionedThroughputExceededException);
  });

  it('fails recordStory instead of reporting the story as already seen', async () => {
    documentClient.on(PutCommand).rejects(throttled());
    await expect(makeStore().recordStory(story())).rejects.toThrow(/exceeds the allowed throughput/);
  });

  it('fails claimDigest instead of reporting the digest as claimed elsewhere', async () => {
    documentClient.on(PutCommand).rejects(throttled());
    await expect(makeStore().claimDigest(digest())).rejects.toThrow(ProvisionedThroughputExceededException);
  });

  it('fails markHitsSent, so the caller knows the hits may still be pending', async () => {
    documentClient.on(UpdateCommand).rejects(throttled());
    await expect(makeStore().markHitsSent('sub', ['a', 'b'], 'digest-1')).rejects.toThrow(ProvisionedThroughputExceededException);
  });
});
