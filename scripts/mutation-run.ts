/**
 * A mutation run: one-line bugs of the kind a careless change would make, applied one at a time to
 * a throwaway clone of HEAD, each judged by the tests that should kill it. Not part of `npm test`.
 *
 *   nice npx tsx scripts/mutation-run.ts [--only ID,ID...] [--keep]
 *
 * The clone gets this checkout's node_modules (a symlink) and is built before every mutant whose
 * tests start the CLI (bin/run.js runs dist/). The unmutated clone must pass every test file used,
 * or nothing can be judged. Prints one line per mutant and a summary; exits 1 when any survives.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

interface Mutant {
  id: string;
  /** The bug, as the audit would name it. */
  what: string;
  file: string;
  /** A line fragment found exactly once in the file, and what it becomes. */
  find: string;
  replace: string;
  tests: string[];
}

const MUTANTS: Mutant[] = [
  // saml/
  { id: 'signature-unsigned-copy', what: 'roles read from the unsigned copy of an Assertion-only-signed Response', file: 'src/saml/signature.ts',
    find: "return { covers: 'Assertion', signedXml: chosen.signedXml, response };", replace: "return { covers: 'Assertion', signedXml: chosen.signedXml, response: parsed };", tests: ['test/saml/signature.test.ts'] },
  { id: 'signature-any-reference', what: 'a signature over another element accepted for its parent', file: 'src/saml/signature.ts',
    find: 'if (reference.uri !== `#${id}`) {', replace: 'if (reference.uri === undefined) {', tests: ['test/saml/signature.test.ts'] },
  { id: 'signature-rollover-advice', what: 'an altered SignedInfo reported as another key', file: 'src/saml/signature.ts',
    find: 'if (embedsCertificate(signature, certificate)) tampering', replace: 'if (!embedsCertificate(signature, certificate)) tampering', tests: ['test/saml/signature.test.ts'] },
  { id: 'response-no-request-binding', what: 'a reply to no request, or another one, accepted', file: 'src/saml/response.ts',
    find: 'if (expected.inResponseTo !== undefined) {', replace: "if (expected.inResponseTo === 'never') {", tests: ['test/saml/response.test.ts', 'test/commands/saml-checks.test.ts'] },
  { id: 'response-unsigned-request-id', what: 'the Response element\'s (unsigned) InResponseTo trusted over the Assertion\'s', file: 'src/saml/response.ts',
    find: "inResponseTo: confirmationData && attribute(confirmationData, 'InResponseTo'),", replace: "inResponseTo: attribute(response, 'InResponseTo'),", tests: ['test/saml/response.test.ts', 'test/saml/signature.test.ts'] },
  { id: 'response-disagreement', what: 'a Response and Assertion answering different requests accepted', file: 'src/saml/response.ts',
    find: '&& info.responseInResponseTo !== info.inResponseTo) {', replace: '&& false) {', tests: ['test/saml/response.test.ts', 'test/saml/signature.test.ts'] },
  { id: 'response-confirmation-notbefore', what: 'SubjectConfirmationData NotBefore ignored', file: 'src/saml/response.ts',
    find: "const notBefore = [confirmationData && attribute(confirmationData, 'NotBefore'), ", replace: 'const notBefore = [', tests: ['test/saml/response.test.ts'] },
  { id: 'response-skew-direction', what: 'the clock-skew allowance applied the wrong way for NotBefore', file: 'src/saml/response.ts',
    find: 'now < info.notBefore.getTime() - skewMs', replace: 'now < info.notBefore.getTime() + skewMs', tests: ['test/saml/response.test.ts'] },
  { id: 'response-expiry-lax', what: 'expired assertions accepted for ten times the allowance', file: 'src/saml/response.ts',
    find: 'now >= info.notOnOrAfter.getTime() + skewMs', replace: 'now >= info.notOnOrAfter.getTime() + 10 * skewMs', tests: ['test/saml/response.test.ts', 'test/commands/saml-checks.test.ts'] },
  { id: 'response-recipient', what: 'a Response addressed elsewhere accepted', file: 'src/saml/response.ts',
    find: 'if (value !== undefined && !accepted(value)) {', replace: 'if (value === undefined && !accepted(value)) {', tests: ['test/saml/response.test.ts', 'test/commands/saml-checks.test.ts'] },
  { id: 'ecp-all-declarations', what: 'every envelope declaration copied onto the Response (inclusive c14n breaks)', file: 'src/saml/ecp.ts',
    find: '.filter(([prefix]) => inheritedPrefixesUsed(content, inherited).has(prefix))', replace: '.filter(() => true)', tests: ['test/saml/ecp.test.ts'] },
  { id: 'ecp-qname-values', what: 'prefixes used in xsi:type values not declared', file: 'src/saml/ecp.ts',
    find: "if (local === 'type' && prefix !== undefined", replace: "if (local === 'never' && prefix !== undefined", tests: ['test/saml/ecp.test.ts'] },
  { id: 'xml-doctype', what: 'a DOCTYPE without an entity let through to the parser', file: 'src/saml/xml.ts',
    find: 'if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) {', replace: 'if (/<!ENTITY/i.test(xml)) {', tests: ['test/saml/hostile-xml.property.test.ts', 'test/saml/signature.test.ts'] },
  { id: 'xml-readable-markup', what: 'IdP text quoted in messages with its markup', file: 'src/saml/xml.ts',
    find: ".replace(/<+(?=[A-Za-z_!?/])/g, '')", replace: '', tests: ['test/saml/response.test.ts', 'test/saml/hostile-xml.property.test.ts'] },
  // providers/
  { id: 'onelogin-store-before-accepted', what: 'OneLogin password stored before OneLogin accepted it', file: 'src/providers/onelogin/index.ts',
    find: 'let outcome = await api.samlAssertion(request());', replace: 'await context.password.accepted(); let outcome = await api.samlAssertion(request());', tests: ['test/commands/keyring-onelogin.test.ts'] },
  { id: 'ecp-keep-rejected-password', what: 'a password the IdP rejected kept in the keyring', file: 'src/providers/ecp/index.ts',
    find: 'if (error instanceof AuthenticationFailedError) await context.password.rejected();', replace: 'if (error instanceof AuthenticationFailedError) void 0;', tests: ['test/commands/keyring-login.test.ts'] },
  { id: 'ecp-duo-blames-password', what: 'a Duo refusal taken for a wrong password', file: 'src/providers/ecp/index.ts',
    find: 'if (error instanceof AuthenticationFailedError && attempt.duo && !/WRONGUSERPASS/.test(error.message)) {', replace: 'if (error instanceof AuthenticationFailedError && attempt.duo && /WRONGUSERPASS/.test(error.message)) {', tests: ['test/commands/login-duo.test.ts'] },
  // state/
  { id: 'lock-token-never-held', what: 'a lock of this process taken for stale by its own waiters', file: 'src/state/file-lock.ts',
    find: '  heldTokens.add(token);', replace: '', tests: ['test/state/file-lock.test.ts', 'test/state/ini-file.test.ts'] },
  { id: 'lock-own-pid-stale', what: 'every lock with this process\'s pid judged stale', file: 'src/state/file-lock.ts',
    find: 'if (pid === process.pid) return !heldTokens.has(token);', replace: 'if (pid === process.pid) return true;', tests: ['test/state/file-lock.test.ts', 'test/state/ini-file.test.ts'] },
  { id: 'ini-new-file-0644', what: 'a new AWS file created 0644', file: 'src/state/ini-file.ts',
    find: 'const mode = current?.mode ?? options.createMode ?? 0o600;', replace: 'const mode = current?.mode ?? 0o644;', tests: ['test/commands/files.test.ts'] },
  { id: 'atomic-new-file-0644', what: 'a new private file created 0644', file: 'src/state/atomic-file.ts',
    find: 'await handle.chmod(existing ? existing.mode & 0o7777 : (options.mode ?? 0o600));', replace: 'await handle.chmod(existing ? existing.mode & 0o7777 : 0o644);', tests: ['test/state/atomic-file.test.ts', 'test/commands/files.test.ts'] },
  // aws/
  { id: 'credentials-keep-0644', what: 'a credentials file readable by others left so', file: 'src/aws/credentials-file.ts',
    find: 'if ((mode & 0o077) !== 0) {', replace: 'if ((mode & 0o077) === 0o077) {', tests: ['test/commands/files.test.ts'] },
  { id: 'credential-process-quoting', what: 'a credential_process path with a quote quoted wrongly', file: 'src/aws/credential-process.ts',
    find: 'return shQuote(value);', replace: "return `'${value}'`;", tests: ['test/aws/credential-process.test.ts'] },
  // the pipeline and its HTTP client
  { id: 'pipeline-duration-max', what: 'more than the IdP\'s SessionDuration asked of STS', file: 'src/pipeline/login.ts',
    find: '? Math.min(wanted, assertion.sessionDurationSeconds) : wanted;', replace: '? Math.max(wanted, assertion.sessionDurationSeconds) : wanted;', tests: ['test/commands/login-ecp.test.ts', 'test/commands/login-duo.test.ts'] },
  { id: 'pipeline-no-request-id', what: 'the login pipeline not telling the checks which request it sent', file: 'src/pipeline/login.ts',
    find: 'checkAssertion(assertion, { inResponseTo: authentication.inResponseTo, acsUrl,', replace: 'checkAssertion(assertion, { inResponseTo: undefined, acsUrl,', tests: ['test/commands/saml-checks.test.ts'] },
  { id: 'pipeline-unverified-response', what: 'roles read from the Response as received although its signature was checked', file: 'src/pipeline/idp-signature.ts',
    find: 'return verifySamlSignature(xml, [...fromFile, ...(metadata?.certificates ?? [])], what).response;', replace: 'verifySamlSignature(xml, [...fromFile, ...(metadata?.certificates ?? [])], what); return response;', tests: ['test/commands/signature.test.ts', 'test/commands/saml-checks.test.ts'] },
  { id: 'http-basic-in-debug-log', what: 'the Basic Authorization header in the debug log', file: 'src/http.ts',
    find: "`${name}: ${secret(name) ? '[redacted]' : String(value)}`", replace: "`${name}: ${secret(name) && name !== 'authorization' ? '[redacted]' : String(value)}`", tests: ['test/commands/secrets.test.ts'] },
];

const repository = resolve(import.meta.dirname, '..');
const keep = process.argv.includes('--keep');
const onlyIndex = process.argv.indexOf('--only');
const chosen = onlyIndex < 0 ? MUTANTS : MUTANTS.filter((mutant) => process.argv[onlyIndex + 1]!.split(',').includes(mutant.id));

const needsBuild = (tests: readonly string[]) => tests.some((test) => /^test\/(commands|peers|boot)\//.test(test));

function run(command: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.on('close', (code) => done({ code: code ?? 1, output }));
  });
}

async function build(clone: string): Promise<void> {
  const built = await run('npm', ['run', 'build'], clone);
  if (built.code !== 0) throw new Error(`the build failed:\n${built.output}`);
}

/** mocha's own summary line ("N passed, N failed, N skipped"). */
const summary = (output: string) => output.trim().split('\n').reverse().find((line) => /^\d+ passed, \d+ failed/.test(line)) ?? 'no summary line';

async function main(): Promise<void> {
  const clone = mkdtempSync(join(tmpdir(), 'awsl-mutants-'));
  try {
    execFileSync('git', ['clone', '--quiet', '--shared', repository, clone]);
    symlinkSync(realpathSync(join(repository, 'node_modules')), join(clone, 'node_modules'));
    const testFiles = [...new Set(chosen.flatMap((mutant) => mutant.tests))];
    await build(clone);
    const baseline = await run('npx', ['mocha', ...testFiles], clone);
    if (baseline.code !== 0) throw new Error(`the unmutated code fails its tests (${summary(baseline.output)}); nothing can be judged:\n${baseline.output.slice(-4000)}`);
    process.stdout.write(`baseline: ${testFiles.length} test files pass (${summary(baseline.output)})\n`);

    const survivors: Mutant[] = [];
    for (const mutant of chosen) {
      const path = join(clone, mutant.file);
      const original = readFileSync(path, 'utf8');
      const count = original.split(mutant.find).length - 1;
      if (count !== 1) throw new Error(`${mutant.id}: "${mutant.find}" occurs ${count} times in ${mutant.file}; the mutant list is out of date`);
      writeFileSync(path, original.replace(mutant.find, () => mutant.replace));
      try {
        if (needsBuild(mutant.tests)) await build(clone);
        const started = Date.now();
        const result = await run('npx', ['mocha', ...mutant.tests], clone);
        const seconds = Math.round((Date.now() - started) / 1000);
        const verdict = result.code === 0 ? 'SURVIVED' : 'killed';
        if (result.code === 0) survivors.push(mutant);
        process.stdout.write(`${verdict.padEnd(8)} ${mutant.id.padEnd(32)} ${summary(result.output)} in ${seconds} s — ${mutant.what}\n`);
      } finally {
        writeFileSync(path, original);
      }
    }
    process.stdout.write(`\n${chosen.length} mutants: ${chosen.length - survivors.length} killed, ${survivors.length} survived${survivors.length ? ` (${survivors.map((mutant) => mutant.id).join(', ')})` : ''}\n`);
    process.exitCode = survivors.length ? 1 : 0;
  } finally {
    if (keep) process.stdout.write(`clone kept at ${clone}\n`);
    else rmSync(clone, { recursive: true, force: true });
  }
}

await main();
