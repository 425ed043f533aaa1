import type { HttpHandlerOptions, HttpRequest, HttpResponse } from '@smithy/types'
import type { Readable } from 'node:stream'
import { realClock, TimeUp } from '../common/time.js'
import { isThrottling, neverSent } from './errors.js'
import { redactCredentials } from './secrets.js'

/**
 * One attempt of an AWS call, as the SDK's HTTP handler makes it, with two rules the handler lacks:
 *
 * - **One deadline per attempt** covers connecting, the answer's headers and its whole body. The
 *   SDK's own request timeout stops counting once the headers are in, so a body that stalls would
 *   hold the call for ever. A missed deadline fails the attempt as a TimeoutError, which the SDK
 *   retries like a reset.
 * - **Only AWS answers are read as AWS answers.** A page from a proxy, a firewall or a gateway
 *   (HTML with 403, a bare 502, JSON cut off halfway) is reported with its HTTP status and content
 *   type, retried when it is a 5xx or a 429, never when it is another 4xx. Whatever its status,
 *   such a page leaves open whether the request reached AWS (a gateway may answer after
 *   forwarding it): a write it answers is uncertain, and is looked up.
 *
 * Each attempt is told to the call it belongs to (see `track`): the retry log lines, and whether
 * an attempt may have reached AWS without its answer reaching the action.
 */

/** What an attempt's failure came to, for the retry line and for what the call may have done. */
export interface AttemptFailure {
  /** Why it failed, in a few words: "Cognito throttled the call (TooManyRequestsException)". */
  reason: string
  /** The request may have been carried out although no answer came back (a timeout, a reset, a 5xx). */
  uncertain: boolean
}

/** The attempts of one call, told as they happen. */
export interface CallAttempts {
  /** An attempt is about to be sent; `number` counts from 1. */
  starting(number: number): void
  failed(failure: AttemptFailure): void
}

const calls = new WeakMap<AbortSignal, CallAttempts>()

/** Attempts sent with this signal (one call's own) are told to `attempts`. */
export function track(signal: AbortSignal, attempts: CallAttempts): void {
  calls.set(signal, attempts)
}

/** No complete answer within the attempt's deadline. */
export class AttemptTimedOut extends Error {
  readonly code = 'ETIMEDOUT'
  /** The operation the attempt was for: the call's own, or one made to resolve credentials. */
  readonly operation: string
  constructor(ms: number, operation: string) {
    super(`no complete answer within ${ms / 1000} s`)
    // The SDK retries an error of this name, as it does a reset.
    this.name = 'TimeoutError'
    this.operation = operation
  }
}

/** An answer far larger than any this action expects: read no further. */
export class AnswerTooLarge extends Error {
  constructor(limit: number) {
    super(`an answer of more than ${limit / 1_000_000} MB, far more than AWS sends for this call`)
    this.name = 'AnswerTooLarge'
  }
}

/** The largest answer read (a full page of ListCertificates is well under 2 MB). */
const MAX_ANSWER_BYTES = 16_000_000

/** An HTTP answer that is not from AWS: not the JSON an AWS service answers with. */
export class NotAnAwsAnswer extends Error {
  readonly $metadata: { httpStatusCode: number }
  readonly $retryable?: { throttling: boolean }
  readonly status: number
  readonly contentType: string
  constructor(status: number, contentType: string, body: string) {
    // Redacted before it is cut, so that no part of a credential the page echoes can show.
    const excerpt = redactCredentials(body.replace(/\s+/g, ' ').trim()).slice(0, 120)
    super(
      `HTTP ${status} with ${contentType === '' ? 'no content type' : contentType}${excerpt === '' ? ', empty' : `: "${excerpt}"`}`
    )
    this.name = 'NotAnAwsAnswer'
    this.status = status
    this.contentType = contentType
    this.$metadata = { httpStatusCode: status }
    if (status >= 500 || status === 429) this.$retryable = { throttling: status === 429 }
  }
}

/** The parts of the SDK's HTTP handler this wraps. */
export interface HttpHandlerLike {
  handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }>
  updateHttpClientConfig(key: never, value: never): void
  httpHandlerConfigs(): object
  destroy?(): void
}

/** The SDK's handler, with a deadline per attempt and a check that the answer is AWS's. */
export function boundedAttempts(
  inner: HttpHandlerLike,
  attemptMs: number,
  service: string
): HttpHandlerLike {
  return {
    handle: async (request, options = {}) => {
      // The SDK passes on the signal given to send(): always a standard AbortSignal here.
      const outer = options.abortSignal as AbortSignal | undefined
      const call = outer === undefined ? undefined : calls.get(outer)
      const number = attemptNumber(request)
      call?.starting(number)
      const signal = realClock.deadline(
        outer ?? new AbortController().signal,
        attemptMs,
        'attempt-timeout-seconds'
      )
      let response: HttpResponse
      let body: Uint8Array
      try {
        response = (await inner.handle(request, { ...options, abortSignal: signal })).response
        body = await readAll(response.body as Readable | Uint8Array | undefined, signal)
      } catch (error) {
        const stalled = signal.reason instanceof TimeUp && outer?.aborted !== true
        const failure = stalled ? new AttemptTimedOut(attemptMs, operationOf(request)) : error
        // An attempt ended by its call's own end (its time, a cancelled job) may have reached AWS.
        call?.failed(
          isAbort(failure)
            ? { reason: 'the call ended', uncertain: true }
            : transportFailure(failure, attemptMs)
        )
        throw failure
      }
      const text = Buffer.from(body).toString('utf8')
      const contentType = headerOf(response, 'content-type')
      const status = response.statusCode
      if (!isAwsAnswer(status, text)) {
        const notAws = new NotAnAwsAnswer(status, contentType, text)
        call?.failed({
          reason: `${service}'s endpoint answered ${notAws.message.replace(/:.*$/, '')}, not an AWS answer`,
          uncertain: true
        })
        throw notAws
      }
      if (status >= 400) call?.failed(serviceFailure(service, status, errorNameOf(response, text)))
      response.body = body
      return { response }
    },
    updateHttpClientConfig: (key, value) => {
      inner.updateHttpClientConfig(key, value)
    },
    httpHandlerConfigs: () => inner.httpHandlerConfigs(),
    destroy: () => inner.destroy?.()
  }
}

/** The attempt number the SDK's retry middleware writes into the request (amz-sdk-request). */
function attemptNumber(request: HttpRequest): number {
  const header = request.headers['amz-sdk-request'] ?? ''
  const found = /attempt=(\d+)/.exec(header)
  return found?.[1] === undefined ? 1 : Number(found[1])
}

/** The operation a request is for: the JSON protocol's target, or a query protocol's Action (STS). */
function operationOf(request: HttpRequest): string {
  const target = request.headers['x-amz-target'] ?? request.headers['X-Amz-Target']
  if (target !== undefined) return target.replace(/^.*\./, '')
  const body: unknown = request.body
  const action = typeof body === 'string' ? /(?:^|&)Action=([A-Za-z]+)/.exec(body)?.[1] : undefined
  return action ?? `${request.method} ${request.hostname}`
}

/** The whole body, or the signal's end: the stream is destroyed then, and nothing waits on it. */
async function readAll(
  body: Readable | Uint8Array | undefined,
  signal: AbortSignal
): Promise<Uint8Array> {
  if (body === undefined) return new Uint8Array()
  if (body instanceof Uint8Array) return body
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onAbort = (): void => {
      body.destroy()
      reject(signal.reason as Error)
    }
    const done = (): void => {
      signal.removeEventListener('abort', onAbort)
    }
    if (signal.aborted) {
      onAbort()
      return
    }
    signal.addEventListener('abort', onAbort, { once: true })
    body.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_ANSWER_BYTES) {
        done()
        body.destroy()
        reject(new AnswerTooLarge(MAX_ANSWER_BYTES))
        return
      }
      chunks.push(chunk)
    })
    body.once('end', () => {
      done()
      const all = Buffer.concat(chunks)
      resolve(new Uint8Array(all.buffer, all.byteOffset, all.length))
    })
    body.once('error', (error) => {
      done()
      reject(error)
    })
  })
}

/**
 * AWS's JSON services answer with a JSON object, errors included; a success may have no body. A
 * proxy's or gateway's own page is anything else.
 */
function isAwsAnswer(status: number, text: string): boolean {
  if (text.trim() === '') return status >= 200 && status < 300
  try {
    const parsed: unknown = JSON.parse(text)
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
  } catch {
    return false
  }
}

function headerOf(response: HttpResponse, name: string): string {
  const found = Object.entries(response.headers).find(([key]) => key.toLowerCase() === name)
  return found?.[1] ?? ''
}

/** The error's name, as AWS's JSON protocol gives it (x-amzn-errortype, or __type in the body). */
function errorNameOf(response: HttpResponse, text: string): string {
  const fromHeader = headerOf(response, 'x-amzn-errortype')
  let name = fromHeader
  if (name === '') {
    try {
      const parsed = JSON.parse(text) as { __type?: unknown; code?: unknown }
      const found = parsed.__type ?? parsed.code
      name = typeof found === 'string' ? found : ''
    } catch {
      name = ''
    }
  }
  // "aws.protocoltests#ThrottlingException:http://..." → ThrottlingException
  return name.replace(/^.*#/, '').replace(/:.*$/, '') || 'an error'
}

function serviceFailure(service: string, status: number, name: string): AttemptFailure {
  if (isThrottling(name, status))
    return { reason: `${service} throttled the call (${name})`, uncertain: false }
  if (status >= 500)
    return {
      reason: `${service} answered with a server error (${name}, HTTP ${status})`,
      uncertain: true
    }
  return { reason: `${service} refused the call (${name}, HTTP ${status})`, uncertain: false }
}

function transportFailure(error: unknown, attemptMs: number): AttemptFailure {
  const err = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: string
    name?: string
  }
  if (error instanceof AttemptTimedOut)
    return {
      reason: `no complete answer came within ${attemptMs / 1000} s (attempt-timeout-seconds; ETIMEDOUT)`,
      uncertain: true
    }
  if (error instanceof AnswerTooLarge) return { reason: error.message, uncertain: true }
  const code = err.code ?? err.name ?? 'Error'
  return { reason: `the connection failed (${code})`, uncertain: !neverSent(code) }
}

function isAbort(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'AbortError'
}
