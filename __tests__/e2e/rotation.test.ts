import { describe, expect, test } from '@jest/globals'
import { DOMAIN, signedRegion } from '../support/fixtures.ts'
import { roundTrips } from '../support/endpoint.ts'
import { useScenario } from '../support/scenario.ts'

const scenario = useScenario()

describe('a real rotation against moto', () => {
  test('changes the stored certificate, keeps the security policy and outputs the CloudFront domain', async () => {
    const pool = await scenario.poolWithDomain('eu-west-1', {
      CertificateArn: scenario.oldCert,
      SecurityPolicy: 'TLS_V1_2_2021'
    })

    const run = await scenario.rotate(pool)

    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect((await scenario.moto.storedDomain(DOMAIN))?.custom_domain_config).toEqual({
      CertificateArn: scenario.newCert,
      SecurityPolicy: 'TLS_V1_2_2021'
    })
    // moto names the distribution after the certificate: the output is what the update answered.
    const after = (await scenario.moto.call('eu-west-1', 'DescribeUserPoolDomain', {
      Domain: DOMAIN
    })) as {
      DomainDescription: { CloudFrontDistribution: string }
    }
    expect(run.outputs).toEqual({
      'previous-certificate-arn': scenario.oldCert,
      'previous-security-policy': 'TLS_V1_2_2021',
      'previous-managed-login-version': '',
      changed: 'true',
      'cloudfront-domain': after.DomainDescription.CloudFrontDistribution,
      // The certificate the domain carries now, and its whole days left (400-day certificate).
      'certificate-arn': scenario.newCert,
      'days-remaining': '399'
    })
    const [update] = scenario.endpoint.requests('UpdateUserPoolDomain')
    expect(update?.body).toEqual({
      Domain: DOMAIN,
      UserPoolId: pool,
      CustomDomainConfig: { CertificateArn: scenario.newCert, SecurityPolicy: 'TLS_V1_2_2021' }
    })
    expect(run.lines.join('\n')).toContain(
      `To roll back, run this action again with certificate-arn: ${scenario.oldCert}`
    )
    for (const shownInSummary of [
      DOMAIN,
      pool,
      'eu-west-1',
      scenario.oldCert,
      scenario.newCert,
      run.outputs['cloudfront-domain'] ?? '?'
    ]) {
      expect(run.summary).toContain(shownInSummary)
    }
    expect(run.summary).toContain('Certificate changed')
  })

  test("sends Cognito calls to the pool's region and ACM calls to us-east-1, whatever AWS_REGION the job has", async () => {
    const pool = await scenario.poolWithDomain('ap-southeast-2')

    const run = await scenario.rotate(
      pool,
      {},
      {
        AWS_REGION: 'us-west-2',
        AWS_DEFAULT_REGION: 'us-west-2'
      }
    )

    expect(run.exitCode).toBe(0)
    // The new certificate is read with the domain; the one it replaces, with the update.
    expect(
      scenario.endpoint.received
        .map((request) => `${request.operation} ${signedRegion(request.headers) ?? ''}`)
        .sort()
    ).toEqual([
      'DescribeCertificate us-east-1',
      'DescribeCertificate us-east-1',
      'DescribeUserPoolDomain ap-southeast-2',
      'UpdateUserPoolDomain ap-southeast-2'
    ])
  })

  test('a domain without CustomDomainConfig in the request is never sent one it did not have', async () => {
    const pool = await scenario.poolWithDomain()

    await scenario.rotate(pool)

    expect(JSON.stringify(scenario.endpoint.requests('UpdateUserPoolDomain')[0]?.body)).not.toMatch(
      /ManagedLoginVersion|Routing|SecurityPolicy/
    )
    expect((await scenario.moto.storedDomain(DOMAIN))?.custom_domain_config).toEqual({
      CertificateArn: scenario.newCert
    })
  })
})

describe('a rerun with the same certificate', () => {
  test('changes nothing and still outputs the CloudFront domain', async () => {
    const pool = await scenario.poolWithDomain()
    const first = await scenario.rotate(pool)
    scenario.endpoint.clear()

    const second = await scenario.rotate(pool)

    expect(second.exitCode).toBe(0)
    expect(second.outputs).toEqual({
      'previous-certificate-arn': scenario.newCert,
      'previous-security-policy': '',
      'previous-managed-login-version': '',
      changed: 'false',
      'cloudfront-domain': first.outputs['cloudfront-domain'],
      'certificate-arn': scenario.newCert,
      'days-remaining': '399'
    })
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(0)
    // The certificate asked for is the one in use: read once, as both.
    expect(scenario.endpoint.requests('DescribeCertificate')).toHaveLength(1)
    expect(second.summary).toContain('No change')
  })
})

describe('refusals that leave the domain untouched', () => {
  test('a domain that does not exist in the pool region', async () => {
    const pool = await scenario.moto.createPool('eu-west-1')
    const elsewhere = await scenario.moto.createPool('us-west-2')
    await scenario.moto.createDomain(elsewhere, DOMAIN, { CertificateArn: scenario.oldCert })

    const run = await scenario.rotate(pool)

    expect(run.exitCode).toBe(1)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain(`found no domain ${DOMAIN} in eu-west-1`)
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(0)
    expect(await scenario.storedCertificate()).toBe(scenario.oldCert)
  })

  test('a domain of another pool, which the message names', async () => {
    const owner = await scenario.poolWithDomain()
    const other = await scenario.moto.createPool('eu-west-1', 'other')

    const run = await scenario.rotate(other)

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain(`belongs to user pool ${owner}, not to ${other}`)
    // Nothing of another pool's domain is given out: only that nothing was sent.
    expect(run.outputs).toEqual({ changed: 'false' })
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(0)
    expect(await scenario.storedCertificate()).toBe(scenario.oldCert)
  })

  test('a domain with no certificate, which is not a custom domain', async () => {
    const pool = await scenario.moto.createPool('eu-west-1')
    await scenario.moto.createDomain(pool, DOMAIN)

    const run = await scenario.rotate(pool)

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain('not a custom domain')
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(0)
  })
})

describe('round trips on the critical path (each answer delayed, as from a distant runner)', () => {
  test.each<[string, (old: string) => Record<string, string>, number]>([
    [
      'a rotation: the domain with the new certificate, then the update with the old one',
      () => ({}),
      2
    ],
    [
      'a no-op: the domain with the certificate, which is the one in use',
      (old) => ({ 'certificate-arn': old }),
      1
    ],
    [
      'a dry run: the domain with the new certificate, then the one in use',
      () => ({ 'dry-run': 'true', 'verify-tls': 'false' }),
      2
    ],
    [
      'newest: the domain with the list, the finalists, then the update',
      () => ({ 'certificate-arn': 'newest' }),
      3
    ]
  ])('%s', async (_, inputs, expected) => {
    const pool = await scenario.poolWithDomain()
    scenario.endpoint.setLatency(200)

    const run = await scenario.rotate(pool, inputs(scenario.oldCert))

    expect(run.exitCode).toBe(0)
    expect(roundTrips(scenario.endpoint.received)).toBe(expected)
  })
})
