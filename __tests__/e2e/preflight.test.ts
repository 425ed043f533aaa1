import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { serviceError } from '../support/endpoint.ts'
import { DOMAIN } from '../support/fixtures.ts'
import { editCertificate, useScenario } from '../support/scenario.ts'
import { startTlsServer, type TlsServer } from '../support/tls-server.ts'
import { colonHex } from '../../src/aws/tls.js'

// The checks of the new certificate and of the one in use, on real certificate data from moto's
// ACM (names, keys, dates), with their annotations, outputs and summary; and a dry run that looks
// at a real TLS edge. Each rule is unit-tested, and each decision tested in __tests__/flow/.
const scenario = useScenario()
let edge: TlsServer | undefined
afterEach(async () => {
  await edge?.close()
  edge = undefined
})

const DAY_S = 24 * 60 * 60

/** The run changed nothing: no update was sent and moto still stores the old certificate. */
async function expectUnchanged(): Promise<void> {
  expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(0)
  expect(await scenario.storedCertificate()).toBe(scenario.oldCert)
}

describe('the new certificate', () => {
  let pool = ''
  beforeEach(async () => {
    pool = await scenario.poolWithDomain()
  })

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

  test('expiring within min-days-remaining, and before the one it replaces: applied, with two warnings', async () => {
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

  test('one that does not cover the domain is refused, listing the names it covers', async () => {
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

  test('an EC P-384 key, as moto reads it from the certificate, is refused', async () => {
    const p384 = await scenario.importCertificate({ names: [DOMAIN], key: 'ec384' })

    const run = await scenario.rotate(pool, { 'certificate-arn': p384 })

    expect(run.exitCode).toBe(1)
    await expectUnchanged()
    expect(run.errors[0]).toContain('has a EC_secp384r1 key; CloudFront serves RSA keys')
  })

  test('an expired one (its dates as ACM sends them, in epoch seconds) is refused', async () => {
    // moto refuses to import an expired certificate: the endpoint changes moto's answer.
    const past = Date.now() / 1000 - DAY_S
    scenario.endpoint.always(
      'DescribeCertificate',
      editCertificate(scenario.newCert, { Status: 'EXPIRED', NotAfter: past })
    )

    const run = await scenario.rotate(pool)

    expect(run.exitCode).toBe(1)
    await expectUnchanged()
    expect(run.summary).toContain('Refused: Certificate not issued; Certificate expired')
  })

  test('an ARN ACM does not know is refused as not found', async () => {
    const missing = scenario.newCert.replace(/[0-9a-f]{4}$/, '0000')

    const run = await scenario.rotate(pool, { 'certificate-arn': missing })

    expect(run.exitCode).toBe(1)
    await expectUnchanged()
    expect(run.stdout).toContain('::error title=Certificate refused%3A Certificate not found::')
    expect(run.errors[0]).toContain('ACM has no such certificate in this account')
  })

  test('a dry run fails like the real run when the certificate is refused', async () => {
    const other = await scenario.importCertificate({ names: ['login.example.com'] })

    const run = await scenario.rotate(pool, { 'dry-run': 'true', 'certificate-arn': other })

    expect(run.exitCode).toBe(1)
    await expectUnchanged()
    expect(run.summary).toContain('(dry run)')
  })

  test('ACM AccessDenied: a warning for each certificate, naming the permission, and the change goes ahead', async () => {
    scenario.endpoint.always(
      'DescribeCertificate',
      serviceError('AccessDeniedException', 'not allowed to acm:DescribeCertificate')
    )

    const run = await scenario.rotate(pool)

    expect(run.exitCode).toBe(0)
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
    expect(run.stdout).toContain('::warning title=Certificate checks skipped::')
    expect(run.stdout).toContain('::warning title=Certificate in use not checked::')
    expect(run.warnings[0]).toContain('needs acm:DescribeCertificate on the certificate')
    expect(run.summary).toContain('Skipped: the job may not call acm:DescribeCertificate')
    expect(run.outputs['days-remaining']).toBe('')
  })

  test('verify-certificate: false makes no ACM call', async () => {
    const run = await scenario.rotate(pool, { 'verify-certificate': 'false' })

    expect(run.exitCode).toBe(0)
    expect(scenario.endpoint.requests('DescribeCertificate')).toHaveLength(0)
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
    expect(run.summary).toContain('Off (verify-certificate: false)')
  })
})

describe('the certificate in use, judged on every run that finds the domain', () => {
  /** A pool whose custom domain serves a certificate made to expire in `days`. */
  async function domainOn(days: number): Promise<{ pool: string; arn: string }> {
    const arn = await scenario.importCertificate({ names: [DOMAIN], days })
    const pool = await scenario.poolWithDomain('eu-west-1', { CertificateArn: arn })
    return { pool, arn }
  }

  test('expiring soon, on a no-op: the warning, and the days left as an output', async () => {
    const { pool, arn } = await domainOn(5)

    const run = await scenario.rotate(pool, { 'certificate-arn': arn })

    expect(run.exitCode).toBe(0)
    expect(run.outputs.changed).toBe('false')
    expect(run.warnings).toHaveLength(1)
    expect(run.warnings[0]).toMatch(
      new RegExp(
        `^Certificate ${arn}, which ${DOMAIN} serves now, expires on \\S+, in 4 days: fewer than min-days-remaining \\(30\\)`
      )
    )
    expect(run.outputs['certificate-arn']).toBe(arn)
    expect(run.outputs['days-remaining']).toBe('4')
    expect(run.summary).toContain(`${arn} (ISSUED, valid until`)
    expect(run.summary).toContain('4 days left')
  })

  test("a scheduled dry run with nothing to change (the drift check's min-days-remaining: 45) warns too", async () => {
    const { pool, arn } = await domainOn(20)

    const run = await scenario.rotate(pool, {
      'certificate-arn': arn,
      'dry-run': 'true',
      'min-days-remaining': '45'
    })

    expect(run.exitCode).toBe(0)
    expect(run.outputs.changed).toBe('false')
    expect(run.warnings.join('\n')).toContain(`which ${DOMAIN} serves now, expires on`)
    expect(run.warnings.join('\n')).toContain('fewer than min-days-remaining (45)')
    expect(run.outputs['days-remaining']).toBe('19')
  })

  describe('expired in ACM', () => {
    let pool = ''
    beforeEach(async () => {
      pool = await scenario.poolWithDomain()
      // moto refuses to import an expired certificate: its answer is changed instead.
      const expired = { Status: 'EXPIRED', NotAfter: Math.floor(Date.now() / 1000) - 2 * DAY_S }
      scenario.endpoint.always('DescribeCertificate', editCertificate(scenario.oldCert, expired))
    })

    test('a no-op fails, and says what breaks', async () => {
      const run = await scenario.rotate(pool, { 'certificate-arn': scenario.oldCert })

      expect(run.exitCode).toBe(1)
      expect(run.errors[0]).toContain(
        `Certificate ${scenario.oldCert}, which ${DOMAIN} serves now, is EXPIRED, not ISSUED. Browsers refuse the sign-in page at ${DOMAIN} while it is served`
      )
      expect(run.outputs.changed).toBe('false')
      expect(run.summary).toContain('Failed: Certificate in use not issued')
    })

    test('a dry run fails: it replaces nothing', async () => {
      const run = await scenario.rotate(pool, { 'dry-run': 'true' })

      expect(run.exitCode).toBe(1)
      expect(run.errors.join('\n')).toContain('Browsers refuse the sign-in page')
      expect(run.outputs.changed).toBe('true')
    })

    test('a security policy change leaves it on the domain: the change is made, and the run fails', async () => {
      const run = await scenario.rotate(pool, {
        'certificate-arn': '',
        'security-policy': 'TLS_V1_2_2021'
      })

      expect(run.exitCode).toBe(1)
      expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(1)
      expect(run.errors.join('\n')).toContain(`${scenario.oldCert}, which ${DOMAIN} serves now`)
    })
  })
})

test('a dry run checks everything, looks at the edge, changes nothing, never waits, and says what it would do', async () => {
  const fiveDays = await scenario.importCertificate({ names: [DOMAIN], days: 5 })
  const pool = await scenario.poolWithDomain('eu-west-1', {
    CertificateArn: fiveDays,
    SecurityPolicy: 'TLS_V1_2_2021'
  })
  edge = await startTlsServer([scenario.pemsOf(fiveDays)])
  const motoState = async () => (await fetch(`${scenario.moto.url}/moto-api/data.json`)).text()
  const before = await motoState()

  const run = await scenario.rotate(pool, {
    'dry-run': 'true',
    'wait-for-rollout': 'true',
    'tls-endpoint': edge.endpoint
  })

  expect(run.errors).toEqual([])
  expect(run.exitCode).toBe(0)
  expect(await motoState()).toBe(before)
  // The domain, described once (no wait), the new certificate and the one in use.
  expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toHaveLength(0)
  expect(scenario.endpoint.requests('DescribeUserPoolDomain')).toHaveLength(1)
  expect(scenario.endpoint.requests('DescribeCertificate')).toHaveLength(2)
  // The edge serves the certificate the domain carries: its real serial, asked for by SNI.
  expect(edge.servernames).toEqual([DOMAIN])
  const serial = colonHex(scenario.pemsOf(fiveDays).serialHex)
  expect(run.outputs).toMatchObject({
    changed: 'true',
    'previous-certificate-arn': fiveDays,
    // What a real run would leave on the domain.
    'certificate-arn': scenario.newCert,
    'days-remaining': '399',
    'served-certificate-serial': serial
  })
  expect(run.outputs.status).toBeUndefined()
  expect(run.outputs['cloudfront-domain']).toMatch(/\.cloudfront\.net$/)
  expect(run.lines.join('\n')).toContain(
    `Dry run: every check passed. A real run would send UpdateUserPoolDomain for ${DOMAIN} (user pool ${pool}, eu-west-1): certificate ${fiveDays} → ${scenario.newCert} (carried over: security policy TLS_V1_2_2021)`
  )
  expect(run.lines).toContainEqual(expect.stringContaining(`serves ${fiveDays} for ${DOMAIN}`))
  // The certificate in use, which expires soon, is warned about as well.
  expect(run.warnings).toEqual([
    expect.stringContaining(`Certificate ${fiveDays}, which ${DOMAIN} serves now`)
  ])
  expect(run.summary).toContain('(dry run)')
  expect(run.summary).toContain('Dry run: nothing was changed')
  expect(run.summary).toContain(`Edge serves the certificate in use (serial ${serial})`)
})
