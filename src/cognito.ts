import type {
  DomainDescriptionType,
  UpdateUserPoolDomainRequest
} from '@aws-sdk/client-cognito-identity-provider'
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types'
import type { Settings } from './inputs.js'

/** The two Cognito operations this action makes, and nothing else. */
export type CognitoCall = 'DescribeUserPoolDomain' | 'UpdateUserPoolDomain'

export interface Cognito {
  describeDomain(domain: string): Promise<DomainDescriptionType>
  updateDomain(
    request: UpdateUserPoolDomainRequest
  ): Promise<{ cloudFrontDomain: string | undefined }>
}

/** A Cognito call that failed for good, after the SDK's retries. */
export class CallFailed extends Error {
  readonly call: CognitoCall
  override readonly cause: unknown
  constructor(call: CognitoCall, cause: unknown) {
    super(`${call} failed`)
    this.name = 'CallFailed'
    this.call = call
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

/**
 * A client for the pool's region. Credentials and endpoint come from the SDK's default chain
 * (configure-aws-credentials, AWS_ENDPOINT_URL, ...). The SDK is loaded here, not at start-up, so a
 * run that stops at its inputs never pays for it.
 */
export async function connectCognito(settings: Settings, onRetry: RetryListener): Promise<Cognito> {
  const [sdk, retry] = await Promise.all([
    import('@aws-sdk/client-cognito-identity-provider'),
    import('@smithy/core/retry')
  ])
  let current: CognitoCall = 'DescribeUserPoolDomain'
  const standard = new retry.StandardRetryStrategy(settings.maxAttempts)
  const client = new sdk.CognitoIdentityProviderClient({
    region: settings.pool.region.name,
    maxAttempts: settings.maxAttempts,
    retryStrategy: announcingRetries(standard, settings.maxAttempts, (text) => {
      onRetry(`${current}: ${text}`)
    }),
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true
    }
  })

  async function call<T>(name: CognitoCall, send: () => Promise<T>): Promise<T> {
    current = name
    try {
      return await send()
    } catch (error) {
      throw new CallFailed(name, error)
    }
  }

  return {
    describeDomain: async (domain) => {
      const output = await call('DescribeUserPoolDomain', () =>
        client.send(new sdk.DescribeUserPoolDomainCommand({ Domain: domain }))
      )
      return output.DomainDescription ?? {}
    },
    updateDomain: async (request) => {
      const output = await call('UpdateUserPoolDomain', () =>
        client.send(new sdk.UpdateUserPoolDomainCommand(request))
      )
      return { cloudFrontDomain: output.CloudFrontDomain }
    }
  }
}

/**
 * The SDK's own standard retry strategy, unchanged, telling each retry it grants: which attempt
 * comes next, after how long, and why.
 */
function announcingRetries(
  standard: RetryStrategyV2,
  maxAttempts: number,
  announce: (text: string) => void
): RetryStrategyV2 {
  let waitStarted = 0
  return {
    acquireInitialRetryToken: (scope) => standard.acquireInitialRetryToken(scope),
    refreshRetryTokenForRetry: async (token: RetryToken, info: RetryErrorInfo) => {
      waitStarted = Date.now()
      const next = await standard.refreshRetryTokenForRetry(token, info)
      const waited = ((Date.now() - waitStarted) / 1000).toFixed(1)
      announce(
        `attempt ${next.getRetryCount() + 1} of ${maxAttempts} after ${waited} s, because ${retryReason(info)}`
      )
      return next
    },
    recordSuccess: (token) => {
      standard.recordSuccess(token)
    }
  }
}

function retryReason(info: RetryErrorInfo): string {
  const error = info.error as (Error & { code?: string }) | undefined
  const what = error === undefined ? 'an error' : (error.code ?? error.name)
  const kind =
    info.errorType === 'THROTTLING'
      ? 'Cognito throttled the call'
      : info.errorType === 'SERVER_ERROR'
        ? 'Cognito answered with a server error'
        : 'the connection failed or timed out'
  return `${kind} (${what})`
}
