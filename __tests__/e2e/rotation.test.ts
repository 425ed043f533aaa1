import { describe, expect, test } from '@jest/globals'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FAKE_CREDENTIALS, node24, root, runAction } from '../support/action.ts'
import { roundTrips, serviceError } from '../support/endpoint.ts'
import { DOMAIN, signedRegion } from '../support/fixtures.ts'
import { runProcess } from '../support/process.ts'
import { useScenario, withStatus } from '../support/scenario.ts'

// Real rotations of the bundle against moto: what goes on the wire (bodies, regions, the settings
// carried over or changed, round trips) and what comes back as outputs, log and job summary. The
// flow's decisions are tested in-process in __tests__/flow/.
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
      'days-remaining': '399',
      imported: 'false',
      'retired-certificate-arn': ''
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

  test("sends Cognito calls to the pool's region and ACM calls to us-east-1, whatever AWS_REGION the job has, and no setting the domain did not have", async () => {
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
    expect(JSON.stringify(scenario.endpoint.requests('UpdateUserPoolDomain')[0]?.body)).not.toMatch(
      /ManagedLoginVersion|Routing|SecurityPolicy/
    )
    expect((await scenario.moto.storedDomain(DOMAIN))?.custom_domain_config).toEqual({
      CertificateArn: scenario.newCert
    })
  })

  test('a rerun with the same certificate changes nothing and still outputs the CloudFront domain', async () => {
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
      'days-remaining': '399',
      imported: 'false',
      'retired-certificate-arn': ''
    })
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(0)
    // The certificate asked for is the one in use: read once, as both.
    expect(scenario.endpoint.requests('DescribeCertificate')).toHaveLength(1)
    expect(second.summary).toContain('No change')
  })

  test('a domain of another pool is refused, named, and nothing of it is given out', async () => {
    const owner = await scenario.poolWithDomain()
    const other = await scenario.moto.createPool('eu-west-1', 'other')

    const run = await scenario.rotate(other)

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain(`belongs to user pool ${owner}, not to ${other}`)
    // Nothing of another pool's domain is given out: only that nothing was sent.
    expect(run.outputs).toEqual({
      changed: 'false',
      imported: 'false',
      'retired-certificate-arn': ''
    })
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(0)
    expect(await scenario.storedCertificate()).toBe(scenario.oldCert)
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

describe('managed-login-version and security-policy on the wire', () => {
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

  test('a certificate and a security policy in one update; the rollback step of a failed rollout names both, on lines of its own', async () => {
    const pool = await scenario.poolWithDomain('eu-west-1', {
      CertificateArn: scenario.oldCert,
      SecurityPolicy: 'TLS_V1'
    })
    // The change is sent, and the first poll finds the rollout FAILED.
    scenario.endpoint.queue('DescribeUserPoolDomain', { delayMs: 0 }, withStatus('FAILED'))

    const run = await scenario.rotate(pool, {
      'security-policy': 'TLS_V1_2_2021',
      'wait-for-rollout': 'true',
      'verify-tls': 'false',
      'poll-interval-seconds': '1'
    })

    expect(run.exitCode).toBe(1)
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')[0]?.body).toMatchObject({
      CustomDomainConfig: { CertificateArn: scenario.newCert, SecurityPolicy: 'TLS_V1_2_2021' }
    })
    expect(run.errors[0]).toContain('Cognito reports the domain FAILED')
    // The step's line breaks travel encoded in the ::error command, and come back as lines.
    expect(run.errors[0]).toContain(
      `  with:\n    domain: ${DOMAIN}\n    user-pool-id: ${pool}\n    certificate-arn: ${scenario.oldCert}`
    )
    expect(run.errors[0]).toMatch(/^ {4}security-policy: TLS_V1$/m)
    expect(run.outputs.status).toBe('FAILED')
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

describe('npm run action, from a laptop', () => {
  test('runs the bundled action with the inputs given as --name value: a dry run unless told otherwise', async () => {
    const pool = await scenario.poolWithDomain()

    const run = await runProcess(
      node24,
      [
        join(root, 'scripts', 'run-action.ts'),
        '--domain',
        DOMAIN,
        `--user-pool-id=${pool}`,
        '--certificate-arn',
        scenario.newCert
      ],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: tmpdir(),
          AWS_CONFIG_FILE: join(tmpdir(), 'no-aws-config'),
          AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'no-aws-credentials'),
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_ENDPOINT_URL: scenario.endpoint.url,
          ...FAKE_CREDENTIALS
        },
        cwd: root
      }
    )

    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain(
      'A dry run: nothing is changed (give --dry-run false to make the change).'
    )
    expect(run.stdout).toContain(
      'Dry run: every check passed. A real run would send UpdateUserPoolDomain'
    )
    expect(run.stdout).toMatch(/Outputs: \{[^}]*"changed": "true"/)
    expect(run.stdout).toContain('Result: Dry run: the certificate would be changed')
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toEqual([])
    // The log as the runner shows it: no masked value reaches the terminal.
    expect(run.stdout).not.toContain('::add-mask::')
    expect(run.stdout).not.toContain('::debug::')
    for (const secret of Object.values(FAKE_CREDENTIALS)) expect(run.stdout).not.toContain(secret)
  })
})
