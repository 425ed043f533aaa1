import * as core from '@actions/core'
import { proxyPasswords } from './proxy.js'

const SENSITIVE_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']

/** Other secrets the run was given: the lines of a private key. */
const given = new Set<string>()

/** Shorter values are no credential (a test's dummy "x"), and redacting them would garble text. */
const SHORTEST_SECRET = 4

function credentialValues(): string[] {
  return [
    ...SENSITIVE_VARIABLES.map((name) => process.env[name] ?? ''),
    ...proxyPasswords(process.env),
    ...given
  ].filter((value) => value.length >= SHORTEST_SECRET)
}

/**
 * Masks a secret of several lines (a private key in PEM), and has the action's own messages redact
 * it: the runner masks a value line by line only when each line is registered. Each line is
 * registered, and each run of base64 within a line too, so that a key pasted on one line, or with
 * its line breaks lost, is masked as well. The PEM markers (-----BEGIN …) and a legacy key's
 * headers (Proc-Type: 4,ENCRYPTED) are no secret, and the action names them.
 */
export function maskLines(text: string): void {
  for (const line of text.split(/\r\n|\r|\n|\\r\\n|\\n/)) {
    const value = line.trim()
    if (value === '' || /^-----[A-Z0-9 ]+-----$/.test(value) || /^[A-Za-z-]+: /.test(value))
      continue
    const runs = value
      .replace(/-----[A-Z0-9 ]+-----/g, ' ')
      .split(/\s+/)
      .filter((run) => run.length >= 16)
    for (const secret of [value, ...runs]) {
      // A line of a few characters (the end of a body) is no secret worth garbling the log for.
      if (secret.length < SHORTEST_SECRET || given.has(secret)) continue
      given.add(secret)
      core.setSecret(secret)
    }
  }
}

/**
 * The PEM blocks of a text as written, each from its BEGIN line to its END line, or, when cut
 * before it, to the next BEGIN line or the end of the text; with its label.
 */
function* pemSpans(text: string): Generator<{ label: string; start: number; end: number }> {
  for (const block of text.matchAll(
    /-----BEGIN ([A-Z0-9 ]{1,40})-----(?:(?!-----BEGIN )[\s\S])*?(?:-----END \1-----|(?=-----BEGIN )|$)/g
  ))
    yield { label: block[1] ?? '', start: block.index, end: block.index + block[0].length }
}

/** Masks the private keys in PEM text (a key block in a certificate input, say), as maskLines. */
export function maskKeyBlocks(text: string): void {
  for (const span of pemSpans(text))
    if (span.label.endsWith('PRIVATE KEY')) maskLines(text.slice(span.start, span.end))
}

/** Labels of the PEM blocks that are public (a key file may hold its certificate too). */
const PUBLIC_BLOCKS = new Set(['CERTIFICATE', 'TRUSTED CERTIFICATE', 'X509 CRL', 'EC PARAMETERS'])

/**
 * Masks the private-key-pem input, as maskLines, but only what could be the key: every block that
 * is not a certificate (a block cut before its END line too), and outside the blocks each run of
 * 40 base64 characters or more. What a key file may hold around its key (openssl pkcs12's "Bag
 * Attributes" and "subject=CN = auth.example.com", the certificate) stays readable, so that the
 * domain's name is not masked in every later line of the log. A text with no BEGIN line is all
 * masked.
 */
export function maskKey(text: string): void {
  if (!text.includes('-----BEGIN')) {
    maskLines(text)
    return
  }
  let outside = ''
  let last = 0
  for (const span of pemSpans(text)) {
    outside += `${text.slice(last, span.start)}\n`
    last = span.end
    if (!PUBLIC_BLOCKS.has(span.label)) maskLines(text.slice(span.start, span.end))
  }
  outside += text.slice(last)
  for (const run of outside.match(/[A-Za-z0-9+/=]{40,}/g) ?? []) maskLines(run)
}

/**
 * Masks the job's AWS credentials, and a proxy's password, before anything could print them (an
 * SDK error can quote the access key ID; a connection error, the proxy's URL).
 * configure-aws-credentials masks the AWS ones too; this covers credentials set by hand.
 */
export function maskCredentials(): void {
  for (const value of credentialValues()) core.setSecret(value)
}

/** The text with any of the job's credentials replaced, for messages built from service answers. */
export function redactCredentials(text: string): string {
  return credentialValues().reduce((redacted, value) => redacted.split(value).join('***'), text)
}
