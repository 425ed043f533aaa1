/**
 * The certificate-pem and certificate-chain-pem inputs: CERTIFICATE blocks that parse as X.509
 * version 3 (the only version ACM imports), and a chain in which each certificate issued the one
 * before it. Problems name a certificate by its place in the input and its subject, never by its
 * text.
 */
import { X509Certificate } from 'node:crypto'
import { oneLine } from '../common/display.js'
import type { Problem } from '../common/problem.js'
import { describePem, keyBlocks, readPem, type PemBlock } from './pem-text.js'
import { issuedBy, signedBy } from './pem-trust.js'
import { certificateVersion } from './x509-der.js'

/** The input that holds the leaf, optionally followed by its chain (as certbot's fullchain.pem). */
export const CERTIFICATE_INPUT = 'certificate-pem'
/** The input that holds the chain when certificate-pem holds the leaf alone. */
export const CHAIN_INPUT = 'certificate-chain-pem'

/** The certificates of one input, in order, and what is wrong with them. */
export interface ReadCertificates {
  /** One per CERTIFICATE block, in order: undefined where a block does not parse. */
  parsed: (X509Certificate | undefined)[]
  problems: Problem[]
}

/** The certificates, when every block parsed (later checks can rely on the list). */
export function allParsed(
  parsed: readonly (X509Certificate | undefined)[]
): X509Certificate[] | undefined {
  const certificates = parsed.flatMap((one) => (one === undefined ? [] : [one]))
  return certificates.length === parsed.length ? certificates : undefined
}

/** Where a chain came from: its input, and the place of its first certificate there. */
export interface ChainSource {
  input: string
  value: string
  /** 2 when the chain follows the leaf in certificate-pem, 1 in certificate-chain-pem. */
  first: number
}

const OTHER_BLOCK_FIXES: Record<string, string> = {
  'TRUSTED CERTIFICATE':
    "This is openssl's trusted-certificate form; convert it with `openssl x509 -in trusted.pem -out certificate.pem` and give the result.",
  'CERTIFICATE REQUEST':
    'A certificate request (CSR) is what you send the CA; give the certificate it issued instead.',
  'NEW CERTIFICATE REQUEST':
    'A certificate request (CSR) is what you send the CA; give the certificate it issued instead.',
  PKCS7:
    'Convert the PKCS #7 bundle to certificates with `openssl pkcs7 -print_certs -in bundle.p7b -out certificates.pem` and give the result.'
}

/** The certificates of certificate-pem (the leaf first) or certificate-chain-pem. */
export function readCertificates(input: string, text: string): ReadCertificates {
  const pem = readPem(text)
  const value = describePem(text)
  const refuse = (rule: string, fix: string): Problem => ({ input, value, rule, fix })
  const problems: Problem[] = []
  if (pem.unterminated)
    problems.push(
      refuse(
        'has a -----BEGIN line without its matching -----END line',
        'The text was cut when it was copied: copy the whole file into the secret, each block from its -----BEGIN line to its -----END line.'
      )
    )
  const keys = keyBlocks(pem)
  if (keys.length > 0) problems.push(refuse('holds a private key', keyFix(input)))
  const others = pem.blocks.filter(
    (block) => block.label !== 'CERTIFICATE' && !keys.includes(block)
  )
  for (const label of new Set(others.map((block) => block.label)))
    problems.push(
      refuse(
        `holds a ${label} block`,
        OTHER_BLOCK_FIXES[label] ??
          `ACM takes CERTIFICATE blocks only: leave the ${label} block out.`
      )
    )
  const blocks = pem.blocks.filter((block) => block.label === 'CERTIFICATE')
  if (blocks.length === 0 && others.length === 0 && !pem.unterminated)
    problems.push(refuse('holds no CERTIFICATE block', noCertificateFix(input)))
  const parsed = blocks.map((block, index) => parseBlock(block, index + 1, input, refuse))
  problems.push(...parsed.flatMap((one) => one.problems))
  return { parsed: parsed.map((one) => one.certificate), problems }
}

function keyFix(input: string): string {
  return input === CERTIFICATE_INPUT
    ? 'A private key belongs in private-key-pem, from a secret of its own. Give certificate-pem the certificate alone, or followed by its chain (certbot: fullchain.pem).'
    : `A private key belongs in private-key-pem, from a secret of its own. Give ${input} the chain's certificates alone (certbot: chain.pem).`
}

function noCertificateFix(input: string): string {
  const what =
    input === CERTIFICATE_INPUT
      ? 'certificate (certbot: fullchain.pem)'
      : 'chain (certbot: chain.pem)'
  return `Give the ${what} as PEM text, starting with -----BEGIN CERTIFICATE-----. From a DER file (.der, .cer): \`openssl x509 -inform der -in certificate.der -out certificate.pem\`; from a .pfx or .p12 file: \`openssl pkcs12 -in certificate.pfx -nokeys -out certificates.pem\`.`
}

function parseBlock(
  block: PemBlock,
  place: number,
  input: string,
  refuse: (rule: string, fix: string) => Problem
): { certificate: X509Certificate | undefined; problems: Problem[] } {
  const certificate = parseCertificate(block.der)
  if (certificate === undefined || block.der === undefined)
    return {
      certificate: undefined,
      problems: [
        refuse(
          `has a certificate ${place} that does not parse as X.509`,
          `Its text was probably changed when it was copied (a line lost or joined, characters added). Copy the file into ${input} again, whole and unchanged.`
        )
      ]
    }
  const version = certificateVersion(block.der)
  if (version === 3) return { certificate, problems: [] }
  const problem = refuse(
    `has a certificate ${place} (${nameOf(certificate)}) of X.509 version ${version ?? 'unknown'}`,
    'ACM imports version 3 certificates only. Have it issued as version 3 (with extensions such as subjectAltName); `openssl x509 -req` makes version 1 unless it is given extensions with -extfile.'
  )
  return { certificate, problems: [problem] }
}

function parseCertificate(der: Buffer | undefined): X509Certificate | undefined {
  if (der === undefined) return undefined
  try {
    return new X509Certificate(der)
  } catch {
    return undefined
  }
}

/**
 * The first place where the chain breaks: a certificate that did not issue the one before it
 * (the leaf, then each chain certificate in turn). It says what should stand there instead.
 */
export function chainProblem(
  leaf: X509Certificate,
  chain: X509Certificate[],
  source: ChainSource
): Problem | undefined {
  const all = [leaf, ...chain]
  const broken = chain.findIndex((issuer, index) => !issuedBy(all[index] ?? leaf, issuer))
  const issuer = chain[broken]
  const subject = all[broken]
  if (issuer === undefined || subject === undefined) return undefined
  const place = source.first + broken
  const what = broken === 0 ? 'the leaf' : `certificate ${place - 1}`
  const rule = `has a certificate ${place} (${nameOf(issuer)}) that did not issue ${what} before it (${nameOf(subject)}, issued by ${issuerOf(subject)})`
  return {
    input: source.input,
    value: source.value,
    rule,
    fix: chainFix(issuer, subject, all, source)
  }
}

function chainFix(
  issuer: X509Certificate,
  subject: X509Certificate,
  all: X509Certificate[],
  source: ChainSource
): string {
  const order =
    'ACM needs the chain in order: each certificate followed by the one that issued it (the root last, or left out).'
  if (issuer.raw.equals(all[0]?.raw ?? Buffer.alloc(0)))
    return `It is the leaf again: leave it out of the chain. ${order}`
  if (issuedBy(subject, subject))
    return `${nameOf(subject)} is a root (it signed itself): the chain ends there. Leave out the certificates after it.`
  if (subject.checkIssued(issuer) && !signedBy(subject, issuer))
    return `Its name matches, but its key did not sign ${nameOf(subject)}: it belongs to another certificate of a CA with the same name. Use the chain your CA gave with this certificate (certbot: fullchain.pem).`
  if (issuedBy(issuer, subject))
    return `It is the other way round: ${nameOf(subject)} issued it. ${order}`
  const elsewhere = all.findIndex((other) => issuedBy(subject, other))
  if (elsewhere > 0)
    return `The issuer is there, as certificate ${source.first + elsewhere - 1}, but out of order. ${order}`
  return `The certificate after ${nameOf(subject)} must be its issuer, ${issuerOf(subject)}. Use the chain your CA gave with this certificate (certbot: fullchain.pem in certificate-pem, or chain.pem in certificate-chain-pem).`
}

/** A certificate's common name (or whole subject), for a message. */
export function nameOf(certificate: X509Certificate): string {
  return distinguished(certificate.subject)
}

/** The name of the CA that issued a certificate, for a message. */
export function issuerOf(certificate: X509Certificate): string {
  return distinguished(certificate.issuer)
}

function distinguished(name: string): string {
  const lines = name.split('\n').filter((line) => line !== '')
  const common = lines.find((line) => line.startsWith('CN='))
  return oneLine(common ?? (lines.join(', ') || 'an empty name'))
}

/** One attribute (CN, O...) of a distinguished name as node writes it, if present. */
export function attributeOf(name: string, attribute: string): string | undefined {
  const line = name.split('\n').find((one) => one.startsWith(`${attribute}=`))
  return line === undefined ? undefined : line.slice(attribute.length + 1)
}
