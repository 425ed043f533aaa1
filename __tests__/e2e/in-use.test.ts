import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { serviceError } from '../support/endpoint.ts'
import { DOMAIN } from '../support/fixtures.ts'
import { editCertificate, useScenario } from '../support/scenario.ts'
import { closedEndpoint, startTlsServer, type TlsServer } from '../support/tls-server.ts'
import { colonHex } from '../../src/aws/tls.js'

// The certificate a domain serves now is judged on every run that finds the domain, a no-op and a
// dry run included; a dry run also looks at what the edge serves.
const scenario = useScenario()
let edge: TlsServer | undefined
afterEach(async () => {
  await edge?.close()
  edge = undefined
})

const DAY_S = 24 * 60 * 60

/** A pool whose custom domain serves a certificate made to expire in `days`. */
async function domainOn(days: number): Promise<{ pool: string; arn: string }> {
  const arn = await scenario.importCertificate({ names: [DOMAIN], days })
  const pool = await scenario.poolWithDomain('eu-west-1', { CertificateArn: arn })
  return { pool, arn }
}

describe('a certificate in use that expires soon is a warning on every run', () => {
  test('a no-op: the warning, and the days left as an output', async () => {
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

  test("a scheduled dry run (the drift check's min-days-remaining: 45) warns too", async () => {
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

  test('a dry run towards another certificate: the warning for the one in use as well', async () => {
    const { pool, arn } = await domainOn(5)

    const run = await scenario.rotate(pool, { 'dry-run': 'true' })

    expect(run.exitCode).toBe(0)
    expect(run.outputs.changed).toBe('true')
    expect(run.warnings.join('\n')).toContain(`Certificate ${arn}, which ${DOMAIN} serves now`)
    // What a real run would leave on the domain.
    expect(run.outputs['certificate-arn']).toBe(scenario.newCert)
    expect(run.outputs['days-remaining']).toBe('399')
  })
})

describe('a certificate in use that is expired or revoked fails the run, unless the run replaces it', () => {
  const expired = () => ({
    Status: 'EXPIRED',
    NotAfter: Math.floor(Date.now() / 1000) - 2 * DAY_S
  })
  let pool = ''
  beforeEach(async () => {
    pool = await scenario.poolWithDomain()
    // moto refuses to import an expired certificate: its answer is changed instead.
    scenario.endpoint.always('DescribeCertificate', editCertificate(scenario.oldCert, expired()))
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

  test('a rotation away from it succeeds, and says it replaced it', async () => {
    const run = await scenario.rotate(pool)

    expect(run.exitCode).toBe(0)
    expect(run.errors).toEqual([])
    expect(run.lines).toContainEqual(expect.stringMatching(/This run replaces it\.$/))
    expect(await scenario.storedCertificate()).toBe(scenario.newCert)
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

test('without acm:DescribeCertificate the certificate in use is a warning, not a failure', async () => {
  const pool = await scenario.poolWithDomain()
  scenario.endpoint.always(
    'DescribeCertificate',
    serviceError('AccessDeniedException', 'not allowed')
  )

  const run = await scenario.rotate(pool, { 'certificate-arn': scenario.oldCert })

  expect(run.exitCode).toBe(0)
  expect(run.stdout).toContain('::warning title=Certificate in use not checked::')
  expect(run.outputs['certificate-arn']).toBe(scenario.oldCert)
  expect(run.outputs['days-remaining']).toBe('')
})

describe('a dry run looks at what the edge serves', () => {
  test('the certificate the domain carries: passes, with the serial as an output', async () => {
    const pool = await scenario.poolWithDomain()
    edge = await startTlsServer([scenario.pemsOf(scenario.oldCert)])

    const run = await scenario.rotate(pool, { 'dry-run': 'true', 'tls-endpoint': edge.endpoint })

    expect(run.exitCode).toBe(0)
    expect(edge.servernames).toEqual([DOMAIN])
    const serial = colonHex(scenario.pemsOf(scenario.oldCert).serialHex)
    expect(run.outputs['served-certificate-serial']).toBe(serial)
    expect(run.lines).toContainEqual(
      expect.stringContaining(`serves ${scenario.oldCert} for ${DOMAIN}`)
    )
    // A dry run changes nothing.
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toEqual([])
  })

  test('another certificate: the run fails, naming both', async () => {
    const pool = await scenario.poolWithDomain()
    edge = await startTlsServer([scenario.pemsOf(scenario.newCert)])

    const run = await scenario.rotate(pool, {
      'certificate-arn': scenario.oldCert,
      'dry-run': 'true',
      'tls-endpoint': edge.endpoint
    })

    expect(run.exitCode).toBe(1)
    const served = colonHex(scenario.pemsOf(scenario.newCert).serialHex)
    expect(run.outputs['served-certificate-serial']).toBe(served)
    expect(run.errors[0]).toContain(`serves serial ${served}`)
    expect(run.errors[0]).toContain(`but the domain carries ${scenario.oldCert}`)
    expect(run.errors[0]).toContain('the edge does not serve what Cognito says')
  })

  test('an edge the runner cannot reach: a warning', async () => {
    const pool = await scenario.poolWithDomain()
    const closed = await closedEndpoint(scenario.pemsOf(scenario.oldCert))

    const run = await scenario.rotate(pool, { 'dry-run': 'true', 'tls-endpoint': closed })

    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain('::warning title=TLS check failed::')
    expect(run.outputs['served-certificate-serial']).toBeUndefined()
  })
})
