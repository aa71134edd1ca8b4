/** The ECP provider's own errors; each keeps an exit code of src/errors.ts. */
import { AwslError, ExitCode } from '../../errors.js';

/**
 * The IdP refused a login and its answer does not say whether the password or the second factor
 * failed: Shibboleth answers a wrong password and a Duo refusal with the same AuthnFailed status
 * (see README.md). The password is kept, as it may be right. The exit code is the password's, so
 * that a script does not keep retrying a password that may be wrong until the directory locks it.
 */
export class LoginRefusedError extends AwslError {
  readonly exitCode = ExitCode.AuthenticationFailed;
}
