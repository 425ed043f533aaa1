/**
 * The leaf of certificate-pem as ACM would describe it once imported, judged by the same rules as
 * a certificate given by ARN (certificate-rules.ts), and by what only a PEM can break: a leaf
 * without a subjectAltName DNS name (browsers ignore the CN) or with a key ACM does not import.
 */
import type { CertificateDetail, KeyAlgorithm } from '@aws-sdk/client-acm'
import { createHash, type X509Certificate } from 'node:crypto'
import { colonHex, judgeCertificate, type Finding } from './certificate.js'
import type { Problem } from '../common/problem.js'
import { attributeOf, CERTIFICATE_INPUT, nameOf } from './pem-certificates.js'

/** The leaf's key, by ACM's name when ACM imports it, and in words for a message. */
export interface LeafKey {
  algorithm: KeyAlgorithm | undefined
  shown: string
}

/** The curves ACM imports, by node's name (OpenSSL's short names). */
const EC_CURVES: Record<string, KeyAlgorithm> = {
  prime256v1: 'EC_prime256v1',
  secp384r1: 'EC_secp384r1',
  secp521r1: 'EC_secp521r1'
}

const RSA_SIZES: Record<number, KeyAlgorithm> = {
  1024: 'RSA_1024',
  2048: 'RSA_2048',
  3072: 'RSA_3072',
  4096: 'RSA_4096'
}

/** What ACM takes the certificate's key to be (from its public key). */
export function leafKey(leaf: X509Certificate): LeafKey {
  const key = leaf.publicKey
  const details = key.asymmetricKeyDetails ?? {}
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength ?? 0
    return { algorithm: RSA_SIZES[bits], shown: `RSA ${bits}-bit` }
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = details.namedCurve ?? 'unnamed curve'
    return { algorithm: EC_CURVES[curve], shown: `EC ${curve}` }
  }
  return { algorithm: undefined, shown: key.asymmetricKeyType ?? 'unknown' }
}

/** The DNS names of the subjectAltName, in order (other kinds, such as IP addresses, left out). */
export function dnsNames(leaf: X509Certificate): string[] {
  const text = leaf.subjectAltName ?? ''
  // node writes "DNS:a.example.com, IP Address:192.0.2.1", quoting as JSON a value with a comma.
  const entry = /([A-Za-z ]+):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/gy
  const names: string[] = []
  for (const [, kind, value = ''] of text.matchAll(entry))
    if (kind === 'DNS') names.push(unquoted(value))
  return names
}

function unquoted(value: string): string {
  if (!value.startsWith('"')) return value
  try {
    return String(JSON.parse(value))
  } catch {
    return value
  }
}

/** The serial as ACM writes it: lowercase hex byte pairs joined by colons ("0a:1b:2c"). */
export function acmSerial(leaf: X509Certificate): string {
  return colonHex(leaf.serialNumber)
}

/** Lowercase hex of the SHA-256 of the certificate's DER, without colons. */
export function fingerprintOf(leaf: X509Certificate): string {
  return createHash('sha256').update(leaf.raw).digest('hex')
}

/** Lowercase hex of the SHA-256 of the chain's DER in order, or "none" for no chain. */
export function chainFingerprintOf(chain: X509Certificate[]): string {
  if (chain.length === 0) return 'none'
  const hash = createHash('sha256')
  for (const issuer of chain) hash.update(issuer.raw)
  return hash.digest('hex')
}

/** A date as node's X509Certificate writes it ("May  1 00:00:00 2026 GMT"), if it reads. */
export function dateOf(text: string): Date | undefined {
  const date = new Date(text)
  return Number.isNaN(date.getTime()) ? undefined : date
}

/**
 * The leaf as ACM's DescribeCertificate would give it once imported: ISSUED, IMPORTED, named by
 * its CN (or first DNS name), with no ARN yet.
 */
export function leafDetail(leaf: X509Certificate): CertificateDetail {
  const names = dnsNames(leaf)
  return {
    CertificateArn: undefined,
    Status: 'ISSUED',
    Type: 'IMPORTED',
    DomainName: attributeOf(leaf.subject, 'CN') ?? names[0],
    SubjectAlternativeNames: names,
    KeyAlgorithm: leafKey(leaf).algorithm,
    NotBefore: dateOf(leaf.validFrom),
    NotAfter: dateOf(leaf.validTo),
    Serial: acmSerial(leaf),
    Subject: leaf.subject.split('\n').join(', '),
    Issuer: attributeOf(leaf.issuer, 'O') ?? attributeOf(leaf.issuer, 'CN') ?? leaf.issuer
  }
}

/** How the leaf is named where the shared rules would name a certificate by its ARN. */
const LEAF = 'in certificate-pem'

/**
 * The leaf judged as the action judges a certificate in ACM. Only its DNS names count for
 * coverage, as browsers ignore the CN. Refusals become problems of certificate-pem; warnings stay
 * warnings.
 */
export function judgeLeaf(
  leaf: X509Certificate,
  expected: { domain: string; now: Date; minDaysRemaining: number; rolloutMs: number },
  value: string
): { problems: Problem[]; warnings: Finding[] } {
  const detail = leafDetail(leaf)
  const names = detail.SubjectAlternativeNames ?? []
  const key = leafKey(leaf)
  const judged = { ...detail, CertificateArn: LEAF, DomainName: names[0] }
  const verdict = judgeCertificate(judged, expected)
  const problem = (rule: string, fix: string): Problem => ({
    input: CERTIFICATE_INPUT,
    value,
    rule,
    fix
  })
  const problems: Problem[] = []
  if (detail.NotBefore === undefined || detail.NotAfter === undefined)
    problems.push(
      problem(
        'has a leaf certificate whose validity dates cannot be read',
        'Check the certificate with `openssl x509 -in certificate.pem -noout -dates`, and have it issued again if its dates are damaged.'
      )
    )
  if (names.length === 0) problems.push(problem(noNamesRule, noNamesFix(leaf, expected.domain)))
  if (key.algorithm === undefined)
    problems.push(
      problem(`has a leaf certificate for a ${key.shown} key, which ACM does not import`, KEY_FIX)
    )
  const refusals = verdict.refusals.filter(
    (finding) =>
      !(names.length === 0 && finding.title === 'Domain not covered') &&
      !(key.algorithm === undefined && finding.title === 'Key CloudFront cannot serve')
  )
  for (const finding of refusals)
    problems.push(
      problem(
        `has a leaf certificate the domain cannot use: ${finding.title}`,
        inPemWords(finding.message)
      )
    )
  const warnings = verdict.warnings.map((finding) => ({
    ...finding,
    message: inPemWords(finding.message)
  }))
  return { problems, warnings }
}

const noNamesRule = 'has a leaf certificate without a subjectAltName DNS name'

function noNamesFix(leaf: X509Certificate, domain: string): string {
  return `Browsers ignore the subject (${nameOf(leaf)}) and match the host name against subjectAltName DNS names only, so they would refuse it for ${domain}. Have it issued with subjectAltName DNS:${domain} (openssl: -addext "subjectAltName=DNS:${domain}"; every public CA does this).`
}

const KEY_FIX =
  'ACM imports RSA keys of 1024, 2048, 3072 or 4096 bits and EC keys on P-256, P-384 or P-521, and CloudFront serves RSA and EC P-256 only. Have the certificate issued for an RSA 2048 or EC P-256 key (certbot: --key-type rsa --rsa-key-size 2048, or --key-type ecdsa --elliptic-curve secp256r1).'

/** The shared rules' advice, where it speaks of a certificate given by ARN. */
function inPemWords(message: string): string {
  return message.replaceAll('run again with its ARN', 'run again with its PEM')
}
