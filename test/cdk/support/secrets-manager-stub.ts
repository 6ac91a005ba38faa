import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A local HTTP endpoint that answers Secrets Manager's GetSecretValue (AWS JSON 1.1 protocol) for
// one secret: there is no Secrets Manager emulator among the test tools, and the bundled handlers
// read their token key this way (AWS_ENDPOINT_URL_SECRETS_MANAGER).

export interface SecretsManagerStub {
  endpoint: string;
  /** SecretIds asked for, in order. */
  requests: string[];
  stop(): Promise<void>;
}

export async function startSecretsManagerStub(secretArn: string, secretString: string): Promise<SecretsManagerStub> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const target = req.headers['x-amz-target'];
      const { SecretId } = JSON.parse(body || '{}') as { SecretId?: string };
      requests.push(String(SecretId));
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (target !== 'secretsmanager.GetSecretValue' || SecretId !== secretArn) {
        res.writeHead(400);
        res.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: `no secret ${SecretId}` }));
        return;
      }
      res.end(JSON.stringify({ ARN: secretArn, Name: 'token-key', SecretString: secretString, VersionId: 'v1', CreatedDate: 0 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
