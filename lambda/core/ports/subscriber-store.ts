import type { Subscriber } from '../domain/subscriber.ts';

/** Who is subscribed: read by the cycle, written only by the subscription API and the operator CLI. */
export interface SubscriberReader {
  listSubscribers(): Promise<Subscriber[]>;
  getSubscriber(id: string): Promise<Subscriber | undefined>;
}

export interface SubscriberStore extends SubscriberReader {
  putSubscriber(subscriber: Subscriber): Promise<void>;
  deleteSubscriber(id: string): Promise<void>;
}
