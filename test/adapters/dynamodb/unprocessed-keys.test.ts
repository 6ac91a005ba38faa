import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoStore } from '../../../lambda/adapters/dynamodb/dynamo-store.ts';
import { feedStateKey } from '../../../lambda/adapters/dynamodb/keys.ts';
import { feedState } from './fixtures.ts';

// Emulators never leave keys unprocessed (DynamoDB does under throttling or past 16 MB), so this
// behaviour is shown with a mocked client answering the way DynamoDB does.

const documentClient = mockClient(DynamoDBDocumentClient);
afterEach(() => documentClient.reset());

const makeStore = () => new DynamoStore({ client: new DynamoDBClient({ region: 'us-east-1' }), tableName: 'newshound' });

describe('a batch read DynamoDB only partly answers', () => {
  it('asks again for the keys left unprocessed until every state is read', async () => {
    // Prepare
    const [a, b] = [feedState(), feedState()];
    const item = (state: typeof a) => ({ ...feedStateKey(state.feedUrl), type: 'FeedState', ...state });
    documentClient
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { newshound: [item(a)] }, UnprocessedKeys: { newshound: { Keys: [feedStateKey(b.feedUrl)] } } })
      .resolvesOnce({ Responses: { newshound: [item(b)] } });
    // Act
    const states = await makeStore().getFeedStates([a.feedUrl, b.feedUrl]);
    // Assess
    expect([...states.keys()].sort()).toEqual([a.feedUrl, b.feedUrl].sort());
    expect(documentClient.commandCalls(BatchGetCommand)[1]?.args[0].input.RequestItems?.newshound?.Keys).toEqual([feedStateKey(b.feedUrl)]);
  });

  it('fails loudly when keys stay unprocessed, rather than reporting them absent', async () => {
    const state = feedState();
    documentClient.on(BatchGetCommand).resolves({ Responses: { newshound: [] }, UnprocessedKeys: { newshound: { Keys: [feedStateKey(state.feedUrl)] } } });
    await expect(makeStore().getFeedStates([state.feedUrl])).rejects.toThrow(/still unprocessed/);
  });
});
