import { PROVIDER_NAMES } from '../settings.js';
import { prose } from './prose.js';

export const summary = 'Set up a profile for awsl: the identity provider and its settings.';

export const description = prose`
Asks first for the provider (${PROVIDER_NAMES.join(' or ')}), then that provider's settings,
showing the current value in brackets; Enter keeps it. Every prompt has a flag, and --no-prompt
(implied when there is no terminal) runs unattended. Settings go into the profile's own section of
~/.aws/config (AWS_CONFIG_FILE) under awsl_ keys; nothing else in the file changes. The OneLogin
client secret goes into the OS keyring (or comes from AWSL_ONELOGIN_CLIENT_SECRET), never into a
file.
`;

export const examples = [
  { description: 'Answer the questions for the default profile', command: '<%= config.bin %> login configure' },
  { description: 'Unattended, for profile x', command: '<%= config.bin %> login configure --profile x --provider ecp --ecp-endpoint-url https://idp.example.edu/idp/profile/SAML2/SOAP/ECP --username me --no-prompt' },
  { description: 'A OneLogin profile', command: 'AWSL_ONELOGIN_CLIENT_SECRET=… <%= config.bin %> login configure --profile ol --provider onelogin --onelogin-subdomain acme --onelogin-app-id 123456 --onelogin-client-id abc --onelogin-region us --username me@acme.com --no-prompt' },
  { description: 'Let the AWS CLI ask awsl for credentials (credential_process), refreshed silently through the IdP session', command: '<%= config.bin %> login configure --profile prod --credential-process' },
];
