import { createServer, type IncomingHttpHeaders } from 'node:http'
import { listenLocally } from './listen.ts'

/**
 * A local stand-in for the GitHub REST API (GITHUB_API_URL): it creates deployments and their
 * statuses as GitHub answers them, records every request, and fails the requests a test scripts.
 */
export interface GitHubRequest {
  method: string
  path: string
  body: Record<string, unknown>
  headers: IncomingHttpHeaders
}

export interface GitHubApi {
  url: string
  received: GitHubRequest[]
  /** The next requests whose path matches answer with this status and message. */
  failNext(path: RegExp, status: number, times?: number): void
  /** The next request whose path matches is answered only after this many milliseconds. */
  delayNext(path: RegExp, ms: number): void
  clear(): void
  close(): Promise<void>
}

export async function startGitHubApi(): Promise<GitHubApi> {
  const received: GitHubRequest[] = []
  const failures: { path: RegExp; status: number; left: number }[] = []
  const delays: { path: RegExp; ms: number }[] = []
  const timers = new Set<NodeJS.Timeout>()
  let nextId = 1000
  const server = createServer((request, response) => {
    let raw = ''
    request.on('data', (chunk: Buffer) => (raw += chunk.toString()))
    request.on('end', () => {
      const path = request.url ?? ''
      const body = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>)
      received.push({ method: request.method ?? '', path, body, headers: request.headers })
      const delay = delays.find((d) => d.path.test(path))
      if (delay === undefined) answer(path, body)
      else {
        delays.splice(delays.indexOf(delay), 1)
        const timer = setTimeout(() => {
          timers.delete(timer)
          answer(path, body)
        }, delay.ms)
        timers.add(timer)
      }
    })
    const answer = (path: string, body: Record<string, unknown>) => {
      const send = (status: number, json: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
        response.end(JSON.stringify(json))
      }
      const failure = failures.find((f) => f.left > 0 && f.path.test(path))
      if (failure !== undefined) {
        failure.left--
        send(failure.status, { message: `scripted ${failure.status}`, documentation_url: 'x' })
        return
      }
      if (request.method === 'POST' && /^\/repos\/[^/]+\/[^/]+\/deployments$/.test(path)) {
        send(201, { id: nextId++, ref: body.ref, environment: body.environment })
        return
      }
      if (
        request.method === 'POST' &&
        /^\/repos\/[^/]+\/[^/]+\/deployments\/\d+\/statuses$/.test(path)
      ) {
        send(201, { id: nextId++, state: body.state })
        return
      }
      send(404, { message: 'Not Found' })
    }
  })
  const { port, close } = await listenLocally(server)
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    failNext: (path, status, times = 1) => failures.push({ path, status, left: times }),
    delayNext: (path, ms) => delays.push({ path, ms }),
    clear: () => {
      received.length = 0
      failures.length = 0
      delays.length = 0
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer)
      await close()
    }
  }
}
