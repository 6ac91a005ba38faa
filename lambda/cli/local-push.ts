import { decodeFeedBody } from '../adapters/http/decode-feed-body.ts';
import { HttpHubClient } from '../adapters/http/http-hub-client.ts';
import type { CycleLog } from '../app/cycle-log.ts';
import type { FeedReport } from '../app/cycle-report.ts';
import type { WorkerDeps } from '../app/poll-one-feed.ts';
import { callbackBase } from '../app/websub/callback-base.ts';
import type { PushDeps } from '../app/websub/maintain-push.ts';
import { pushAbsorber } from '../app/websub/push-absorber.ts';
import type { Config } from '../core/config/schema.ts';
import type { Clock } from '../core/ports/clock.ts';
import type { Store } from '../core/ports/store.ts';
import type { StartWebServerOptions } from '../web/node-server.ts';
import { websubRoute } from '../web/routes/websub.ts';

// WebSub in `newshound up` (docs/feeds.md, "Push (WebSub)"): the workers subscribe when hubs have a
// callback base to reach (websub.callbackUrl, else mail.publicUrl + /websub), and the pages' server
// answers the hubs under /websub/.

/** The workers' push side, or undefined when no callback base is configured (nothing is subscribed). */
export function localPushDeps(config: Config, store: Store, clock: Clock, log: CycleLog): PushDeps | undefined {
  const base = callbackBase(config);
  if (base === undefined) return undefined;
  return {
    store,
    hub: new HttpHubClient(),
    callbackBase: base,
    request: { timeoutMs: config.fetch.timeoutSeconds * 1000, allowPrivateNetworks: config.fetch.allowPrivateNetworks },
    clock,
    log,
  };
}

/** The callback route for the pages' server; `onReport` sees what each accepted push brought. */
export function localCallbackRoute(worker: WorkerDeps, store: Store, onReport: (report: FeedReport) => void): NonNullable<StartWebServerOptions['websub']> {
  const absorb = pushAbsorber(worker, (bytes, contentType) => decodeFeedBody(bytes, contentType).text, (outcome) => {
    if ('polled' in outcome) onReport(outcome.polled);
  });
  const handle = websubRoute({ store, clock: worker.clock, log: worker.log, maxBodyBytes: worker.config.fetch.maxBytes, absorb });
  return { handle, maxBodyBytes: worker.config.fetch.maxBytes };
}
