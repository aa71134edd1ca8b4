/**
 * An unusable OS keyring (a headless box, a container, a locked keyring) is normal for awsl's users:
 * it is said in one calm line, once per command, with what awsl does instead. The raw D-Bus text
 * is shown only with --verbose.
 */
import type { KeyringError } from '../errors.js';
import type { Logger } from '../ui/logger.js';

let shown = false;

/** Warns once per process: "The OS keyring is unavailable (REASON): INSTEAD". */
export function keyringUnavailable(logger: Logger, error: KeyringError, instead: string): void {
  logger.debug(`keyring: ${error.detail ?? error.message}`);
  if (shown) return;
  shown = true;
  logger.warn(`${error.message}: ${instead}`);
}
