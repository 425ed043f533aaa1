import { createServer, request as forward } from 'node:http'
import { connect, type Socket } from 'node:net'
import { listenLocally } from './listen.ts'

/**
 * A local forward proxy, as a corporate runner's: plain-HTTP requests by absolute URL are forwarded,
 * CONNECT opens a tunnel. It records what it carried: the method, the target, and for AWS calls the
 * operation (X-Amz-Target).
 */
export interface HttpProxy {
  url: string
  carried: string[]
  close(): Promise<void>
}

export async function startHttpProxy(): Promise<HttpProxy> {
  const carried: string[] = []
  const server = createServer((request, response) => {
    const target = new URL(request.url ?? '')
    const operation = String(request.headers['x-amz-target'] ?? '').replace(/^.*\./, '')
    carried.push(`${request.method ?? ''} ${target.host} ${operation}`.trim())
    const upstream = forward(
      target,
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
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  const { port, close } = await listenLocally(server)
  return { url: `http://127.0.0.1:${port}`, carried, close }
}
