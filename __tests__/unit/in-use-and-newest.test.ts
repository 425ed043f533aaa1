import type { CertificateDetail } from '@aws-sdk/client-acm'
import { describe, expect, test } from '@jest/globals'
import type { Reading } from '../../src/rules/certificate.js'
import { daysLeft, judgeInUse } from '../../src/rules/certificate.js'
import { chooseNewest, finalistsOf } from '../../src/rules/newest.js'

const DAY = 24 * 60 * 60 * 1000
const NOW = new Date('2026-11-23T12:00:00Z')
const DOMAIN = 'auth.example.com'
const arn = (name: string) => `arn:aws:acm:us-east-1:123456789012:certificate/${name}`

/** An ISSUED, public RSA 2048 certificate for the domain, expiring in `days`. */
function certificate(name: string, days: number, more: Partial<CertificateDetail> = {}) {
  return {
    CertificateArn: arn(name),
    Status: 'ISSUED',
    Type: 'IMPORTED',
    DomainName: DOMAIN,
    SubjectAlternativeNames: [DOMAIN],
    KeyAlgorithm: 'RSA_2048',
    NotBefore: new Date(NOW.getTime() - DAY),
    NotAfter: new Date(NOW.getTime() + days * DAY),
    ...more
  } satisfies CertificateDetail
}

describe('the certificate in use', () => {
  const judge = (detail: CertificateDetail, minDaysRemaining = 30) => {
    const verdict = judgeInUse(detail, { domain: DOMAIN, now: NOW, minDaysRemaining })
    return {
      refusals: verdict.refusals.map((finding) => finding.title),
      warnings: verdict.warnings.map((finding) => finding.title)
    }
  }

  test.each<[string, CertificateDetail, string[], string[]]>([
    ['valid for long', certificate('a', 200), [], []],
    [
      'expiring within min-days-remaining',
      certificate('a', 5),
      [],
      ['Certificate in use expires soon']
    ],
    ['exactly min-days-remaining left', certificate('a', 30), [], []],
    ['EXPIRED', certificate('a', -2, { Status: 'EXPIRED' }), ['Certificate in use not issued'], []],
    [
      'REVOKED',
      certificate('a', 100, { Status: 'REVOKED' }),
      ['Certificate in use not issued'],
      []
    ],
    ['ISSUED but past NotAfter', certificate('a', -1), ['Certificate in use expired'], []],
    // CloudFront serves it already: coverage and key type are the pre-flight's concern.
    [
      'not covering the domain',
      certificate('a', 200, { DomainName: 'x.example.org', SubjectAlternativeNames: [] }),
      [],
      []
    ]
  ])('%s', (_, detail, refusals, warnings) => {
    expect(judge(detail)).toEqual({ refusals, warnings })
  })

  test('says what breaks and what to do', () => {
    const [refusal] = judgeInUse(certificate('a', -1), {
      domain: DOMAIN,
      now: NOW,
      minDaysRemaining: 30
    }).refusals
    expect(refusal?.message).toContain(`which ${DOMAIN} serves now, expired on`)
    expect(refusal?.message).toContain('Browsers refuse the sign-in page')
    expect(refusal?.message).toContain('certificate-arn: newest')
  })

  test('days left are whole days, rounded down', () => {
    expect(daysLeft(certificate('a', 5), NOW)).toBe(5)
    expect(daysLeft({ NotAfter: new Date(NOW.getTime() + 5 * DAY - 1) }, NOW)).toBe(4)
    expect(daysLeft({ NotAfter: new Date(NOW.getTime() - 1) }, NOW)).toBe(-1)
    expect(daysLeft({}, NOW)).toBeUndefined()
  })
})

describe('certificate-arn: newest', () => {
  const read = (detail: CertificateDetail): Reading => ({
    arn: detail.CertificateArn ?? '',
    state: 'read',
    certificate: detail
  })
  const choose = (readings: Reading[], current: string | undefined = arn('current')) =>
    chooseNewest({
      domain: DOMAIN,
      now: NOW,
      minDaysRemaining: 30,
      rolloutMs: 60 * 60 * 1000,
      currentArn: current,
      setAside: [],
      readings
    })

  test('the candidate that expires last', () => {
    const choice = choose([
      read(certificate('current', 100)),
      read(certificate('b', 300)),
      read(certificate('c', 200))
    ])
    expect(choice.arn).toBe(arn('b'))
    expect(choice.lines).toContain(
      `${arn('b')}: valid until 2027-09-19T12:00:00Z, chosen: it expires last`
    )
  })

  test('the current certificate is kept when nothing expires later, ties included', () => {
    expect(choose([read(certificate('current', 300)), read(certificate('b', 200))]).arn).toBe(
      arn('current')
    )
    expect(choose([read(certificate('b', 300)), read(certificate('current', 300))]).arn).toBe(
      arn('current')
    )
  })

  test('candidates that fail a rule are set aside, with the rule', () => {
    const choice = choose([
      read(certificate('current', 100)),
      read(certificate('private', 900, { Type: 'PRIVATE' })),
      read(certificate('p384', 800, { KeyAlgorithm: 'EC_secp384r1' })),
      read(
        certificate('other', 700, { DomainName: 'other.example.com', SubjectAlternativeNames: [] })
      ),
      read(certificate('later', 50, { NotBefore: new Date(NOW.getTime() + DAY) })),
      { arn: arn('denied'), state: 'denied', why: 'AccessDenied' }
    ])
    expect(choice.arn).toBe(arn('current'))
    expect(choice.lines).toEqual(
      expect.arrayContaining([
        `${arn('private')}: set aside (private certificate)`,
        `${arn('p384')}: set aside (key cloudfront cannot serve)`,
        `${arn('other')}: set aside (domain not covered)`,
        `${arn('later')}: set aside (certificate not yet valid)`,
        `${arn('denied')}: set aside, ACM did not describe it: AccessDenied`
      ])
    )
  })

  test('a current certificate that no longer passes is no bar: the best valid one is chosen', () => {
    const choice = choose([
      read(certificate('current', 900, { Status: 'REVOKED' })),
      read(certificate('b', 100))
    ])
    expect(choice.arn).toBe(arn('b'))
  })

  test('no valid candidate: no choice, and a failure that says what was looked at', () => {
    const choice = choose([read(certificate('current', -1, { Status: 'EXPIRED' }))])
    expect(choice.arn).toBeUndefined()
    expect(choice.failure).toContain(`No certificate in ACM is ISSUED, covers ${DOMAIN}`)
    expect(choice.failure).toContain('1 looked at')
  })

  test('finalists: listed names that cover the domain, listings that hide names, and the current one', () => {
    const { finalists, setAside } = finalistsOf(
      [
        {
          CertificateArn: arn('exact'),
          DomainName: DOMAIN,
          SubjectAlternativeNameSummaries: [DOMAIN]
        },
        {
          CertificateArn: arn('wild'),
          DomainName: 'example.com',
          SubjectAlternativeNameSummaries: ['example.com', '*.example.com']
        },
        {
          CertificateArn: arn('other'),
          DomainName: 'other.example.com',
          SubjectAlternativeNameSummaries: ['other.example.com']
        },
        {
          CertificateArn: arn('more'),
          DomainName: 'a.example.org',
          SubjectAlternativeNameSummaries: ['a.example.org'],
          HasAdditionalSubjectAlternativeNames: true
        },
        { CertificateArn: arn('unlisted'), DomainName: 'b.example.org' }
      ],
      DOMAIN,
      arn('current')
    )
    expect(finalists).toEqual([
      arn('exact'),
      arn('wild'),
      arn('more'),
      arn('unlisted'),
      arn('current')
    ])
    expect(setAside.map((summary) => summary.CertificateArn)).toEqual([arn('other')])
  })
})
