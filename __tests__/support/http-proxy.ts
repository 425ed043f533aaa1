import { createServer, request as forward } from 'node:http'
import { connect, type Socket } from 'node:net'
import { listenLocally } from './listen.ts'

/**
 * A local forward proxy, as a corporate runner's: plain-HTTP requests by absolute URL are forwarded,
 * CONNECT opens a tunnel. It records what it carried: the method, the target, and for AWS calls the
 * operation (X-Amz-Target). Hosts named in `reaches` are ones only the proxy can reach: it forwards
 * requests for them to the given local port, where the runner itself could not even resolve them.
 */
export interface HttpProxy {
  url: string
  carried: string[]
  close(): Promise<void>
}

export async function startHttpProxy(reaches: Record<string, number> = {}): Promise<HttpProxy> {
  const carried: string[] = []
  // Where the proxy itself connects for a host: the local port standing in for it, or the host.
  const upstreamFor = (host: string, port: number): { host: string; port: number } => {
    const local = reaches[host]
    return local === undefined ? { host, port } : { host: '127.0.0.1', port: local }
  }
  const server = createServer((request, response) => {
    const target = new URL(request.url ?? '')
    const operation = String(request.headers['x-amz-target'] ?? '').replace(/^.*\./, '')
    carried.push(`${request.method ?? ''} ${target.host} ${operation}`.trim())
    const to = upstreamFor(target.hostname, Number(target.port || 80))
    const upstream = forward(
      {
        host: to.host,
        port: to.port,
        path: `${target.pathname}${target.search}`,
        method: request.method,
        headers: request.headers
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(response)
      }
    )
    upstream.on('error', () => {
      response.writeHead(502).end()
    })
    request.pipe(upstream)
  })
  server.on('connect', (request, client: Socket, head: Buffer) => {
    carried.push(`CONNECT ${request.url ?? ''}`)
    const [host = '', port = '443'] = (request.url ?? '').split(':')
    const to = upstreamFor(host, Number(port))
    let established = false
    const upstream = connect(to.port, to.host, () => {
      established = true
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', () => {
      if (established) client.destroy()
      else client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')
    })
    client.on('error', () => upstream.destroy())
  })
  const { port, close } = await listenLocally(server)
  return { url: `http://127.0.0.1:${port}`, carried, close }
}
