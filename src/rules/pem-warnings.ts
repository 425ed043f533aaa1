/**
 * What browsers will make of a certificate that ACM would import: a chain that leads to no root
 * node trusts, and a publicly trusted leaf without Certificate Transparency timestamps. Both are
 * warnings: a private CA that every client trusts is a legitimate choice.
 */
import type { X509Certificate } from 'node:crypto'
import type { Finding } from './certificate.js'
import { issuerOf, nameOf } from './pem-certificates.js'
import { issuedBy, type Anchor } from './pem-trust.js'
import { extensionOids, SCT_LIST_OID } from './x509-der.js'

/**
 * A warning when the chain's last certificate (the leaf, without a chain) is neither a root node
 * trusts (public, or from NODE_EXTRA_CA_CERTS) nor issued by one.
 */
export function trustWarning(
  leaf: X509Certificate,
  chain: X509Certificate[],
  anchor: Anchor | undefined
): Finding | undefined {
  if (anchor !== undefined) return undefined
  const last = chain.at(-1) ?? leaf
  const selfSigned = issuedBy(last, last)
  const where =
    chain.length === 0
      ? selfSigned
        ? `The leaf in certificate-pem (${nameOf(leaf)}) is self-signed`
        : `The leaf in certificate-pem (${nameOf(leaf)}) comes without a chain, and its issuer (${issuerOf(leaf)}) is not a root node trusts`
      : selfSigned
        ? `The chain ends at ${nameOf(last)}, a root that node does not trust`
        : `The chain ends at ${nameOf(last)}, whose issuer (${issuerOf(last)}) is not a root node trusts`
  const next =
    chain.length === 0 && selfSigned
      ? 'Otherwise use a certificate from a public CA (certbot: fullchain.pem).'
      : 'Otherwise add the intermediate certificate(s) after the leaf (certbot: use fullchain.pem, not cert.pem).'
  return {
    title: 'Chain leads to no trusted root',
    message: `${where}: it leads to none of node's public roots nor to a root in NODE_EXTRA_CA_CERTS. Browsers will refuse it on a public sign-in page; that is fine only for a private CA that every client of the sign-in page trusts. ${next}`
  }
}

/**
 * A warning when the leaf leads to a public root but carries no embedded Certificate Transparency
 * timestamps (SCTs), which Chrome and Safari require of publicly trusted certificates. Not for a
 * chain that ends at a root of NODE_EXTRA_CA_CERTS alone (a private CA).
 */
export function transparencyWarning(
  leaf: X509Certificate,
  anchor: Anchor | undefined
): Finding | undefined {
  if (anchor?.store !== 'bundled') return undefined
  if (extensionOids(leaf.raw).includes(SCT_LIST_OID)) return undefined
  return {
    title: 'No Certificate Transparency timestamps',
    message: `The leaf in certificate-pem (${nameOf(leaf)}) leads to a public root (${nameOf(anchor.root)}) but carries no embedded Certificate Transparency timestamps (SCTs, extension ${SCT_LIST_OID}). Chrome and Safari refuse such a publicly trusted certificate, so the sign-in page would fail in them. Public CAs embed SCTs in what they issue: give the certificate exactly as the CA issued it (not its precertificate), or ask the CA why it has none.`
  }
}
