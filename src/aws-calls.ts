import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types'
import { stillRunning } from './cancellation.js'
import { proxiedAgentOptions, proxyIsSet, type ProxiedAgentOptions } from './proxy.js'

/** Every AWS operation this action makes, and nothing else. */
export type AwsCall = 'DescribeUserPoolDomain' | 'UpdateUserPoolDomain' | 'DescribeCertificate'

/** An AWS call that failed for good, after the SDK's retries; `about` names what it was for. */
export class CallFailed extends Error {
  readonly call: AwsCall
  readonly about: string
  override readonly cause: unknown
  constructor(call: AwsCall, about: string, cause: unknown) {
    super(`${call} failed`)
    this.name = 'CallFailed'
    this.call = call
    this.about = about
    this.cause = cause
  }
}

/** One line per retry the SDK decides to make. */
export type RetryListener = (line: string) => void

// A connection is made in well under a second; an answer to these calls in a few seconds. A stalled
// one is cut off and counted as a failed attempt (retried like a reset). Without
// throwOnRequestTimeout the SDK only warns, and a silent socket would hold the job for minutes.
const CONNECTION_TIMEOUT_MS = 5_000
const REQUEST_TIMEOUT_MS = 15_000

/** The client settings every AWS client of this action shares, and the way its calls are made. */
export interface Calls {
  config: {
    maxAttempts: number
    retryStrategy: RetryStrategyV2
    requestHandler: {
      connectionTimeout: number
      requestTimeout: number
      throwOnRequestTimeout: boolean
    } & ProxyAgents
  }
  /** Makes one call; a failure comes back as CallFailed. */
  make<T>(call: AwsCall, about: string, send: () => Promise<T>): Promise<T>
}

/** The SDK's connection pools when a proxy is set (see proxy.ts). */
interface ProxyAgents {
  httpAgent?: ProxiedAgentOptions
  httpsAgent?: ProxiedAgentOptions
}

function proxyAgents(env: NodeJS.ProcessEnv): ProxyAgents {
  if (!proxyIsSet(env)) return {}
  const options = proxiedAgentOptions(env)
  return { httpAgent: options, httpsAgent: options }
}

/**
 * Retries and timeouts for one client of `service`. The SDK's own standard retry strategy is used
 * unchanged; each retry it grants is told to `onRetry` with the call, the attempt and the reason.
 */
export async function awsCalls(
  service: string,
  maxAttempts: number,
  onRetry: RetryListener
): Promise<Calls> {
  const retry = await import('@smithy/core/retry')
  let current: AwsCall | undefined
  const standard = new retry.StandardRetryStrategy(maxAttempts)
  return {
    config: {
      maxAttempts,
      retryStrategy: announcingRetries(standard, maxAttempts, (text) => {
        onRetry(`${current ?? service}: ${text}`)
      }),
      requestHandler: {
        connectionTimeout: CONNECTION_TIMEOUT_MS,
        requestTimeout: REQUEST_TIMEOUT_MS,
        throwOnRequestTimeout: true,
        ...proxyAgents(process.env)
      }
    },
    make: async (call, about, send) => {
      await stillRunning()
      current = call
      let answer: Awaited<ReturnType<typeof send>>
      try {
        answer = await send()
      } catch (error) {
        await stillRunning()
        throw new CallFailed(call, about, error)
      }
      await stillRunning()
      return answer
    }
  }

  function announcingRetries(
    standardStrategy: RetryStrategyV2,
    attempts: number,
    announce: (text: string) => void
  ): RetryStrategyV2 {
    return {
      acquireInitialRetryToken: (scope) => standardStrategy.acquireInitialRetryToken(scope),
      refreshRetryTokenForRetry: async (token: RetryToken, info: RetryErrorInfo) => {
        const waitStarted = Date.now()
        const next = await standardStrategy.refreshRetryTokenForRetry(token, info)
        await stillRunning()
        const waited = ((Date.now() - waitStarted) / 1000).toFixed(1)
        announce(
          `attempt ${next.getRetryCount() + 1} of ${attempts} after ${waited} s, because ${retryReason(info)}`
        )
        return next
      },
      recordSuccess: (token) => {
        standardStrategy.recordSuccess(token)
      }
    }
  }

  function retryReason(info: RetryErrorInfo): string {
    const error = info.error as (Error & { code?: string }) | undefined
    const what = error === undefined ? 'an error' : (error.code ?? error.name)
    const kind =
      info.errorType === 'THROTTLING'
        ? `${service} throttled the call`
        : info.errorType === 'SERVER_ERROR'
          ? `${service} answered with a server error`
          : 'the connection failed or timed out'
    return `${kind} (${what})`
  }
}
