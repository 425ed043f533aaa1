import { beforeEach, describe, expect, test } from '@jest/globals'
import { serviceError } from '../support/endpoint.ts'
import { DOMAIN } from '../support/fixtures.ts'
import { useScenario, withStatus } from '../support/scenario.ts'

// Service errors as Cognito sends them, parsed by the SDK from their JSON, each with its own
// message; and the statuses of a domain that is not ACTIVE.
const scenario = useScenario()
let pool = ''
beforeEach(async () => {
  pool = await scenario.poolWithDomain()
})

describe('each service error of UpdateUserPoolDomain gets its own message, and is not retried', () => {
  const cases: [string, string, string[]][] = [
    [
      'NotAuthorizedException',
      'User is not authorized',
      [
        'cognito-idp:UpdateUserPoolDomain on arn:aws:cognito-idp:eu-west-1:<account>:userpool/',
        'cognito-idp:DescribeUserPoolDomain on "*"',
        'cloudfront:UpdateDistribution'
      ]
    ],
    [
      'ResourceNotFoundException',
      'Domain not found',
      [`owns the custom domain ${DOMAIN}`, 'exists in eu-west-1']
    ],
    [
      'InvalidParameterException',
      'CloudFront error: The specified SSL certificate does not exist',
      ['CloudFront error: The specified SSL certificate does not exist', `covers ${DOMAIN}`]
    ],
    [
      'ConcurrentModificationException',
      'busy',
      ['another change to the domain is in progress', 'concurrency:']
    ],
    [
      'FeatureUnavailableInTierException',
      'Not in your plan',
      ['feature plan', 'Essentials or Plus']
    ],
    ['OperationNotEnabledException', 'Replica region', ["pool's primary region", 'replica region']]
  ]

  test.each(cases)('%s', async (type, serviceText, advice) => {
    scenario.endpoint.always('UpdateUserPoolDomain', serviceError(type, serviceText))

    const run = await scenario.rotate(pool)

    expect(run.exitCode).toBe(1)
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(1)
    expect(run.errors).toHaveLength(1)
    const [message] = run.errors
    expect(message).toContain(
      `UpdateUserPoolDomain for domain ${DOMAIN} (user pool ${pool}, eu-west-1)`
    )
    expect(message).toContain(`${type}: ${serviceText}`)
    for (const piece of advice) expect(message).toContain(piece)
    // Cognito refused the only attempt: it proves nothing changed, so there is nothing to undo
    // and nothing to look up.
    expect(message).toContain(
      'Every attempt was refused or never reached Cognito, so nothing was changed.'
    )
    expect(message).not.toContain('To roll back')
    expect(scenario.endpoint.requests('DescribeUserPoolDomain')).toHaveLength(1)
    expect(run.outputs['previous-certificate-arn']).toBe(scenario.oldCert)
    expect(run.summary).toContain('Failed')
    expect(await scenario.storedCertificate()).toBe(scenario.oldCert)
  })

  test('NotAuthorized on DescribeUserPoolDomain stops before any change', async () => {
    scenario.endpoint.always(
      'DescribeUserPoolDomain',
      serviceError('NotAuthorizedException', 'nope')
    )

    const run = await scenario.rotate(pool)

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain('DescribeUserPoolDomain for domain')
    expect(run.errors[0]).toContain('cognito-idp:DescribeUserPoolDomain on "*"')
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(0)
  })
})

describe('a domain that is not ACTIVE', () => {
  // UPDATING is refused as CREATING is, in __tests__/flow/rotation.test.ts.
  test.each([
    ['CREATING', 'another change is still being distributed'],
    ['FAILED', 'This needs a person'],
    ['DELETING', 'recreate the custom domain first']
  ])('%s is refused without an update', async (status, advice) => {
    scenario.endpoint.always('DescribeUserPoolDomain', withStatus(status))

    const run = await scenario.rotate(pool)

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain(`Domain ${DOMAIN} is ${status}`)
    expect(run.errors[0]).toContain(advice)
    expect(run.summary).toContain('Refused')
    expect(run.summary).not.toContain('To roll back')
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(0)
    expect(await scenario.storedCertificate()).toBe(scenario.oldCert)
  })

  test('UPDATING to the requested certificate already is a no-op, not a failure', async () => {
    await scenario.moto.setCertificate(pool, DOMAIN, scenario.newCert)
    scenario.endpoint.always('DescribeUserPoolDomain', withStatus('UPDATING'))

    const run = await scenario.rotate(pool)

    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs.changed).toBe('false')
    expect(run.lines.join('\n')).toContain('still being distributed')
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(0)
  })

  test('FAILED is refused even when it carries the requested certificate', async () => {
    await scenario.moto.setCertificate(pool, DOMAIN, scenario.newCert)
    scenario.endpoint.always('DescribeUserPoolDomain', withStatus('FAILED'))

    const run = await scenario.rotate(pool)

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain('FAILED')
  })
})
