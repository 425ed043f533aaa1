import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runProcess } from './process.ts'

/**
 * Self-signed certificates made by openssl for the tests: imported into moto's ACM for the
 * pre-flight, and served by a local TLS server for the rollout checks.
 */
export interface TestCertificate {
  /** PEM of the certificate. */
  certificate: string
  /** PEM of its private key (PKCS #8). */
  privateKey: string
  /** Upper-case hex, as node's X509Certificate gives it. */
  serialHex: string
}

export type KeyKind = 'rsa1024' | 'rsa2048' | 'rsa4096' | 'ec256' | 'ec384'

export interface CertificateRequest {
  /** The subject's common name first, then further subject alternative names. */
  names: string[]
  key?: KeyKind
  days?: number
}

const KEY_OPTIONS: Record<KeyKind, string[]> = {
  rsa1024: ['-newkey', 'rsa:1024'],
  rsa2048: ['-newkey', 'rsa:2048'],
  rsa4096: ['-newkey', 'rsa:4096'],
  ec256: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'],
  ec384: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp384r1']
}

export async function makeCertificate(request: CertificateRequest): Promise<TestCertificate> {
  const dir = mkdtempSync(join(tmpdir(), 'test-cert-'))
  const [commonName = 'example.com'] = request.names
  try {
    const made = await runProcess(
      'openssl',
      [
        'req',
        '-x509',
        ...KEY_OPTIONS[request.key ?? 'rsa2048'],
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        String(request.days ?? 365),
        '-subj',
        `/CN=${commonName}`,
        '-addext',
        `subjectAltName=${request.names.map((name) => `DNS:${name}`).join(',')}`
      ],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } }
    )
    if (made.exitCode !== 0) throw new Error(`openssl failed: ${made.stderr}`)
    const certificate = readFileSync(join(dir, 'cert.pem'), 'utf8')
    return {
      certificate,
      privateKey: readFileSync(join(dir, 'key.pem'), 'utf8'),
      serialHex: new X509Certificate(certificate).serialNumber
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const made = new Map<string, Promise<TestCertificate>>()

/** The certificate for a request, made by openssl the first time it is asked for. */
export async function certificateFor(request: CertificateRequest): Promise<TestCertificate> {
  const key = JSON.stringify(request)
  let certificate = made.get(key)
  if (certificate === undefined) {
    certificate = makeCertificate(request)
    made.set(key, certificate)
  }
  return certificate
}
