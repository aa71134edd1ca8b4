/** Mocha root hooks: no peer process or temp folder outlives the suite, whatever the tests did. */
import { stopAllPeers } from '../peers/process.js';

export const mochaHooks = {
  async afterAll(): Promise<void> {
    await stopAllPeers();
  },
};
