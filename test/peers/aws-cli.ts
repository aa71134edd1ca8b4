/** The AWS CLI v2 from Debian, as the consumer of the files and credential_process output awsl writes. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Not the `aws` first on PATH: on this image that is an old v1 from pyenv. */
export const AWS_CLI = '/usr/bin/aws';

export interface AwsCliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function available(): boolean {
  return existsSync(AWS_CLI);
}

/**
 * Runs /usr/bin/aws with env merged over process.env minus every AWS_* variable (so the developer's
 * own profile or keys never leak in), and never the instance metadata service.
 * Give it AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, and --endpoint-url for any service
 * call: 2.9 ignores AWS_ENDPOINT_URL*.
 */
export function awsCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<AwsCliResult> {
  return new Promise((resolve, reject) => {
    execFile(AWS_CLI, args, {
      env: { ...withoutAwsVariables(process.env), AWS_PAGER: '', ...env, AWS_EC2_METADATA_DISABLED: 'true' },
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(new Error(`${AWS_CLI} ${args.join(' ')} did not run: ${error.message}\n${stderr}`));
      else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

function withoutAwsVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('AWS_')));
}
