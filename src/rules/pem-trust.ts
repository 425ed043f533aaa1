/**
 * The roots a certificate chain may lead to: node's bundled public roots (the Mozilla list that
 * browsers broadly share) and the certificates of NODE_EXTRA_CA_CERTS (a private CA the runner
 * trusts). Reading that file is the only I/O of the PEM rules, done once by the caller.
 */
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { rootCertificates } from 'node:tls'
import { readPem } from './pem-text.js'

/** Roots to judge a chain by. */
export interface TrustStore {
  /** Public roots: node's bundled list (tls.rootCertificates). */
  bundled: X509Certificate[]
  /** Roots of a private CA: the certificates in the file NODE_EXTRA_CA_CERTS names. */
  extra: X509Certificate[]
}

/** Where a chain ends: at a root of one of the stores. */
export interface Anchor {
  store: 'bundled' | 'extra'
  root: X509Certificate
}

/**
 * node's public roots and the certificates of the file NODE_EXTRA_CA_CERTS names. A file that
 * can't be read, or a block in it that does not parse, gives no extra root; this never throws.
 */
export function trustStore(env: NodeJS.ProcessEnv = process.env): TrustStore {
  return { bundled: parseAll(rootCertificates), extra: extraRoots(env.NODE_EXTRA_CA_CERTS) }
}

function extraRoots(path: string | undefined): X509Certificate[] {
  if (path === undefined || path === '') return []
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return []
  }
  const blocks = readPem(text).blocks.filter((block) => block.label === 'CERTIFICATE')
  return parseAll(blocks.flatMap((block) => (block.der === undefined ? [] : [block.der])))
}

function parseAll(certificates: readonly (string | Buffer)[]): X509Certificate[] {
  return certificates.flatMap((certificate) => {
    try {
      return [new X509Certificate(certificate)]
    } catch {
      return []
    }
  })
}

/**
 * The root a chain's last certificate leads to: the certificate itself when it is one of the
 * roots, or the root that issued it (names match and its signature verifies). Public roots first.
 */
export function anchorOf(last: X509Certificate, trusted: TrustStore): Anchor | undefined {
  for (const store of ['bundled', 'extra'] as const) {
    const root = trusted[store].find(
      (candidate) => candidate.raw.equals(last.raw) || issuedBy(last, candidate)
    )
    if (root !== undefined) return { store, root }
  }
  return undefined
}

/** Whether `issuer` issued `subject`: its subject is the issuer's name and its key signed it. */
export function issuedBy(subject: X509Certificate, issuer: X509Certificate): boolean {
  return subject.checkIssued(issuer) && signedBy(subject, issuer)
}

/** Whether the key of `issuer` verifies the signature of `subject`. */
export function signedBy(subject: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return subject.verify(issuer.publicKey)
  } catch {
    return false
  }
}
