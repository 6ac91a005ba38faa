import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A proxy in front of DynamoDB Local that answers a request naming a given string (a feed's URL, in
// its key) with DynamoDB's throttling error, and forwards every other request unchanged: a store
// error for one feed job of a batch, as a real table gives under load. The SDK retries it, then
// the store call throws.

export interface ThrottlingProxy {
  endpoint: string;
  /** Requests answered with the error. */
  refused: number;
  stop(): Promise<void>;
}

export async function startThrottlingProxy(target: string, marker: string): Promise<ThrottlingProxy> {
  const upstream = new URL(target);
  const proxy: ThrottlingProxy = { endpoint: '', refused: 0, stop: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (body.toString('utf8').includes(marker)) {
        proxy.refused += 1;
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'The level of configured provisioned throughput for the table was exceeded.' }));
        return;
      }
      const forward = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return proxy;
}
