/**
 * Loopback servers that misbehave in the ways a network does, for the timeout and size-limit tests:
 * one that never accepts (a full backlog: SYNs are dropped, as behind a black-holing firewall), one
 * that accepts and never answers, one that stalls in the middle of a body, and one whose body never
 * ends. Only loopback: no test may depend on an outside address being unreachable.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { listenOnLoopback, startProcess } from './process.js';

export interface Misbehaving {
  url: string;
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  /** Body bytes written so far (endless server). */
  bytesSent(): number;
  stop(): Promise<void>;
}

/**
 * A listener whose process never calls accept() (its event loop is blocked) with a backlog of one,
 * filled by the test itself: the kernel then drops every further SYN, so a client's connect hangs
 * until its own connect timeout — what a black-holed address does, on 127.0.0.1.
 */
export async function startUnacceptingListener(): Promise<Misbehaving> {
  const script = `const s = require('node:net').createServer();
s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  process.stdout.write('port ' + s.address().port + '\\n');
  setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0), 100);
});`;
  const peer = startProcess(process.execPath, ['-e', script], { stopSignal: 'SIGKILL' });
  const [, port] = await peer.waitForOutput(/port (\d+)/, 5000);
  await sleep(300);
  const fillers: Socket[] = [];
  // Fill the accept queue until a connection no longer completes: from then on SYNs are dropped.
  for (let attempt = 0; attempt < 64; attempt++) {
    const socket = connect(Number(port), '127.0.0.1');
    socket.on('error', () => undefined);
    fillers.push(socket);
    const connected = await Promise.race([
      new Promise<boolean>((resolve) => socket.once('connect', () => resolve(true))),
      sleep(300).then(() => false),
    ]);
    if (!connected) {
      return {
        url: `http://127.0.0.1:${port}`,
        port: Number(port),
        connections: () => 0,
        bytesSent: () => 0,
        stop: async () => {
          for (const filler of fillers) filler.destroy();
          await peer.stop();
        },
      };
    }
  }
  for (const filler of fillers) filler.destroy();
  await peer.stop();
  throw new Error('The backlog never filled: this kernel accepts connections beyond the listen backlog');
}

type Behaviour = 'silent' | 'stall-body' | 'endless-body';

/** A raw HTTP/1.1 server: `silent` reads the request and never answers; `stall-body` sends headers and half a body; `endless-body` streams forever. */
export async function startMisbehavingHttp(behaviour: Behaviour, contentType = 'text/xml'): Promise<Misbehaving> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let bytesSent = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
    let answered = false;
    socket.on('data', () => {
      if (answered || behaviour === 'silent') return;
      answered = true;
      if (behaviour === 'stall-body') {
        socket.write(`HTTP/1.1 200 OK\r\nContent-Type: ${contentType}\r\nContent-Length: 100000\r\n\r\n<partial`);
        return;
      }
      socket.write(`HTTP/1.1 200 OK\r\nContent-Type: ${contentType}\r\nTransfer-Encoding: chunked\r\n\r\n`);
      const chunk = Buffer.from('<x/>'.repeat(16 * 1024));
      const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
      const pump = () => {
        while (!socket.destroyed && socket.writable) {
          bytesSent += chunk.length;
          if (!socket.write(frame)) {
            socket.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => connections,
    bytesSent: () => bytesSent,
    stop: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
