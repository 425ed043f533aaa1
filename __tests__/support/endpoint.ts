import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { listenLocally } from './listen.ts'
import type { Moto } from './moto.ts'

/**
 * A local Cognito endpoint that stands in front of moto. It passes requests through to moto, fills
 * the gaps in moto's DescribeUserPoolDomain (which leaves out the CustomDomainConfig moto stores,
 * and the ManagedLoginVersion moto ignores: the endpoint remembers the last one sent through it),
 * and, where a test scripts it, answers instead of moto: throttling, 5xx, resets, stalls, other
 * statuses. It records every request it receives.
 */
export type Json = Record<string, unknown>

export type Reply =
  /** A fixed answer. */
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** Drop the connection without an answer. */
  | { reset: true }
  /** Never answer; the client has to give up. */
  | { stall: true }
  /**
   * Pass through to moto, then send the answer's headers and the first `bytes` bytes of its body
   * (default: half of it), and stop there: a half-open connection, a proxy that stalls. With
   * `trickleMs`, the rest follows a byte at a time, one byte per `trickleMs`.
   */
  | { stallBody: true; bytes?: number; trickleMs?: number }
  /** Pass through to moto (so the call is carried out), then drop the connection: a lost answer. */
  | { lose: true }
  /**
   * Run `act` (a change made by someone else meanwhile), then answer as `reply` says, or pass
   * through to moto.
   */
  | { act: () => Promise<void>; reply?: Reply }
  /** Pass through to moto, but answer late. */
  | { delayMs: number }
  /** Pass through to moto, then change its JSON answer. */
  | { edit: (answer: Json) => Json }
  /** Answer 200 with what the function makes of the request, without moto. */
  | { compute: (request: Json) => Json }

export interface Received {
  operation: string
  body: Json
  headers: IncomingMessage['headers']
  /** When the request arrived, and when its answer was sent (Date.now()). */
  at: number
  answeredAt?: number
}

export interface Endpoint {
  url: string
  received: Received[]
  requests(operation: string): Received[]
  /**
   * The managed login version of each domain, as the last UpdateUserPoolDomain through the endpoint
   * set it (moto keeps none); a test may set one, as if the domain had it.
   */
  loginVersions: Map<string, number>
  /** The next answers to `operation`, one per request; after them, requests pass through again. */
  queue(operation: string, ...replies: Reply[]): void
  /** The answer to every request for `operation` from now on. */
  always(operation: string, reply: Reply): void
  /** Every answer waits this long before it is sent, as over a long network path (default 0). */
  setLatency(ms: number): void
  clear(): void
  close(): Promise<void>
}

/** A Cognito service error as the JSON protocol carries it. */
export function serviceError(type: string, message: string, status = 400): Reply {
  return { status, body: { __type: type, message } }
}

export async function startEndpoint(moto?: Moto): Promise<Endpoint> {
  const received: Received[] = []
  const queued = new Map<string, Reply[]>()
  const fixed = new Map<string, Reply>()
  const loginVersions = new Map<string, number>()
  let latencyMs = 0

  const server = createServer((request, response) => {
    void (async () => {
      const raw = await readBody(request)
      const operation = String(request.headers['x-amz-target'] ?? '').replace(/^.*\./, '')
      const body = raw === '' ? {} : (JSON.parse(raw) as Json)
      const entry: Received = { operation, body, headers: request.headers, at: Date.now() }
      received.push(entry)
      response.once('finish', () => {
        entry.answeredAt = Date.now()
      })
      const reply = queued.get(operation)?.shift() ?? fixed.get(operation)
      if (latencyMs > 0) await sleep(latencyMs)
      await answer(reply, request, response, raw, operation)
    })().catch((error: unknown) => {
      send(response, 599, { __type: 'TestEndpointError', message: String(error) })
    })
  })

  async function answer(
    reply: Reply | undefined,
    request: IncomingMessage,
    response: ServerResponse,
    raw: string,
    operation: string
  ): Promise<void> {
    if (reply !== undefined && 'reset' in reply) {
      request.socket.destroy()
      return
    }
    if (reply !== undefined && 'stall' in reply) return
    if (reply !== undefined && 'act' in reply) {
      await reply.act()
      if (reply.reply !== undefined) {
        await answer(reply.reply, request, response, raw, operation)
        return
      }
    }
    if (reply !== undefined && 'status' in reply) {
      send(response, reply.status, reply.body, reply.headers)
      return
    }
    if (reply !== undefined && 'compute' in reply) {
      send(response, 200, reply.compute(raw === '' ? {} : (JSON.parse(raw) as Json)))
      return
    }
    if (reply !== undefined && 'delayMs' in reply) await sleep(reply.delayMs)
    if (moto === undefined) {
      send(response, 500, {
        __type: 'TestEndpointError',
        message: `no answer scripted for ${operation}`
      })
      return
    }
    const passed = await forward(moto, request, raw)
    let json = passed.body
    const sent = raw === '' ? {} : (JSON.parse(raw) as Json)
    if (operation === 'UpdateUserPoolDomain' && passed.status === 200) {
      if (typeof sent.ManagedLoginVersion === 'number')
        loginVersions.set(String(sent.Domain), sent.ManagedLoginVersion)
      const version = loginVersions.get(String(sent.Domain))
      if (version !== undefined) json = { ...json, ManagedLoginVersion: version }
    }
    if (operation === 'DescribeUserPoolDomain' && passed.status === 200)
      json = withLoginVersion(await completeDescription(moto, json), loginVersions)
    if (reply !== undefined && 'edit' in reply && passed.status === 200) json = reply.edit(json)
    if (reply !== undefined && 'lose' in reply) {
      request.socket.destroy()
      return
    }
    if (reply !== undefined && 'stallBody' in reply) {
      stallBody(response, passed.status, json, reply)
      return
    }
    send(response, passed.status, json)
  }

  const { port, close } = await listenLocally(server)

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    requests: (operation) => received.filter((entry) => entry.operation === operation),
    loginVersions,
    queue: (operation, ...replies) => {
      queued.set(operation, [...(queued.get(operation) ?? []), ...replies])
    },
    always: (operation, reply) => {
      fixed.set(operation, reply)
    },
    setLatency: (ms) => {
      latencyMs = ms
    },
    clear: () => {
      latencyMs = 0
      received.length = 0
      queued.clear()
      fixed.clear()
      loginVersions.clear()
    },
    close
  }
}

/** moto's description plus the CustomDomainConfig that moto stores but does not return. */
async function completeDescription(moto: Moto, json: Json): Promise<Json> {
  const description = json.DomainDescription as { Domain?: string; UserPoolId?: string } | undefined
  if (description?.Domain === undefined) return json
  const stored = await moto.storedDomain(description.Domain)
  if (stored === undefined || stored.user_pool_id !== description.UserPoolId) return json
  // moto stores null there once an update is sent without CustomDomainConfig (a prefix domain).
  if (stored.custom_domain_config?.CertificateArn === undefined) return json
  return { DomainDescription: { ...description, CustomDomainConfig: stored.custom_domain_config } }
}

function withLoginVersion(json: Json, versions: Map<string, number>): Json {
  const description = json.DomainDescription as { Domain?: string } | undefined
  const version = versions.get(description?.Domain ?? '')
  if (description === undefined || version === undefined) return json
  return { DomainDescription: { ...description, ManagedLoginVersion: version } }
}

async function forward(
  moto: Moto,
  request: IncomingMessage,
  raw: string
): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string' && name !== 'host' && name !== 'content-length')
      headers[name] = value
  }
  const response = await fetch(moto.url, { method: 'POST', headers, body: raw })
  // Some operations (DeleteCertificate) answer with an empty body.
  const text = await response.text()
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Json) }
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? {})
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', ...headers })
  response.end(text)
}

/** Headers and part of the body, then nothing more (or the rest, a byte at a time). */
function stallBody(
  response: ServerResponse,
  status: number,
  body: unknown,
  reply: { bytes?: number; trickleMs?: number }
): void {
  const text = Buffer.from(JSON.stringify(body))
  const first = reply.bytes ?? Math.floor(text.length / 2)
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': String(text.length)
  })
  response.write(text.subarray(0, first))
  const { trickleMs } = reply
  if (trickleMs === undefined) return
  let sent = first
  const timer = setInterval(() => {
    if (response.destroyed || sent >= text.length) {
      clearInterval(timer)
      if (!response.destroyed) response.end()
      return
    }
    response.write(text.subarray(sent, sent + 1))
    sent += 1
  }, trickleMs)
  response.once('close', () => {
    clearInterval(timer)
  })
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * The round trips on the critical path of what the endpoint received: the longest chain of
 * requests in which each was sent only after the one before it was answered. Requests sent
 * together (while none of them was answered) share a round trip.
 */
export function roundTrips(received: Received[]): number {
  const sorted = [...received].sort((a, b) => a.at - b.at)
  const depth: number[] = []
  sorted.forEach((request, i) => {
    const before = sorted
      .slice(0, i)
      .map((earlier, j) =>
        earlier.answeredAt !== undefined && earlier.answeredAt <= request.at ? (depth[j] ?? 0) : 0
      )
    depth.push(1 + Math.max(0, ...before))
  })
  return Math.max(0, ...depth)
}
