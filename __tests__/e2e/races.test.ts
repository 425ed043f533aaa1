import { beforeEach, describe, expect, test } from '@jest/globals'
import { serviceError, type Reply } from '../support/endpoint.ts'
import { DOMAIN } from '../support/fixtures.ts'
import { useScenario, withStatus } from '../support/scenario.ts'

// Races with another change, and answers that were lost: the action never acts on what it saw
// earlier without looking again, and never overwrites a change it did not make.
const scenario = useScenario()
let pool = ''
let thirdCert = ''
beforeEach(async () => {
  pool = await scenario.poolWithDomain()
  thirdCert = await scenario.importCertificate({ names: [DOMAIN], days: 300 })
})

/** Someone else points the domain at the third certificate, then moto answers. */
const someoneElseChangesIt = (): Reply => ({
  act: () => scenario.moto.setCertificate(pool, DOMAIN, thirdCert)
})

const waiting = {
  'wait-for-rollout': 'true',
  'poll-interval-seconds': '1',
  'wait-timeout-minutes': '0.5',
  'verify-tls': 'false',
  'rollback-on-failure': 'true'
}

describe('rollback-on-failure never overwrites a change this run did not make', () => {
  test('a third certificate appears during the wait: nothing is sent back, and the step names it', async () => {
    scenario.endpoint.queue(
      'DescribeUserPoolDomain',
      { delayMs: 0 }, // before the change
      withStatus('UPDATING'),
      someoneElseChangesIt()
    )

    const run = await scenario.rotate(pool, waiting)

    expect(run.exitCode).toBe(1)
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(1)
    expect(await scenario.storedCertificate()).toBe(thirdCert)
    const [message] = run.errors
    expect(message).toContain(`The domain now carries certificate ${thirdCert}`)
    expect(message).toContain('another change replaced this one')
    expect(message).toContain(
      `Not rolled back: the domain now carries certificate ${thirdCert} (status ACTIVE), not what this run set`
    )
    expect(message).toContain('nothing was sent')
    expect(run.summary).toContain('Failed; not rolled back')
  })

  test('another change lands between the failure and the rollback: the look right before it sees it', async () => {
    scenario.endpoint.queue(
      'DescribeUserPoolDomain',
      { delayMs: 0 }, // before the change
      withStatus('FAILED'), // the rollout fails…
      someoneElseChangesIt() // …and the domain changes again before the rollback
    )

    const run = await scenario.rotate(pool, waiting)

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain('Cognito reports the domain FAILED')
    expect(run.errors[0]).toContain(
      `Not rolled back: the domain now carries certificate ${thirdCert}`
    )
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(1)
    expect(await scenario.storedCertificate()).toBe(thirdCert)
  })

  test('the domain still carries what this run set: the rollback goes ahead', async () => {
    scenario.endpoint.queue('DescribeUserPoolDomain', { delayMs: 0 }, withStatus('FAILED'))

    const run = await scenario.rotate(pool, waiting)

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain('Rolled back: the domain is ACTIVE again')
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(2)
    expect(await scenario.storedCertificate()).toBe(scenario.oldCert)
  })
})

describe('an update whose answer was lost is looked up before anything is said', () => {
  test('the answer is lost: the look before a resend finds the change on the domain, nothing is sent again, and the run goes on', async () => {
    // Carried out by moto; the connection drops before the answer.
    scenario.endpoint.queue('UpdateUserPoolDomain', { lose: true })

    const run = await scenario.rotate(pool, { 'max-attempts': '2' })

    expect(run.exitCode).toBe(0)
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(1)
    expect(run.lines).toContain(
      'UpdateUserPoolDomain: attempt 1 of 2 failed (ECONNRESET); attempt 2 in 1 s, if the domain still carries what it had'
    )
    const warning = run.warnings.join('\n')
    expect(warning).toContain(
      `the domain now carries this run's change: certificate ${scenario.newCert}`
    )
    expect(warning).toContain('ECONNRESET')
    expect(run.errors).toEqual([])
    expect(run.outputs.changed).toBe('true')
    expect(run.outputs['previous-certificate-arn']).toBe(scenario.oldCert)
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
  })

  test('the connection drops, then a 5xx: not on the domain when looked at, and said as no more than that', async () => {
    scenario.endpoint.queue(
      'UpdateUserPoolDomain',
      { reset: true }, // dropped before it reaches moto
      serviceError('InternalErrorException', 'oops', 500)
    )

    const run = await scenario.rotate(pool, { 'max-attempts': '2' })

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain(
      `When described just now, the domain still carried what it had before, certificate ${scenario.oldCert} (status ACTIVE): the change was not on it.`
    )
    // A 5xx proves nothing: the change may still land, so the way back is given too.
    expect(run.errors[0]).toContain('may still be carried out by Cognito')
    expect(run.errors[0]).toContain(
      `To roll back, run this action again with certificate-arn: ${scenario.oldCert}`
    )
    expect(await scenario.storedCertificate()).toBe(scenario.oldCert)
  })

  test('an answer slower than the deadline: the change lands after the look, and the message allowed for it', async () => {
    // Cognito carries the update out, and answers only after the attempt's deadline.
    scenario.endpoint.queue('UpdateUserPoolDomain', { delayMs: 2_500 })

    const run = await scenario.rotate(pool, {
      'max-attempts': '1',
      'attempt-timeout-seconds': '1'
    })

    expect(run.exitCode).toBe(1)
    const [message] = run.errors
    expect(message).toContain('within attempt-timeout-seconds (1 s)')
    expect(message).toContain('may still be carried out by Cognito')
    expect(message).not.toContain('Nothing was changed')
    expect(message).toContain(
      `To roll back, run this action again with certificate-arn: ${scenario.oldCert}`
    )
    // And so it is: the slow attempt reaches moto after the run has looked.
    await new Promise((resolve) => setTimeout(resolve, 2_000))
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
  })

  test('the answer is lost and the domain then carries a third certificate: neither, and nothing more is sent', async () => {
    scenario.endpoint.queue('UpdateUserPoolDomain', { lose: true })
    scenario.endpoint.queue('DescribeUserPoolDomain', { delayMs: 0 }, someoneElseChangesIt())

    const run = await scenario.rotate(pool, { 'max-attempts': '1' })

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain(
      `The domain now carries certificate ${thirdCert} (status ACTIVE): neither this run's change nor what it had before`
    )
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(1)
    expect(await scenario.storedCertificate()).toBe(thirdCert)
  })

  test('the answer is lost and the domain cannot be described: unknown, with how to check and undo', async () => {
    scenario.endpoint.queue('UpdateUserPoolDomain', { lose: true })
    scenario.endpoint.queue(
      'DescribeUserPoolDomain',
      { delayMs: 0 },
      serviceError('NotAuthorizedException', 'not allowed now')
    )

    const run = await scenario.rotate(pool, { 'max-attempts': '1' })

    expect(run.exitCode).toBe(1)
    const [message] = run.errors
    expect(message).toContain('Whether the change was applied is unknown')
    expect(message).toContain('NotAuthorizedException: not allowed now')
    expect(message).toContain(
      `aws cognito-idp describe-user-pool-domain --domain ${DOMAIN} --region eu-west-1`
    )
    expect(message).toContain(
      `To roll back, run this action again with certificate-arn: ${scenario.oldCert}`
    )
  })
})
