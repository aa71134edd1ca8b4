/**
 * Role ARNs and partitions without the SAML/XML code, for commands that must start fast (status).
 */
import { ROLE_ARN, type Partition } from '../saml/response.js';

export interface RoleArnParts {
  partition: Partition;
  accountId: string;
  /** The role's name with its path, e.g. `team/Admin`. */
  roleName: string;
}

/** The parts of an IAM role ARN, or undefined when it is not one. */
export function parseRoleArn(arn: string | undefined): RoleArnParts | undefined {
  const [, partition, accountId, roleName] = ROLE_ARN.exec(arn ?? '') ?? [];
  if (!partition || !accountId || !roleName) return undefined;
  return { partition: partition as Partition, accountId, roleName };
}

/** The partition of a region name: cn-* is aws-cn, us-gov-* is aws-us-gov, anything else aws. */
export function partitionOfRegionName(region: string | undefined): Partition {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
