import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:tls'
import { FAKE_CREDENTIALS, runAction, type ActionRun } from '../support/action.ts'
import { certificateFor } from '../support/certificates.ts'
import { serviceError } from '../support/endpoint.ts'
import { DOMAIN, NEW_CERT } from '../support/fixtures.ts'
import { startHttpProxy, type HttpProxy } from '../support/http-proxy.ts'
import { listenLocally } from '../support/listen.ts'
import { useScenario } from '../support/scenario.ts'

// What only the runner's side of a real process shows: INPUT_* variables, workflow commands that
// no input or answer can inject, secrets kept out of every log, output and summary, and the
// environment the job gives the action (AWS_PROFILE, credential helpers, GITHUB_OUTPUT, proxies). Each
// input's rules are unit-tested in __tests__/unit/.
const scenario = useScenario()
let pool = ''
beforeEach(async () => {
  pool = await scenario.poolWithDomain()
})

const POOL_ID = 'eu-west-1_AbC123'
const good = { domain: DOMAIN, 'user-pool-id': POOL_ID, 'certificate-arn': NEW_CERT }

function runWith(inputs: Record<string, string>): Promise<ActionRun> {
  return runAction({ endpoint: scenario.endpoint.url, inputs })
}

describe('bad inputs fail before any request', () => {
  test('each input read from its INPUT_ variable, each problem annotated with its input, all at once', async () => {
    const run = await runWith({
      domain: '<img src=x onerror=alert(1)>',
      'user-pool-id': POOL_ID,
      'certificate-arn': NEW_CERT.replace(':acm:', ':iam:'),
      'aws-region': 'us-east-1',
      'max-attempts': '0',
      'dry-run': 'yes',
      'verify-certificate': 'off',
      'min-days-remaining': '-1'
    })

    expect(run.exitCode).toBe(1)
    expect(scenario.endpoint.received).toHaveLength(0)
    const expected: [string, string, string][] = [
      ['domain', 'contains white space', 'for example auth.example.com'],
      ['aws-region', 'differs from the region of user-pool-id', 'Set aws-region to eu-west-1'],
      ['certificate-arn', 'not of ACM', 'us-east-1'],
      ['max-attempts', 'whole number from 1 to 10', 'for example 5'],
      ['verify-certificate', 'is not true or false', 'verify-certificate: true'],
      ['min-days-remaining', 'whole number from 0 to 3650', '0 turns the warning off'],
      ['dry-run', 'is not true or false', 'dry-run: true or dry-run: false']
    ]
    expect(run.errors).toHaveLength(expected.length + 1)
    for (const [input, rule, fix] of expected) {
      const message = run.errors.find((error) => error.startsWith(`Input ${input} (`))
      expect([input, message]).toEqual([input, expect.stringContaining(rule)])
      expect(message).toContain(fix)
      expect(run.stdout).toContain(`::error title=Invalid input%3A ${input}::`)
    }
    expect(run.errors.at(-1)).toBe('7 input(s) are not valid; nothing was sent to AWS.')
    expect(run.outputs).toEqual({})
    // HTML in a value is escaped in the job summary.
    expect(run.summary).not.toContain('<img')
    expect(run.summary).toContain('&lt;img')
  })

  test('every missing input is named at once', async () => {
    const run = await runWith({})

    expect(run.exitCode).toBe(1)
    expect(scenario.endpoint.received).toHaveLength(0)
    expect(run.errors.slice(0, 3).map((message) => /^Input (\S+)/.exec(message)?.[1])).toEqual([
      'domain',
      'user-pool-id',
      'certificate-arn'
    ])
    expect(run.errors[3]).toBe('3 input(s) are not valid; nothing was sent to AWS.')
    expect(run.summary).toContain('Not run: invalid inputs')
  })
})

describe('no workflow-command injection through inputs', () => {
  test('a line break in a value is refused and never echoed raw; an encoded one stays encoded', async () => {
    const run = await runWith({
      ...good,
      domain: `${DOMAIN}\n::set-output name=changed::true\n::warning::pwned`,
      'certificate-arn': `${NEW_CERT}%0A::error::pwned`
    })

    expect(run.exitCode).toBe(1)
    expect(scenario.endpoint.received).toHaveLength(0)
    expect(
      run.stdout.split('\n').filter((line) => /^::(set-output|warning|error::pwned)/.test(line))
    ).toEqual([])
    expect(run.errors).toHaveLength(3)
    expect(run.errors[0]).toContain('control character')
    expect(run.errors[0]).toContain('\\n::set-output name=changed::true\\n')
    expect(run.errors[1]).toContain('%0A::error::pwned')
    expect(run.outputs).toEqual({})
  })

  test('nor through a service answer', async () => {
    scenario.endpoint.always('DescribeUserPoolDomain', {
      edit: (answer) => ({
        DomainDescription: {
          ...(answer.DomainDescription as object),
          CloudFrontDistribution: 'd1.cloudfront.net\n::warning::injected'
        }
      })
    })

    const run = await scenario.rotate(pool)

    expect(run.exitCode).toBe(0)
    expect(run.warnings).toEqual([])
    expect(run.lines.join('\n')).toContain('CloudFront d1.cloudfront.net\\n::warning::injected')
  })

  test("nor through a service answer quoted in a cancelled job's message", async () => {
    scenario.endpoint.queue('DescribeUserPoolDomain', { delayMs: 0 })
    scenario.endpoint.always('DescribeUserPoolDomain', {
      edit: (answer) => ({
        DomainDescription: {
          ...(answer.DomainDescription as object),
          Status: 'UPDATING\n::warning title=Injected::from a service answer'
        }
      })
    })

    const run = await scenario.rotate(
      pool,
      { 'wait-for-rollout': 'true', 'poll-interval-seconds': '1', 'verify-tls': 'false' },
      {},
      { text: 'Rollout 0:00', signal: 'SIGINT' }
    )

    expect(run.exitCode).toBe(1)
    expect(run.stdout.split('\n').filter((line) => /^\s*::warning/.test(line))).toEqual([])
  })
})

describe('no secret reaches a log, output or summary, in debug mode too', () => {
  const leaks = (run: ActionRun) => {
    const visible = [
      run.stdout
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n'),
      run.stderr,
      JSON.stringify(run.outputs),
      run.summary
    ].join('\n')
    return Object.values(FAKE_CREDENTIALS).filter((secret) => visible.includes(secret))
  }
  const debug = { RUNNER_DEBUG: '1', ACTIONS_STEP_DEBUG: 'true' }

  test('a successful rotation', async () => {
    const run = await scenario.rotate(pool, {}, debug)

    expect(run.exitCode).toBe(0)
    expect(leaks(run)).toEqual([])
    // and the credentials are masked for the rest of the job
    for (const secret of Object.values(FAKE_CREDENTIALS))
      expect(run.stdout).toContain(`::add-mask::${secret}`)
  })

  test('a failure whose service message quotes the access key', async () => {
    scenario.endpoint.always(
      'UpdateUserPoolDomain',
      serviceError(
        'UnrecognizedClientException',
        `The security token ${FAKE_CREDENTIALS.AWS_SESSION_TOKEN} is invalid`
      )
    )

    const run = await scenario.rotate(pool, {}, debug)

    expect(run.exitCode).toBe(1)
    // The stack trace shown in debug mode is the service error's own.
    expect(run.stdout).toContain(
      '::debug::UnrecognizedClientException: The security token *** is invalid'
    )
    expect(run.errors[0]).toContain("AWS refused the job's credentials")
    expect(run.errors[0]).toContain('The security token *** is invalid')
    expect(leaks(run)).toEqual([])
  })

  test('a proxy page that echoes the request headers, on the look after a lost update', async () => {
    const echoed = `<html><body>Blocked: x-amz-security-token: ${FAKE_CREDENTIALS.AWS_SESSION_TOKEN}; authorization: AWS4-HMAC-SHA256 Credential=${FAKE_CREDENTIALS.AWS_ACCESS_KEY_ID}/...</body></html>`
    scenario.endpoint.queue('UpdateUserPoolDomain', { lose: true })
    scenario.endpoint.queue(
      'DescribeUserPoolDomain',
      { delayMs: 0 },
      { status: 403, body: echoed, headers: { 'content-type': 'text/html' } }
    )

    const run = await scenario.rotate(pool, { 'max-attempts': '1' }, debug)

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain('Whether the change was applied is unknown')
    expect(leaks(run)).toEqual([])
  })

  test("a proxy's password is masked, even when the proxy can't be reached", async () => {
    const password = 'pr0xy-p@ss'
    const run = await scenario.rotate(
      pool,
      { 'max-attempts': '1' },
      // Port 9 (discard) has nothing listening here: every call fails to connect.
      { ...debug, HTTP_PROXY: `http://ci:${encodeURIComponent(password)}@127.0.0.1:9` }
    )

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain('could not reach')
    expect(run.stdout).toContain(`::add-mask::${password}`)
    // As written in the URL; the runner's command format escapes its '%' as %25.
    expect(run.stdout).toContain('::add-mask::pr0xy-p%2540ss')
    const visible = run.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n')
    expect(visible).not.toContain(password)
    expect(visible).not.toContain(encodeURIComponent(password))
  })
})

describe('the environment the action runs in', () => {
  test('AWS_PROFILE naming a profile that does not exist: the message names it and its value', async () => {
    const run = await scenario.rotate(pool, {}, { AWS_PROFILE: 'no-such-profile' })

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain('AWS_PROFILE=no-such-profile')
    expect(run.errors[0]).toContain('ignores them while AWS_PROFILE is set')
    expect(scenario.endpoint.received).toEqual([])
  })

  test('credentials that take too long to resolve: the step ends at its bound, and says what hung', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-config-'))
    const config = join(dir, 'config')
    // A credential_process that never answers in time (as a stuck SSO helper would).
    writeFileSync(config, '[profile slow]\ncredential_process = sleep 30\n')

    const run = await scenario.rotate(
      pool,
      { 'max-attempts': '1', 'attempt-timeout-seconds': '1' },
      { AWS_PROFILE: 'slow', AWS_CONFIG_FILE: config }
    )

    expect(run.exitCode).toBe(1)
    // One call's bound (1 attempt × 1 s, and 5 s): the process ends then, not when sleep does.
    expect(run.seconds).toBeLessThan(12)
    expect(run.errors[0]).toContain(
      "nothing was sent within 6 s, the most one call may take: resolving the job's AWS credentials took that long"
    )
    expect(scenario.endpoint.received).toEqual([])
  })

  test.each([
    ['missing', (dir: string) => join(dir, 'gone', 'output'), 'does not exist'],
    ['a folder', (dir: string) => dir, 'is a folder, not a file']
  ])('GITHUB_OUTPUT %s: a runner problem, named, before any AWS call', async (_, path, what) => {
    const file = path(mkdtempSync(join(tmpdir(), 'runner-')))

    const run = await scenario.rotate(pool, {}, { GITHUB_OUTPUT: file })

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain(
      `The runner's file for step outputs, GITHUB_OUTPUT (${file}), ${what}. This is a problem of the runner`
    )
    expect(run.errors[0]).not.toContain('report it')
    expect(scenario.endpoint.received).toEqual([])
  })
})

describe('a runner that reaches AWS through a proxy', () => {
  let proxy: HttpProxy
  beforeAll(async () => {
    proxy = await startHttpProxy()
  })
  afterAll(async () => {
    await proxy.close()
  })
  beforeEach(() => {
    proxy.carried.length = 0
  })

  test('with HTTP_PROXY set, every AWS call goes through the proxy', async () => {
    const endpoint = new URL(scenario.endpoint.url).host

    const run = await scenario.rotate(pool, {}, { HTTP_PROXY: proxy.url })

    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
    expect([...proxy.carried].sort()).toEqual(
      [
        `POST ${endpoint} DescribeCertificate`,
        `POST ${endpoint} DescribeCertificate`,
        `POST ${endpoint} DescribeUserPoolDomain`,
        `POST ${endpoint} UpdateUserPoolDomain`
      ].sort()
    )
  })

  test('with HTTPS_PROXY set, an https endpoint is reached through a CONNECT tunnel', async () => {
    // The endpoint behind TLS, as AWS is: a certificate for localhost that the run is told to trust.
    const pems = await certificateFor({ names: ['localhost'] })
    const trusted = join(mkdtempSync(join(tmpdir(), 'proxy-test-')), 'ca.pem')
    writeFileSync(trusted, pems.certificate)
    const plain = new URL(scenario.endpoint.url)
    const tls = await listenLocally(
      createServer({ cert: pems.certificate, key: pems.privateKey }, (socket) => {
        const upstream = connect(Number(plain.port), plain.hostname)
        socket.pipe(upstream).pipe(socket)
        socket.on('close', () => upstream.destroy())
      })
    )
    const { port } = tls

    try {
      const run = await scenario.rotate(
        pool,
        {},
        {
          AWS_ENDPOINT_URL: `https://localhost:${port}`,
          NODE_EXTRA_CA_CERTS: trusted,
          HTTPS_PROXY: proxy.url
        }
      )

      expect(run.errors).toEqual([])
      expect(run.exitCode).toBe(0)
      expect(await scenario.storedCertificate()).toBe(scenario.newCert)
      expect(proxy.carried.length).toBeGreaterThan(0)
      expect(new Set(proxy.carried)).toEqual(new Set([`CONNECT localhost:${port}`]))
    } finally {
      await tls.close()
    }
  })

  test('NO_PROXY exempts a host, as it does for the AWS CLI', async () => {
    const run = await scenario.rotate(
      pool,
      {},
      { http_proxy: proxy.url, NO_PROXY: new URL(scenario.endpoint.url).hostname }
    )

    expect(run.exitCode).toBe(0)
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
    expect(proxy.carried).toEqual([])
  })
})
