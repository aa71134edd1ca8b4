/**
 * oclif's entry, bundled together with the commands (scripts/build.mjs) so that they share one
 * copy of @oclif/core and load as a few files instead of hundreds: startup is most of a CLI's time.
 */
export { execute } from '@oclif/core';
