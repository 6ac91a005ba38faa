import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Keys fetched per ARN, once per execution environment (the secret rotates rarely; cold starts re-read). */
const cache = new Map<string, Promise<string>>();

/**
 * The token signing key held in Secrets Manager: the secret string itself, or its `key` field when the
 * secret is JSON (`{"key":"..."}`, as `generateSecretString` with a template produces).
 */
export function secretTokenKey(secretArn: string, client: SecretsManagerClient = new SecretsManagerClient({})): Promise<string> {
  let pending = cache.get(secretArn);
  if (!pending) {
    pending = fetchKey(secretArn, client);
    cache.set(secretArn, pending);
    // A failed read is not cached: the next invocation tries again.
    pending.catch(() => cache.delete(secretArn));
  }
  return pending;
}

async function fetchKey(secretArn: string, client: SecretsManagerClient): Promise<string> {
  const out = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  const value = out.SecretString ?? (out.SecretBinary ? Buffer.from(out.SecretBinary).toString('base64url') : '');
  let key = value;
  if (value.trimStart().startsWith('{')) {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    key = typeof parsed.key === 'string' ? parsed.key : '';
  }
  if (!key) throw new Error(`secret ${secretArn} holds no token key`);
  return key;
}
