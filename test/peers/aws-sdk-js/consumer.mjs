// A long-lived program on the AWS SDK for JavaScript v3, its default credential chain untouched:
// one STS client calling GetCallerIdentity every `interval` seconds for `seconds`, then one JSON
// line of what it saw. Usage: node consumer.mjs '{"endpoint": URL, "seconds": S, "interval": I}'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { setTimeout as sleep } from 'node:timers/promises';

const config = JSON.parse(process.argv[2]);
const sts = new STSClient({ endpoint: config.endpoint, region: 'us-east-1' });
const calls = [];
const deadline = Date.now() + config.seconds * 1000;
while (Date.now() < deadline) {
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  // The client's own memoized provider: what it signed with.
  const credentials = await sts.config.credentials();
  calls.push({ at: Date.now() / 1000, accessKeyId: credentials.accessKeyId, arn: identity.Arn, accountId: credentials.accountId ?? null });
  await sleep(config.interval * 1000);
}
process.stdout.write(`${JSON.stringify({ calls })}\n`);
