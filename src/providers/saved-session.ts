/**
 * Provider.hasSavedSession for `awsl status`, through each provider's lightest module: the ECP
 * check reads the file system only; OneLogin's provider module is light already.
 */
import type { ProfileSettings, ProviderName } from '../settings.js';

type SavedSessionCheck = (context: { settings: ProfileSettings; stateDirectory: string }) => Promise<boolean>;

const CHECKS: Record<ProviderName, () => Promise<SavedSessionCheck>> = {
  ecp: async () => (await import('./ecp/session.js')).ecpHasSavedSession,
  onelogin: async () => (await import('./onelogin/index.js')).oneloginProvider.hasSavedSession,
  browser: async () => (await import('./browser/index.js')).browserProvider.hasSavedSession,
};

export async function hasSavedSession(settings: ProfileSettings, stateDirectory: string): Promise<boolean> {
  return (await CHECKS[settings.provider]())({ settings, stateDirectory });
}
