import { beforeEach, describe, expect, test } from '@jest/globals'
import { serviceError } from '../support/endpoint.ts'
import { awsCliEnvironment, updateDomainArguments } from '../support/aws-cli.ts'
import { DOMAIN } from '../support/fixtures.ts'
import { runProcess, type Finished } from '../support/process.ts'
import { useScenario, withStatus } from '../support/scenario.ts'

// Faults on the wire, as the SDK meets them: service errors parsed from their JSON, connections
// reset or dropped, answers that are not AWS's, statuses a domain should not have; and the AWS
// CLI's reading of the same faults. What the run decides after each (resend, look, message) is
// tested in virtual time in __tests__/flow/; here, that real requests and answers are read as
// those faults, and said as such.
const scenario = useScenario()
let pool = ''
beforeEach(async () => {
  pool = await scenario.poolWithDomain()
})

const throttled = serviceError('TooManyRequestsException', 'Rate exceeded')

describe('transient faults are retried, one log line per retry', () => {
  test('a throttled describe, then a reset connection; ACM throttling; a slow update: each retried or waited for, and the rotation goes through', async () => {
    scenario.endpoint.queue('DescribeUserPoolDomain', throttled, { reset: true })
    scenario.endpoint.queue(
      'DescribeCertificate',
      serviceError('ThrottlingException', 'Rate exceeded')
    )
    scenario.endpoint.queue('UpdateUserPoolDomain', { delayMs: 1_000 })

    const run = await scenario.rotate(pool)

    expect(run.exitCode).toBe(0)
    expect(run.lines).toContainEqual(
      expect.stringMatching(
        /^DescribeUserPoolDomain: attempt 2 of 5 after \d+\.\d s, because Cognito throttled the call \(TooManyRequestsException\)$/
      )
    )
    expect(run.lines).toContainEqual(
      expect.stringMatching(
        /^DescribeUserPoolDomain: attempt 3 of 5 after \d+\.\d s, because the connection failed \(ECONNRESET\)$/
      )
    )
    expect(run.lines).toContainEqual(
      expect.stringMatching(
        /^DescribeCertificate: attempt 2 of 5 after \d+\.\d s, because ACM throttled the call \(ThrottlingException\)$/
      )
    )
    // The slow answer came within attempt-timeout-seconds: waited for, not sent again.
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(1)
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
  })

  test('connections that keep being reset end the run after max-attempts, naming the endpoint', async () => {
    scenario.endpoint.always('DescribeUserPoolDomain', { reset: true })

    const run = await scenario.rotate(pool, { 'max-attempts': '2' })

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain(
      `could not reach the endpoint in AWS_ENDPOINT_URL (${scenario.endpoint.url}) after 2 attempts`
    )
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(0)
  })
})

describe('the update is sent one attempt at a time, with a look at the domain before each resend', () => {
  test('throttled on every attempt: a pause and a look before the resend, and nothing was changed', async () => {
    scenario.endpoint.always('UpdateUserPoolDomain', throttled)

    const run = await scenario.rotate(pool, { 'max-attempts': '2' })

    expect(run.exitCode).toBe(1)
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(2)
    expect(run.lines.filter((line) => line.startsWith('UpdateUserPoolDomain: attempt'))).toEqual([
      'UpdateUserPoolDomain: attempt 1 of 2 failed (TooManyRequestsException); attempt 2 in 1 s, if the domain still carries what it had'
    ])
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(
      /kept throttling the call and the action gave up after 2 attempts \(\d+\.\d s of back-off\)/
    )
    expect(run.errors[0]).toContain(
      'Every attempt was refused or never reached Cognito, so nothing was changed.'
    )
    // The describe before the change, and the one before the resend: none after the last refusal.
    expect(scenario.endpoint.requests('DescribeUserPoolDomain')).toHaveLength(2)
    expect(await scenario.storedCertificate()).toBe(scenario.oldCert)
  })

  test('the answer is lost on a dropped connection: the look before a resend finds the change on the domain, nothing is sent again, and the run goes on', async () => {
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

  test('a 5xx on every attempt: the domain is described after the last, and the message says the change was not on it', async () => {
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
    expect(run.errors[0]).toContain(
      `To roll back, run this action again with certificate-arn: ${scenario.oldCert}`
    )
    // The describe before the change, the one before the resend, and the one after the last failure.
    expect(scenario.endpoint.requests('DescribeUserPoolDomain')).toHaveLength(3)
    expect(await scenario.storedCertificate()).toBe(scenario.oldCert)
  })
})

describe('answers that are not from AWS', () => {
  test('a gateway 502 and a plain 429 are retried as such; an HTML 403 from a proxy or firewall is not, and is reported with its status and type', async () => {
    scenario.endpoint.queue(
      'DescribeUserPoolDomain',
      {
        status: 502,
        body: '<html><body>502 Bad Gateway</body></html>',
        headers: { 'content-type': 'text/html' }
      },
      { status: 429, body: 'Too Many Requests', headers: { 'content-type': 'text/plain' } },
      {
        status: 403,
        body: '<html><head><title>Blocked</title></head><body>Request blocked</body></html>',
        headers: { 'content-type': 'text/html; charset=utf-8' }
      }
    )

    const run = await scenario.rotate(pool, { 'max-attempts': '4' })

    expect(run.exitCode).toBe(1)
    expect(scenario.endpoint.requests('DescribeUserPoolDomain')).toHaveLength(3)
    const retries = run.lines.filter((line) => line.startsWith('DescribeUserPoolDomain: attempt'))
    expect(retries).toEqual([
      expect.stringMatching(
        /because Cognito's endpoint answered HTTP 502 with text\/html, not an AWS answer$/
      ),
      expect.stringMatching(
        /because Cognito's endpoint answered HTTP 429 with text\/plain, not an AWS answer$/
      )
    ])
    const [message] = run.errors
    expect(message).toContain(
      `DescribeUserPoolDomain for domain ${DOMAIN} (user pool ${pool}, eu-west-1): the answer did not come from AWS after 3 attempts`
    )
    expect(message).toContain(
      'HTTP 403 with text/html; charset=utf-8: "<html><head><title>Blocked</title>'
    )
    expect(message).toContain('A proxy, firewall or gateway')
    expect(message).not.toMatch(/JSON|Deserialization|Unexpected token/i)
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
  // UPDATING and FAILED are refused in __tests__/flow/rotation.test.ts.
  test.each([
    ['CREATING', 'another change is still being distributed'],
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

function aws(...args: string[]): Promise<Finished> {
  return runProcess(
    'aws',
    [...args, '--endpoint-url', scenario.endpoint.url, '--region', 'eu-west-1', '--output', 'json'],
    { env: awsCliEnvironment({ AWS_MAX_ATTEMPTS: '1' }) }
  )
}

const describeDomain = () => aws('cognito-idp', 'describe-user-pool-domain', '--domain', DOMAIN)

/**
 * The tests' endpoint is a fake; the AWS CLI, an independent client, checks that it speaks the real
 * wire protocol: what it fills in, and the faults it injects, read the same to the CLI as to the SDK.
 */
describe('the AWS CLI agrees with the test endpoint', () => {
  test('describe carries the CustomDomainConfig that the CLI itself last set in moto', async () => {
    const update = await aws(...updateDomainArguments(DOMAIN, pool, scenario.newCert))
    expect(update.stderr).toBe('')

    const described = await describeDomain()

    expect(described.exitCode).toBe(0)
    expect(JSON.parse(described.stdout)).toMatchObject({
      DomainDescription: {
        Domain: DOMAIN,
        UserPoolId: pool,
        Status: 'ACTIVE',
        CustomDomainConfig: { CertificateArn: scenario.newCert }
      }
    })
  })

  test('a scripted TooManyRequestsException is one to the CLI too', async () => {
    scenario.endpoint.always(
      'DescribeUserPoolDomain',
      serviceError('TooManyRequestsException', 'Rate exceeded')
    )

    const described = await describeDomain()

    expect(described.exitCode).not.toBe(0)
    expect(described.stderr).toContain('(TooManyRequestsException)')
    expect(described.stderr).toContain('Rate exceeded')
  })

  test('a replaced status is what the CLI reads', async () => {
    scenario.endpoint.always('DescribeUserPoolDomain', withStatus('FAILED'))

    const described = await describeDomain()

    expect(JSON.parse(described.stdout)).toMatchObject({ DomainDescription: { Status: 'FAILED' } })
  })
})
