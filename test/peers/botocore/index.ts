/**
 * Real botocore as the consumer: the machine's Python (pyenv 3.11 on this image) with boto3, running
 * test/peers/botocore/consumer.py, a long-lived program that keeps calling STS.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { findExecutable } from '../process.js';

export const CONSUMER_SCRIPT = resolve('test/peers/botocore/consumer.py');

export interface ConsumerCall {
  /** Seconds since the epoch. */
  at: number;
  accessKeyId: string;
  arn: string;
  /** What botocore read from AccountId (credential_process) or the container endpoint. */
  accountId: string | null;
}

export interface ConsumerReport {
  /** credential_process runs botocore started. */
  spawns: number;
  /** botocore's name for the provider that found the credentials (custom-process, container-role). */
  method: string;
  calls: ConsumerCall[];
}

/** python3 on PATH when it imports boto3; undefined otherwise. */
export function pythonWithBoto3(): string | undefined {
  const python = findExecutable('python3');
  if (!python) return undefined;
  try {
    execFileSync(python, ['-c', 'import boto3'], { stdio: 'ignore' });
    return python;
  } catch {
    return undefined;
  }
}

/** The consumer's command line: python3 consumer.py CONFIG. */
export function consumerArgs(config: { endpoint: string; seconds: number; interval: number; profile?: string }): string[] {
  return [CONSUMER_SCRIPT, JSON.stringify({ profile: null, ...config })];
}
