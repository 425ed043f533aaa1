import { beforeEach, describe, expect, test } from '@jest/globals'
import { serviceError, type Json } from '../support/endpoint.ts'
import { DOMAIN } from '../support/fixtures.ts'
import { editCertificate, useScenario } from '../support/scenario.ts'

const scenario = useScenario()
let pool = ''
beforeEach(async () => {
  pool = await scenario.poolWithDomain()
})

const DAY_S = 24 * 60 * 60

/** The run changed nothing: no update was sent and moto still stores the old certificate. */
async function expectUnchanged(): Promise<void> {
  expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(0)
  expect(await scenario.storedCertificate()).toBe(scenario.oldCert)
}

describe('certificates that pass', () => {
  test('a wildcard covering the domain passes and is applied', async () => {
    const wildcard = await scenario.importCertificate({ names: ['*.example.com'] })

    const run = await scenario.rotate(pool, { 'certificate-arn': wildcard })

    expect(run.errors).toEqual([])
    expect(run.warnings).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(await scenario.storedCertificate()).toBe(wildcard)
    expect(run.lines.join('\n')).toContain('covers auth.example.com as *.example.com')
    expect(run.lines).toContain('Certificate checks passed.')
    expect(run.summary).toContain('<td>Certificate checks</td><td>Passed</td>')
  })

  test('an EC P-256 key passes', async () => {
    const ec = await scenario.importCertificate({ names: [DOMAIN], key: 'ec256' })

    const run = await scenario.rotate(pool, { 'certificate-arn': ec })

    expect(run.exitCode).toBe(0)
    expect(await scenario.storedCertificate()).toBe(ec)
  })

  test('a certificate expiring within min-days-remaining passes with a warning', async () => {
    const soon = await scenario.importCertificate({ names: [DOMAIN], days: 10 })

    const run = await scenario.rotate(pool, { 'certificate-arn': soon })

    expect(run.exitCode).toBe(0)
    expect(await scenario.storedCertificate()).toBe(soon)
    expect(run.outputs.changed).toBe('true')
    expect(run.stdout).toContain('::warning title=Certificate expires soon::')
    expect(run.warnings).toHaveLength(2)
    expect(run.warnings[0]).toMatch(
      /expires on \S+, in (9|10) days: fewer than min-days-remaining \(30\)/
    )
    expect(run.warnings[1]).toContain(
      `earlier than the certificate it replaces (${scenario.oldCert}`
    )
    expect(run.summary).toContain(
      'Passed with warnings: Certificate expires soon; Expires before the certificate it replaces'
    )
  })

  test('min-days-remaining moves the warning, for the new certificate and the one in use', async () => {
    const run = await scenario.rotate(pool, { 'min-days-remaining': '500' })

    expect(run.exitCode).toBe(0)
    expect(run.warnings).toHaveLength(2)
    expect(run.warnings[0]).toContain(`Certificate ${scenario.newCert} expires on`)
    expect(run.warnings[1]).toContain(
      `Certificate ${scenario.oldCert}, which ${DOMAIN} serves now, expires on`
    )
    expect(
      run.warnings.every((warning) => warning.includes('fewer than min-days-remaining (500)'))
    ).toBe(true)
  })
})

describe('certificates that are refused before any change', () => {
  test('one that does not cover the domain, listing the names it covers', async () => {
    const other = await scenario.importCertificate({
      names: ['example.com', '*.auth.example.com', 'login.example.com']
    })

    const run = await scenario.rotate(pool, { 'certificate-arn': other })

    expect(run.exitCode).toBe(1)
    await expectUnchanged()
    expect(run.stdout).toContain('::error title=Certificate refused%3A Domain not covered::')
    expect(run.errors[0]).toContain(
      `does not cover ${DOMAIN}; it covers "example.com", "*.auth.example.com", "login.example.com"`
    )
    expect(run.errors.at(-1)).toBe(
      `The certificate ${other} was refused by 1 pre-flight check (see the errors above). Nothing was changed.`
    )
    expect(run.summary).toContain('Refused: Domain not covered')
  })

  test('an EC P-384 key', async () => {
    const p384 = await scenario.importCertificate({ names: [DOMAIN], key: 'ec384' })

    const run = await scenario.rotate(pool, { 'certificate-arn': p384 })

    expect(run.exitCode).toBe(1)
    await expectUnchanged()
    expect(run.errors[0]).toContain('has a EC_secp384r1 key; CloudFront serves RSA keys')
  })

  test('one still PENDING_VALIDATION in ACM', async () => {
    const pending = await scenario.moto.requestCertificate(DOMAIN)

    const run = await scenario.rotate(pool, { 'certificate-arn': pending })

    expect(run.exitCode).toBe(1)
    await expectUnchanged()
    expect(run.errors[0]).toContain(`${pending} is PENDING_VALIDATION, not ISSUED`)
    expect(run.errors[0]).toContain('DNS validation records')
  })

  // moto refuses to import an expired or not yet valid certificate, and has no private CA for
  // ACM: the endpoint changes moto's answer for the new certificate.
  test.each<[string, (now: number) => Json, string]>([
    [
      'an expired one',
      (now) => ({ Status: 'EXPIRED', NotAfter: now - DAY_S }),
      'Certificate not issued; Certificate expired'
    ],
    ['one not valid yet', (now) => ({ NotBefore: now + DAY_S }), 'Certificate not yet valid'],
    ['a PRIVATE one', () => ({ Type: 'PRIVATE' }), 'Private certificate'],
    ['a REVOKED one', () => ({ Status: 'REVOKED' }), 'Certificate not issued']
  ])('%s', async (_, changes, refused) => {
    scenario.endpoint.always(
      'DescribeCertificate',
      editCertificate(scenario.newCert, changes(Date.now() / 1000))
    )

    const run = await scenario.rotate(pool)

    expect(run.exitCode).toBe(1)
    await expectUnchanged()
    expect(run.summary).toContain(`Refused: ${refused}`)
  })

  test('an ARN ACM does not know', async () => {
    const missing = scenario.newCert.replace(/[0-9a-f]{4}$/, '0000')

    const run = await scenario.rotate(pool, { 'certificate-arn': missing })

    expect(run.exitCode).toBe(1)
    await expectUnchanged()
    expect(run.stdout).toContain('::error title=Certificate refused%3A Certificate not found::')
    expect(run.errors[0]).toContain('ACM has no such certificate in this account')
  })
})

describe('when the checks cannot or should not run', () => {
  test('ACM AccessDenied: a warning naming the permission, and the change goes ahead', async () => {
    scenario.endpoint.always(
      'DescribeCertificate',
      serviceError('AccessDeniedException', 'not allowed to acm:DescribeCertificate')
    )

    const run = await scenario.rotate(pool)

    expect(run.exitCode).toBe(0)
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
    expect(run.stdout).toContain('::warning title=Certificate checks skipped::')
    expect(run.warnings[0]).toContain('needs acm:DescribeCertificate on the certificate')
    expect(run.summary).toContain('Skipped: the job may not call acm:DescribeCertificate')
  })

  test('verify-certificate: false makes no ACM call', async () => {
    const run = await scenario.rotate(pool, { 'verify-certificate': 'false' })

    expect(run.exitCode).toBe(0)
    expect(scenario.endpoint.requests('DescribeCertificate')).toHaveLength(0)
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
    expect(run.summary).toContain('Off (verify-certificate: false)')
  })

  test('a throttled DescribeCertificate is retried', async () => {
    scenario.endpoint.queue(
      'DescribeCertificate',
      serviceError('ThrottlingException', 'Rate exceeded')
    )

    const run = await scenario.rotate(pool)

    expect(run.exitCode).toBe(0)
    expect(run.lines.join('\n')).toContain('DescribeCertificate: attempt 2 of 5 after')
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
  })

  test('ACM failing for good stops the run before any change', async () => {
    scenario.endpoint.always('DescribeCertificate', serviceError('InternalFailure', 'oops', 500))

    const run = await scenario.rotate(pool, { 'max-attempts': '2' })

    expect(run.exitCode).toBe(1)
    await expectUnchanged()
    expect(run.errors[0]).toContain(`DescribeCertificate for certificate ${scenario.newCert}`)
    expect(run.errors[0]).not.toContain('roll back')
  })

  test('a no-op run runs no pre-flight; it judges the certificate as the one in use', async () => {
    await scenario.moto.setCertificate(pool, DOMAIN, scenario.newCert)

    const run = await scenario.rotate(pool)

    expect(run.exitCode).toBe(0)
    expect(scenario.endpoint.requests('DescribeCertificate')).toHaveLength(1)
    expect(run.summary).toContain('Not run: no change to make')
    expect(run.lines).toContainEqual(
      expect.stringMatching(new RegExp(`^Certificate in use: ${scenario.newCert}: ISSUED`))
    )
  })
})

describe('dry run', () => {
  async function motoState(): Promise<string> {
    return (await fetch(`${scenario.moto.url}/moto-api/data.json`)).text()
  }

  test('checks everything, changes nothing, and says what it would do', async () => {
    const before = await motoState()

    const run = await scenario.rotate(pool, { 'dry-run': 'true' })

    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(await motoState()).toBe(before)
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(0)
    expect(scenario.endpoint.requests('DescribeCertificate')).toHaveLength(2)
    expect(run.outputs).toMatchObject({
      changed: 'true',
      'previous-certificate-arn': scenario.oldCert
    })
    expect(run.outputs['cloudfront-domain']).toMatch(/\.cloudfront\.net$/)
    expect(run.lines.join('\n')).toContain(
      `Dry run: every check passed. A real run would send UpdateUserPoolDomain for ${DOMAIN} (user pool ${pool}, eu-west-1): certificate ${scenario.oldCert} → ${scenario.newCert}`
    )
    expect(run.summary).toContain('(dry run)')
    expect(run.summary).toContain('Dry run: nothing was changed')
  })

  test('says what would be carried over', async () => {
    const withPolicy = await scenario.moto.createPool('eu-west-1', 'policy')
    await scenario.moto.call('eu-west-1', 'DeleteUserPoolDomain', {
      UserPoolId: pool,
      Domain: DOMAIN
    })
    await scenario.moto.createDomain(withPolicy, DOMAIN, {
      CertificateArn: scenario.oldCert,
      SecurityPolicy: 'TLS_V1_2_2021'
    })

    const run = await scenario.rotate(withPolicy, { 'dry-run': 'true' })

    expect(run.exitCode).toBe(0)
    expect(run.lines.join('\n')).toContain('(carried over: security policy TLS_V1_2_2021)')
  })

  test('fails like the real run when the certificate is refused', async () => {
    const other = await scenario.importCertificate({ names: ['login.example.com'] })

    const run = await scenario.rotate(pool, { 'dry-run': 'true', 'certificate-arn': other })

    expect(run.exitCode).toBe(1)
    await expectUnchanged()
    expect(run.summary).toContain('(dry run)')
  })

  test('with nothing to change sets changed=false', async () => {
    await scenario.moto.setCertificate(pool, DOMAIN, scenario.newCert)

    const run = await scenario.rotate(pool, { 'dry-run': 'true' })

    expect(run.exitCode).toBe(0)
    expect(run.outputs.changed).toBe('false')
  })
})
