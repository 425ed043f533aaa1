import { beforeEach, describe, expect, test } from '@jest/globals'
import { FAKE_CREDENTIALS, runAction, type ActionRun } from '../support/action.ts'
import { serviceError } from '../support/endpoint.ts'
import { DOMAIN, NEW_CERT } from '../support/fixtures.ts'
import { useScenario } from '../support/scenario.ts'

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
  test.each([
    ['domain', 'Auth.Example.com', 'uppercase', '"auth.example.com"'],
    ['domain', 'https://auth.example.com/login', 'URL scheme', '"auth.example.com"'],
    ['domain', 'auth.example.com:443', 'port', '"auth.example.com"'],
    ['domain', '*.example.com', 'wildcard', 'auth.example.com'],
    ['domain', 'auth.example.com.', 'ends with a dot', '"auth.example.com"'],
    ['domain', 'auth..example.com', 'empty label', 'auth.example.com'],
    ['domain', 'myprefix', 'prefix domain', 'custom domains only'],
    ['user-pool-id', 'eu-west-1-AbC123', '<region>_<letters and digits>', 'eu-west-1_AbC123'],
    ['user-pool-id', 'xx-nowhere-9_AbC123', 'not an AWS region', 'region prefix'],
    [
      'certificate-arn',
      NEW_CERT.replace('us-east-1', 'eu-west-1'),
      'only uses ACM certificates from us-east-1',
      'us-east-1'
    ],
    ['certificate-arn', NEW_CERT.replace(':acm:', ':iam:'), 'not of ACM', 'us-east-1'],
    [
      'aws-region',
      'us-east-1',
      'differs from the region of user-pool-id',
      'Set aws-region to eu-west-1'
    ],
    ['max-attempts', '0', 'whole number from 1 to 10', 'for example 5'],
    ['dry-run', 'yes', 'is not true or false', 'dry-run: true or dry-run: false'],
    ['verify-certificate', 'off', 'is not true or false', 'verify-certificate: true'],
    ['min-days-remaining', '-1', 'whole number from 0 to 3650', '0 turns the warning off']
  ])('%s = %j', async (input, value, rule, fix) => {
    const run = await runWith({ ...good, [input]: value })

    expect(run.exitCode).toBe(1)
    expect(scenario.endpoint.received).toHaveLength(0)
    expect(run.errors).toHaveLength(2)
    expect(run.errors[0]).toContain(`Input ${input} (`)
    expect(run.errors[0]).toContain(rule)
    expect(run.errors[0]).toContain(fix)
    expect(run.errors[1]).toBe('1 input(s) are not valid; nothing was sent to AWS.')
    expect(run.stdout).toContain(`::error title=Invalid input%3A ${input}::`)
    expect(run.outputs).toEqual({})
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
  test('a line break in a value is refused and never echoed raw', async () => {
    const run = await runWith({
      ...good,
      domain: `${DOMAIN}\n::set-output name=changed::true\n::warning::pwned`
    })

    expect(run.exitCode).toBe(1)
    expect(scenario.endpoint.received).toHaveLength(0)
    expect(run.stdout.split('\n').filter((line) => /^::(set-output|warning)/.test(line))).toEqual(
      []
    )
    expect(run.errors[0]).toContain('control character')
    expect(run.errors[0]).toContain('\\n::set-output name=changed::true\\n')
    expect(run.outputs).toEqual({})
  })

  test('an encoded line break stays encoded', async () => {
    const run = await runWith({ ...good, 'certificate-arn': `${NEW_CERT}%0A::error::pwned` })

    expect(run.exitCode).toBe(1)
    expect(run.errors).toHaveLength(2)
    expect(run.errors[0]).toContain('%0A::error::pwned')
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
      { text: 'Rollout 0:01', signal: 'SIGINT' }
    )

    expect(run.exitCode).toBe(1)
    expect(run.stdout.split('\n').filter((line) => /^\s*::warning/.test(line))).toEqual([])
  })

  test('HTML in a value is escaped in the job summary', async () => {
    const run = await runWith({ ...good, domain: '<img src=x onerror=alert(1)>' })

    expect(run.summary).not.toContain('<img')
    expect(run.summary).toContain('&lt;img')
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
