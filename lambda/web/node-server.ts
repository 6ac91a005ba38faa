import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_BODY_BYTES } from './forms/parse-form.ts';
import { handleRequest } from './handle-request.ts';
import type { WebRequest, WebResponse } from './http-types.ts';
import type { WebDeps } from './web-deps.ts';

export interface RunningWebServer {
  server: Server;
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  close(): Promise<void>;
}

export interface StartWebServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1: `serve` is for this machine; the deployed API is the public one. */
  host?: string;
  /** The WebSub callback (routes/websub.ts), served under /websub/ with its own body cap. */
  websub?: { handle: (req: WebRequest) => Promise<WebResponse>; maxBodyBytes: number };
}

/**
 * `newshound serve`'s HTTP server: node:http over handleRequest. The deps are built once the port is
 * known, so links in emails can point back at this server when mail.publicUrl is not set.
 */
export async function startWebServer(
  makeDeps: (serverUrl: string) => WebDeps,
  options: StartWebServerOptions,
): Promise<RunningWebServer> {
  let deps: WebDeps | undefined;
  const server = createServer((req, res) => {
    if (!deps) {
      res.writeHead(503).end();
      return;
    }
    void serveOne(req, res, deps, options.websub);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  deps = makeDeps(url);
  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function serveOne(req: IncomingMessage, res: ServerResponse, deps: WebDeps, websubRoute?: StartWebServerOptions['websub']): Promise<void> {
  try {
    const websub = (req.url ?? '').startsWith('/websub/') ? websubRoute : undefined;
    const maxBody = websub?.maxBodyBytes ?? MAX_BODY_BYTES;
    const body = await readBody(req, maxBody + 1);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const request: WebRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers,
      body,
      sourceIp: req.socket.remoteAddress ?? 'unknown',
    };
    const response = websub ? await websub.handle(request) : await handleRequest(request, deps);
    // Past the cap the rest of the body was never read: close rather than drain it.
    const close = body.length > maxBody ? { connection: 'close' } : {};
    res.writeHead(response.status, { ...response.headers, ...close, 'content-length': Buffer.byteLength(response.body) });
    res.end(response.body);
  } catch (error) {
    deps.onError?.(error);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('internal error');
  }
}

/** Reads at most `limit` bytes; whatever is beyond is left unread (the handler answers 413). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = () => {
      req.off('data', onData);
      resolve(Buffer.concat(chunks, Math.min(size, limit)));
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) {
        req.pause();
        finish();
      }
    };
    req.on('data', onData);
    req.once('end', finish);
    req.once('error', reject);
  });
}
