/** What a hub request may do: the feed fetches' deadline and address policy (docs/feeds.md, "Push (WebSub)"). */
export interface HubRequestOptions {
  timeoutMs: number;
  /** When false, hubs on loopback, private or link-local addresses are refused, as feeds are. */
  allowPrivateNetworks: boolean;
}

/** The hub's answer: its status and the start of its body (for the reason shown in `newshound feeds`), or why there was none. */
export type HubAnswer = { status: number; body: string } | { error: string };

/** Subscription requests to WebSub hubs (W3C WebSub §5.1): a form POST, no redirects followed. */
export interface HubClient {
  post(hubUrl: string, form: URLSearchParams, options: HubRequestOptions): Promise<HubAnswer>;
}
