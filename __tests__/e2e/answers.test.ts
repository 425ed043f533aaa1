import { beforeEach, describe, expect, test } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serviceError } from '../support/endpoint.ts'
import { DOMAIN } from '../support/fixtures.ts'
import { useScenario, withStatus } from '../support/scenario.ts'

// What the action says when the trouble is not the domain: answers that are not AWS's, a role
// session that ends during the wait, a profile that does not exist, the runner's own files.
const scenario = useScenario()
let pool = ''
beforeEach(async () => {
  pool = await scenario.poolWithDomain()
})

const HTML = '<html><head><title>Blocked</title></head><body>Request blocked</body></html>'

describe('answers that are not from AWS', () => {
  test('an HTML 403 from a proxy or firewall is reported with its status and type, and not retried', async () => {
    scenario.endpoint.queue('DescribeUserPoolDomain', {
      status: 403,
      body: HTML,
      headers: { 'content-type': 'text/html; charset=utf-8' }
    })

    const run = await scenario.rotate(pool)

    expect(run.exitCode).toBe(1)
    expect(scenario.endpoint.requests('DescribeUserPoolDomain')).toHaveLength(1)
    const [message] = run.errors
    expect(message).toContain(
      `DescribeUserPoolDomain for domain ${DOMAIN} (user pool ${pool}, eu-west-1): the answer did not come from AWS: HTTP 403 with text/html; charset=utf-8: "<html><head><title>Blocked</title>`
    )
    expect(message).toContain('A proxy, firewall or gateway')
    expect(message).not.toMatch(/JSON|Deserialization|Unexpected token/i)
  })

  test('a 502 from a gateway is retried as a 5xx, and the retry lines say what it was', async () => {
    scenario.endpoint.always('DescribeUserPoolDomain', {
      status: 502,
      body: '<html><body>502 Bad Gateway</body></html>',
      headers: { 'content-type': 'text/html' }
    })

    const run = await scenario.rotate(pool, { 'max-attempts': '3' })

    expect(run.exitCode).toBe(1)
    expect(scenario.endpoint.requests('DescribeUserPoolDomain')).toHaveLength(3)
    const retries = run.lines.filter((line) => line.startsWith('DescribeUserPoolDomain: attempt'))
    expect(retries).toHaveLength(2)
    expect(retries[0]).toMatch(
      /because Cognito's endpoint answered HTTP 502 with text\/html, not an AWS answer$/
    )
    expect(run.errors[0]).toMatch(/the answer did not come from AWS after 3 attempts/)
    expect(run.errors[0]).toContain('HTTP 502 with text/html')
  })

  test.each([
    [429, 'Too Many Requests', 2, 0],
    [404, 'Not Found', 1, 1]
  ])('HTTP %i in plain text: tried %i time(s)', async (status, body, requests, exitCode) => {
    scenario.endpoint.queue('DescribeUserPoolDomain', {
      status,
      body,
      headers: { 'content-type': 'text/plain' }
    })

    const run = await scenario.rotate(pool, { 'max-attempts': '2' })

    expect(run.exitCode).toBe(exitCode)
    expect(scenario.endpoint.requests('DescribeUserPoolDomain').length).toBe(requests)
    if (exitCode === 1) expect(run.errors[0]).toContain(`HTTP ${status} with text/plain`)
    else
      expect(run.lines).toContainEqual(
        expect.stringContaining(
          `because Cognito's endpoint answered HTTP ${status} with text/plain`
        )
      )
  })
})

test('an answer far larger than AWS sends is cut off, not read to the end', async () => {
  scenario.endpoint.queue('DescribeUserPoolDomain', {
    status: 200,
    body: `{"DomainDescription": {"Domain": "${'x'.repeat(20_000_000)}"}}`
  })

  const run = await scenario.rotate(pool, { 'max-attempts': '1' })

  expect(run.exitCode).toBe(1)
  expect(run.errors[0]).toContain(
    'an answer of more than 16 MB, far more than AWS sends for this call'
  )
  expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toEqual([])
})

describe('a role session that ends during the wait', () => {
  test('the poll is answered ExpiredToken: what the domain was changed to, why, and how to finish', async () => {
    scenario.endpoint.queue(
      'DescribeUserPoolDomain',
      { delayMs: 0 },
      withStatus('UPDATING'),
      serviceError('ExpiredTokenException', 'The security token included in the request is expired')
    )
    const inputs = {
      'wait-for-rollout': 'true',
      'poll-interval-seconds': '1',
      'verify-tls': 'false',
      'rollback-on-failure': 'true'
    }

    const run = await scenario.rotate(pool, inputs)

    expect(run.exitCode).toBe(1)
    const [message] = run.errors
    expect(message).toContain('The AWS role session of this job ended after the change was sent')
    expect(message).toContain('ExpiredTokenException')
    expect(message).toContain(`The domain was changed to certificate ${scenario.newCert}`)
    expect(message).toContain('wait-timeout-minutes (60 min, and as much again for a rollback')
    expect(message).toContain('role-duration-seconds')
    expect(message).toContain("the role's maximum session duration")
    expect(message).toContain('run this action again with the same inputs: it sends nothing again')
    // No rollback was attempted with credentials that no longer work.
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(1)

    // As the message says: the same inputs again send nothing, and the wait resumes.
    const again = await scenario.rotate(pool, inputs)
    expect(again.exitCode).toBe(0)
    expect(again.outputs.changed).toBe('false')
    expect(again.outputs.status).toBe('ACTIVE')
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(1)
    expect(again.summary).toContain('No change: the domain already carries it; ACTIVE')
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
