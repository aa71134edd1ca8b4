/**
 * Whether an ECP IdP session (cookie jar) is saved for a profile, without loading the ECP login
 * code, tough-cookie or the XML parser: `awsl status` asks this for every profile.
 */
import type { ProfileSettings } from '../../settings.js';
import { CookieJarStore } from '../../state/cookie-jar-store.js';

export async function ecpHasSavedSession(context: { settings: ProfileSettings; stateDirectory: string }): Promise<boolean> {
  const { ecpEndpointUrl, username } = context.settings;
  if (!ecpEndpointUrl || !username) return false;
  return new CookieJarStore(context.stateDirectory).exists(new URL(ecpEndpointUrl).host, username);
}
