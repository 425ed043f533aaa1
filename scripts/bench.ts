/**
 * The cold-start benchmark: how long one rotation takes with the bundled action, against the same
 * update made with the AWS CLI v2 and against starting node and doing nothing.
 *
 *   npm run bench            (BENCH_RUNS=15 npm run bench for more runs; at least 7)
 *
 * On one machine, in one run: starts moto_server, imports two certificates for auth.example.com into
 * its ACM, creates a pool whose custom domain serves one, and records moto's answers to
 * DescribeUserPoolDomain and DescribeCertificate. The timed runs then talk to the tests' local
 * endpoint, which replays those answers from memory and keeps the domain's certificate as the
 * updates set it: moto (Python) takes 5-15 ms a call, which would measure the emulator, not the
 * clients, and the action makes three calls where the CLI makes one.
 * Interleaved so that drift on the machine hits all three alike, it times:
 *   - action: `node24 dist/index.js` as the runner starts it, with default inputs, rotating the
 *     domain to the other certificate each run (describe the domain, check the certificate in ACM,
 *     update), and checks that every run really changed the certificate;
 *   - aws cli: `aws cognito-idp update-user-pool-domain` with the same certificate (CLI v2, from
 *     Debian's `awscli` package), also a real change every run;
 *   - bare node: `node24 -e 0`.
 * Then the latency case: the same rotation with every answer delayed by BENCH_LATENCY_MS (default
 * 100 ms), as for a runner far from the pool's region, and the round trips on its critical path,
 * counted from the endpoint's trace (requests sent together share one).
 * Each program runs under a small python3 wrapper that times it and reads its peak RSS from
 * getrusage(RUSAGE_CHILDREN), so the wrapper's own start-up is not counted. It prints the medians,
 * the ratios, the peak RSS and the size of dist/ as a Markdown table, the machine it ran on, and
 * checks the budget: action <= 4x bare node, >= 6x faster than the CLI, peak RSS <= 75 MiB,
 * dist/ <= 1.2 MB. It exits 1 when the budget is not met.
 *
 * Runs under node 24 with type stripping (scripts/with-node24.js chooses which node 24, the same
 * one that runs the action here); shares its helpers with the end-to-end tests.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { node24, root, runAction } from '../__tests__/support/action.ts'
import { awsCliEnvironment, updateDomainArguments } from '../__tests__/support/aws-cli.ts'
import { makeCertificate } from '../__tests__/support/certificates.ts'
import { roundTrips, startEndpoint, type Json } from '../__tests__/support/endpoint.ts'
import { DOMAIN } from '../__tests__/support/fixtures.ts'
import { startMoto } from '../__tests__/support/moto.ts'
import { runProcess, type Finished } from '../__tests__/support/process.ts'

const RUNS = Math.max(7, Number(process.env.BENCH_RUNS ?? 9) || 9)
/** The latency case: every answer delayed by this much, as for a runner far from the region. */
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 100) || 100
const LATENCY_RUNS = 5
const AWS_CLI = process.env.BENCH_AWS_CLI ?? '/usr/bin/aws'
const BUDGET = { timesBareNode: 4, timesFasterThanCli: 6, peakRssMiB: 75, distBytes: 1_200_000 }
const MEASURE = [
  'python3',
  '-c',
  [
    'import resource, subprocess, sys, time',
    't = time.perf_counter()',
    'code = subprocess.run(sys.argv[1:]).returncode',
    'elapsed = time.perf_counter() - t',
    'peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss',
    'sys.stderr.write("\\nmeasured %.6f %d\\n" % (elapsed, peak))',
    'sys.exit(code)'
  ].join('\n')
]

interface Sample {
  ms: number
  rssKiB: number
}

const cliVersion = await version(AWS_CLI, ['--version'])
if (!cliVersion.startsWith('aws-cli/2')) {
  console.error(
    `The benchmark needs the AWS CLI v2 at ${AWS_CLI} (found: ${cliVersion || 'nothing'}).\n` +
      'Install it with: apt-get update && apt-get install -y awscli (or set BENCH_AWS_CLI to its path).'
  )
  process.exit(2)
}

const moto = await startMoto()
const endpoint = await startEndpoint()
const samples: Record<'action' | 'cli' | 'bare' | 'delayed', Sample[]> = {
  action: [],
  cli: [],
  bare: [],
  delayed: []
}
let trips = 0
try {
  const certificates: string[] = []
  const details = new Map<string, Json>()
  for (const days of [200, 400]) {
    const made = await makeCertificate({ names: [DOMAIN], days })
    const arn = await moto.importCertificate(made.certificate, made.privateKey)
    certificates.push(arn)
    details.set(arn, await moto.acm('DescribeCertificate', { CertificateArn: arn }))
  }
  const pool = await moto.createPool('eu-west-1', 'bench')
  await moto.createDomain(pool, DOMAIN, { CertificateArn: certificates[0] })
  const { DomainDescription: description } = (await moto.call(
    'eu-west-1',
    'DescribeUserPoolDomain',
    {
      Domain: DOMAIN
    }
  )) as { DomainDescription: Json }
  // moto leaves CustomDomainConfig out of its answer; the stored certificate is the one set above.
  let stored = certificates[0] ?? ''
  endpoint.always('DescribeUserPoolDomain', {
    compute: () => ({
      DomainDescription: { ...description, CustomDomainConfig: { CertificateArn: stored } }
    })
  })
  endpoint.always('UpdateUserPoolDomain', {
    compute: (request) => {
      stored = String((request.CustomDomainConfig as Json | undefined)?.CertificateArn)
      return { CloudFrontDomain: description.CloudFrontDistribution }
    }
  })
  endpoint.always('DescribeCertificate', {
    compute: (request) => details.get(String(request.CertificateArn)) ?? {}
  })
  let serving = 0
  const next = (): string => {
    serving = 1 - serving
    return certificates[serving] ?? ''
  }

  const action = async (): Promise<Sample> => {
    const target = next()
    const run = await runAction({
      launcher: MEASURE,
      endpoint: endpoint.url,
      inputs: { domain: DOMAIN, 'user-pool-id': pool, 'certificate-arn': target }
    })
    if (run.exitCode !== 0 || run.outputs.changed !== 'true' || stored !== target) {
      throw new Error(`the action did not rotate the certificate:\n${run.stdout}\n${run.stderr}`)
    }
    return measured(run)
  }
  const cli = async (): Promise<Sample> => {
    const target = next()
    const run = await runProcess(
      MEASURE[0] ?? 'python3',
      [
        ...MEASURE.slice(1),
        AWS_CLI,
        ...updateDomainArguments(DOMAIN, pool, target),
        '--region',
        'eu-west-1',
        '--endpoint-url',
        endpoint.url
      ],
      { env: awsCliEnvironment() }
    )
    if (run.exitCode !== 0 || stored !== target) {
      throw new Error(`the AWS CLI did not rotate the certificate:\n${run.stdout}\n${run.stderr}`)
    }
    return measured(run)
  }
  const bare = async (): Promise<Sample> => {
    const run = await runProcess(
      MEASURE[0] ?? 'python3',
      [...MEASURE.slice(1), node24, '-e', '0'],
      {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }
      }
    )
    return measured(run)
  }

  // One warm-up run of each, so the files each program reads are in the page cache; then the three
  // interleaved, so that the machine's drift (a shared VM's neighbours) hits all three alike.
  await bare()
  await action()
  await cli()
  for (let i = 0; i < RUNS; i++) {
    process.stderr.write(`\rrun ${i + 1} of ${RUNS}`)
    samples.bare.push(await bare())
    samples.action.push(await action())
    samples.cli.push(await cli())
  }
  // The latency case: the same rotation with every answer delayed. The endpoint's trace gives the
  // round trips on the critical path; the time they add should be that many delays.
  endpoint.setLatency(LATENCY_MS)
  for (let i = 0; i < LATENCY_RUNS; i++) {
    process.stderr.write(`\rdelayed run ${i + 1} of ${LATENCY_RUNS}   `)
    endpoint.received.length = 0
    samples.delayed.push(await action())
    trips = Math.max(trips, roundTrips(endpoint.received))
  }
  endpoint.setLatency(0)
  process.stderr.write('\n\n')
} finally {
  await endpoint.close()
  await moto.stop()
}

const actionMs = median(samples.action.map((s) => s.ms))
const cliMs = median(samples.cli.map((s) => s.ms))
const bareMs = median(samples.bare.map((s) => s.ms))
const peak = (list: Sample[]): number => Math.max(...list.map((s) => s.rssKiB)) / 1024
const distBytes = sizeOf(join(root, 'dist'))
const checks = [
  {
    what: `action / bare node = ${(actionMs / bareMs).toFixed(2)}×`,
    budget: `≤ ${BUDGET.timesBareNode}×`,
    ok: actionMs <= BUDGET.timesBareNode * bareMs
  },
  {
    what: `aws cli / action = ${(cliMs / actionMs).toFixed(1)}×`,
    budget: `≥ ${BUDGET.timesFasterThanCli}×`,
    ok: cliMs >= BUDGET.timesFasterThanCli * actionMs
  },
  {
    what: `action peak RSS = ${peak(samples.action).toFixed(1)} MiB`,
    budget: `≤ ${BUDGET.peakRssMiB} MiB`,
    ok: peak(samples.action) <= BUDGET.peakRssMiB
  },
  {
    what: `dist/ = ${(distBytes / 1e6).toFixed(2)} MB (${distBytes} bytes)`,
    budget: `≤ ${BUDGET.distBytes / 1e6} MB`,
    ok: distBytes <= BUDGET.distBytes
  }
]

console.log(`Median of ${RUNS} runs each, interleaved, after one warm-up run of each:\n`)
console.log('| Run | Median | Min | Max | Peak RSS |')
console.log('| --- | ---: | ---: | ---: | ---: |')
for (const [name, list] of [
  ['action: rotate (node 24, dist/index.js)', samples.action],
  [`aws cli: update-user-pool-domain (${cliVersion.split(' ')[0] ?? ''})`, samples.cli],
  ['bare node 24: node -e 0', samples.bare]
] as const) {
  const ms = list.map((s) => s.ms)
  console.log(
    `| ${name} | ${median(ms).toFixed(0)} ms | ${Math.min(...ms).toFixed(0)} ms | ` +
      `${Math.max(...ms).toFixed(0)} ms | ${peak(list).toFixed(1)} MiB |`
  )
}
console.log('\n| Budget | Measured | Within |')
console.log('| --- | --- | --- |')
for (const check of checks) {
  console.log(`| ${check.budget} | ${check.what} | ${check.ok ? 'yes' : '**no**'} |`)
}
const delayedMs = median(samples.delayed.map((s) => s.ms))
console.log(
  `\nThe same rotation with every answer delayed by ${LATENCY_MS} ms (${LATENCY_RUNS} runs):\n`
)
console.log('| Delay per answer | Median | Added | Round trips on the critical path |')
console.log('| ---: | ---: | ---: | ---: |')
console.log(`| 0 ms | ${actionMs.toFixed(0)} ms | | |`)
console.log(
  `| ${LATENCY_MS} ms | ${delayedMs.toFixed(0)} ms | ${(delayedMs - actionMs).toFixed(0)} ms ` +
    `(${((delayedMs - actionMs) / LATENCY_MS).toFixed(1)} delays) | ${trips} (from the endpoint's trace) |`
)
console.log(`\nMachine: ${machine()}`)
if (checks.some((check) => !check.ok)) {
  console.log('\nOver budget.')
  process.exit(1)
}

function measured(run: Finished): Sample {
  const match = /measured ([\d.]+) (\d+)\s*$/.exec(run.stderr)
  if (match === null) throw new Error(`no measurement in: ${run.stderr}`)
  return { ms: Number(match[1]) * 1000, rssKiB: Number(match[2]) }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

function sizeOf(path: string): number {
  const stats = statSync(path)
  if (!stats.isDirectory()) return stats.size
  return readdirSync(path).reduce((total, name) => total + sizeOf(join(path, name)), 0)
}

async function version(command: string, args: string[]): Promise<string> {
  try {
    const run = await runProcess(command, args, { env: awsCliEnvironment() })
    return `${run.stdout}${run.stderr}`.trim()
  } catch {
    return ''
  }
}

function machine(): string {
  const cpu = cpus()
  const os = readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)/m)?.[1]
  return [
    `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}`,
    `${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM`,
    os ?? process.platform,
    `node ${process.version}`,
    new Date().toISOString().slice(0, 10)
  ].join(', ')
}
