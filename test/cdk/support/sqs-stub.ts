import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A local HTTP endpoint that answers SQS SendMessageBatch (AWS JSON 1.0 protocol) and records every
// message: no SQS emulator among the test tools speaks the SDK's current JSON protocol, and the
// dispatcher bundle sends its jobs this way (AWS_ENDPOINT_URL_SQS, and a queue URL on this host).
// The test turns the recorded messages into the SQS events Lambda's event source mapping delivers.

export interface SentMessage {
  queueUrl: string;
  messageId: string;
  body: string;
  md5OfBody: string;
  sentAt: number;
}

export interface SqsStub {
  endpoint: string;
  /** A queue URL on this host (the SDK sends to the queue URL's host). */
  queueUrl: string;
  /** Every message accepted, in order. */
  messages: SentMessage[];
  /** Entries per SendMessageBatch call, in order. */
  batches: number[];
  stop(): Promise<void>;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

export async function startSqsStub(): Promise<SqsStub> {
  const messages: SentMessage[] = [];
  const batches: number[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      if (req.headers['x-amz-target'] !== 'AmazonSQS.SendMessageBatch') {
        res.writeHead(400);
        res.end(JSON.stringify({ __type: 'com.amazonaws.sqs#InvalidAction', message: `not stubbed: ${req.headers['x-amz-target']}` }));
        return;
      }
      const input = JSON.parse(body) as { QueueUrl: string; Entries: Array<{ Id: string; MessageBody: string }> };
      batches.push(input.Entries.length);
      const successful = input.Entries.map((entry) => {
        const message = { queueUrl: input.QueueUrl, messageId: randomUUID(), body: entry.MessageBody, md5OfBody: md5(entry.MessageBody), sentAt: Date.now() };
        messages.push(message);
        return { Id: entry.Id, MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody };
      });
      res.end(JSON.stringify({ Successful: successful, Failed: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    queueUrl: `${endpoint}/123456789012/newshound-feed-jobs`,
    messages,
    batches,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The SQS event Lambda's event source mapping delivers for these messages (receive count `receives`). */
export function sqsEventOf(messages: readonly SentMessage[], receives = 1): { Records: object[] } {
  return {
    Records: messages.map((m) => ({
      messageId: m.messageId,
      receiptHandle: `receipt-${m.messageId}-${receives}`,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(receives),
        SentTimestamp: String(m.sentAt),
        SenderId: 'AROAEXAMPLE:newshound-dispatch',
        ApproximateFirstReceiveTimestamp: String(m.sentAt + 5),
      },
      messageAttributes: {},
      md5OfBody: m.md5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:newshound-feed-jobs',
      awsRegion: 'us-east-1',
    })),
  };
}
