/**
 * Cognito, as the run uses it: DescribeUserPoolDomain with the SDK's retries, and two calls of a
 * single attempt each: a poll of a wait (at most one call per interval), and UpdateUserPoolDomain,
 * whose retries the run makes itself, each after a fresh look at the domain. Credentials and
 * endpoint come from the SDK's default chain (configure-aws-credentials, AWS_ENDPOINT_URL, ...).
 * The SDK is loaded on the first call, not at start-up, so a run that stops at its inputs never
 * pays for it.
 */
import type {
  DomainDescriptionType,
  UpdateUserPoolDomainRequest
} from '@aws-sdk/client-cognito-identity-provider'
import type { CallLimits } from '../inputs/settings.js'
import type { UserPool } from '../inputs/identifiers.js'
import { awsCalls, type Calls, type RetryListener } from './calls.js'

type Sdk = typeof import('./sdk/cognito-client.js')
interface Client {
  sdk: Sdk
  calls: Calls
  client: InstanceType<Sdk['CognitoIdentityProviderClient']>
}

/** The calls, in the shape of flow/ports.ts's CognitoPort. */
export function cognitoFor(pool: UserPool, limits: CallLimits, onRetry: RetryListener) {
  const clients = new Map<number, Promise<Client>>()
  // One client with max-attempts, one with a single attempt: made when first used.
  const clientWith = (maxAttempts: number): Promise<Client> => {
    let client = clients.get(maxAttempts)
    if (client === undefined) {
      client = (async () => {
        const sdk = await import('./sdk/cognito-client.js')
        const calls = await awsCalls(
          'Cognito',
          { ...limits, maxAttempts },
          onRetry,
          sdk.NodeHttpHandler
        )
        const made = new sdk.CognitoIdentityProviderClient({
          region: pool.region.name,
          ...calls.config
        })
        return { sdk, calls, client: made }
      })()
      clients.set(maxAttempts, client)
    }
    return client
  }
  const about = (domain: string) => `domain ${domain} (user pool ${pool.id}, ${pool.region.name})`
  const describe = async (
    attempts: number,
    domain: string,
    signal: AbortSignal
  ): Promise<DomainDescriptionType> => {
    const { sdk, calls, client } = await clientWith(attempts)
    const output = await calls.make(
      'DescribeUserPoolDomain',
      about(domain),
      (abortSignal) =>
        client.send(new sdk.DescribeUserPoolDomainCommand({ Domain: domain }), { abortSignal }),
      signal
    )
    return output.DomainDescription ?? {}
  }
  return {
    describeDomain: (domain: string, signal: AbortSignal) =>
      describe(limits.maxAttempts, domain, signal),
    pollDomain: (domain: string, signal: AbortSignal) => describe(1, domain, signal),
    updateDomain: async (
      request: UpdateUserPoolDomainRequest,
      signal: AbortSignal
    ): Promise<{ cloudFrontDomain: string | undefined }> => {
      const { sdk, calls, client } = await clientWith(1)
      const output = await calls.make(
        'UpdateUserPoolDomain',
        about(request.Domain ?? ''),
        (abortSignal) => client.send(new sdk.UpdateUserPoolDomainCommand(request), { abortSignal }),
        signal
      )
      return { cloudFrontDomain: output.CloudFrontDomain }
    }
  }
}
