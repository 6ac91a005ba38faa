import { z } from 'zod';

// The API Gateway HTTP API's payload-2.0 event, as the api and websub handlers read it (Function URLs
// send the same shape), and the answer both give back.

export const httpEventSchema = z.looseObject({
  rawPath: z.string().default('/'),
  rawQueryString: z.string().default(''),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().default(false),
  requestContext: z.looseObject({
    domainName: z.string().optional(),
    http: z.looseObject({ method: z.string(), sourceIp: z.string().default('unknown') }),
  }),
});

export type HttpEvent = z.output<typeof httpEventSchema>;

export interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: false;
}
