/**
 * The private-key-pem input: exactly one unencrypted private key, as PKCS #8 (`PRIVATE KEY`),
 * PKCS #1 (`RSA PRIVATE KEY`) or SEC 1 (`EC PRIVATE KEY`), the forms ACM imports. An encrypted key
 * is refused with how to decrypt it. The key comes back re-encoded in its own form (text around
 * it, such as an `EC PARAMETERS` block, left out); its text never enters a problem.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto'
import type { Problem } from '../common/problem.js'
import { describePem, keyBlocks, readPem, type PemBlock, type PemText } from './pem-text.js'

/** The input that holds the leaf's private key. */
export const KEY_INPUT = 'private-key-pem'

/** The key, and its PEM as ACM will receive it. */
export interface ReadKey {
  key: KeyObject
  pem: string
}

/** The key, or the one problem that stops it being read. */
export type KeyReading = { ok: true; value: ReadKey } | { ok: false; problem: Problem }

type KeyFormat = 'pkcs8' | 'pkcs1' | 'sec1'

const FORMATS: Record<string, KeyFormat> = {
  'PRIVATE KEY': 'pkcs8',
  'RSA PRIVATE KEY': 'pkcs1',
  'EC PRIVATE KEY': 'sec1'
}

const DECRYPT =
  'ACM imports only an unencrypted key. Decrypt it with `openssl pkey -in key.pem -out key-decrypted.pem` (it asks for the passphrase), give the text of key-decrypted.pem as private-key-pem from a secret, and never commit that file.'

/** The one private key of private-key-pem, or the problem with it. */
export function readPrivateKey(text: string): KeyReading {
  const pem = readPem(text)
  const refuse = (rule: string, fix: string): KeyReading => ({
    ok: false,
    problem: { input: KEY_INPUT, value: describePem(text), rule, fix }
  })
  if (pem.unterminated)
    return refuse(
      'has a -----BEGIN line without its matching -----END line',
      'The text was cut when it was copied: copy the whole key file into the secret, from its -----BEGIN line to its -----END line.'
    )
  const keys = keyBlocks(pem)
  const [block] = keys
  if (block === undefined) return noKey(pem, refuse)
  if (keys.length > 1)
    return refuse(
      `holds ${keys.length} private keys`,
      'Give exactly one: the private key of the certificate in certificate-pem.'
    )
  return decodeKey(block, refuse)
}

function noKey(pem: PemText, refuse: (rule: string, fix: string) => KeyReading): KeyReading {
  const labels = new Set(pem.blocks.map((block) => block.label))
  if (labels.has('CERTIFICATE'))
    return refuse(
      'holds a certificate, not a private key',
      'Give the private key of the certificate (certbot: privkey.pem), the text that starts with -----BEGIN PRIVATE KEY-----; the certificate belongs in certificate-pem.'
    )
  if (labels.has('PUBLIC KEY') || labels.has('RSA PUBLIC KEY'))
    return refuse(
      'holds a public key, not a private key',
      'Give the private key the certificate was issued for (certbot: privkey.pem), the text that starts with -----BEGIN PRIVATE KEY-----.'
    )
  return refuse(
    'holds no PEM private key',
    'Give the unencrypted private key as PEM text, starting with -----BEGIN PRIVATE KEY----- (or RSA PRIVATE KEY, EC PRIVATE KEY). From a .pfx or .p12 file: `openssl pkcs12 -in certificate.pfx -nocerts -nodes -out key.pem`; from a DER file: `openssl pkey -inform der -in key.der -out key.pem`.'
  )
}

function decodeKey(block: PemBlock, refuse: (rule: string, fix: string) => KeyReading): KeyReading {
  if (block.label === 'ENCRYPTED PRIVATE KEY')
    return refuse('holds an encrypted private key (ENCRYPTED PRIVATE KEY)', DECRYPT)
  if (block.headers.some((header) => /^Proc-Type:\s*4,\s*ENCRYPTED/i.test(header)))
    return refuse(
      `holds an encrypted private key (${block.label} with a Proc-Type: 4,ENCRYPTED header)`,
      DECRYPT
    )
  const format = FORMATS[block.label]
  if (format === undefined)
    return refuse(
      `holds a ${block.label} block, a kind of key ACM does not import`,
      'Give the RSA or EC key the certificate was issued for, as PEM: PRIVATE KEY (PKCS #8), RSA PRIVATE KEY or EC PRIVATE KEY. An SSH key is not a TLS key.'
    )
  const key = parseKey(block.der, format)
  if (key === undefined)
    return refuse(
      `holds a ${block.label} block that does not parse as a private key`,
      'The text was probably changed when it was copied (a line lost or joined, characters added). Copy the key file into the secret again, whole and unchanged.'
    )
  const pem = key.export({ format: 'pem', type: format })
  return { ok: true, value: { key, pem: pem.toString() } }
}

function parseKey(der: Buffer | undefined, format: KeyFormat): KeyObject | undefined {
  if (der === undefined) return undefined
  try {
    return createPrivateKey({ key: der, format: 'der', type: format })
  } catch {
    return undefined
  }
}
