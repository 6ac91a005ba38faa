import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** One email as aws-ses-v2-local keeps it (its own parse of the message; GET /store). */
interface EmulatedEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

export interface SesEmulator {
  /** Where an SESClient should send (`endpoint`), i.e. the recording proxy in front of the emulator. */
  endpoint: string;
  /** The emulator's own address, without the proxy. */
  emulatorUrl: string;
  /** The emulator's store of received mail, read over its HTTP API. */
  emails(): Promise<EmulatedEmail[]>;
  /**
   * The raw MIME of each SendRawEmail call as it crossed the wire. aws-ses-v2-local parses the message
   * and keeps only subject, addresses and bodies, not the other headers (X-Newshound-Items,
   * List-Unsubscribe); the proxy keeps the bytes so tests can check those too.
   */
  rawMessages: Buffer[];
  clear(): Promise<void>;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 20_000;

/**
 * Starts aws-ses-v2-local as a child process on a port the OS picks (`--port 0`; the port is read
 * from its startup line, so there is no free-port race), waits for its health check, and puts a
 * small recording proxy in front of it.
 */
export async function startSesEmulator(): Promise<SesEmulator> {
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve('aws-ses-v2-local/package.json')), 'dist', 'cli.js');
  const child = spawn(process.execPath, [cli, '--host', '127.0.0.1', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let emulatorUrl: string;
  try {
    const port = await portFromStartupLine(child);
    emulatorUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(emulatorUrl);
  } catch (error) {
    child.kill();
    throw error;
  }

  const rawMessages: Buffer[] = [];
  const proxy = await startRecordingProxy(emulatorUrl, rawMessages);
  const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  return {
    endpoint,
    emulatorUrl,
    rawMessages,
    async emails() {
      const response = await fetch(`${emulatorUrl}/store`);
      if (!response.ok) throw new Error(`GET /store answered ${response.status}`);
      return ((await response.json()) as { emails: EmulatedEmail[] }).emails;
    },
    async clear() {
      rawMessages.length = 0;
      await fetch(`${emulatorUrl}/clear-store`, { method: 'POST' });
    },
    async stop() {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill();
        await exited;
      }
    },
  };
}

function portFromStartupLine(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`aws-ses-v2-local did not start: ${output}`)), STARTUP_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /server running at \S+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`aws-ses-v2-local exited with ${code}: ${output}`));
    });
  });
}

async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    try {
      if ((await fetch(`${url}/health-check`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`aws-ses-v2-local at ${url} never became healthy`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function startRecordingProxy(target: string, rawMessages: Buffer[]): Promise<Server> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const form = new URLSearchParams(body.toString('utf8'));
      if (form.get('Action') === 'SendRawEmail') {
        rawMessages.push(Buffer.from(form.get('RawMessage.Data') ?? '', 'base64'));
      }
      const forward = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
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
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
