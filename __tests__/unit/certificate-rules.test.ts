import type { CertificateDetail } from '@aws-sdk/client-acm'
import { describe, expect, test } from '@jest/globals'
import {
  covers,
  coveredNames,
  factsOf,
  judgeCertificate,
  rolloutWindow,
  type Expectations
} from '../../src/rules/certificate.js'

const DAY = 24 * 60 * 60 * 1000
const NOW = new Date('2026-11-23T12:00:00Z')
const ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/new'

/** An ISSUED, public RSA 2048 certificate for auth.example.com, valid for a year. */
function certificate(overrides: Partial<CertificateDetail> = {}): CertificateDetail {
  return {
    CertificateArn: ARN,
    Status: 'ISSUED',
    Type: 'AMAZON_ISSUED',
    DomainName: 'auth.example.com',
    SubjectAlternativeNames: ['auth.example.com'],
    KeyAlgorithm: 'RSA_2048',
    NotBefore: new Date(NOW.getTime() - DAY),
    NotAfter: new Date(NOW.getTime() + 365 * DAY),
    ...overrides
  }
}

const HOUR = 60 * 60 * 1000
const expectations: Expectations = {
  domain: 'auth.example.com',
  now: NOW,
  minDaysRemaining: 30,
  rolloutMs: HOUR
}

function titles(detail: CertificateDetail, expected: Partial<Expectations> = {}) {
  const verdict = judgeCertificate(detail, { ...expectations, ...expected })
  return {
    refusals: verdict.refusals.map((finding) => finding.title),
    warnings: verdict.warnings.map((finding) => finding.title)
  }
}

describe('covers: browser name matching', () => {
  test.each([
    ['auth.example.com', 'auth.example.com', true],
    ['AUTH.Example.COM', 'auth.example.com', true],
    ['auth.example.com.', 'auth.example.com', true],
    ['*.example.com', 'auth.example.com', true],
    ['*.EXAMPLE.com', 'auth.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'a.b.example.com', false],
    ['*.example.com', 'auth.example.org', false],
    ['*.example.com', 'authexample.com', false],
    ['*.b.example.com', 'a.b.example.com', true],
    ['*.*.example.com', 'a.b.example.com', false],
    ['a*.example.com', 'auth.example.com', false],
    ['*', 'auth', false],
    ['example.com', 'auth.example.com', false],
    ['login.example.com', 'auth.example.com', false]
  ])('%s covers %s: %s', (name, domain, expected) => {
    expect(covers(name, domain)).toBe(expected)
  })
})

describe('coverage of a certificate', () => {
  test('the domain name alone, or any subject alternative name, covers the domain', () => {
    expect(titles(certificate({ SubjectAlternativeNames: [] })).refusals).toEqual([])
    expect(
      titles(
        certificate({
          DomainName: 'www.example.com',
          SubjectAlternativeNames: ['www.example.com', '*.example.com']
        })
      ).refusals
    ).toEqual([])
  })

  test('a certificate for other names is refused, listing the names it covers', () => {
    const verdict = judgeCertificate(
      certificate({
        DomainName: 'example.com',
        SubjectAlternativeNames: ['example.com', '*.login.example.com']
      }),
      expectations
    )
    expect(verdict.refusals.map((finding) => finding.title)).toEqual(['Domain not covered'])
    expect(verdict.refusals[0]?.message).toContain(
      'does not cover auth.example.com; it covers "example.com", "*.login.example.com"'
    )
  })

  test('duplicates are listed once', () => {
    expect(coveredNames(certificate())).toEqual(['auth.example.com'])
  })
})

describe('status, type and key', () => {
  test.each([
    'PENDING_VALIDATION',
    'EXPIRED',
    'REVOKED',
    'INACTIVE',
    'VALIDATION_TIMED_OUT',
    'FAILED'
  ])('%s is refused, naming the status', (status) => {
    const verdict = judgeCertificate(certificate({ Status: status as 'ISSUED' }), expectations)
    expect(verdict.refusals.map((finding) => finding.title)).toEqual(['Certificate not issued'])
    expect(verdict.refusals[0]?.message).toContain(`is ${status}`)
  })

  test('a pending certificate is told how to get validated', () => {
    const verdict = judgeCertificate(
      certificate({ Status: 'PENDING_VALIDATION', NotBefore: undefined, NotAfter: undefined }),
      expectations
    )
    expect(verdict.refusals[0]?.message).toContain('DNS validation records')
  })

  test('a PRIVATE certificate is refused', () => {
    expect(titles(certificate({ Type: 'PRIVATE' })).refusals).toEqual(['Private certificate'])
  })

  test.each(['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1'])(
    '%s is served',
    (key) => {
      expect(titles(certificate({ KeyAlgorithm: key as 'RSA_2048' })).refusals).toEqual([])
    }
  )

  test.each(['EC_secp384r1', 'EC_secp521r1', 'ML_DSA_65', undefined])('%s is refused', (key) => {
    const verdict = judgeCertificate(
      certificate({ KeyAlgorithm: key as 'RSA_2048' | undefined }),
      expectations
    )
    expect(verdict.refusals.map((finding) => finding.title)).toEqual([
      'Key CloudFront cannot serve'
    ])
    expect(verdict.refusals[0]?.message).toContain('RSA 2048 or EC P-256')
  })

  test('every broken rule is reported, not only the first', () => {
    expect(
      titles(
        certificate({
          Status: 'EXPIRED',
          Type: 'PRIVATE',
          DomainName: 'other.example.org',
          SubjectAlternativeNames: [],
          KeyAlgorithm: 'EC_secp384r1',
          NotAfter: new Date(NOW.getTime() - DAY)
        })
      ).refusals
    ).toEqual([
      'Certificate not issued',
      'Private certificate',
      'Domain not covered',
      'Key CloudFront cannot serve',
      'Certificate expired'
    ])
  })
})

describe('dates', () => {
  const ending = (ms: number) => certificate({ NotAfter: new Date(NOW.getTime() + ms) })

  test('expired a second ago, or right now, is refused', () => {
    expect(titles(ending(-1000)).refusals).toEqual(['Certificate expired'])
    expect(titles(ending(0)).refusals).toEqual(['Certificate expired'])
  })

  test('not valid until tomorrow is refused', () => {
    const detail = certificate({ NotBefore: new Date(NOW.getTime() + DAY) })
    const verdict = judgeCertificate(detail, expectations)
    expect(verdict.refusals.map((finding) => finding.title)).toEqual(['Certificate not yet valid'])
    expect(verdict.refusals[0]?.message).toContain('not valid until 2026-11-24T12:00:00Z')
  })

  test('the min-days-remaining boundary: exactly 30 days left passes quietly', () => {
    expect(titles(ending(30 * DAY))).toEqual({ refusals: [], warnings: [] })
  })

  test('a second less than 30 days left is a warning, still applied', () => {
    const verdict = judgeCertificate(ending(30 * DAY - 1000), expectations)
    expect(verdict.refusals).toEqual([])
    expect(verdict.warnings.map((finding) => finding.title)).toEqual(['Certificate expires soon'])
    expect(verdict.warnings[0]?.message).toContain('in 29 days: fewer than min-days-remaining (30)')
  })

  test('valid for longer than the rollout, however briefly: a warning, not a refusal', () => {
    expect(titles(ending(HOUR + 1000))).toEqual({
      refusals: [],
      warnings: ['Certificate expires soon']
    })
  })

  test('expiring before its rollout is served everywhere is refused, forward or back', () => {
    expect(titles(ending(HOUR - 1000))).toEqual({
      refusals: ['Certificate expires during the rollout'],
      warnings: []
    })
    // The wait (wait-timeout-minutes) may be longer than CloudFront's hour.
    const verdict = judgeCertificate(ending(2 * HOUR), { ...expectations, rolloutMs: 3 * HOUR })
    expect(verdict.refusals.map((finding) => finding.title)).toEqual([
      'Certificate expires during the rollout'
    ])
    expect(verdict.refusals[0]?.message).toContain(
      'in 120 min: before a change to it would be served everywhere (180 min'
    )
  })

  test('the rollout window: an hour, or the wait when it is longer', () => {
    expect(rolloutWindow(15 * 60_000)).toBe(HOUR)
    expect(rolloutWindow(3 * HOUR)).toBe(3 * HOUR)
  })

  test('min-days-remaining 0 never warns about expiry', () => {
    expect(titles(ending(2 * HOUR), { minDaysRemaining: 0 }).warnings).toEqual([])
  })

  test('expiring before the certificate it replaces is a warning', () => {
    const replaced = certificate({
      CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/old',
      NotAfter: new Date(NOW.getTime() + 400 * DAY)
    })
    const verdict = judgeCertificate(certificate(), { ...expectations, replaced })
    expect(verdict.warnings.map((finding) => finding.title)).toEqual([
      'Expires before the certificate it replaces'
    ])
    expect(verdict.warnings[0]?.message).toContain(
      'certificate/old, valid until 2027-12-28T12:00:00Z'
    )
  })

  test('expiring after the certificate it replaces is fine', () => {
    const replaced = certificate({ NotAfter: new Date(NOW.getTime() + 10 * DAY) })
    expect(titles(certificate(), { replaced }).warnings).toEqual([])
  })
})

test('factsOf says what matters in one line', () => {
  expect(factsOf(certificate({ DomainName: '*.example.com' }), 'auth.example.com', NOW)).toBe(
    `${ARN}: ISSUED, AMAZON_ISSUED, RSA_2048, covers auth.example.com, valid until 2027-11-23T12:00:00Z (365 days left)`
  )
  expect(
    factsOf(
      certificate({ DomainName: '*.example.com', SubjectAlternativeNames: [] }),
      'auth.example.com',
      NOW
    )
  ).toContain('covers auth.example.com as *.example.com')
})
