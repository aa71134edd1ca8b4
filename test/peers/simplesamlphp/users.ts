/** The users of the SimpleSAMLphp test IdP and exactly what it asserts for each, for tests to compare against. */

export const AWS_SAML_ATTRIBUTE = {
  role: 'https://aws.amazon.com/SAML/Attributes/Role',
  roleSessionName: 'https://aws.amazon.com/SAML/Attributes/RoleSessionName',
  sessionDuration: 'https://aws.amazon.com/SAML/Attributes/SessionDuration',
  sourceIdentity: 'https://aws.amazon.com/SAML/Attributes/SourceIdentity',
  projectTag: 'https://aws.amazon.com/SAML/Attributes/PrincipalTag:Project',
  costCenterTag: 'https://aws.amazon.com/SAML/Attributes/PrincipalTag:CostCenter',
  transitiveTagKeys: 'https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys',
} as const;

export interface SimpleSamlPhpRole {
  roleArn: string;
  principalArn: string;
  /** The Role attribute value exactly as the IdP sends it (either order of the two ARNs). */
  value: string;
}

export interface SimpleSamlPhpUser {
  username: string;
  password: string;
  roles: readonly SimpleSamlPhpRole[];
  roleSessionName: string | undefined;
  sessionDuration: number | undefined;
  /** The SAML attributes the IdP releases for this user (NameFormat uri). */
  attributes: Readonly<Record<string, readonly string[]>>;
}

function user(
  username: string,
  roles: readonly SimpleSamlPhpRole[],
  roleSessionName: string | undefined,
  sessionDuration: number | undefined,
  extra: Record<string, string[]> = {},
): SimpleSamlPhpUser {
  const attributes: Record<string, string[]> = { ...extra };
  if (roles.length > 0) attributes[AWS_SAML_ATTRIBUTE.role] = roles.map((role) => role.value);
  if (roleSessionName !== undefined) attributes[AWS_SAML_ATTRIBUTE.roleSessionName] = [roleSessionName];
  if (sessionDuration !== undefined) attributes[AWS_SAML_ATTRIBUTE.sessionDuration] = [String(sessionDuration)];
  return { username, password: `${username}-password`, roles, roleSessionName, sessionDuration, attributes };
}

function roleFirst(roleArn: string, principalArn: string): SimpleSamlPhpRole {
  return { roleArn, principalArn, value: `${roleArn},${principalArn}` };
}

function providerFirst(roleArn: string, principalArn: string): SimpleSamlPhpRole {
  return { roleArn, principalArn, value: `${principalArn},${roleArn}` };
}

export const SIMPLESAMLPHP_USERS = {
  /** Two accounts; the second role value lists the provider first. */
  alice: user('alice', [
    roleFirst('arn:aws:iam::111111111111:role/Admin', 'arn:aws:iam::111111111111:saml-provider/simplesamlphp'),
    providerFirst('arn:aws:iam::222222222222:role/ReadOnly', 'arn:aws:iam::222222222222:saml-provider/simplesamlphp'),
  ], 'alice@example.org', 28800),
  /** One role: the user to send to moto, whose AssumeRoleWithSAML fails on several Role values. */
  bob: user('bob', [
    roleFirst('arn:aws:iam::111111111111:role/Developer', 'arn:aws:iam::111111111111:saml-provider/simplesamlphp'),
  ], 'bob@example.org', 3600),
  /** No Role attribute at all. */
  carol: user('carol', [], 'carol@example.org', undefined),
  /** One aws-us-gov role and no SessionDuration. */
  gus: user('gus', [
    roleFirst('arn:aws-us-gov:iam::333333333333:role/GovAdmin', 'arn:aws-us-gov:iam::333333333333:saml-provider/simplesamlphp'),
  ], 'gus@example.org', undefined),
  /** One role, a SourceIdentity and two session tags, one of them transitive. */
  dora: user('dora', [
    roleFirst('arn:aws:iam::111111111111:role/Auditor', 'arn:aws:iam::111111111111:saml-provider/simplesamlphp'),
  ], 'dora@example.org', 3600, {
    [AWS_SAML_ATTRIBUTE.sourceIdentity]: ['dora.m'],
    [AWS_SAML_ATTRIBUTE.projectTag]: ['Apollo'],
    [AWS_SAML_ATTRIBUTE.costCenterTag]: ['cc-1234'],
    [AWS_SAML_ATTRIBUTE.transitiveTagKeys]: ['Project'],
  }),
} as const satisfies Record<string, SimpleSamlPhpUser>;
