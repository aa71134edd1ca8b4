import { PROVIDER_NAMES, PROVIDERS, SECRET_VARIABLES } from '../providers/registry.js';
import { prose } from './prose.js';

export const summary = 'Set up a profile for awsl: the identity provider and its settings.';

export const description = prose(`
Asks first for the provider (${PROVIDER_NAMES.join(' or ')}), then that provider's settings,
showing the current value in brackets; Enter keeps it. Every prompt has a flag, and --no-prompt
(implied when there is no terminal) runs unattended. Settings go into the profile's own section of
~/.aws/config (AWS_CONFIG_FILE) under awsl_ keys; nothing else in the file changes. A provider's
API secret goes into the OS keyring (or comes from its environment variable:
${SECRET_VARIABLES.join(', ')}), never into a file.
`);

export const examples = [
  { description: 'Answer the questions for the default profile', command: '<%= config.bin %> login configure' },
  ...PROVIDERS.map((descriptor) => ({
    description: `Unattended, a ${descriptor.title} profile x`,
    command: `${(descriptor.secrets ?? []).map((secret) => `${secret.variable}=… `).join('')}<%= config.bin %> login configure --profile x ${descriptor.configureExample} --no-prompt`,
  })),
  { description: 'Forget the profile\'s role, so that login offers the menu again', command: '<%= config.bin %> login configure --profile prod --unset awsl_role_arn' },
  { description: 'Let the AWS CLI ask awsl for credentials (credential_process), refreshed silently through the IdP session', command: '<%= config.bin %> login configure --profile prod --credential-process' },
];
