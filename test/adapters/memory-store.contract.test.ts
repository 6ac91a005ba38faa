import { describe } from 'vitest';
import { MemoryStore } from '../../lambda/adapters/memory/memory-store.ts';
import { storeContract } from './dynamodb/store-contract.ts';

// The in-memory Store that tests of the services may use instead of an engine: held to the same
// contract as the DynamoDB store (what only an engine shows, an index entry outliving its record,
// is left out).
describe('in-memory store', () => {
  storeContract(() => ({ makeStore: (clock) => new MemoryStore(clock) }), { hasTable: false });
});
