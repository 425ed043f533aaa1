import type { RetryStrategyV2 } from '@smithy/types'
import type { AttemptFailure, HttpHandlerLike } from './attempts.js'
import { boundedAttempts, track } from './attempts.js'
import { proxiedAgentOptions, proxyIsSet, type ProxiedAgentOptions } from './proxy.js'
import { realClock, within } from '../common/time.js'
import type { CallLimits } from '../inputs/settings.js'
import { CallFailed, type AwsCall } from './errors.js'

/** One line per retry the SDK makes. */
export type RetryListener = (line: string) => void

/** The SDK waits at most 20 s between two attempts, 25 s when AWS asks it to wait (Retry-After). */
export const MAX_BACKOFF_MS = 25_000

/** Room for what a call does around its attempts: signing, reading the answer. */
const CALL_SLACK_MS = 5_000

/**
 * The most one call can take: every attempt to its deadline, the longest back-off between them,
 * and a few seconds. The attempts' own deadlines end a call well within it; this bound is for what
 * runs outside them (resolving credentials, which may call STS or a metadata service).
 */
export function callBudgetMs(limits: CallLimits): number {
  return (
    limits.maxAttempts * limits.attemptMs +
    (limits.maxAttempts - 1) * MAX_BACKOFF_MS +
    CALL_SLACK_MS
  )
}

/** The SDK's HTTP handler class, from the chunk that holds the clients. */
export type HttpHandlerClass = new (options: ProxyAgents) => HttpHandlerLike

/** The client settings every AWS client of this action shares, and the way its calls are made. */
export interface Calls {
  config: {
    maxAttempts: number
    retryStrategy: RetryStrategyV2
    requestHandler: HttpHandlerLike
  }
  /**
   * Makes one call within `stage`: `send` gets the call's own signal to hand to the SDK. A failure
   * comes back as CallFailed; when `stage` ends first, its reason is thrown.
   */
  make<T>(
    call: AwsCall,
    about: string,
    send: (abortSignal: AbortSignal) => Promise<T>,
    stage: AbortSignal
  ): Promise<T>
}

/** The signal's reason once it has ended; undefined while it lasts. */
function reasonIfEnded(signal: AbortSignal): unknown {
  return signal.aborted ? (signal.reason as unknown) : undefined
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
 * Retries and deadlines for one client of `service`. The SDK's standard retry strategy is used
 * unchanged; each retry it makes is told to `onRetry` with the call, the attempt and the reason.
 */
export async function awsCalls(
  service: string,
  limits: CallLimits,
  onRetry: RetryListener,
  HttpHandler: HttpHandlerClass
): Promise<Calls> {
  const retry = await import('@smithy/core/retry')
  const { maxAttempts, attemptMs } = limits
  const requestHandler = boundedAttempts(
    new HttpHandler(proxyAgents(process.env)),
    attemptMs,
    service
  )
  return {
    config: {
      maxAttempts,
      retryStrategy: new retry.StandardRetryStrategy(maxAttempts),
      requestHandler
    },
    make: async (call, about, send, stage) => {
      // Nothing is sent once the stage has ended (a cancelled job).
      stage.throwIfAborted()
      const signal = realClock.deadline(stage, callBudgetMs(limits), `the time for ${call}`)
      let uncertain = false
      let sent = 0
      let last: (AttemptFailure & { at: number }) | undefined
      track(signal, {
        starting: (number) => {
          sent += 1
          if (number < 2 || last === undefined) return
          const waited = ((Date.now() - last.at) / 1000).toFixed(1)
          onRetry(
            `${call}: attempt ${number} of ${maxAttempts} after ${waited} s, because ${last.reason}`
          )
        },
        failed: (failure) => {
          uncertain ||= failure.uncertain
          last = { ...failure, at: Date.now() }
        }
      })
      try {
        return await within(send(signal), signal)
      } catch (error) {
        // The stage ended (a cancelled job, a wait that ran out): its reason, not the call's.
        stage.throwIfAborted()
        throw new CallFailed(call, about, reasonIfEnded(signal) ?? error, uncertain, sent)
      }
    }
  }
}
