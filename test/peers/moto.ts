/** moto_server: a real (if limited) STS for AssumeRoleWithSAML wire compatibility. See TESTING.md for its limits. */
import { findExecutable, freePort, startProcess, waitForHttp, type PeerProcess } from './process.js';

export interface Moto {
  /** http://127.0.0.1:PORT, for --endpoint-url and the STS client's endpoint. */
  url: string;
  process: PeerProcess;
  stop(): Promise<void>;
}

export function available(): boolean {
  return findExecutable('moto_server') !== undefined;
}

export async function startMoto(): Promise<Moto> {
  const executable = findExecutable('moto_server');
  if (executable === undefined) throw new Error('moto_server is not on PATH (pip install "moto[server]")');
  // The port may be taken between freePort() and moto's bind; try a few.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const peer = startProcess(executable, ['-H', '127.0.0.1', '-p', String(port)]);
    try {
      await waitForHttp(`${url}/`, 15_000, peer);
    } catch (error) {
      await peer.stop();
      if (attempt < 3 && peer.output().includes('Address already in use')) continue;
      throw error;
    }
    return { url, process: peer, stop: peer.stop };
  }
}
