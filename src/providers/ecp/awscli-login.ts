/**
 * awscli-login's ~/.aws-login/config keys (its README and config.py), as ECP settings, for
 * `awsl import awscli-login`. Its factor names and disable values are the ones awsl accepts.
 */
import type { SettingsImport } from '../provider.js';

export const AWSCLI_LOGIN_IMPORT: SettingsImport = {
  keys: {
    ecp_endpoint_url: 'awsl_ecp_endpoint_url',
    username: 'awsl_username',
    enable_keyring: 'awsl_enable_keyring',
    factor: 'awsl_duo_factor',
    role_arn: 'awsl_role_arn',
    duration: 'awsl_duration',
    http_header_factor: 'awsl_duo_factor_header',
    http_header_passcode: 'awsl_duo_passcode_header',
    verify_ssl_certificate: 'awsl_verify_tls',
  },
  withheld: {
    password: 'awsl keeps passwords only in the OS keyring: the first awsl login asks for it. Remove it from awscli-login\'s file too.',
    passcode: 'a Duo passcode is good for one login only: awsl asks for it when the factor is passcode.',
  },
  // awscli-login sends DurationSeconds only when duration is not 0.
  unsetValues: { duration: '0' },
};
