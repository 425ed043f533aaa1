import { createHash, createPublicKey, X509Certificate } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import {
  checkPem,
  type PemCheck,
  type PemExpectations,
  type PemTexts
} from '../../src/rules/pem.js'
import { colonHex } from '../../src/aws/tls.js'
import { DOMAIN, makePki, NOW, removePki, type Pki } from '../support/pki.js'

const CERT = 'certificate-pem'
const KEY = 'private-key-pem'
const CHAIN = 'certificate-chain-pem'

let pki: Pki
beforeAll(async () => {
  pki = await makePki()
})
afterAll(() => removePki(pki))

/**
 * One case: the inputs (by default the RSA leaf followed by its intermediate, and its key), whose
 * roots count as trusted (by default the test root as a private CA), and the outcome: the problems
 * as [input, part of the rule] in order, or the titles of the warnings.
 */
interface Case {
  texts: (pki: Pki) => Partial<PemTexts>
  expected?: Partial<Omit<PemExpectations, 'trusted'>>
  trust?: 'private' | 'public' | 'none'
  problems?: [string, string][]
  warnings?: string[]
  /** Parts of the fixes, each in some problem's fix. */
  fixes?: string[]
}

function check(one: Case): PemCheck {
  const root = [new X509Certificate(pki.root)]
  const trust = one.trust ?? 'private'
  const trusted = {
    bundled: trust === 'public' ? root : [],
    extra: trust === 'private' ? root : []
  }
  return checkPem(
    {
      certificate: pki.leaf.rsa + pki.intermediate,
      privateKey: pki.key.rsa,
      chain: undefined,
      ...one.texts(pki)
    },
    {
      domain: DOMAIN,
      now: NOW,
      minDaysRemaining: 30,
      rolloutMs: 3_600_000,
      trusted,
      ...one.expected
    }
  )
}

function outcome(result: PemCheck) {
  return result.ok
    ? { warnings: result.warnings.map((warning) => warning.title) }
    : { problems: result.problems.map((problem) => [problem.input, problem.rule]) }
}

/** A PEM with its third line (part of the DER's header) left out, as a bad copy does. */
const damaged = (pem: string): string =>
  pem
    .split('\n')
    .filter((_, index) => index !== 2)
    .join('\n')
const bagAttributes = (pem: string): string =>
  `Bag Attributes\n    localKeyID: 01 00 00 00\nsubject=CN = ${DOMAIN}\n\n${pem}`

const ACCEPTED = {
  'the leaf followed by its chain (fullchain.pem), under a private CA': { texts: () => ({}) },
  'the chain in certificate-chain-pem': {
    texts: (p) => ({ certificate: p.leaf.rsa, chain: p.intermediate })
  },
  'a blank certificate-chain-pem, as left out': { texts: () => ({ chain: ' \n' }) },
  "openssl's Bag Attributes around the blocks, and CRLF line ends": {
    texts: (p) => ({
      certificate: bagAttributes(p.leaf.rsa + p.intermediate).replace(/\n/g, '\r\n'),
      privateKey: bagAttributes(p.key.rsa)
    })
  },
  'line breaks turned into spaces (a secret pasted as one line)': {
    texts: (p) => ({
      certificate: (p.leaf.rsa + p.intermediate).replace(/\n/g, ' '),
      privateKey: p.key.rsa.replace(/\n/g, ' ')
    })
  },
  'line breaks written as \\n (a secret saved from a JSON string)': {
    texts: (p) => ({
      certificate: (p.leaf.rsa + p.intermediate).replace(/\n/g, '\\n'),
      privateKey: p.key.rsa.replace(/\n/g, '\\n')
    })
  },
  'a chain that includes its root': {
    texts: (p) => ({ certificate: p.leaf.rsa + p.intermediate + p.root })
  },
  'a PKCS #1 RSA key': { texts: (p) => ({ privateKey: p.key.rsaPkcs1 }) },
  'an EC P-256 key in SEC 1, after its EC PARAMETERS block': {
    texts: (p) => ({ certificate: p.leaf.ec256 + p.intermediate, privateKey: p.key.ec256 })
  },
  'an RSA 4096 key': {
    texts: (p) => ({ certificate: p.leaf.rsa4096 + p.intermediate, privateKey: p.key.rsa4096 })
  },
  'a wildcard one label above the domain': {
    texts: (p) => ({ certificate: p.leaf.wildcard + p.intermediate })
  },
  'a publicly trusted leaf with embedded SCTs': {
    texts: (p) => ({ certificate: p.leaf.sct + p.intermediate }),
    trust: 'public'
  },
  'a publicly trusted leaf without SCTs': {
    texts: () => ({}),
    trust: 'public',
    warnings: ['No Certificate Transparency timestamps']
  },
  'the leaf without its chain (cert.pem)': {
    texts: (p) => ({ certificate: p.leaf.rsa }),
    warnings: ['Chain leads to no trusted root']
  },
  'a chain to a root nobody trusts': {
    texts: () => ({}),
    trust: 'none',
    warnings: ['Chain leads to no trusted root']
  },
  'a self-signed leaf': {
    texts: (p) => ({ certificate: p.leaf.selfSigned }),
    warnings: ['Chain leads to no trusted root']
  },
  'a leaf with fewer days left than min-days-remaining': {
    texts: () => ({}),
    expected: { minDaysRemaining: 120 },
    warnings: ['Certificate expires soon']
  }
} satisfies Record<string, Case>

const REFUSED = {
  'an expired leaf': {
    texts: (p) => ({ certificate: p.leaf.expired + p.intermediate }),
    problems: [[CERT, 'Certificate expired']],
    fixes: ['run again with its PEM']
  },
  'a leaf not yet valid': {
    texts: (p) => ({ certificate: p.leaf.notYetValid + p.intermediate }),
    problems: [[CERT, 'Certificate not yet valid']]
  },
  'a leaf whose CN names the domain but whose subjectAltName does not': {
    texts: (p) => ({ certificate: p.leaf.otherName + p.intermediate }),
    problems: [[CERT, 'Domain not covered']]
  },
  'a wildcard two labels above the domain': {
    texts: (p) => ({ certificate: p.leaf.wildcard + p.intermediate }),
    expected: { domain: `a.${DOMAIN}` },
    problems: [[CERT, 'Domain not covered']]
  },
  'a leaf without subjectAltName': {
    texts: (p) => ({ certificate: p.leaf.noSan + p.intermediate }),
    problems: [[CERT, 'without a subjectAltName DNS name']],
    fixes: ['subjectAltName=DNS:auth.example.com']
  },
  'an X.509 version 1 leaf': {
    texts: (p) => ({ certificate: p.leaf.version1 + p.intermediate }),
    // openssl x509 -req dates it from now, for 30 days.
    expected: { now: new Date(Date.now() + 24 * 60 * 60 * 1000) },
    problems: [
      [CERT, 'certificate 1 (CN=request) of X.509 version 1'],
      [CERT, 'without a subjectAltName DNS name']
    ]
  },
  'an EC P-384 key (ACM imports it, CloudFront does not serve it)': {
    texts: (p) => ({ certificate: p.leaf.ec384 + p.intermediate, privateKey: p.key.ec384 }),
    problems: [[CERT, 'Key CloudFront cannot serve']]
  },
  'an Ed25519 key': {
    texts: (p) => ({ certificate: p.leaf.ed25519 + p.intermediate, privateKey: p.key.ed25519 }),
    problems: [[CERT, 'ed25519 key, which ACM does not import']]
  },
  'a leaf larger than ImportCertificate takes': {
    texts: (p) => ({ certificate: p.leaf.big + p.intermediate }),
    problems: [[CERT, 'gives a leaf certificate of 35']]
  },
  'text without a certificate': {
    texts: () => ({ certificate: 'auth.example.com' }),
    problems: [[CERT, 'holds no CERTIFICATE block']]
  },
  'a certificate request': {
    texts: () => ({
      certificate: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n'
    }),
    problems: [[CERT, 'holds a CERTIFICATE REQUEST block']]
  },
  'a private key in certificate-pem': {
    texts: (p) => ({ certificate: p.leaf.rsa + p.key.rsa + p.intermediate }),
    problems: [[CERT, 'holds a private key']],
    fixes: ['belongs in private-key-pem']
  },
  'a damaged certificate': {
    texts: (p) => ({ certificate: damaged(p.leaf.rsa) + p.intermediate }),
    problems: [[CERT, 'certificate 1 that does not parse as X.509']]
  },
  'a certificate cut before its END line': {
    texts: (p) => ({
      certificate: p.leaf.rsa.replace('-----END CERTIFICATE-----', '') + p.intermediate
    }),
    problems: [[CERT, 'without its matching -----END line']]
  },
  'a chain in both certificate-pem and certificate-chain-pem': {
    texts: (p) => ({ chain: p.intermediate }),
    problems: [[CHAIN, 'certificate-pem already carries a chain']],
    fixes: ['leave certificate-chain-pem out']
  },
  'a chain from another CA': {
    texts: (p) => ({ certificate: p.leaf.rsa + p.otherRoot }),
    problems: [[CERT, 'certificate 2 (CN=Other Root CA) that did not issue the leaf']],
    fixes: ['must be its issuer, CN=Test Intermediate CA']
  },
  'a chain out of order': {
    texts: (p) => ({ certificate: p.leaf.rsa + p.root + p.intermediate }),
    problems: [[CERT, 'certificate 2 (CN=Test Root CA) that did not issue the leaf']],
    fixes: ['as certificate 3, but out of order']
  },
  'the leaf again in certificate-chain-pem': {
    texts: (p) => ({ certificate: p.leaf.rsa, chain: p.leaf.rsa + p.intermediate }),
    problems: [[CHAIN, 'certificate 1 (CN=auth.example.com) that did not issue the leaf']],
    fixes: ['It is the leaf again']
  },
  'an intermediate of the same name with another key': {
    texts: (p) => ({ certificate: p.leaf.rsa + p.impostor }),
    problems: [[CERT, 'certificate 2 (CN=Test Intermediate CA) that did not issue the leaf']],
    fixes: ['its key did not sign CN=auth.example.com']
  },
  'certificates after the root': {
    texts: (p) => ({ certificate: p.leaf.rsa + p.intermediate + p.root + p.otherRoot }),
    problems: [[CERT, 'certificate 4 (CN=Other Root CA) that did not issue certificate 3']],
    fixes: ['CN=Test Root CA is a root']
  },
  'the intermediate before the leaf': {
    texts: (p) => ({ certificate: p.intermediate + p.leaf.rsa }),
    problems: [
      [CERT, 'without a subjectAltName DNS name'],
      [KEY, 'is not the private key of the leaf certificate'],
      [CERT, 'certificate 2 (CN=auth.example.com) that did not issue the leaf']
    ],
    fixes: ['It is the key of certificate 2', 'It is the other way round']
  },
  'an encrypted PKCS #8 key': {
    texts: (p) => ({ privateKey: p.key.encrypted }),
    problems: [[KEY, 'holds an encrypted private key (ENCRYPTED PRIVATE KEY)']],
    fixes: ['openssl pkey -in key.pem -out key-decrypted.pem']
  },
  'a legacy encrypted RSA key': {
    texts: (p) => ({ privateKey: p.key.legacyEncrypted }),
    problems: [[KEY, 'Proc-Type: 4,ENCRYPTED']],
    fixes: ['openssl pkey -in key.pem -out key-decrypted.pem']
  },
  'the certificate given as the key': {
    texts: (p) => ({ privateKey: p.leaf.rsa }),
    problems: [[KEY, 'holds a certificate, not a private key']]
  },
  'a public key': {
    texts: (p) => ({
      privateKey: createPublicKey(p.key.rsa).export({ type: 'spki', format: 'pem' }).toString()
    }),
    problems: [[KEY, 'holds a public key']]
  },
  'an OpenSSH key': {
    texts: () => ({
      privateKey:
        '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----'
    }),
    problems: [[KEY, 'OPENSSH PRIVATE KEY block, a kind of key ACM does not import']]
  },
  'a damaged key': {
    texts: (p) => ({ privateKey: damaged(p.key.rsa) }),
    problems: [[KEY, 'PRIVATE KEY block that does not parse']]
  },
  'two keys': {
    texts: (p) => ({ privateKey: p.key.rsa + p.key.mismatched }),
    problems: [[KEY, 'holds 2 private keys']]
  },
  'the key of another certificate': {
    texts: (p) => ({ privateKey: p.key.mismatched }),
    problems: [[KEY, 'is not the private key of the leaf certificate in certificate-pem']],
    fixes: ['privkey.pem']
  },
  'every broken rule at once': {
    texts: (p) => ({
      certificate: p.leaf.expired + p.otherRoot,
      privateKey: p.key.encrypted,
      chain: p.intermediate
    }),
    problems: [
      [KEY, 'encrypted private key'],
      [CHAIN, 'certificate-pem already carries a chain'],
      [CERT, 'Certificate expired'],
      [CERT, 'certificate 2 (CN=Other Root CA)']
    ]
  }
} satisfies Record<string, Case>

describe('checkPem: what it accepts, and its warnings', () => {
  test.each(Object.entries<Case>(ACCEPTED))('%s', (_, one) => {
    expect(outcome(check(one))).toEqual({ warnings: one.warnings ?? [] })
  })
})

describe('checkPem: what it refuses, naming the input and the rule', () => {
  test.each(Object.entries<Case>(REFUSED))('%s', (_, one) => {
    const result = check(one)
    const problems = (one.problems ?? []).map(([input, rule]) => [
      input,
      expect.stringContaining(rule)
    ])
    expect(outcome(result)).toEqual({ problems })
    const fixes = result.ok ? [] : result.problems.map((problem) => problem.fix).join('\n')
    for (const fix of one.fixes ?? []) expect(fixes).toContain(fix)
  })
})

describe('what a passing check gives', () => {
  test('the texts for ImportCertificate, re-encoded without the text around the blocks', () => {
    const result = check(ACCEPTED["openssl's Bag Attributes around the blocks, and CRLF line ends"])
    if (!result.ok) throw new Error('refused')
    expect(result.pem.certificate).toBe(new X509Certificate(pki.leaf.rsa).toString())
    expect(result.pem.chain).toBe(new X509Certificate(pki.intermediate).toString())
    expect(result.pem.privateKey).toMatch(
      /^-----BEGIN PRIVATE KEY-----\n[^-]+-----END PRIVATE KEY-----\n$/
    )
    const ec = check(ACCEPTED['an EC P-256 key in SEC 1, after its EC PARAMETERS block'])
    expect(ec.ok && ec.pem.privateKey).toMatch(
      /^-----BEGIN EC PRIVATE KEY-----\n[^-]+-----END EC PRIVATE KEY-----\n$/
    )
    const pkcs1 = check(ACCEPTED['a PKCS #1 RSA key'])
    expect(pkcs1.ok && pkcs1.pem.privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/)
    const alone = check(ACCEPTED['the leaf without its chain (cert.pem)'])
    expect(alone.ok && alone.pem.chain).toBeUndefined()
  })

  test('serial, fingerprint, dates, names, the detail ACM would give, and one line of facts', () => {
    const result = check({ texts: () => ({}), trust: 'public' })
    if (!result.ok) throw new Error('refused')
    const leaf = new X509Certificate(pki.leaf.rsa)
    const { serial, detail } = result.pem
    expect(serial).toBe(colonHex(leaf.serialNumber))
    expect(result.pem.fingerprint256).toBe(leaf.fingerprint256.replace(/:/g, '').toLowerCase())
    // The chain's own fingerprint: the same leaf with another chain is another certificate.
    const intermediate = new X509Certificate(pki.intermediate)
    expect(result.pem.chainFingerprint256).toBe(
      createHash('sha256').update(intermediate.raw).digest('hex')
    )
    const alone = check({ texts: (p) => ({ certificate: p.leaf.rsa }), trust: 'public' })
    expect(alone.ok && alone.pem.chainFingerprint256).toBe('none')
    expect(detail).toEqual({
      CertificateArn: undefined,
      Status: 'ISSUED',
      Type: 'IMPORTED',
      DomainName: DOMAIN,
      SubjectAlternativeNames: [DOMAIN],
      KeyAlgorithm: 'RSA_2048',
      NotBefore: new Date('2026-05-01T00:00:00Z'),
      NotAfter: new Date('2026-08-30T00:00:00Z'),
      Serial: serial,
      Subject: `CN=${DOMAIN}`,
      Issuer: 'Test Intermediate CA'
    })
    const { notBefore, notAfter, names, keyAlgorithm } = result.pem
    expect([notBefore, notAfter, names, keyAlgorithm]).toEqual([
      detail.NotBefore,
      detail.NotAfter,
      detail.SubjectAlternativeNames,
      detail.KeyAlgorithm
    ])
    expect(result.pem.facts).toBe(
      `serial ${serial}, covers ${DOMAIN}, RSA_2048, valid until 2026-08-30T00:00:00Z (90 days left), chain of 1 to Test Root CA (a public root)`
    )
  })

  test('facts say how a wildcard covers the domain, and a chain that leads nowhere', () => {
    const wildcard = check(ACCEPTED['a wildcard one label above the domain'])
    expect(wildcard.ok && wildcard.pem.facts).toContain(`covers ${DOMAIN} as *.example.com`)
    const self = check(ACCEPTED['a self-signed leaf'])
    expect(self.ok && self.pem.facts).toContain('no chain, self-signed, to no trusted root')
  })
})

describe('secrets', () => {
  /** The base64 lines of PEM texts (short ones could match by chance). */
  const bodyLines = (...texts: string[]): string[] =>
    texts
      .flatMap((text) => text.split(/\r?\n/))
      .filter((line) => /^[A-Za-z0-9+/=]{16,}$/.test(line))
  const keys = (): string[] => Object.values(pki.key)

  test.each(Object.entries<Case>({ ...ACCEPTED, ...REFUSED }))(
    '%s: no returned string holds a line of a key or of a PEM body',
    (_, one) => {
      const result = check(one)
      const given = Object.values(one.texts(pki)).filter((text) => text !== undefined)
      const said = JSON.stringify(
        result.ok
          ? { ...result.pem, certificate: '', privateKey: '', chain: '', warnings: result.warnings }
          : result.problems
      )
      const shown = (line: string): boolean => said.includes(line)
      expect(bodyLines(pki.leaf.rsa, pki.intermediate, ...given, ...keys()).filter(shown)).toEqual(
        []
      )
      expect(said).not.toMatch(/-----BEGIN [A-Z ]+-----\s*\n/)
      if (!result.ok) return
      const sent = `${result.pem.certificate}${result.pem.chain ?? ''}`
      expect(bodyLines(...keys()).filter((line) => sent.includes(line))).toEqual([])
    }
  )
})
