/**
 * The local check of a certificate given as PEM (inputs certificate-pem, private-key-pem and
 * certificate-chain-pem), run before any AWS call. It refuses what ACM would not import or the
 * domain could not serve, and gives back the three texts for ImportCertificate, re-encoded, with
 * the facts the run reports. Every broken rule is reported at once, except where a later check
 * can't run (a certificate that does not parse can't be judged).
 *
 * Pure: no AWS call, no logging, no file read (trustStore, which reads NODE_EXTRA_CA_CERTS, is
 * called by the caller). The private key and the PEM bodies appear in no returned string other
 * than the texts for ImportCertificate.
 *
 * ACM's rules used here, as documented:
 * - "Prerequisites for importing ACM certificates", ACM User Guide
 *   (https://docs.aws.amazon.com/acm/latest/userguide/import-certificate-prerequisites.html): the
 *   key algorithms (RSA_1024, RSA_2048, RSA_3072, RSA_4096, EC_prime256v1, EC_secp384r1,
 *   EC_secp521r1), X.509 version 3 only, an unencrypted private key of at most 5 KB (5,120 bytes),
 *   valid at import (NotBefore to NotAfter), all PEM.
 * - "Certificate import problems", ACM User Guide
 *   (https://docs.aws.amazon.com/acm/latest/userguide/troubleshoot-import.html): each certificate
 *   in the chain must directly certify the one preceding; the leaf is not part of the chain.
 * - ImportCertificate, ACM API Reference
 *   (https://docs.aws.amazon.com/acm/latest/APIReference/API_ImportCertificate.html), and the
 *   lengths in ACM's service model (acm 2015-12-08: CertificateBodyBlob, CertificateChainBlob,
 *   PrivateKeyBlob): Certificate 1 to 32768 bytes, CertificateChain 1 to 2097152 bytes,
 *   PrivateKey 1 to 5120 bytes.
 */
import type { CertificateDetail } from '@aws-sdk/client-acm'
import type { X509Certificate } from 'node:crypto'
import { covers, daysLeft, when, type Finding } from './certificate.js'
import type { Problem } from '../common/problem.js'
import {
  allParsed,
  CERTIFICATE_INPUT,
  CHAIN_INPUT,
  chainProblem,
  nameOf,
  readCertificates,
  type ChainSource
} from './pem-certificates.js'
import { KEY_INPUT, readPrivateKey, type ReadKey } from './pem-key.js'
import {
  acmSerial,
  chainFingerprintOf,
  fingerprintOf,
  judgeLeaf,
  leafDetail,
  leafKey
} from './pem-leaf.js'
import { describePem } from './pem-text.js'
import { anchorOf, issuedBy, type Anchor, type TrustStore } from './pem-trust.js'
import { trustWarning, transparencyWarning } from './pem-warnings.js'

export { trustStore, type TrustStore } from './pem-trust.js'
export { CERTIFICATE_INPUT, CHAIN_INPUT, KEY_INPUT }

/** The three inputs as given (certificate-chain-pem undefined or blank when left out). */
export interface PemTexts {
  certificate: string
  privateKey: string
  chain: string | undefined
}

/** What the certificate must do: serve `domain` now, and whose roots count as trusted. */
export interface PemExpectations {
  domain: string
  now: Date
  minDaysRemaining: number
  /** How long the certificate must stay valid once sent (rules/certificate.ts rolloutWindow). */
  rolloutMs: number
  trusted: TrustStore
}

/** A certificate that passed: what ImportCertificate takes, and what to say about it. */
export interface CheckedPem {
  /** The leaf alone, as PEM (re-encoded: no text around it, 64-character lines). */
  certificate: string
  /** The private key, re-encoded as PEM in its own form (PKCS #8, PKCS #1 or SEC 1). */
  privateKey: string
  /** The issuers, leaf excluded, in order from the leaf's issuer up, as PEM; undefined: none. */
  chain: string | undefined
  /** Lowercase hex byte pairs joined by colons, as ACM writes serials ("0a:1b:..."). */
  serial: string
  /** Lowercase hex of the SHA-256 of the leaf's DER, no colons (fits an ACM tag value). */
  fingerprint256: string
  /**
   * Lowercase hex of the SHA-256 of the chain's DER, its certificates in the order sent; "none"
   * when there is no chain. The same leaf with another chain is another import.
   */
  chainFingerprint256: string
  notBefore: Date
  notAfter: Date
  /** The DNS names of the leaf's subjectAltName. */
  names: string[]
  /** ACM's name of the key: RSA_1024 ... RSA_4096, EC_prime256v1, EC_secp384r1, EC_secp521r1. */
  keyAlgorithm: string
  /**
   * The leaf as ACM's DescribeCertificate would give it once imported: Status ISSUED, Type
   * IMPORTED, DomainName (CN, or the first DNS name), SubjectAlternativeNames, KeyAlgorithm,
   * NotBefore, NotAfter, Serial, Subject, Issuer (its O, or CN), and no CertificateArn yet.
   */
  detail: CertificateDetail
  /** One line, for example "serial 0a:1b, covers auth.example.com, RSA_2048, valid until ...". */
  facts: string
}

/** A passing check (the texts to import, the facts, warnings), or every problem found. */
export type PemCheck =
  { ok: true; pem: CheckedPem; warnings: Finding[] } | { ok: false; problems: Problem[] }

/** ImportCertificate's largest PEM texts, in bytes (ACM API Reference, and its service model). */
export const ACM_IMPORT_LIMITS = { certificate: 32768, privateKey: 5120, chain: 2097152 } as const

/** The certificate, key and chain as they would be sent to ImportCertificate. */
export interface ImportTexts {
  certificate: string | undefined
  privateKey: string | undefined
  chain: string | undefined
}

/**
 * Checks a certificate given as PEM, with its key and chain, against ACM's import rules and the
 * rules the action applies to any certificate for the domain. Problems name the input to change;
 * warnings (expiring soon, no trusted root, no Certificate Transparency) don't stop the run.
 */
export function checkPem(texts: PemTexts, expected: PemExpectations): PemCheck {
  const read = readInputs(texts)
  const { leaf, key, chain } = read
  const problems = [...read.problems]
  const warnings: Finding[] = []
  if (leaf !== undefined) {
    const judged = judgeLeaf(leaf, expected, describePem(texts.certificate))
    problems.push(...judged.problems, ...pairProblems(leaf, read))
    warnings.push(...judged.warnings)
  }
  problems.push(...importLimitProblems(importTexts(read), read.source?.input ?? CHAIN_INPUT))
  if (problems.length > 0 || leaf === undefined || key === undefined || chain === undefined)
    return { ok: false, problems }

  const anchor = anchorOf(chain.at(-1) ?? leaf, expected.trusted)
  for (const warning of [trustWarning(leaf, chain, anchor), transparencyWarning(leaf, anchor)])
    if (warning !== undefined) warnings.push(warning)
  return { ok: true, pem: checked(leaf, key, chain, anchor, expected), warnings }
}

/** The three inputs read: what parsed, and the problems found reading them. */
interface ReadInputs {
  /** Undefined when certificate-pem's first certificate does not parse (or there is none). */
  leaf: X509Certificate | undefined
  /** Every certificate of certificate-pem, in order (undefined where one does not parse). */
  given: (X509Certificate | undefined)[]
  key: ReadKey | undefined
  /** private-key-pem as a problem shows it. */
  keyValue: string
  /** The chain, from the input that holds it; undefined when a certificate of it won't parse. */
  chain: X509Certificate[] | undefined
  source: ChainSource | undefined
  problems: Problem[]
}

function readInputs(texts: PemTexts): ReadInputs {
  const given = readCertificates(CERTIFICATE_INPUT, texts.certificate)
  const chainText = texts.chain?.trim() === '' ? undefined : texts.chain
  const separate = chainText === undefined ? undefined : readCertificates(CHAIN_INPUT, chainText)
  const key = readPrivateKey(texts.privateKey)
  const problems = [...given.problems, ...(separate?.problems ?? [])]
  if (!key.ok) problems.push(key.problem)
  const [leaf, ...inline] = given.parsed
  let source: ChainSource | undefined
  if (inline.length > 0)
    source = { input: CERTIFICATE_INPUT, value: describePem(texts.certificate), first: 2 }
  else if (chainText !== undefined)
    source = { input: CHAIN_INPUT, value: describePem(chainText), first: 1 }
  if (separate !== undefined && inline.length > 0)
    problems.push(twoChainsProblem(describePem(chainText ?? ''), inline, separate.parsed))
  return {
    leaf,
    given: given.parsed,
    key: key.ok ? key.value : undefined,
    keyValue: describePem(texts.privateKey),
    chain: allParsed(inline.length > 0 ? inline : (separate?.parsed ?? [])),
    source,
    problems
  }
}

function twoChainsProblem(
  value: string,
  inline: (X509Certificate | undefined)[],
  separate: (X509Certificate | undefined)[]
): Problem {
  const same =
    inline.length === separate.length &&
    inline.every((one, index) => one !== undefined && separate[index]?.raw.equals(one.raw) === true)
  return {
    input: CHAIN_INPUT,
    value,
    rule: 'is given while certificate-pem already carries a chain (certificates after the leaf)',
    fix: same
      ? "Both carry the same chain: leave certificate-chain-pem out (certificate-pem, like certbot's fullchain.pem, already has it)."
      : 'Keep one chain: either certificate-pem with the leaf followed by its chain (certbot: fullchain.pem) and no certificate-chain-pem, or certificate-pem with the leaf alone (certbot: cert.pem) and the chain in certificate-chain-pem (certbot: chain.pem).'
  }
}

/** The problems between the leaf and the rest: a key that is not its key, a chain that breaks. */
function pairProblems(leaf: X509Certificate, read: ReadInputs): Problem[] {
  const problems: Problem[] = []
  if (read.key !== undefined && !matches(leaf, read.key))
    problems.push(mismatchProblem(leaf, read.key, read))
  if (read.chain !== undefined && read.source !== undefined) {
    const broken = chainProblem(leaf, read.chain, read.source)
    if (broken !== undefined) problems.push(broken)
  }
  return problems
}

function matches(certificate: X509Certificate, key: ReadKey): boolean {
  try {
    return certificate.checkPrivateKey(key.key)
  } catch {
    return false
  }
}

function mismatchProblem(leaf: X509Certificate, key: ReadKey, read: ReadInputs): Problem {
  const owner = read.given.findIndex((one) => one !== undefined && matches(one, key))
  const fix =
    owner > 0
      ? `It is the key of certificate ${owner + 1} in certificate-pem: put the leaf (the certificate for the domain) first, followed by its issuers.`
      : 'Give the key the certificate was issued for (certbot: privkey.pem from the same live/ folder as fullchain.pem; each renewal makes a new key unless --reuse-key is set), or the certificate issued for this key.'
  return {
    input: KEY_INPUT,
    value: read.keyValue,
    rule: `is not the private key of the leaf certificate in certificate-pem (${nameOf(leaf)})`,
    fix
  }
}

function importTexts(read: ReadInputs): ImportTexts {
  return {
    certificate: read.leaf?.toString(),
    privateKey: read.key?.pem,
    chain: read.chain === undefined ? undefined : chainText(read.chain)
  }
}

function chainText(chain: X509Certificate[]): string | undefined {
  return chain.length === 0
    ? undefined
    : chain.map((certificate) => certificate.toString()).join('')
}

/** A problem for each text larger than ImportCertificate takes (ACM_IMPORT_LIMITS). */
export function importLimitProblems(texts: ImportTexts, chainInput: string): Problem[] {
  const checks = [
    {
      text: texts.certificate,
      input: CERTIFICATE_INPUT,
      what: 'leaf certificate',
      limit: ACM_IMPORT_LIMITS.certificate,
      fix: 'A certificate that large carries unusual extensions or very many names: have it issued for fewer names.'
    },
    {
      text: texts.privateKey,
      input: KEY_INPUT,
      what: 'private key',
      limit: ACM_IMPORT_LIMITS.privateKey,
      fix: 'An RSA key of up to 4096 bits or any EC key fits: have the certificate issued for an RSA 2048 or EC P-256 key.'
    },
    {
      text: texts.chain,
      input: chainInput,
      what: 'chain',
      limit: ACM_IMPORT_LIMITS.chain,
      fix: "Keep only the leaf's issuers: the intermediate certificate(s), and the root at most."
    }
  ]
  return checks.flatMap(({ text, input, what, limit, fix }) => {
    const bytes = text === undefined ? 0 : Buffer.byteLength(text)
    if (bytes <= limit) return []
    return [
      {
        input,
        value: `(${bytes} bytes as PEM)`,
        rule: `gives a ${what} of ${bytes} bytes as PEM, more than ACM imports`,
        fix: `ImportCertificate takes at most ${limit} bytes for it. ${fix}`
      }
    ]
  })
}

function checked(
  leaf: X509Certificate,
  key: ReadKey,
  chain: X509Certificate[],
  anchor: Anchor | undefined,
  expected: PemExpectations
): CheckedPem {
  const detail = leafDetail(leaf)
  // judgeLeaf refuses a leaf whose dates can't be read: these are always set here.
  const notBefore = detail.NotBefore ?? new Date(Number.NaN)
  const notAfter = detail.NotAfter ?? new Date(Number.NaN)
  const keyAlgorithm = leafKey(leaf).algorithm ?? 'unknown'
  const names = detail.SubjectAlternativeNames ?? []
  const serial = acmSerial(leaf)
  const days = daysLeft(detail, expected.now) ?? 0
  const facts = [
    `serial ${serial}`,
    coverage(names, expected.domain),
    keyAlgorithm,
    `valid until ${when(notAfter)} (${days} day${days === 1 ? '' : 's'} left)`,
    chainFacts(leaf, chain, anchor)
  ].join(', ')
  return {
    certificate: leaf.toString(),
    privateKey: key.pem,
    chain: chainText(chain),
    serial,
    fingerprint256: fingerprintOf(leaf),
    chainFingerprint256: chainFingerprintOf(chain),
    notBefore,
    notAfter,
    names,
    keyAlgorithm,
    detail,
    facts
  }
}

function coverage(names: string[], domain: string): string {
  const matching = names.filter((name) => covers(name, domain))
  const match = matching.find((name) => !name.startsWith('*')) ?? matching[0] ?? domain
  return `covers ${domain}${match.toLowerCase() === domain.toLowerCase() ? '' : ` as ${match}`}`
}

function chainFacts(
  leaf: X509Certificate,
  chain: X509Certificate[],
  anchor: Anchor | undefined
): string {
  const length = chain.length === 0 ? 'no chain' : `chain of ${chain.length}`
  if (anchor === undefined) {
    const last = chain.at(-1) ?? leaf
    return `${length}${issuedBy(last, last) ? ', self-signed' : ''}, to no trusted root`
  }
  const root = nameOf(anchor.root).replace(/^CN=/, '')
  const where = anchor.store === 'bundled' ? 'a public root' : 'a root of NODE_EXTRA_CA_CERTS'
  return `${length} to ${root} (${where})`
}
