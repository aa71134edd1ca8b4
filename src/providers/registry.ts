/** Providers by name. Each is imported only when a profile that uses it logs in. */
import type { ProviderName } from '../settings.js';
import type { Provider } from './provider.js';

const PROVIDERS: Record<ProviderName, () => Promise<Provider>> = {
  ecp: async () => (await import('./ecp/index.js')).ecpProvider,
  onelogin: async () => (await import('./onelogin/index.js')).oneloginProvider,
  browser: async () => (await import('./browser/index.js')).browserProvider,
};

export function loadProvider(name: ProviderName): Promise<Provider> {
  return PROVIDERS[name]();
}
