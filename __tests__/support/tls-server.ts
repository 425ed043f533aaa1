import { createSecureContext, createServer, type SecureContext } from 'node:tls'
import { listenLocally } from './listen.ts'
import type { TestCertificate } from './certificates.ts'

/**
 * A local TLS server standing in for the CloudFront edge: it serves the certificates it is given,
 * one per connection (the last one from then on), and records the SNI name of each connection.
 */
export interface TlsServer {
  endpoint: string
  /** The server names (SNI) clients asked for, one per connection. */
  servernames: string[]
  close(): Promise<void>
}

export async function startTlsServer(sequence: TestCertificate[]): Promise<TlsServer> {
  const contexts: SecureContext[] = sequence.map((pems) =>
    createSecureContext({ cert: pems.certificate, key: pems.privateKey })
  )
  const [first] = contexts
  if (first === undefined) throw new Error('no certificate to serve')
  const servernames: string[] = []
  const server = createServer({
    SNICallback: (servername, callback) => {
      servernames.push(servername)
      callback(null, contexts[Math.min(servernames.length - 1, contexts.length - 1)] ?? first)
    }
  })
  server.on('secureConnection', (socket) => socket.end())
  const { port, close } = await listenLocally(server)
  return { endpoint: `127.0.0.1:${port}`, servernames, close }
}

/** An endpoint where nothing listens any more: an edge the runner cannot reach. */
export async function closedEndpoint(certificate: TestCertificate): Promise<string> {
  const server = await startTlsServer([certificate])
  await server.close()
  return server.endpoint
}
