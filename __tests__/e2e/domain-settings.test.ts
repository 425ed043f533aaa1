import { describe, expect, test } from '@jest/globals'
import { runAction } from '../support/action.ts'
import { serviceError } from '../support/endpoint.ts'
import { DOMAIN } from '../support/fixtures.ts'
import { useScenario, withStatus } from '../support/scenario.ts'

const scenario = useScenario()

describe('managed-login-version and security-policy against moto', () => {
  test('managed-login-version alone: sent with the current certificate and policy, then a no-op', async () => {
    const pool = await scenario.poolWithDomain('eu-west-1', {
      CertificateArn: scenario.oldCert,
      SecurityPolicy: 'TLS_V1_2_2021'
    })
    scenario.endpoint.loginVersions.set(DOMAIN, 1)
    const inputs = { 'certificate-arn': '', 'managed-login-version': '2' }

    const run = await scenario.rotate(pool, inputs)

    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(scenario.endpoint.requests('UpdateUserPoolDomain').map((r) => r.body)).toEqual([
      {
        Domain: DOMAIN,
        UserPoolId: pool,
        CustomDomainConfig: { CertificateArn: scenario.oldCert, SecurityPolicy: 'TLS_V1_2_2021' },
        ManagedLoginVersion: 2
      }
    ])
    expect(await scenario.storedCertificate()).toBe(scenario.oldCert)
    // No pre-flight (the certificate stays); the certificate in use is read, once.
    expect(
      scenario.endpoint.requests('DescribeCertificate').map((r) => r.body.CertificateArn)
    ).toEqual([scenario.oldCert])
    expect(run.outputs.changed).toBe('true')
    expect(run.outputs['previous-managed-login-version']).toBe('1')
    expect(run.lines.join('\n')).toContain(
      'To roll back, run this action again with managed-login-version: 1'
    )
    expect(run.summary).toContain('managed login version 1 → 2')
    expect(run.summary).toContain('Not run: the certificate does not change')

    scenario.endpoint.clear()
    scenario.endpoint.loginVersions.set(DOMAIN, 2)
    const again = await scenario.rotate(pool, inputs)
    expect(again.exitCode).toBe(0)
    expect(again.outputs.changed).toBe('false')
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toEqual([])
  })

  test('security-policy alone: set on the current certificate, then a no-op', async () => {
    const pool = await scenario.poolWithDomain('eu-west-1', {
      CertificateArn: scenario.oldCert,
      SecurityPolicy: 'TLS_V1_2_2021'
    })
    const inputs = { 'certificate-arn': '', 'security-policy': 'TLS_V1_3_2025' }

    const run = await scenario.rotate(pool, inputs)

    expect(run.errors).toEqual([])
    expect((await scenario.moto.storedDomain(DOMAIN))?.custom_domain_config).toEqual({
      CertificateArn: scenario.oldCert,
      SecurityPolicy: 'TLS_V1_3_2025'
    })
    expect(run.outputs['previous-security-policy']).toBe('TLS_V1_2_2021')
    expect(run.lines.join('\n')).toContain(
      'To roll back, run this action again with security-policy: TLS_V1_2_2021'
    )
    const again = await scenario.rotate(pool, inputs)
    expect(again.outputs.changed).toBe('false')
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(1)
  })

  test('a certificate and a security policy in one update; the rollback step names both', async () => {
    const pool = await scenario.poolWithDomain('eu-west-1', {
      CertificateArn: scenario.oldCert,
      SecurityPolicy: 'TLS_V1'
    })
    // The change is sent, and the rollout then fails.
    scenario.endpoint.queue('DescribeUserPoolDomain', { delayMs: 0 }, withStatus('FAILED'))

    const run = await scenario.rotate(pool, {
      'security-policy': 'TLS_V1_2_2021',
      'wait-for-rollout': 'true',
      'verify-tls': 'false',
      'poll-interval-seconds': '1'
    })

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain('Cognito reports the domain FAILED')
    expect(run.errors.join('\n')).toContain(`certificate-arn: ${scenario.oldCert}`)
    expect(run.errors.join('\n')).toMatch(/^ {4}security-policy: TLS_V1$/m)
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')[0]?.body).toMatchObject({
      CustomDomainConfig: { CertificateArn: scenario.newCert, SecurityPolicy: 'TLS_V1_2_2021' }
    })
  })

  test('a prefix domain: the managed login version changes, with no CustomDomainConfig', async () => {
    const pool = await scenario.moto.createPool('eu-west-1')
    await scenario.moto.createDomain(pool, 'myprefix')
    const inputs = {
      domain: 'myprefix',
      'user-pool-id': pool,
      'managed-login-version': '2'
    }

    const run = await runAction({ endpoint: scenario.endpoint.url, inputs })

    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(scenario.endpoint.requests('UpdateUserPoolDomain').map((r) => r.body)).toEqual([
      { Domain: 'myprefix', UserPoolId: pool, ManagedLoginVersion: 2 }
    ])
    expect(run.outputs['previous-certificate-arn']).toBe('')
    const again = await runAction({ endpoint: scenario.endpoint.url, inputs })
    expect(again.outputs.changed).toBe('false')
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(1)
  })

  test('a prefix domain with a certificate is refused before any call', async () => {
    const run = await runAction({
      endpoint: scenario.endpoint.url,
      inputs: {
        domain: 'myprefix',
        'user-pool-id': 'eu-west-1_AbC123',
        'certificate-arn': scenario.newCert
      }
    })
    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain('Input domain ("myprefix") is a single label')
    expect(scenario.endpoint.received).toEqual([])
  })

  test('FeatureUnavailableInTier on managed login names the feature plan it needs', async () => {
    const pool = await scenario.poolWithDomain()
    scenario.endpoint.queue(
      'UpdateUserPoolDomain',
      serviceError(
        'FeatureUnavailableInTierException',
        'Managed login is not available in the Lite tier.'
      )
    )

    const run = await scenario.rotate(pool, { 'certificate-arn': '', 'managed-login-version': '2' })

    expect(run.exitCode).toBe(1)
    const error = run.errors.join('\n')
    expect(error).toContain('managed-login-version: 2 needs the Essentials or Plus feature plan')
    expect(error).toContain('keep managed-login-version: 1')
    expect(await scenario.storedCertificate()).toBe(scenario.oldCert)
  })
})
