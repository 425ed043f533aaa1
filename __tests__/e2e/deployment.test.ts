import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ActionRun } from '../support/action.ts'
import { runProcess } from '../support/process.ts'
import { startGitHubApi, type GitHubApi } from '../support/github-api.ts'
import { startHttpProxy } from '../support/http-proxy.ts'
import { DOMAIN } from '../support/fixtures.ts'
import { recordLoads } from '../support/load-recorder.ts'
import { useScenario, withStatus } from '../support/scenario.ts'

const scenario = useScenario()
const TOKEN = 'ghs_FakeTokenForTheLocalApi0123456789'
const SHA = '0123456789abcdef0123456789abcdef01234567'
let github: GitHubApi
let dir = ''

beforeAll(async () => {
  github = await startGitHubApi()
  dir = mkdtempSync(join(tmpdir(), 'deployment-test-'))
})
afterAll(async () => {
  await github.close()
  rmSync(dir, { recursive: true, force: true })
})
beforeEach(() => {
  github.clear()
})

/** The variables the runner sets for a workflow run, for a release event or a push. */
function runnerEnv(event: 'release' | 'push'): Record<string, string> {
  const payload = join(dir, `${event}.json`)
  writeFileSync(
    payload,
    JSON.stringify(
      event === 'release' ? { action: 'published', release: { tag_name: 'v2.4.0' } } : {}
    )
  )
  return {
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_REPOSITORY: 'octo-org/sign-in',
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: payload,
    GITHUB_SHA: SHA,
    GITHUB_REF: event === 'release' ? 'refs/tags/v2.4.0' : 'refs/heads/main',
    GITHUB_REF_NAME: event === 'release' ? 'v2.4.0' : 'main',
    GITHUB_RUN_ID: '777',
    GITHUB_RUN_ATTEMPT: '1'
  }
}

function statuses(): { state: unknown; log_url: unknown; environment_url: unknown }[] {
  return github.received
    .filter((r) => r.path.endsWith('/statuses'))
    .map((r) => ({
      state: r.body.state,
      log_url: r.body.log_url,
      environment_url: r.body.environment_url
    }))
}

/** A run cancelled before any change: exit 1, the deployment failed as Cancelled, nothing changed. */
async function expectCancelledUnchanged(run: ActionRun, signal: string): Promise<void> {
  expect(run.exitCode).toBe(1)
  expect(statuses().map((s) => s.state)).toEqual(['in_progress', 'failure'])
  expect(github.received.at(-1)?.body.description).toBe('Cancelled')
  expect(run.errors).toEqual([
    `Cancelled (${signal}) before any change was sent: nothing was changed.`
  ])
  expect(run.summary).toContain('Cancelled')
  expect(await scenario.storedCertificate()).toBe(scenario.oldCert)
}

/**
 * A rotation with github-token whose job is cancelled (`signal`) while it waits for the rollout,
 * with GitHub answering the deployment's final status after `finalStatusMs`.
 */
async function cancelledWhileWaiting(
  signal: NodeJS.Signals,
  finalStatusMs: number,
  event: 'release' | 'push'
): Promise<ActionRun> {
  const pool = await scenario.poolWithDomain()
  scenario.endpoint.queue('DescribeUserPoolDomain', { delayMs: 0 })
  scenario.endpoint.always('DescribeUserPoolDomain', withStatus('UPDATING'))
  github.delayNext(/statuses$/, 0) // in_progress
  github.delayNext(/statuses$/, finalStatusMs)
  return scenario.rotate(
    pool,
    {
      'github-token': TOKEN,
      'wait-for-rollout': 'true',
      'poll-interval-seconds': '1',
      'verify-tls': 'false'
    },
    runnerEnv(event),
    // The runner's first signal on a cancelled job.
    { text: 'Rollout 0:00: status UPDATING', signal }
  )
}

describe('a GitHub deployment for the rollout (github-token)', () => {
  test('a release: the deployment points at the tag, in_progress then success, with the run and the CloudFront domain', async () => {
    const pool = await scenario.poolWithDomain()

    const run = await scenario.rotate(pool, { 'github-token': TOKEN }, runnerEnv('release'))

    expect(run.exitCode).toBe(0)
    expect(run.warnings).toEqual([])
    const [create, ...rest] = github.received
    expect(create?.method).toBe('POST')
    expect(create?.path).toBe('/repos/octo-org/sign-in/deployments')
    expect(create?.body).toMatchObject({
      ref: 'v2.4.0',
      environment: `cognito/${DOMAIN}`,
      auto_merge: false,
      required_contexts: []
    })
    expect(create?.headers.authorization).toBe(`token ${TOKEN}`)
    expect(rest.map((r) => r.path)).toEqual([
      '/repos/octo-org/sign-in/deployments/1000/statuses',
      '/repos/octo-org/sign-in/deployments/1000/statuses'
    ])
    expect(statuses()).toEqual([
      {
        state: 'in_progress',
        log_url: 'https://github.example/octo-org/sign-in/actions/runs/777',
        environment_url: undefined
      },
      {
        state: 'success',
        log_url: 'https://github.example/octo-org/sign-in/actions/runs/777',
        environment_url: `https://${run.outputs['cloudfront-domain'] ?? '?'}`
      }
    ])
    expect(run.summary).toContain('v2.4.0')
    // The token appears once, in the command that masks it, and nowhere else.
    expect(run.stdout.split('\n').filter((line) => line.includes(TOKEN))).toEqual([
      `::add-mask::${TOKEN}`
    ])
    expect(run.summary).not.toContain(TOKEN)
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
  })

  test('a push: the deployment points at the commit; a no-op ends inactive', async () => {
    const pool = await scenario.poolWithDomain('eu-west-1', { CertificateArn: scenario.newCert })

    const run = await scenario.rotate(
      pool,
      { 'github-token': TOKEN, environment: 'production-auth' },
      runnerEnv('push')
    )

    expect(run.exitCode).toBe(0)
    expect(github.received[0]?.body).toMatchObject({ ref: SHA, environment: 'production-auth' })
    expect(statuses().map((s) => s.state)).toEqual(['in_progress', 'inactive'])
    expect(run.summary).not.toContain('Release')
  })

  test('a refused certificate ends failure, and nothing changes', async () => {
    const pool = await scenario.poolWithDomain()
    const other = await scenario.importCertificate({ names: ['login.example.com'], days: 400 })

    const run = await scenario.rotate(
      pool,
      { 'github-token': TOKEN, 'certificate-arn': other },
      runnerEnv('release')
    )

    expect(run.exitCode).toBe(1)
    expect(statuses().map((s) => s.state)).toEqual(['in_progress', 'failure'])
    expect(await scenario.storedCertificate()).toBe(scenario.oldCert)
  })

  test('a job cancelled while waiting ends its deployment failure, with where the domain was left', async () => {
    // The cancelled run's final status takes three polls' time.
    const run = await cancelledWhileWaiting('SIGINT', 3_000, 'release')

    expect(run.exitCode).toBe(1)
    expect(statuses().map((s) => s.state)).toEqual(['in_progress', 'failure'])
    expect(github.received.at(-1)?.body.description).toBe('Cancelled while waiting')
    expect(run.errors[0]).toContain('Cancelled (SIGINT) while waiting for the rollout')
    expect(run.errors[0]).toContain(`certificate-arn: ${scenario.oldCert}`)
    expect(run.summary).toContain('Cancelled while waiting')
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
    // After the signal the run polls no more, and logs no answer that was on its way.
    const cancelled = run.lines.findIndex((line) => line.startsWith('Cancelled (SIGINT)'))
    const polled = run.lines.slice(0, cancelled).filter((line) => line.startsWith('Rollout'))
    expect(run.lines.slice(cancelled).filter((line) => line.startsWith('Rollout'))).toEqual([])
    // The describe before the change, the polls logged, and at most one on its way at the signal.
    expect(scenario.endpoint.requests('DescribeUserPoolDomain').length).toBeLessThanOrEqual(
      1 + polled.length + 1
    )
  })

  test("a job cancelled while the GitHub API hangs ends on its own before the runner's kill: the error line and the summary first", async () => {
    // GitHub does not answer the final status.
    const run = await cancelledWhileWaiting('SIGTERM', 60_000, 'push')

    expect(run.exitCode).toBe(1)
    // The runner kills the process 7.5 s after its first signal; the action gives GitHub 4 s and
    // exits by 4.8 s. The rest is room for a machine busy with other tests (4.1 s measured then).
    expect(run.secondsAfterSignal).toBeLessThan(6.5)
    expect(run.errors[0]).toContain('Cancelled (SIGTERM) while waiting for the rollout')
    expect(run.summary).toContain('Cancelled while waiting')
    expect(run.warnings.join('\n')).toContain(
      'GitHub did not answer before the cancelled job had to end'
    )
    // The error line comes before the attempt to record the deployment's status.
    const lines = run.stdout.split('\n')
    expect(lines.findIndex((line) => line.startsWith('::error::Cancelled'))).toBeLessThan(
      lines.findIndex((line) => line.includes('GitHub did not answer'))
    )
  })

  test('a job cancelled before the change ends its deployment failure, and nothing changes', async () => {
    const pool = await scenario.poolWithDomain()
    // The certificate check never answers, so the job is cancelled before any update is sent.
    scenario.endpoint.always('DescribeCertificate', { stall: true })

    const run = await scenario.rotate(pool, { 'github-token': TOKEN }, runnerEnv('push'), {
      text: 'Current: certificate',
      signal: 'SIGTERM'
    })

    await expectCancelledUnchanged(run, 'SIGTERM')
    expect(run.seconds).toBeLessThan(15)
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toEqual([])
  })

  test('a job cancelled while its deployment is being created ends it failure, and sends nothing to AWS', async () => {
    const pool = await scenario.poolWithDomain()
    github.delayNext(/deployments$/, 1_500)

    const run = await scenario.rotate(pool, { 'github-token': TOKEN }, runnerEnv('release'), {
      text: 'requested certificate',
      signal: 'SIGINT'
    })

    await expectCancelledUnchanged(run, 'SIGINT')
    expect(scenario.endpoint.requests('DescribeUserPoolDomain')).toEqual([])
  })

  test('after a cancellation nothing is sent, even when the check it interrupted then passes', async () => {
    const pool = await scenario.poolWithDomain()
    // The certificate check answers (and passes) while the cancellation is still being recorded.
    scenario.endpoint.queue('DescribeCertificate', { delayMs: 1_000 })
    github.delayNext(/statuses$/, 100) // in_progress
    github.delayNext(/statuses$/, 3_000) // the cancelled run's final status

    const run = await scenario.rotate(pool, { 'github-token': TOKEN }, runnerEnv('push'), {
      text: 'Current: certificate',
      signal: 'SIGINT'
    })

    expect(run.exitCode).toBe(1)
    expect(run.seconds).toBeGreaterThan(3)
    expect(statuses().map((s) => s.state)).toEqual(['in_progress', 'failure'])
    expect(scenario.endpoint.requests('DescribeCertificate')).toHaveLength(2)
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toEqual([])
    expect(await scenario.storedCertificate()).toBe(scenario.oldCert)
  })

  test.each([
    [403, 'deployments: write'],
    [500, 'GitHub answered 500']
  ])('GitHub answering %i is a warning; the certificate still rotates', async (status, hint) => {
    const pool = await scenario.poolWithDomain()
    github.failNext(/deployments$/, status)

    const run = await scenario.rotate(pool, { 'github-token': TOKEN }, runnerEnv('release'))

    expect(run.exitCode).toBe(0)
    expect(run.warnings.join('\n')).toContain(hint)
    expect(run.warnings.join('\n')).toContain('The certificate rollout itself is not affected')
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
    expect(statuses()).toEqual([])
  })

  test('behind a proxy (HTTP_PROXY) the deployment is recorded through it', async () => {
    const pool = await scenario.poolWithDomain()
    // A GitHub API that only the proxy can reach, as on a runner in a closed network.
    const api = 'api.github.invalid'
    const proxy = await startHttpProxy({ [api]: Number(new URL(github.url).port) })
    try {
      const run = await scenario.rotate(
        pool,
        { 'github-token': TOKEN },
        { ...runnerEnv('release'), GITHUB_API_URL: `http://${api}`, HTTP_PROXY: proxy.url }
      )

      expect(run.warnings).toEqual([])
      expect(run.exitCode).toBe(0)
      expect(statuses().map((s) => s.state)).toEqual(['in_progress', 'success'])
      // Node's fetch reaches an http:// URL through a proxy with CONNECT, as undici does.
      expect(proxy.carried.filter((line) => line.includes(api)).length).toBeGreaterThan(0)
      expect(new Set(proxy.carried.filter((line) => line.includes(api)))).toEqual(
        new Set([`CONNECT ${api}:80`])
      )
      expect(await scenario.storedCertificate()).toBe(scenario.newCert)
    } finally {
      await proxy.close()
    }
  })

  test('a dry run records no deployment', async () => {
    const pool = await scenario.poolWithDomain()
    const run = await scenario.rotate(
      pool,
      { 'github-token': TOKEN, 'dry-run': 'true' },
      runnerEnv('release')
    )
    expect(run.exitCode).toBe(0)
    expect(github.received).toEqual([])
  })

  test('without a token no GitHub client is loaded; with one it is', async () => {
    const pool = await scenario.poolWithDomain()
    const loaded = async (inputs: Record<string, string>): Promise<string> => {
      const recorder = recordLoads()
      const run = await scenario.rotate(pool, inputs, { ...runnerEnv('release'), ...recorder.env })
      expect(run.exitCode).toBe(0)
      return recorder
        .loaded()
        .urls.filter((url) => url.startsWith('file:'))
        .map((url) => readFileSync(new URL(url), 'utf8'))
        .join('\n')
    }

    expect(await loaded({})).not.toContain('octokit')
    expect(github.received).toEqual([])
    expect(await loaded({ 'github-token': TOKEN, 'certificate-arn': scenario.oldCert })).toContain(
      'octokit'
    )
  })
})

test('a signal that comes as a successful run writes its ending: the ending is still written', async () => {
  const pool = await scenario.poolWithDomain()
  // The job summary is a named pipe: writing it waits until the test reads it, which it does only
  // half a second after the signal (the runner's first, SIGINT) is sent, after the run's last line.
  // The reader is started first and let go by the signal, so that it only has to open the pipe.
  const here = mkdtempSync(join(dir, 'endings-'))
  const summary = join(here, 'summary')
  const signalled = join(here, 'signalled')
  const env = { PATH: process.env.PATH ?? '' }
  expect((await runProcess('mkfifo', [summary], { env })).exitCode).toBe(0)
  const reader = runProcess(
    'sh',
    [
      '-c',
      'while [ ! -e "$0" ]; do sleep 0.05; done; sleep 0.5; exec cat "$1"',
      signalled,
      summary
    ],
    { env, timeoutMs: 50_000 }
  )
  const run = await scenario.rotate(
    pool,
    {},
    { GITHUB_STEP_SUMMARY: summary },
    {
      text: 'Certificate replaced:',
      signal: 'SIGINT',
      afterwards: () => {
        writeFileSync(signalled, '')
      }
    }
  )
  if (!existsSync(signalled)) writeFileSync(signalled, '')
  const written = await reader

  expect({
    summary: written.stdout,
    readerExitCode: written.exitCode,
    exitCode: run.exitCode,
    stderr: run.stderr,
    changed: run.outputs.changed,
    secondsAfterSignal: run.secondsAfterSignal
  }).toEqual({
    summary: expect.stringContaining('Certificate changed; distribution takes up to an hour'),
    readerExitCode: 0,
    exitCode: 0,
    stderr: '',
    changed: 'true',
    secondsAfterSignal: expect.any(Number)
  })
  expect(await scenario.storedCertificate()).toBe(scenario.newCert)
})
