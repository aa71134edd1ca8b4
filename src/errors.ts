/**
 * Typed errors. Each kind has a stable exit code (documented in README.md) and a message that
 * says what happened and what to do next. The top-level handler prints only the message.
 */
export const ExitCode = {
  Unexpected: 1,
  InvalidInput: 2,
  ProfileNotConfigured: 4,
  FileUnreadable: 5,
  NeedsTerminal: 6,
  AuthenticationFailed: 7,
  MfaFailed: 8,
  IdpResponseInvalid: 9,
  RoleUnavailable: 10,
  Network: 11,
  StsRefused: 12,
  Keyring: 13,
  IdpApi: 14,
  RateLimited: 15,
  /** Refused by bin/run.js before anything loads (it cannot import this file). */
  UnsupportedNode: 16,
  /** `awsl doctor` found something to fix. */
  ProblemsFound: 17,
  /** The shell's codes for a program that cannot be run (`awsl exec`). */
  CommandNotExecutable: 126,
  CommandNotFound: 127,
  Cancelled: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export abstract class AwslError extends Error {
  abstract readonly exitCode: ExitCode;
  /** One line telling the user what to do next. */
  readonly hint: string | undefined;

  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.hint = hint;
  }

  /** Message and hint as the user sees them. */
  describe(): string {
    return this.hint ? `${this.message}\n${this.hint}` : this.message;
  }
}

/** A flag, setting or answer that is not acceptable. Nothing was changed. */
export class InvalidInputError extends AwslError {
  readonly exitCode = ExitCode.InvalidInput;
}

export class ProfileNotConfiguredError extends AwslError {
  readonly exitCode = ExitCode.ProfileNotConfigured;
}

/** A file awsl must read or edit cannot be parsed or opened. */
export class FileUnreadableError extends AwslError {
  readonly exitCode = ExitCode.FileUnreadable;
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    problem: string,
    hint = 'Fix the file by hand; awsl left it unchanged.',
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${problem}`, hint);
  }
}

/** A prompt is needed but there is no terminal to ask on. */
export class NeedsTerminalError extends AwslError {
  readonly exitCode = ExitCode.NeedsTerminal;
}

/** The IdP rejected the username or password. */
export class AuthenticationFailedError extends AwslError {
  readonly exitCode = ExitCode.AuthenticationFailed;
}

/** The second factor was denied, timed out or its code was wrong. */
export class MfaFailedError extends AwslError {
  readonly exitCode = ExitCode.MfaFailed;
}

/** The IdP answered something other than a usable SAML response. */
export class IdpResponseError extends AwslError {
  readonly exitCode = ExitCode.IdpResponseInvalid;
}

/** No role, or not the configured one, is granted by the assertion. */
export class RoleUnavailableError extends AwslError {
  readonly exitCode = ExitCode.RoleUnavailable;
}

/** Connection refused, DNS, TLS or timeout. */
export class NetworkError extends AwslError {
  readonly exitCode = ExitCode.Network;
}

/** STS refused AssumeRoleWithSAML. `code` is AWS's own error code. */
export class StsError extends AwslError {
  readonly exitCode = ExitCode.StsRefused;
  constructor(
    readonly code: string,
    message: string,
    hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, hint, options);
  }
}

export class KeyringError extends AwslError {
  readonly exitCode = ExitCode.Keyring;
  /** The platform's own words (D-Bus, Secret Service), for --verbose only. */
  detail?: string;
}

/** An IdP's API refused a request in a way no other category covers; providers subclass it. */
export class IdpApiError extends AwslError {
  readonly exitCode = ExitCode.IdpApi;
}

export class RateLimitedError extends AwslError {
  readonly exitCode = ExitCode.RateLimited;
}

/** The program given to `awsl exec` is not on PATH, or its path does not exist. */
export class CommandNotFoundError extends AwslError {
  readonly exitCode = ExitCode.CommandNotFound;
}

/** The program given to `awsl exec` exists but cannot be run: a directory, or no execute permission. */
export class CommandNotExecutableError extends AwslError {
  readonly exitCode = ExitCode.CommandNotExecutable;
}

/** The user quit (q at a menu, Ctrl-C). */
export class CancelledError extends AwslError {
  readonly exitCode = ExitCode.Cancelled;
}
