/** The browser provider's own errors; each keeps an exit code of src/errors.ts. */
import { AwslError, ExitCode } from '../../errors.js';

/** No Chrome, Chromium, Edge or Brave was found, or the configured browser path is not a program. */
export class BrowserNotFoundError extends AwslError {
  readonly exitCode = ExitCode.ProfileNotConfigured;
}

/** The browser would not start, or stopped answering the DevTools protocol: the profile needs another. */
export class BrowserFailedError extends AwslError {
  readonly exitCode = ExitCode.ProfileNotConfigured;
}

/** Nobody finished the IdP's login in the window within the time limit. */
export class BrowserLoginTimeoutError extends AwslError {
  readonly exitCode = ExitCode.AuthenticationFailed;
}
