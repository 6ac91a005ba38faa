import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

// A small WebSub hub for tests only, following W3C WebSub's hub side: a subscription request is
// answered 202 and then its intent verified by a GET to the callback with hub.challenge (§5.3); a
// verified subscription gets fat pings signed with X-Hub-Signature over the exact body (§7, §8);
// an unsubscription is verified the same way; a denial is a GET with hub.mode=denied (§5.2).

interface HubRequest {
  mode: string;
  topic: string;
  callback: string;
  secret?: string;
  leaseSeconds?: number;
}

interface Verification {
  callback: string;
  mode: string;
  topic: string;
  /** The callback's status and whether it echoed the challenge exactly. */
  status: number;
  echoed: boolean;
}

interface Subscription {
  callback: string;
  topic: string;
  secret?: string;
  leaseSeconds: number;
}

export type Signing = 'sha256' | 'sha512' | 'sha1' | 'none' | 'wrong-secret' | 'tampered';

export interface TestHub {
  /** The hub's URL, to name in a feed. */
  url: string;
  /** Every subscription request received, in order. */
  requests: HubRequest[];
  verifications: Verification[];
  /** Verified subscriptions by callback URL. */
  subscriptions: Map<string, Subscription>;
  /** Answer subscription requests with this status instead of 202 (undefined: 202 again). */
  failWith(status: number | undefined): void;
  /** The lease granted on verification (default: what was asked, else 10 days). */
  grantLease(seconds: number | undefined): void;
  /** Verification of intent with any parameters, as a hub (or an impostor) would send it. */
  verify(callback: string, params: Record<string, string>): Promise<{ status: number; body: string }>;
  /** §5.2: tells the subscriber its subscription is denied. */
  deny(callback: string, topic: string, reason: string): Promise<number>;
  /** Fat ping of `body` to every verified subscriber of `topic`; the status each callback answered. */
  publish(topic: string, body: string | Buffer, options?: { contentType?: string; signing?: Signing }): Promise<number[]>;
  /** Resolves when every verification started so far has finished. */
  settled(): Promise<void>;
  /** With `manualVerification`: verifies the requests held so far, in order. */
  verifyHeld(): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_LEASE = 10 * 86_400;

/** `manualVerification`: hold each request's verification of intent until verifyHeld(). */
export async function startTestHub(options: { manualVerification?: boolean } = {}): Promise<TestHub> {
  const held: HubRequest[] = [];
  const requests: HubRequest[] = [];
  const verifications: Verification[] = [];
  const subscriptions = new Map<string, Subscription>();
  const inFlight = new Set<Promise<void>>();
  let failStatus: number | undefined;
  let granted: number | undefined;

  const get = (url: string): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      http
        .get(url, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        })
        .on('error', reject);
    });

  const withParams = (callback: string, params: Record<string, string>) => {
    const url = new URL(callback);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url.href;
  };

  const verifyIntent = async (req: HubRequest): Promise<void> => {
    const challenge = randomBytes(12).toString('hex');
    const lease = granted ?? req.leaseSeconds ?? DEFAULT_LEASE;
    const params: Record<string, string> = { 'hub.mode': req.mode, 'hub.topic': req.topic, 'hub.challenge': challenge };
    if (req.mode === 'subscribe') params['hub.lease_seconds'] = String(lease);
    const answer = await get(withParams(req.callback, params)).catch(() => ({ status: 0, body: '' }));
    const echoed = answer.status >= 200 && answer.status < 300 && answer.body === challenge;
    verifications.push({ callback: req.callback, mode: req.mode, topic: req.topic, status: answer.status, echoed });
    if (!echoed) return;
    if (req.mode === 'subscribe') subscriptions.set(req.callback, { callback: req.callback, topic: req.topic, leaseSeconds: lease, ...(req.secret ? { secret: req.secret } : {}) });
    else subscriptions.delete(req.callback);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST') return void res.writeHead(405).end();
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const mode = form.get('hub.mode') ?? '';
      const topic = form.get('hub.topic') ?? '';
      const callback = form.get('hub.callback') ?? '';
      if (!['subscribe', 'unsubscribe'].includes(mode) || !topic || !/^https?:\/\//.test(callback)) return void res.writeHead(400).end('bad request');
      const secret = form.get('hub.secret') ?? undefined;
      const lease = form.get('hub.lease_seconds');
      const request: HubRequest = { mode, topic, callback, ...(secret ? { secret } : {}), ...(lease ? { leaseSeconds: Number(lease) } : {}) };
      requests.push(request);
      if (failStatus !== undefined) return void res.writeHead(failStatus, { 'content-type': 'text/plain' }).end('hub is refusing subscriptions');
      // §5.1: 202 Accepted, then verification of intent, asynchronously.
      res.writeHead(202).end();
      if (options.manualVerification) return void held.push(request);
      const work = verifyIntent(request).finally(() => inFlight.delete(work));
      inFlight.add(work);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const post = (callback: string, body: Buffer, headers: Record<string, string>): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = http.request(callback, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });

  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    verifications,
    subscriptions,
    failWith: (status) => (failStatus = status),
    grantLease: (seconds) => (granted = seconds),
    verify: (callback, params) => get(withParams(callback, params)),
    deny: async (callback, topic, reason) => (await get(withParams(callback, { 'hub.mode': 'denied', 'hub.topic': topic, 'hub.reason': reason }))).status,
    publish: async (topic, body, options = {}) => {
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      const statuses: number[] = [];
      for (const sub of subscriptions.values()) {
        if (sub.topic !== topic) continue;
        const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/atom+xml; charset=utf-8', link: `<${topic}>; rel="self", <http://127.0.0.1:${port}/>; rel="hub"` };
        const signing = options.signing ?? 'sha256';
        if (signing !== 'none' && sub.secret) {
          const method = signing === 'sha512' || signing === 'sha1' ? signing : 'sha256';
          const key = signing === 'wrong-secret' ? 'not the secret' : sub.secret;
          const signed = signing === 'tampered' ? Buffer.concat([bytes, Buffer.from(' ')]) : bytes;
          headers['x-hub-signature'] = `${method}=${createHmac(method, key).update(signed).digest('hex')}`;
        }
        statuses.push(await post(sub.callback, bytes, headers));
      }
      return statuses;
    },
    verifyHeld: async () => {
      for (let next = held.shift(); next; next = held.shift()) await verifyIntent(next);
    },
    settled: async () => {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
