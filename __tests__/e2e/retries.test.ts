import { beforeEach, describe, expect, test } from '@jest/globals'
import { serviceError } from '../support/endpoint.ts'
import { DOMAIN } from '../support/fixtures.ts'
import { useScenario } from '../support/scenario.ts'

const scenario = useScenario()
let pool = ''
beforeEach(async () => {
  pool = await scenario.poolWithDomain()
})

const throttled = serviceError('TooManyRequestsException', 'Rate exceeded')

describe('transient faults are retried, one log line per retry', () => {
  test('a throttled update, then success: each resend follows a fresh look at the domain', async () => {
    scenario.endpoint.queue('UpdateUserPoolDomain', throttled, throttled)

    const run = await scenario.rotate(pool)

    expect(run.exitCode).toBe(0)
    expect(run.outputs.changed).toBe('true')
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(3)
    // The describe before the change, and one before each resend.
    expect(scenario.endpoint.requests('DescribeUserPoolDomain')).toHaveLength(3)
    const retries = run.lines.filter((line) => line.startsWith('UpdateUserPoolDomain: attempt'))
    expect(retries).toEqual([
      'UpdateUserPoolDomain: attempt 1 of 5 failed (TooManyRequestsException); attempt 2 in 1 s, if the domain still carries what it had',
      'UpdateUserPoolDomain: attempt 2 of 5 failed (TooManyRequestsException); attempt 3 in 2 s, if the domain still carries what it had'
    ])
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
  })

  test('a throttled DescribeUserPoolDomain is retried by the SDK, with the reason', async () => {
    scenario.endpoint.queue('DescribeUserPoolDomain', throttled)

    const run = await scenario.rotate(pool)

    expect(run.exitCode).toBe(0)
    expect(run.lines).toContainEqual(
      expect.stringMatching(
        /^DescribeUserPoolDomain: attempt 2 of 5 after \d+\.\d s, because Cognito throttled the call \(TooManyRequestsException\)$/
      )
    )
  })

  test('a 500 InternalErrorException, then success', async () => {
    scenario.endpoint.queue(
      'UpdateUserPoolDomain',
      serviceError('InternalErrorException', 'oops', 500)
    )

    const run = await scenario.rotate(pool)

    expect(run.exitCode).toBe(0)
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(2)
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
  })

  test('a bare 503 from a load balancer, then success', async () => {
    scenario.endpoint.queue('DescribeUserPoolDomain', {
      status: 503,
      body: 'Service Unavailable',
      headers: { 'content-type': 'text/plain' }
    })

    const run = await scenario.rotate(pool)

    expect(run.exitCode).toBe(0)
    expect(scenario.endpoint.requests('DescribeUserPoolDomain')).toHaveLength(2)
  })

  test('a connection reset, then success', async () => {
    scenario.endpoint.queue('DescribeUserPoolDomain', { reset: true })

    const run = await scenario.rotate(pool)

    expect(run.exitCode).toBe(0)
    expect(
      run.lines.some((line) => /attempt 2 of 5 .*the connection failed \(ECONNRESET\)/.test(line))
    ).toBe(true)
  })

  test('a slow answer is waited for', async () => {
    scenario.endpoint.queue('UpdateUserPoolDomain', { delayMs: 2_000 })

    const run = await scenario.rotate(pool)

    expect(run.exitCode).toBe(0)
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(1)
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
  })

  test('a stalled answer is cut off at attempt-timeout-seconds and retried', async () => {
    scenario.endpoint.queue('DescribeUserPoolDomain', { stall: true })

    const run = await scenario.rotate(pool, { 'max-attempts': '2', 'attempt-timeout-seconds': '2' })

    expect(run.exitCode).toBe(0)
    expect(scenario.endpoint.requests('DescribeUserPoolDomain')).toHaveLength(2)
    expect(run.lines).toContainEqual(
      expect.stringMatching(
        /^DescribeUserPoolDomain: attempt 2 of 2 after \d+\.\d s, because no complete answer came within 2 s \(attempt-timeout-seconds; ETIMEDOUT\)$/
      )
    )
    expect(run.seconds).toBeGreaterThan(2)
  })
})

describe('faults that last end the run in bounded time, with a message that says so', () => {
  test('endless throttling stops after max-attempts', async () => {
    scenario.endpoint.always('UpdateUserPoolDomain', throttled)

    const run = await scenario.rotate(pool, { 'max-attempts': '3' })

    expect(run.exitCode).toBe(1)
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(3)
    // Back-off before attempts 2 and 3 is at most 1 s + 2 s with the SDK's throttling base delay.
    expect(run.seconds).toBeLessThan(15)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(
      /kept throttling the call and the action gave up after 3 attempts \(\d+\.\d s of back-off\)/
    )
    expect(run.errors[0]).toContain('raise max-attempts')
    expect(await scenario.storedCertificate()).not.toBe(scenario.newCert)
  })

  test('max-attempts 1 means a single try', async () => {
    scenario.endpoint.always('DescribeUserPoolDomain', throttled)

    const run = await scenario.rotate(pool, { 'max-attempts': '1' })

    expect(run.exitCode).toBe(1)
    expect(scenario.endpoint.requests('DescribeUserPoolDomain')).toHaveLength(1)
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(0)
  })

  test('an update that keeps failing with 5xx: the domain is described, and says it was not applied', async () => {
    scenario.endpoint.always(
      'UpdateUserPoolDomain',
      serviceError('InternalErrorException', 'oops', 500)
    )

    const run = await scenario.rotate(pool, { 'max-attempts': '2' })

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain('internal error after 2 attempts')
    // A 5xx proves nothing either way, so the action looked.
    expect(run.lines).toContain(
      `UpdateUserPoolDomain failed after an attempt whose answer was lost; describing ${DOMAIN} to see whether the change is on it.`
    )
    expect(run.errors[0]).toContain(
      `When described just now, the domain still carried what it had before, certificate ${scenario.oldCert} (status ACTIVE): the change was not on it. An attempt whose answer never came may still be carried out by Cognito.`
    )
    expect(run.errors[0]).not.toContain('Nothing was changed')
    // The describe before the change, the one before the resend, and the one after the last failure.
    expect(scenario.endpoint.requests('DescribeUserPoolDomain')).toHaveLength(3)
    expect(await scenario.storedCertificate()).toBe(scenario.oldCert)
  })

  test('an update refused on every attempt is not looked up after the last: nothing was changed', async () => {
    scenario.endpoint.always('UpdateUserPoolDomain', throttled)

    const run = await scenario.rotate(pool, { 'max-attempts': '2' })

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain(
      'Every attempt was refused or never reached Cognito, so nothing was changed.'
    )
    // The describe before the change, and the one before the resend.
    expect(scenario.endpoint.requests('DescribeUserPoolDomain')).toHaveLength(2)
  })

  test('connections that keep being reset', async () => {
    scenario.endpoint.always('DescribeUserPoolDomain', { reset: true })

    const run = await scenario.rotate(pool, { 'max-attempts': '2' })

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain(
      `could not reach the endpoint in AWS_ENDPOINT_URL (${scenario.endpoint.url}) after 2 attempts`
    )
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(0)
  })
})
