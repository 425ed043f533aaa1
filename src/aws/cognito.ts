import type {
  DomainDescriptionType,
  UpdateUserPoolDomainRequest
} from '@aws-sdk/client-cognito-identity-provider'
import { awsCalls, type CallLimits, type RetryListener } from './calls.js'
import type { UserPool } from '../inputs/identifiers.js'

/** The two Cognito operations this action makes, each within the stage its signal belongs to. */
export interface Cognito {
  describeDomain(domain: string, stage: AbortSignal): Promise<DomainDescriptionType>
  updateDomain(
    request: UpdateUserPoolDomainRequest,
    stage: AbortSignal
  ): Promise<{ cloudFrontDomain: string | undefined }>
}

/**
 * A client for the pool's region. Credentials and endpoint come from the SDK's default chain
 * (configure-aws-credentials, AWS_ENDPOINT_URL, ...). The SDK is loaded here, not at start-up, so a
 * run that stops at its inputs never pays for it.
 */
export async function connectCognito(
  pool: UserPool,
  limits: CallLimits,
  onRetry: RetryListener
): Promise<Cognito> {
  const sdk = await import('./sdk/cognito-client.js')
  const calls = await awsCalls('Cognito', limits, onRetry, sdk.NodeHttpHandler)
  const client = new sdk.CognitoIdentityProviderClient({
    region: pool.region.name,
    ...calls.config
  })
  const about = (domain: string) => `domain ${domain} (user pool ${pool.id}, ${pool.region.name})`

  return {
    describeDomain: async (domain, stage) => {
      const output = await calls.make(
        'DescribeUserPoolDomain',
        about(domain),
        (abortSignal) =>
          client.send(new sdk.DescribeUserPoolDomainCommand({ Domain: domain }), { abortSignal }),
        stage
      )
      return output.DomainDescription ?? {}
    },
    updateDomain: async (request, stage) => {
      const output = await calls.make(
        'UpdateUserPoolDomain',
        about(request.Domain ?? ''),
        (abortSignal) => client.send(new sdk.UpdateUserPoolDomainCommand(request), { abortSignal }),
        stage
      )
      return { cloudFrontDomain: output.CloudFrontDomain }
    }
  }
}
