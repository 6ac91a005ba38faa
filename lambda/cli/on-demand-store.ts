import type { OpenedStore } from '../adapters/dynamodb/open-store.ts';
import type { Store } from '../core/ports/store.ts';

/**
 * A Store that opens the real one on first use and closes it after `idleMs` without calls, so a
 * server that nobody visits holds no connection (and no embedded engine) open for long.
 */
export class OnDemandStore {
  private opened: Promise<OpenedStore> | undefined;
  private active = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly open: () => Promise<OpenedStore>,
    private readonly idleMs = 250,
  ) {}

  readonly store: Store = new Proxy({} as Store, {
    get: (_target, name) => {
      // Not a thenable, not a symbol-keyed protocol: only the port's methods.
      if (typeof name !== 'string' || name === 'then') return undefined;
      return (...args: unknown[]) => this.call(name as keyof Store, args);
    },
  });

  private async call(name: keyof Store, args: unknown[]): Promise<unknown> {
    this.active += 1;
    clearTimeout(this.idleTimer);
    try {
      const opened = await this.openOnce();
      const method = opened.store[name] as (...a: unknown[]) => Promise<unknown>;
      return await method.apply(opened.store, args);
    } finally {
      this.active -= 1;
      if (this.active === 0) this.idleTimer = setTimeout(() => void this.close(), this.idleMs);
    }
  }

  private openOnce(): Promise<OpenedStore> {
    if (!this.opened) {
      const opening = this.open();
      this.opened = opening;
      opening.catch(() => {
        if (this.opened === opening) this.opened = undefined;
      });
    }
    return this.opened;
  }

  /** Closes the underlying store now (and on shutdown); the next call opens it again. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const opened = this.opened;
    this.opened = undefined;
    if (opened) await (await opened.catch(() => undefined))?.close();
  }
}
