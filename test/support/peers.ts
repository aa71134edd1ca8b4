/**
 * Tests that need a real peer (SimpleSAMLphp, GNOME keyring, /usr/bin/aws, moto) call requirePeer.
 * In CI a missing peer fails the test; elsewhere the test is skipped, loudly.
 */
export function requirePeer(context: Mocha.Context, available: boolean, what: string): void {
  if (available) return;
  if (process.env.CI) throw new Error(`Required test peer missing in CI: ${what}. .ci/run must install it.`);
  process.stderr.write(`\n  !! SKIPPED: ${what} is not installed on this machine (required in CI)\n`);
  context.skip();
}
