import { X509Certificate } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { rootCertificates } from 'node:tls'
import { afterAll, describe, expect, test } from '@jest/globals'
import {
  ACM_IMPORT_LIMITS,
  checkPem,
  importLimitProblems,
  trustStore
} from '../../src/rules/pem.js'
import { dnsNames } from '../../src/rules/pem-leaf.js'
import { describePem } from '../../src/rules/pem-text.js'
import { extensionOids, certificateVersion } from '../../src/rules/x509-der.js'

const dir = mkdtempSync(join(tmpdir(), 'pem-trust-'))
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

const [first = '', second = ''] = rootCertificates

describe("trustStore: node's public roots and NODE_EXTRA_CA_CERTS", () => {
  test("node's bundled roots, and no extra without NODE_EXTRA_CA_CERTS", () => {
    const store = trustStore({})
    expect(store.bundled.length).toBe(rootCertificates.length)
    expect(store.bundled.length).toBeGreaterThan(100)
    expect(store.extra).toEqual([])
  })

  test('the certificates of the file NODE_EXTRA_CA_CERTS names, text around them ignored', () => {
    const path = join(dir, 'extra.pem')
    writeFileSync(path, `# a private CA\n${first}\n${second}\n`)
    const extra = trustStore({ NODE_EXTRA_CA_CERTS: path }).extra
    expect(extra.map((root) => root.fingerprint256)).toEqual([
      new X509Certificate(first).fingerprint256,
      new X509Certificate(second).fingerprint256
    ])
  })

  test.each([
    ['a missing file', join(dir, 'missing.pem')],
    ['a folder', dir],
    ['an empty name', '']
  ])('%s gives no extra root, and no error', (_, path) => {
    expect(trustStore({ NODE_EXTRA_CA_CERTS: path }).extra).toEqual([])
  })
})

describe("ACM's import limits, on the PEM sent to ImportCertificate", () => {
  const none = { certificate: undefined, privateKey: undefined, chain: undefined }

  const limited: [keyof typeof ACM_IMPORT_LIMITS, string, string][] = [
    ['certificate', 'certificate-pem', 'leaf certificate'],
    ['privateKey', 'private-key-pem', 'private key'],
    ['chain', 'certificate-chain-pem', 'chain']
  ]

  test.each(limited)('%s: its limit passes, a byte more is refused', (field, input, what) => {
    const limit = ACM_IMPORT_LIMITS[field]
    expect(importLimitProblems({ ...none, [field]: 'x'.repeat(limit) }, input)).toEqual([])
    const [problem, ...others] = importLimitProblems(
      { ...none, [field]: 'x'.repeat(limit + 1) },
      'certificate-chain-pem'
    )
    expect(others).toEqual([])
    expect(problem).toMatchObject({
      input,
      value: `(${limit + 1} bytes as PEM)`,
      rule: `gives a ${what} of ${limit + 1} bytes as PEM, more than ACM imports`
    })
    expect(problem?.fix).toContain(`at most ${limit} bytes`)
  })

  test('a chain larger than ImportCertificate takes is refused on the input that holds it', () => {
    const copies = Math.ceil(ACM_IMPORT_LIMITS.chain / first.length) + 1
    const result = checkPem(
      { certificate: first, privateKey: '', chain: second.repeat(copies) },
      {
        domain: 'auth.example.com',
        now: new Date(),
        rolloutMs: 60 * 60 * 1000,
        minDaysRemaining: 30,
        trusted: { bundled: [], extra: [] }
      }
    )
    const problems = result.ok ? [] : result.problems.map((problem) => problem.rule)
    expect(problems).toContainEqual(
      expect.stringMatching(/^gives a chain of \d+ bytes as PEM, more than ACM imports$/)
    )
  })
})

describe('PEM text and DER, read without showing them', () => {
  test.each([
    ['', '(empty)'],
    ['a password', '(text without a PEM block)'],
    [`${first}${second}`, '(PEM text: 2 certificates)'],
    [
      '-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n' + first,
      '(PEM text: 1 PRIVATE KEY block, 1 certificate)'
    ]
  ])('%j is described as %s', (text, described) => {
    expect(describePem(text)).toBe(described)
  })

  test("every public root's version and extensions, as node sees them too", () => {
    for (const pem of rootCertificates) {
      const root = new X509Certificate(pem)
      const version = certificateVersion(root.raw)
      const oids = extensionOids(root.raw)
      expect([1, 3]).toContain(version)
      if (version === 1) expect(oids).toEqual([])
      expect(oids.includes('2.5.29.17')).toBe(root.subjectAltName !== undefined)
      expect(oids.includes('2.5.29.19')).toBe(root.ca)
    }
    expect(extensionOids(Buffer.from('not DER'))).toEqual([])
    expect(certificateVersion(Buffer.from([0x30, 0x82]))).toBeUndefined()
  })

  test.each([
    [
      'DNS:a.example.com, IP Address:192.0.2.1, DNS:*.example.com',
      ['a.example.com', '*.example.com']
    ],
    // node quotes a value with a comma: a name inside another kind's value is not a DNS name.
    [
      'DNS:"a,b.example.com", email:"x, DNS:evil.example", DNS:c.example.com',
      ['a,b.example.com', 'c.example.com']
    ],
    ['', []]
  ])('the DNS names of subjectAltName %j', (subjectAltName, names) => {
    const leaf = { subjectAltName } as unknown as X509Certificate
    expect(dnsNames(leaf)).toEqual(names)
  })
})
