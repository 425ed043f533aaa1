/**
 * What an AWS call's failure is, in one place: the error every call ends with (CallFailed), and how
 * a failure is classed: throttled, a fault that passes (5xx, a connection, a deadline), an ended
 * role session, or a refusal that waiting will not change. The attempts, the waits and the sends
 * all class failures here; explain.ts says them to a person.
 */
import { TimeUp } from '../common/time.js'

/** Every AWS operation this action makes, and nothing else. */
export type AwsCall =
  | 'DescribeUserPoolDomain'
  | 'UpdateUserPoolDomain'
  | 'DescribeCertificate'
  | 'ListCertificates'
  | 'ListTagsForCertificate'
  | 'ImportCertificate'
  | 'DeleteCertificate'

/** An AWS call that failed for good, after its retries; `about` names what it was for. */
export class CallFailed extends Error {
  readonly call: AwsCall
  readonly about: string
  override readonly cause: unknown
  /**
   * Some attempt may have been carried out by AWS although its answer never arrived, or what
   * answered was not AWS (a timeout, a reset, a 5xx, a gateway's page). When false, every attempt
   * was refused by AWS itself, throttled or never sent: the call changed nothing.
   */
  readonly uncertain: boolean
  /** How many attempts were sent; 0 when the call never got that far (resolving credentials). */
  readonly attempts: number | undefined
  constructor(call: AwsCall, about: string, cause: unknown, uncertain = false, attempts?: number) {
    super(`${call} failed`)
    this.name = 'CallFailed'
    this.call = call
    this.about = about
    this.cause = cause
    this.uncertain = uncertain
    this.attempts = attempts
  }
}

/** What the SDK puts on an error, as far as this action reads it. */
export interface SdkErrorLike {
  name?: string
  message?: string
  code?: string
  $metadata?: {
    httpStatusCode?: number
    requestId?: string
    attempts?: number
    totalRetryDelay?: number
  }
}

/** The names under which AWS services say they throttle a caller. */
const THROTTLING = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling'])

/** No answer at all: the connection was refused, reset or timed out. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'TimeoutError'
])

/** Failures before the request could have reached AWS: nothing was carried out. */
const NEVER_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH'
])

/** AWS ended the session of the job's credentials (a role session that ran out). */
const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired'])

/** The error a CallFailed stands for, or the error itself. */
function causeOf(error: unknown): SdkErrorLike {
  const cause = error instanceof CallFailed ? error.cause : error
  return typeof cause === 'object' && cause !== null ? cause : { message: String(cause) }
}

/** What went wrong, in a word: the network code (ECONNRESET, ...) or the error's name. */
export function errorName(error: unknown): string {
  const err = causeOf(error)
  return err.code ?? err.name ?? 'Error'
}

/** Whether an AWS error name or HTTP status says the caller was throttled. */
export function isThrottling(name: string, status: number | undefined): boolean {
  return THROTTLING.has(name) || status === 429
}

/** No answer at all: the connection was refused, reset or timed out. */
export function isNetworkFailure(error: unknown): boolean {
  const err = causeOf(error)
  return NETWORK_CODES.has(err.code ?? err.name ?? '')
}

/** A connection failure that happened before anything was sent (refused, no such host). */
export function neverSent(code: string): boolean {
  return NEVER_SENT.has(code)
}

export function isExpiredSession(error: unknown): boolean {
  return error instanceof CallFailed && EXPIRED.has(errorName(error))
}

/**
 * A failure that passes: throttling, a 5xx, a connection that failed or stalled, a call's time
 * that ran out. Such a call may be tried again later; anything else (a refusal, credentials) will
 * not pass by waiting.
 */
export function transientFault(error: unknown): 'throttled' | 'fault' | undefined {
  if (!(error instanceof CallFailed)) return undefined
  const cause = causeOf(error)
  const status = cause.$metadata?.httpStatusCode
  if (isThrottling(cause.name ?? '', status)) return 'throttled'
  if (
    (status !== undefined && status >= 500) ||
    isNetworkFailure(error) ||
    error.cause instanceof TimeUp
  )
    return 'fault'
  return undefined
}

/** The request ID AWS gave the failed call, for a support case. */
export function requestIdOf(error: unknown): string | undefined {
  return causeOf(error).$metadata?.requestId
}

const DENIED = new Set(['AccessDeniedException', 'NotAuthorizedException'])
const MISSING = new Set(['ResourceNotFoundException', 'InvalidArnException'])

/** AWS refused the job the call (a permission it lacks). */
export function isDenied(error: unknown): boolean {
  return error instanceof CallFailed && DENIED.has(causeOf(error).name ?? '')
}

/** AWS has no such resource (or the ARN names none). */
export function isMissing(error: unknown): boolean {
  return error instanceof CallFailed && MISSING.has(causeOf(error).name ?? '')
}
