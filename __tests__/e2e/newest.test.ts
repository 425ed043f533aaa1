import { beforeEach, describe, expect, test } from '@jest/globals'
import { DOMAIN } from '../support/fixtures.ts'
import { editCertificates, useScenario } from '../support/scenario.ts'

// certificate-arn: newest against moto's ACM: the real listing (its filter and its pages) and real
// certificate data; each choice is tested in __tests__/flow/newest.test.ts. The scenario's domain
// serves oldCert (200 days) and newCert (400 days) covers it too; each test adds certificates.
const scenario = useScenario()
let pool = ''
beforeEach(async () => {
  pool = await scenario.poolWithDomain()
})

const newest = { 'certificate-arn': 'newest' }

/** The certificate moto stores for the domain after the run. */
const stored = () => scenario.storedCertificate()

describe('certificate-arn: newest', () => {
  test('of the covering, issued, valid certificates, the one that expires last: shown by a dry run, applied, then kept', async () => {
    const soon = await scenario.importCertificate({ names: [DOMAIN], days: 100 })
    const latest = await scenario.importCertificate({ names: ['*.example.com'], days: 500 })
    const otherName = await scenario.importCertificate({ names: ['login.example.com'], days: 900 })
    const revoked = await scenario.importCertificate({ names: [DOMAIN], days: 700 })
    const pending = await scenario.moto.requestCertificate(DOMAIN) // PENDING_VALIDATION
    // ACM revoked one after listing it as ISSUED (moto can't revoke): its description says so.
    const revokedInAcm = () => {
      scenario.endpoint.always(
        'DescribeCertificate',
        editCertificates({ [revoked]: { Status: 'REVOKED' } })
      )
    }
    revokedInAcm()

    const dry = await scenario.rotate(pool, { ...newest, 'dry-run': 'true', 'verify-tls': 'false' })

    expect(dry.exitCode).toBe(0)
    expect(dry.outputs).toMatchObject({ changed: 'true', 'certificate-arn': latest })
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toEqual([])
    expect(await stored()).toBe(scenario.oldCert)

    scenario.endpoint.clear()
    revokedInAcm()
    const run = await scenario.rotate(pool, newest)

    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(await stored()).toBe(latest)
    expect(run.outputs).toMatchObject({
      changed: 'true',
      'certificate-arn': latest,
      'previous-certificate-arn': scenario.oldCert
    })
    const said = run.lines.filter((line) => line.startsWith('newest: '))
    const about = (arn: string) => said.find((line) => line.startsWith(`newest: ${arn}`)) ?? ''
    expect(about(latest)).toContain('chosen: it expires last')
    expect(about(revoked)).toContain('set aside (certificate not issued)')
    expect(about(otherName)).toContain('set aside (domain not covered)')
    expect(about(soon)).toContain(`a candidate; expires earlier than ${latest}`)
    expect(about(scenario.oldCert)).toContain('(on the domain now)')
    // Only ISSUED certificates are listed: the pending one is never looked at.
    expect(about(pending)).toBe('')
    const [list] = scenario.endpoint.requests('ListCertificates')
    expect(list?.body).toMatchObject({ CertificateStatuses: ['ISSUED'] })

    scenario.endpoint.clear()
    revokedInAcm()
    const again = await scenario.rotate(pool, newest)

    expect(again.exitCode).toBe(0)
    expect(again.outputs.changed).toBe('false')
    expect(again.outputs['certificate-arn']).toBe(latest)
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toEqual([])
    expect(again.lines).toContainEqual(
      expect.stringContaining(`newest: ${latest} (on the domain now): valid until`)
    )
    expect(again.lines).toContainEqual(expect.stringContaining('kept: no candidate expires later'))
  })

  test('ListCertificates that hands back a page token it gave before: a clear error, nothing sent', async () => {
    scenario.endpoint.always('ListCertificates', {
      compute: () => ({ CertificateSummaryList: [], NextToken: 'again' })
    })

    const run = await scenario.rotate(pool, newest)

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain(
      'page 2 came with the page token of an earlier page, so the listing would never end'
    )
    expect(run.errors[0]).toContain('not answering as ACM does')
    expect(scenario.endpoint.requests('ListCertificates')).toHaveLength(2)
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toEqual([])
  })

  test('ListCertificates that pages on and on: stops at 50 pages, nothing sent', async () => {
    let page = 0
    scenario.endpoint.always('ListCertificates', {
      compute: () => ({ CertificateSummaryList: [], NextToken: `token-${++page}` })
    })

    const run = await scenario.rotate(pool, newest)

    expect(run.exitCode).toBe(1)
    expect(run.errors[0]).toContain('there were still more after 50 pages')
    expect(scenario.endpoint.requests('ListCertificates')).toHaveLength(50)
    expect(scenario.endpoint.requests('UpdateUserPoolDomain')).toEqual([])
  })
})
