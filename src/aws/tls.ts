import type { TLSSocket } from 'node:tls'
import type { Endpoint } from '../inputs/values.js'
import { colonHex } from '../rules/certificate.js'
import { proxiedAgentOptions, proxyIsSet } from './proxy.js'

/** The leaf certificate an endpoint served for a name (SNI). */
export interface Served {
  /** Serial as ACM writes it: lowercase hex bytes separated by colons. */
  serial: string
  subject: string
  validTo: string
  fingerprint256: string
}

/**
 * Opens a TLS connection with SNI = `servername` and reads the leaf certificate, only while
 * `signal` lasts (the caller gives it the deadline of one check, attempt-timeout-seconds): its end
 * ends the connection where it stands. The certificate
 * is identified by its serial, not trusted: an untrusted or mismatched certificate is still read,
 * because telling what is actually served is the point. With a proxy set (proxy.ts), the
 * connection is made by node's proxy-aware agent (which honours NO_PROXY), as the AWS calls are;
 * only its handshake is used.
 */
export async function servedCertificate(
  endpoint: Endpoint,
  servername: string,
  signal: AbortSignal,
  env: NodeJS.ProcessEnv = process.env
): Promise<Served> {
  const tls = await import('node:tls')
  const https = proxyIsSet(env) ? await import('node:https') : undefined
  const target = { host: endpoint.host, port: endpoint.port, servername, rejectUnauthorized: false }
  if (signal.aborted) throw signal.reason
  return new Promise((resolve, reject) => {
    let close: (error?: Error) => void = () => undefined
    const onAbort = (): void => {
      close(signal.reason as Error)
    }
    signal.addEventListener('abort', onAbort, { once: true })
    const settle = (): void => {
      signal.removeEventListener('abort', onAbort)
    }
    const fail = (error: Error): void => {
      settle()
      reject(error)
    }
    const read = (socket: TLSSocket): void => {
      const peer = socket.getPeerCertificate()
      settle()
      close()
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
    }
    if (https === undefined) {
      const socket = tls.connect(target)
      close = (error) => {
        socket.destroy(error)
      }
      socket.once('secureConnect', () => {
        read(socket)
      })
      socket.once('error', fail)
      return
    }
    const request = https.request({
      ...target,
      method: 'HEAD',
      headers: { host: servername },
      agent: new https.Agent({ ...proxiedAgentOptions(env), keepAlive: false })
    })
    close = (error) => {
      request.destroy(error)
    }
    request.on('socket', (socket) => {
      if (!(socket instanceof tls.TLSSocket)) return
      // Through a tunnel the agent hands the socket over once its handshake is already done.
      const done = socket.getProtocol()
      if (done !== null && done !== 'unknown') read(socket)
      else
        socket.once('secureConnect', () => {
          read(socket)
        })
    })
    request.on('error', fail)
    request.end()
  })
}

export { colonHex, sameSerial } from '../rules/certificate.js'
