import { z } from 'zod';

/** IANA zone names are checked against the runtime's own tz database. */
const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not an IANA time zone (e.g. Asia/Tokyo)' },
);

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

export const frequencies = ['immediate', 'hourly', 'daily'] as const;
export type Frequency = (typeof frequencies)[number];

const feedSchema = z.strictObject({
  url: httpUrl,
  name: z.string().min(1).optional(),
});

const topicSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'must match [a-z0-9-]+'),
  name: z.string().min(1),
  query: z.string().min(1),
});

const subscriberSchema = z.strictObject({
  email: z.email(),
  topics: z.array(z.string()).min(1),
  frequency: z.enum(frequencies).default('immediate'),
  timezone: timeZone.default('UTC'),
});

export const configSchema = z
  .strictObject({
    feeds: z.array(feedSchema).min(1),
    topics: z.array(topicSchema).min(1),
    subscribers: z.array(subscriberSchema).default([]),
    mail: z.strictObject({
      from: z.string().min(3),
      dailyAt: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour)')
        .default('08:00'),
      publicUrl: httpUrl.optional(),
      /** Stories per email; the rest stay pending for the next digest, and the email says how many wait. */
      maxStoriesPerDigest: z.number().int().min(1).max(200).default(100),
    }),
    fetch: z
      .strictObject({
        timeoutSeconds: z.number().positive().max(300).default(10),
        maxBytes: z.number().int().positive().default(5_000_000),
        concurrency: z.number().int().min(1).max(256).default(8),
        maxItemAgeDays: z.number().positive().default(7),
        allowPrivateNetworks: z.boolean().default(false),
        /** Entries considered per response, newest first: bounds one feed's work and its stored state. */
        maxItemsPerFeed: z.number().int().min(1).max(2000).default(500),
      })
      .prefault({}),
    alerts: z
      .strictObject({
        /** Personal alerts one subscriber may keep. */
        maxPerSubscriber: z.number().int().min(1).max(100).default(20),
        /** Characters in one personal alert's query. */
        maxQueryLength: z.number().int().min(10).max(2000).default(500),
      })
      .prefault({}),
    websub: z
      .strictObject({
        /** Where hubs deliver pushes; default: mail.publicUrl's `/websub`. */
        callbackUrl: httpUrl.optional(),
      })
      .prefault({}),
    retention: z.strictObject({ days: z.number().int().min(1).default(90) }).prefault({}),
    schedule: z
      .strictObject({
        /** Starting interval of each feed (and the fixed one of `run`). */
        pollMinutes: z.number().int().min(1).max(1440).default(10),
        /** Adaptive polling never faster than this... */
        minMinutes: z.number().int().min(1).max(1440).default(5),
        /** ...nor slower (also the safety-net poll of push-fed feeds). */
        maxMinutes: z.number().int().min(1).max(10080).default(360),
      })
      .prefault({}),
  })
  .superRefine((cfg, ctx) => {
    const { minMinutes, maxMinutes } = cfg.schedule;
    if (minMinutes > maxMinutes) {
      ctx.addIssue({ code: 'custom', path: ['schedule', 'minMinutes'], message: `must not exceed schedule.maxMinutes (${maxMinutes})` });
    }
    const ids = new Set<string>();
    cfg.topics.forEach((t, i) => {
      if (ids.has(t.id)) ctx.addIssue({ code: 'custom', path: ['topics', i, 'id'], message: `duplicate topic id "${t.id}"` });
      ids.add(t.id);
    });
    const urls = new Set<string>();
    cfg.feeds.forEach((f, i) => {
      if (urls.has(f.url)) ctx.addIssue({ code: 'custom', path: ['feeds', i, 'url'], message: `duplicate feed url "${f.url}"` });
      urls.add(f.url);
    });
    cfg.subscribers.forEach((s, i) => {
      s.topics.forEach((topic, j) => {
        if (!ids.has(topic)) {
          ctx.addIssue({ code: 'custom', path: ['subscribers', i, 'topics', j], message: `unknown topic "${topic}"` });
        }
      });
    });
  });

export type Config = z.output<typeof configSchema>;
export type FeedConfig = Config['feeds'][number];
export type SubscriberConfig = Config['subscribers'][number];
