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
  const server = createServer((request, response) => {
    const target = new URL(request.url ?? '')
    const operation = String(request.headers['x-amz-target'] ?? '').replace(/^.*\./, '')
    carried.push(`${request.method ?? ''} ${target.host} ${operation}`.trim())
    const local = reaches[target.hostname]
    const upstream = forward(
      local === undefined ? target : `http://127.0.0.1:${local}${target.pathname}${target.search}`,
      { method: request.method, headers: request.headers },
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
    const local = reaches[host]
    let established = false
    const upstream = connect(
      local ?? Number(port),
      local === undefined ? host : '127.0.0.1',
      () => {
        established = true
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.write(head)
        upstream.pipe(client)
        client.pipe(upstream)
      }
    )
    upstream.on('error', () => {
      if (established) client.destroy()
      else client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n')
    })
    client.on('error', () => upstream.destroy())
  })
  const { port, close } = await listenLocally(server)
  return { url: `http://127.0.0.1:${port}`, carried, close }
}
