/** Messages for the user go to stderr, so stdout stays pipeable. */
export type LogLevel = 'quiet' | 'normal' | 'debug';

export interface Logger {
  readonly level: LogLevel;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

export function createLogger(level: LogLevel, write: (text: string) => void = (text) => process.stderr.write(text)): Logger {
  return {
    level,
    debug(message) {
      if (level === 'debug') write(`debug: ${message}\n`);
    },
    info(message) {
      if (level !== 'quiet') write(`${message}\n`);
    },
    warn(message) {
      write(`warning: ${message}\n`);
    },
  };
}

/** The level from AWSL_LOG (quiet|normal|debug); flags override it. */
export function levelFromEnvironment(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const value = env.AWSL_LOG;
  return value === 'debug' || value === 'quiet' ? value : 'normal';
}
