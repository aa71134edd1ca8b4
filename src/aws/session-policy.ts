/**
 * Session policies for AssumeRoleWithSAML (STS API reference): an inline `Policy` of at most
 * 2,048 characters from tab, line feed, carriage return and U+0020–U+00FF, and up to 10 managed
 * `PolicyArns` of 20–2,048 characters each. Checked before any IdP request, so a typo never costs
 * a password prompt or a second-factor push.
 */
import { readFile } from 'node:fs/promises';
import { FileUnreadableError, InvalidInputError } from '../errors.js';

export const MAX_POLICY_CHARACTERS = 2048;
export const MAX_POLICY_ARNS = 10;
const POLICY_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}|aws):policy\/(?:[\x21-\x7e]+\/)*[\w+=,.@-]{1,128}$/;
const POLICY_CHARACTERS = /^[\t\n\r\u0020-\u00ff]*$/;

/** One run's session policies (flags), overriding awsl_policy_file and awsl_policy_arns. */
export interface SessionPolicyOverride {
  /** Absolute path of a JSON policy. */
  policyFile?: string;
  policyArns?: string[];
}

export interface SessionPolicy {
  /** The inline policy, compacted; undefined when none. */
  policy?: string;
  policyArns: string[];
}

/** `arn:…:policy/A, arn:…:policy/B` → the ARNs, checked; '' is none. */
export function parsePolicyArns(value: string): string[] {
  const arns = value.split(',').map((arn) => arn.trim()).filter(Boolean);
  const wrong = arns.find((arn) => arn.length < 20 || arn.length > 2048 || !POLICY_ARN.test(arn));
  if (wrong !== undefined) {
    throw new InvalidInputError(`"${wrong}" is not an IAM managed policy ARN.`,
      'A policy ARN looks like arn:aws:iam::123456789012:policy/Name or arn:aws:iam::aws:policy/ReadOnlyAccess; separate several with commas.');
  }
  if (arns.length > MAX_POLICY_ARNS) {
    throw new InvalidInputError(`${arns.length} session policy ARNs given; STS takes at most ${MAX_POLICY_ARNS}.`, 'Name fewer managed policies, or combine them into the inline policy (--policy-file).');
  }
  return arns;
}

/** The policy file's JSON, compacted so that indentation does not count against STS's limit. */
export async function readPolicyFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FileUnreadableError(path, undefined, `cannot read the session policy (${(error as Error).message})`,
      'Point --policy-file (or awsl_policy_file) at a JSON IAM policy document.');
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new FileUnreadableError(path, undefined, `is not JSON (${(error as Error).message})`, 'A session policy is an IAM policy document in JSON: {"Version":"2012-10-17","Statement":[…]}.');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new FileUnreadableError(path, undefined, 'is not a JSON object', 'A session policy is an IAM policy document in JSON: {"Version":"2012-10-17","Statement":[…]}.');
  }
  const policy = JSON.stringify(document);
  if (!POLICY_CHARACTERS.test(policy)) {
    throw new FileUnreadableError(path, undefined, 'holds characters STS does not accept in a policy (only tab, line breaks and U+0020–U+00FF)', 'Remove the other characters from the policy.');
  }
  if (policy.length > MAX_POLICY_CHARACTERS) {
    throw new FileUnreadableError(path, undefined, `is ${policy.length} characters without white space; STS takes at most ${MAX_POLICY_CHARACTERS}`,
      'Shorten the policy, or move part of it into managed policies (--policy-arns).');
  }
  return policy;
}
