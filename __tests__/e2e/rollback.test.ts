import { describe, expect, test } from '@jest/globals'
import { serviceError, type Json } from '../support/endpoint.ts'
import { DOMAIN } from '../support/fixtures.ts'
import { useScenario, withStatus } from '../support/scenario.ts'
import { closedEndpoint } from '../support/tls-server.ts'

// rollback-on-failure: what it puts back, how it is sent, and when it holds back.
const scenario = useScenario()

const rollingBack = {
  'wait-for-rollout': 'true',
  'poll-interval-seconds': '1',
  'wait-timeout-minutes': '0.3',
  'verify-tls': 'false',
  'rollback-on-failure': 'true'
}

/** UpdateUserPoolDomain requests by the certificate they send. */
const updatesTo = (arn: string) =>
  scenario.endpoint
    .requests('UpdateUserPoolDomain')
    .filter((update) => (update.body.CustomDomainConfig as Json).CertificateArn === arn)

/** The rollout fails at the first poll. */
function failsAtFirstPoll(): void {
  scenario.endpoint.queue('DescribeUserPoolDomain', { delayMs: 0 }, withStatus('FAILED'))
}

describe('what a rollback puts back', () => {
  test('only what this run changed: a security policy set by someone else since is kept', async () => {
    const pool = await scenario.poolWithDomain('eu-west-1', {
      CertificateArn: scenario.oldCert,
      SecurityPolicy: 'TLS_V1_2_2021'
    })
    // Someone else sets this run's certificate with TLS 1.3, and the rollout is FAILED.
    scenario.endpoint.queue(
      'DescribeUserPoolDomain',
      { delayMs: 0 },
      {
        act: async () => {
          await scenario.moto.call('eu-west-1', 'UpdateUserPoolDomain', {
            UserPoolId: pool,
            Domain: DOMAIN,
            CustomDomainConfig: {
              CertificateArn: scenario.newCert,
              SecurityPolicy: 'TLS_V1_3_2025'
            }
          })
        },
        reply: withStatus('FAILED')
      }
    )

    const run = await scenario.rotate(pool, rollingBack)

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain('Rolled back: the domain is ACTIVE again on certificate')
    const [rollback] = updatesTo(scenario.oldCert)
    expect(rollback?.body.CustomDomainConfig).toEqual({
      CertificateArn: scenario.oldCert,
      SecurityPolicy: 'TLS_V1_3_2025'
    })
    expect((await scenario.moto.storedDomain(DOMAIN))?.custom_domain_config).toEqual({
      CertificateArn: scenario.oldCert,
      SecurityPolicy: 'TLS_V1_3_2025'
    })
  })

  test('a setting the domain did not report before is not waited for: the rollback completes', async () => {
    const pool = await scenario.poolWithDomain()
    failsAtFirstPoll()

    const run = await scenario.rotate(pool, {
      ...rollingBack,
      'security-policy': 'TLS_V1_2_2021'
    })

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain(
      `Rolled back: the domain is ACTIVE again on certificate ${scenario.oldCert}`
    )
    expect(run.seconds).toBeLessThan(15)
  })
})

describe('how a rollback is sent', () => {
  test('its answer is lost and the retry is refused: the domain carries it, and it is said done', async () => {
    const pool = await scenario.poolWithDomain()
    failsAtFirstPoll()
    scenario.endpoint.queue(
      'UpdateUserPoolDomain',
      { delayMs: 0 }, // the change
      { lose: true }, // the rollback, carried out; its answer lost
      serviceError('ConcurrentModificationException', 'being updated')
    )

    const run = await scenario.rotate(pool, rollingBack)

    expect(run.exitCode).toBe(1)
    expect(run.lines).toContainEqual(
      expect.stringContaining(
        "The rollback's UpdateUserPoolDomain reported a failure, but the domain carries it"
      )
    )
    expect(run.errors[0]).toContain('Rolled back: the domain is ACTIVE again')
    expect(run.summary).toContain('Failed; rolled back')
    expect(await scenario.storedCertificate()).toBe(scenario.oldCert)
  })

  test('a retry never overwrites a change made between two attempts', async () => {
    const pool = await scenario.poolWithDomain()
    const thirdCert = await scenario.importCertificate({ names: [DOMAIN], days: 300 })
    failsAtFirstPoll()
    scenario.endpoint.queue(
      'UpdateUserPoolDomain',
      { delayMs: 0 }, // the change
      // The rollback's first attempt: meanwhile someone else sets a third certificate, and a
      // gateway answers 503, which may be retried.
      {
        act: () => scenario.moto.setCertificate(pool, DOMAIN, thirdCert),
        reply: {
          status: 503,
          body: 'Service Unavailable',
          headers: { 'content-type': 'text/plain' }
        }
      }
    )

    const run = await scenario.rotate(pool, rollingBack)

    expect(run.exitCode).toBe(1)
    // Looked at again before a retry: someone else's change is there, so no retry was sent.
    expect(updatesTo(scenario.oldCert)).toHaveLength(1)
    expect(await scenario.storedCertificate()).toBe(thirdCert)
    expect(run.errors[0]).toContain(`The domain now carries certificate ${thirdCert}`)
    expect(run.errors[0]).toContain('another change reached it, so it was not tried again')
  })

  test('an expired session on the rollback says so, and does not tell to re-run the same inputs', async () => {
    const pool = await scenario.poolWithDomain()
    scenario.endpoint.queue(
      'DescribeUserPoolDomain',
      { delayMs: 0 },
      withStatus('FAILED'),
      { delayMs: 0 }, // the look before the rollback
      serviceError('ExpiredTokenException', 'The security token included in the request is expired')
    )

    const run = await scenario.rotate(pool, rollingBack)

    expect(run.exitCode).toBe(1)
    const [message] = run.errors
    expect(message).toContain('the AWS role session of this job ended during the rollback')
    expect(message).toContain('role-duration-seconds')
    expect(message).not.toContain('run this action again with the same inputs')
    expect(message).toContain(`certificate-arn: ${scenario.oldCert}`)
  })
})

test('an edge the runner cannot reach is not a reason to roll back', async () => {
  const pool = await scenario.poolWithDomain()
  const closed = await closedEndpoint(scenario.pemsOf(scenario.newCert))

  const run = await scenario.rotate(pool, {
    ...rollingBack,
    'verify-tls': 'true',
    'tls-endpoint': closed,
    'wait-timeout-minutes': '0.1'
  })

  expect(run.exitCode).toBe(1)
  expect(run.errors[0]).toContain('no probe reached the edge')
  expect(run.errors[0]).toContain('Not rolled back: Cognito has the change ACTIVE')
  expect(updatesTo(scenario.oldCert)).toEqual([])
  expect(await scenario.storedCertificate()).toBe(scenario.newCert)
})
