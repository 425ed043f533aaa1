import type { Endpoint } from './input-values.js'

/** The leaf certificate an endpoint served for a name (SNI). */
export interface Served {
  /** Serial as ACM writes it: lowercase hex bytes separated by colons. */
  serial: string
  subject: string
  validTo: string
  fingerprint256: string
}

const TLS_TIMEOUT_MS = 10_000

/**
 * Opens a TLS connection with SNI = `servername` and reads the leaf certificate. The certificate
 * is identified by its serial, not trusted: an untrusted or mismatched certificate is still read,
 * because telling what is actually served is the point.
 */
export async function servedCertificate(endpoint: Endpoint, servername: string): Promise<Served> {
  const tls = await import('node:tls')
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: endpoint.host,
      port: endpoint.port,
      servername,
      rejectUnauthorized: false,
      timeout: TLS_TIMEOUT_MS
    })
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate()
      socket.destroy()
      if (Object.keys(peer).length === 0 || peer.serialNumber === '') {
        reject(new Error('the endpoint sent no certificate'))
        return
      }
      resolve({
        serial: colonHex(peer.serialNumber),
        subject: [peer.subject.CN ?? ''].flat().join(', '),
        validTo: peer.valid_to,
        fingerprint256: peer.fingerprint256
      })
    })
    socket.once('timeout', () => {
      socket.destroy()
      reject(new Error(`no TLS handshake within ${TLS_TIMEOUT_MS / 1000} s`))
    })
    socket.once('error', reject)
  })
}

/** Hex digits as ACM writes a serial: lowercase byte pairs joined by colons. */
export function colonHex(hex: string): string {
  const digits = hex.replace(/:/g, '').toLowerCase()
  const even = digits.length % 2 === 0 ? digits : `0${digits}`
  return (even.match(/../g) ?? []).join(':')
}

/**
 * Whether a serial as ACM reports it names the served one. ACM writes colon-separated hex; an
 * emulator may write plain hex or decimal. A serial of digits alone is read both ways: for random
 * serials of 64 bits and more, the two readings can't both name certificates one meets.
 */
export function sameSerial(reported: string, served: string): boolean {
  const servedValue = BigInt(`0x${served.replace(/:/g, '') || '0'}`)
  const text = reported.trim()
  const asHex = /^[0-9a-f:]+$/i.test(text)
    ? BigInt(`0x${text.replace(/:/g, '') || '0'}`)
    : undefined
  const asDecimal = /^\d+$/.test(text) ? BigInt(text) : undefined
  return asHex === servedValue || asDecimal === servedValue
}
