/**
 * `npm run bench`: how fast awsl answers, as ratios to `node -e ''` measured in the same run, its
 * runs taking turns with each case's.
 * Each case runs after a warm-up, RUNS times; we report median and min–max wall time, CPU time,
 * peak RSS, and for logins the HTTP requests the peers received. Prints a Markdown table
 * and writes the same as JSON to bench/results/latest.json, with each target and whether it is met.
 *
 * BENCH_AGAINST=DIR also runs every case with the built awsl checkout in DIR (another commit), run
 * for run in turn with this one in the same sandbox, so that load on the machine hits both alike;
 * a second table gives this build's median over DIR's for each case.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startSimpleSamlPhp, SIMPLESAMLPHP_USERS } from '../test/peers/simplesamlphp/index.js';
import { startStsStandIn } from '../test/peers/sts/index.js';
import { startOneLoginStandIn, samlPath, TOKEN_PATH } from '../test/peers/onelogin/index.js';
import { throwawayKeyPair } from '../test/peers/saml-fixtures.js';
import { stopAllPeers } from '../test/peers/process.js';
import { compileCacheDirectory } from '../src/state/paths.js';
import { AWSL_BIN, createSandbox, runAwsl, runProcess } from '../test/support/cli.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const WARMUP = 3;
const NODE = process.execPath;
const AGAINST = process.env.BENCH_AGAINST ? resolve(process.env.BENCH_AGAINST) : undefined;

interface Sample { ms: number; cpuMs: number; rssKb: number }
interface Case {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  input?: string;
  /** Runs before every run, warm-up included (e.g. drop the IdP session), with that run's environment. */
  before?: (env: NodeJS.ProcessEnv) => void;
  target?: { ratio?: number; rssMb?: number };
  /** HTTP requests one run makes, counted at the peers. */
  countRequests?: () => number;
  expectedRequests?: number;
}

interface Row {
  name: string;
  medianMs: number;
  cpuMs: number;
  minMs: number;
  maxMs: number;
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  peakRssMb: number;
  requestsPerRun?: number;
  targets: Array<{ what: string; target: string; value: string; met: boolean }>;
}

/**
 * Runs a command under a small Python parent that forks it and reads its rusage with wait4: wall
 * time from fork to exit, user + system CPU in microseconds (GNU time prints hundredths of a
 * second, too coarse for 60–200 ms runs), and peak RSS. Debian's python3 (.ci/install-peers.sh).
 */
const PYTHON = '/usr/bin/python3';
const MEASURER = `
import os, sys, time
started = time.perf_counter_ns()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
wall_ms = (time.perf_counter_ns() - started) / 1e6
sys.stderr.write(f"\\nawsl-bench {wall_ms:.3f} {(usage.ru_utime + usage.ru_stime) * 1000:.3f} {usage.ru_maxrss}\\n")
sys.exit(os.waitstatus_to_exitcode(status))
`;

/** Async on purpose: the STS and OneLogin stand-ins answer from this process's event loop. */
async function measureOnce(command: string[], env: NodeJS.ProcessEnv, input?: string): Promise<Sample> {
  const result = await runProcess(PYTHON, ['-c', MEASURER, ...command], { env, input });
  if (result.code !== 0) throw new Error(`${command.join(' ')} exited ${result.code}:\n${result.stdout}${result.stderr}`);
  const [ms, cpuMs, rssKb] = result.stderr.trim().split('\n').pop()!.replace(/^awsl-bench /, '').split(' ').map(Number);
  return { ms: ms!, cpuMs: cpuMs!, rssKb: rssKb! };
}

interface Measured { samples: Sample[]; requests: number }

/**
 * Each command (one per build) after WARMUP runs, RUNS times, the commands taking turns run by run;
 * with the HTTP requests the peers received during each command's measured runs.
 */
async function measure(commands: Array<{ command: string[]; env: NodeJS.ProcessEnv }>, testCase: Omit<Case, 'name' | 'args' | 'env'>): Promise<Measured[]> {
  const measured = commands.map((): Measured => ({ samples: [], requests: 0 }));
  for (let run = 0; run < WARMUP + RUNS; run += 1) {
    // Every other run the other build goes first: neither gains from always following the other.
    const order = [...commands.keys()];
    if (run % 2 === 1) order.reverse();
    for (const index of order) {
      const { command, env } = commands[index]!;
      testCase.before?.(env);
      const requestsBefore = testCase.countRequests?.() ?? 0;
      const sample = await measureOnce(command, env, testCase.input);
      if (run < WARMUP) continue;
      measured[index]!.samples.push(sample);
      measured[index]!.requests += (testCase.countRequests?.() ?? 0) - requestsBefore;
    }
  }
  return measured;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function main(): Promise<void> {
  execFileSync(PYTHON, ['-c', MEASURER, '/bin/true'], { stdio: 'ignore' });
  const alice = SIMPLESAMLPHP_USERS.alice;
  const idp = await startSimpleSamlPhp();
  const sts = await startStsStandIn({
    trustedProviders: {
      ...Object.fromEntries(alice.roles.map((role) => [role.principalArn, idp.certificatePem])),
      'arn:aws:iam::123456789012:saml-provider/OneLogin': throwawayKeyPair().cert,
    },
  });
  const onelogin = await startOneLoginStandIn({ users: [{ username: 'olivia@acme.com', password: 'olivia-password' }] });
  const sandbox = createSandbox({ AWS_ENDPOINT_URL_STS: sts.url, AWS_REGION: 'us-east-1', AWSL_ONELOGIN_CLIENT_SECRET: 'client-secret' });
  const cli = (args: string[], input?: string) => runAwsl(args, { env: sandbox.env, input }).then((result) => {
    if (result.code !== 0) throw new Error(`awsl ${args.join(' ')} failed: ${result.stderr}`);
  });
  try {
    await cli(['login', 'configure', '--profile', 'ecp', '--provider', 'ecp', '--ecp-endpoint-url', idp.url, '--username', alice.username, '--role-arn', alice.roles[0]!.roleArn, '--no-prompt']);
    await cli(['login', 'configure', '--profile', 'ol', '--provider', 'onelogin', '--onelogin-subdomain', 'acme', '--onelogin-app-id', '123456', '--onelogin-client-id', 'client-id', '--onelogin-api-url', onelogin.url, '--username', 'olivia@acme.com', '--no-prompt']);
    await cli(['--profile', 'ecp', 'login', '--password-stdin'], `${alice.password}\n`);

    const cookies = join(sandbox.stateDirectory, 'cookies');
    const stsCount = () => sts.requests.length;
    const olCount = () => onelogin.count(TOKEN_PATH) + onelogin.count(samlPath(2)) + onelogin.count(samlPath(1));
    const phpCount = () => (idp.process.output().match(/POST \/saml2\/idp\/SSOService\.php/g) ?? []).length;

    // Each build keeps its own code cache: in one folder, each run of one would delete the other's.
    const builds = [
      { bin: AWSL_BIN, cacheHome: undefined },
      ...(AGAINST ? [{ bin: join(AGAINST, 'bin', 'run.js'), cacheHome: join(sandbox.home, 'cache-of-other-build') }] : []),
    ];
    for (const { bin } of builds) if (!existsSync(bin)) throw new Error(`${bin} does not exist: build that checkout first (npm ci && npm run build).`);
    const cases: Case[] = [
      { name: 'awsl --version', args: ['--version'], env: sandbox.env, target: { ratio: 2 } },
      { name: 'awsl --help', args: ['--help'], env: sandbox.env },
      { name: 'awsl status', args: ['--profile', 'ecp', 'status'], env: sandbox.env },
      { name: 'awsl credential-process (warm cache)', args: ['credential-process', '--profile', 'ecp-cp'], env: sandbox.env, target: { ratio: 1.3 } },
      {
        name: 'ECP login by password', args: ['--profile', 'ecp', 'login', '--password-stdin'], input: `${alice.password}\n`, env: sandbox.env,
        before: () => rmSync(cookies, { recursive: true, force: true }), target: { ratio: 4, rssMb: 80 },
        countRequests: () => phpCount() + stsCount(), expectedRequests: 2,
      },
      {
        name: 'ECP login by saved session', args: ['--profile', 'ecp', 'login'], env: sandbox.env, target: { ratio: 4, rssMb: 80 },
        countRequests: () => phpCount() + stsCount(), expectedRequests: 2,
      },
      {
        // Once per awsl build: the code cache is written by the first run (src/boot/bundle-loader.ts).
        name: 'ECP login by saved session, first run of a build (no code cache)', args: ['--profile', 'ecp', 'login'], env: sandbox.env,
        before: (env) => rmSync(compileCacheDirectory(env), { recursive: true, force: true }),
      },
      {
        name: 'OneLogin login (cached token, no MFA)', args: ['--profile', 'ol', 'login', '--password-stdin'], input: 'olivia-password\n', env: sandbox.env,
        target: { rssMb: 80 }, countRequests: () => olCount() + stsCount(), expectedRequests: 2,
      },
    ];
    const available = builds.every(({ bin }) => hasCommand(bin, 'credential-process'));
    if (available) {
      await cli(['login', 'configure', '--profile', 'ecp-cp', '--provider', 'ecp', '--ecp-endpoint-url', idp.url, '--username', alice.username, '--role-arn', alice.roles[0]!.roleArn, '--credential-process', '--no-prompt']);
      await cli(['--profile', 'ecp-cp', 'login'], undefined);
    }

    // node -e '' takes its turn in every case, so that each ratio is to the baseline of its own minutes.
    const baselineCommand = { command: [NODE, '-e', ''], env: sandbox.env };
    const allBaseline: Sample[] = [];
    const rows: Row[] = [];
    const comparisons: Comparison[] = [];
    for (const testCase of cases) {
      if (testCase.name.startsWith('awsl credential-process') && !available) {
        process.stderr.write(`skipping ${testCase.name}: credential-process is not available in every build\n`);
        continue;
      }
      if (testCase.name === 'awsl status' && !builds.every(({ bin }) => hasCommand(bin, 'status'))) {
        process.stderr.write('skipping awsl status: no status command in every build\n');
        continue;
      }
      const [baseline, ours, theirs] = await measure([baselineCommand, ...builds.map(({ bin, cacheHome }) => ({ command: [NODE, bin, ...testCase.args], env: cacheHome ? { ...testCase.env, XDG_CACHE_HOME: cacheHome } : testCase.env }))], testCase);
      allBaseline.push(...baseline!.samples);
      const perRun = testCase.countRequests ? ours!.requests / RUNS : undefined;
      const result = row(testCase.name, ours!.samples, median(baseline!.samples.map((s) => s.ms)), perRun);
      if (testCase.target?.ratio) result.targets.push({ what: 'median ratio', target: `≤ ${testCase.target.ratio}×`, value: `${result.ratio.toFixed(2)}×`, met: result.ratio <= testCase.target.ratio });
      if (testCase.target?.rssMb) result.targets.push({ what: 'peak RSS', target: `≤ ${testCase.target.rssMb} MB`, value: `${result.peakRssMb.toFixed(1)} MB`, met: result.peakRssMb <= testCase.target.rssMb });
      if (testCase.expectedRequests !== undefined && perRun !== undefined) {
        result.targets.push({ what: 'HTTP requests', target: `${testCase.expectedRequests}`, value: `${perRun}`, met: perRun === testCase.expectedRequests });
      }
      rows.push(result);
      if (theirs) comparisons.push(compare(testCase.name, ours!, theirs, testCase.countRequests ? theirs.requests / RUNS : undefined));
    }
    rows.unshift(row('node -e \'\' (baseline, run in every case)', allBaseline, median(allBaseline.map((s) => s.ms))));
    report(rows, comparisons);
  } finally {
    await onelogin.stop();
    await sts.stop();
    await idp.stop();
    await stopAllPeers();
    sandbox.remove();
  }
}

function hasCommand(bin: string, id: string): boolean {
  return spawnSync(NODE, [bin, id, '--help'], { encoding: 'utf8' }).status === 0;
}

/**
 * This build against BENCH_AGAINST's, case by case: medians of wall and CPU time, and two
 * quotients: of the medians, and the median of each run's quotient with the other build's run
 * next to it, which the machine's drift over a case touches least.
 */
interface Comparison {
  name: string;
  wallMs: [number, number];
  cpuMs: [number, number];
  pairedWall: number;
  pairedCpu: number;
  peakRssMb: [number, number];
  requestsPerRun?: [number, number];
}

function compare(name: string, ours: Measured, theirs: Measured, theirRequestsPerRun: number | undefined): Comparison {
  const pair = (pick: (sample: Sample) => number, of: (values: number[]) => number): [number, number] => [of(ours.samples.map(pick)), of(theirs.samples.map(pick))];
  const paired = (pick: (sample: Sample) => number) => median(ours.samples.map((sample, run) => pick(sample) / pick(theirs.samples[run]!)));
  const peak = (values: number[]) => Math.max(...values) / 1024;
  return {
    name, wallMs: pair((s) => s.ms, median), cpuMs: pair((s) => s.cpuMs, median), pairedWall: paired((s) => s.ms), pairedCpu: paired((s) => s.cpuMs),
    peakRssMb: pair((s) => s.rssKb, peak),
    ...(theirRequestsPerRun === undefined ? {} : { requestsPerRun: [ours.requests / RUNS, theirRequestsPerRun] as [number, number] }),
  };
}

function row(name: string, samples: Sample[], baseMedian: number, requestsPerRun?: number): Row {
  const times = samples.map((s) => s.ms);
  const medianMs = median(times);
  return {
    name, medianMs, cpuMs: median(samples.map((s) => s.cpuMs)), minMs: Math.min(...times), maxMs: Math.max(...times),
    ratio: medianMs / baseMedian, ratioMin: Math.min(...times) / baseMedian, ratioMax: Math.max(...times) / baseMedian,
    peakRssMb: Math.max(...samples.map((s) => s.rssKb)) / 1024, requestsPerRun, targets: [],
  };
}

function report(rows: Row[], comparisons: Comparison[]): void {
  const quotient = ([ours, theirs]: [number, number]) => `${(ours / theirs).toFixed(2)}`;
  const lines = [
    `awsl benchmark — ${new Date().toISOString()}, node ${process.version}, ${RUNS} runs after ${WARMUP} warm-up runs per case`,
    '',
    '| case | median | min–max | × node -e \'\' (median, range) | CPU (median) | peak RSS | HTTP requests/run | targets |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${r.medianMs.toFixed(0)} ms | ${r.minMs.toFixed(0)}–${r.maxMs.toFixed(0)} ms | ${r.ratio.toFixed(2)}× (${r.ratioMin.toFixed(2)}–${r.ratioMax.toFixed(2)}) | ${r.cpuMs.toFixed(0)} ms | ${r.peakRssMb.toFixed(1)} MB | ${r.requestsPerRun ?? ''} | ${r.targets.map((t) => `${t.what} ${t.target}: ${t.value} ${t.met ? 'met' : 'NOT met'}`).join('; ')} |`),
    ...(comparisons.length ? [
      '',
      `This build against ${AGAINST}, run for run in turn (medians; quotients this/that, of the medians and the median of run-by-run quotients; below 1 is faster):`,
      '',
      '| case | wall ms | wall quotient (of medians, paired) | CPU ms | CPU quotient (of medians, paired) | peak RSS MB | HTTP requests/run |',
      '|---|---|---|---|---|---|---|',
      ...comparisons.map((c) => `| ${c.name} | ${c.wallMs[0].toFixed(0)} / ${c.wallMs[1].toFixed(0)} | ${quotient(c.wallMs)}, ${c.pairedWall.toFixed(2)} | ${c.cpuMs[0].toFixed(0)} / ${c.cpuMs[1].toFixed(0)} | ${quotient(c.cpuMs)}, ${c.pairedCpu.toFixed(2)} | ${c.peakRssMb[0].toFixed(1)} / ${c.peakRssMb[1].toFixed(1)} | ${c.requestsPerRun ? c.requestsPerRun.join(' / ') : ''} |`),
    ] : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/latest.json', `${JSON.stringify({ at: new Date().toISOString(), node: process.version, runs: RUNS, warmup: WARMUP, rows, ...(AGAINST ? { against: AGAINST, comparisons } : {}) }, null, 2)}\n`);
  process.stdout.write('\nWritten to bench/results/latest.json\n');
}

await main();
