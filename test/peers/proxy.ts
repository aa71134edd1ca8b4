/**
 * A small forward proxy on loopback, as HTTPS_PROXY / HTTP_PROXY would name: CONNECT tunnels (what
 * undici's EnvHttpProxyAgent uses, for https and, by default, http targets alike) and plain
 * absolute-URI HTTP forwarding. It records what it forwarded and refuses any target that is not
 * a loopback address, so a test can never reach out through it.
 */
import * as http from 'node:http';
import { connect, isIP, type Socket } from 'node:net';
import { listenOnLoopback } from './process.js';

export interface ProxiedRequest {
  kind: 'connect' | 'forward';
  /** host:port for CONNECT, the absolute URL for forwarding. */
  target: string;
  method: string;
  /** Proxy-Authorization, when one came (it must not be a secret of awsl's). */
  proxyAuthorization?: string;
  at: Date;
}

export interface ForwardProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  log: ProxiedRequest[];
  /** Targets (host:port) tunnelled or forwarded to. */
  targets(): string[];
  stop(): Promise<void>;
}

function loopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || (isIP(bare) === 4 && bare.startsWith('127.'));
}

export async function startForwardProxy(): Promise<ForwardProxy> {
  const log: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  const server = http.createServer((req, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute URL required');
      return;
    }
    log.push({ kind: 'forward', target: target.toString(), method: req.method ?? '', proxyAuthorization: req.headers['proxy-authorization'], at: new Date() });
    if (target.protocol !== 'http:' || !loopback(target.hostname)) {
      res.writeHead(403).end('this test proxy forwards to loopback only');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = http.request(target, { method: req.method, headers }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502).end(`upstream: ${error.message}`);
      else res.destroy();
    });
    req.pipe(upstream);
  });

  server.on('connection', track);
  server.on('connect', (req: http.IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    log.push({ kind: 'connect', target, method: 'CONNECT', proxyAuthorization: req.headers['proxy-authorization'], at: new Date() });
    const colon = target.lastIndexOf(':');
    const host = target.slice(0, colon);
    const port = Number(target.slice(colon + 1));
    if (colon < 0 || !loopback(host) || !Number.isInteger(port)) {
      // A client may drop the socket first (a browser being stopped): not the test's error.
      client.on('error', () => undefined);
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(port, host.replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });

  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    targets: () => log.map((entry) => (entry.kind === 'connect' ? entry.target : new URL(entry.target).host)),
    stop: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
