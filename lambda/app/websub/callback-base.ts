import type { Config } from '../../core/config/schema.ts';

/**
 * Where hubs can reach us, without a trailing slash: `websub.callbackUrl`, else `mail.publicUrl` +
 * `/websub`; else nothing, and no feed is subscribed (docs/feeds.md, "Push (WebSub)"). `newshound
 * up`'s own address is never assumed: a hub on the internet cannot reach 127.0.0.1.
 */
export function callbackBase(config: Pick<Config, 'websub' | 'mail'>): string | undefined {
  const base = config.websub.callbackUrl ?? (config.mail.publicUrl ? `${config.mail.publicUrl.replace(/\/+$/, '')}/websub` : undefined);
  return base?.replace(/\/+$/, '');
}
