import { describe, expect, test } from '@jest/globals'
import { awsCliEnvironment, updateDomainArguments } from '../support/aws-cli.ts'
import { serviceError } from '../support/endpoint.ts'
import { runProcess, type Finished } from '../support/process.ts'
import { DOMAIN } from '../support/fixtures.ts'
import { useScenario, withStatus } from '../support/scenario.ts'

/**
 * The tests' endpoint is a fake; the AWS CLI, an independent client, checks that it speaks the real
 * wire protocol: what it fills in, and the faults it injects, read the same to the CLI as to the SDK.
 */
const scenario = useScenario()

function aws(...args: string[]): Promise<Finished> {
  return runProcess(
    'aws',
    [...args, '--endpoint-url', scenario.endpoint.url, '--region', 'eu-west-1', '--output', 'json'],
    { env: awsCliEnvironment({ AWS_MAX_ATTEMPTS: '1' }) }
  )
}

const describeDomain = () => aws('cognito-idp', 'describe-user-pool-domain', '--domain', DOMAIN)

describe('the AWS CLI agrees with the test endpoint', () => {
  test('describe carries the CustomDomainConfig that the CLI itself last set in moto', async () => {
    const pool = await scenario.poolWithDomain('eu-west-1', { CertificateArn: scenario.oldCert })
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
    await scenario.poolWithDomain()
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
    await scenario.poolWithDomain()
    scenario.endpoint.always('DescribeUserPoolDomain', withStatus('FAILED'))

    const described = await describeDomain()

    expect(JSON.parse(described.stdout)).toMatchObject({ DomainDescription: { Status: 'FAILED' } })
  })
})
