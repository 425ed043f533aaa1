import type {
  DomainDescriptionType,
  UpdateUserPoolDomainRequest
} from '@aws-sdk/client-cognito-identity-provider'
import { awsCalls, type RetryListener } from './aws-calls.js'
import type { Settings } from './inputs.js'

/** The two Cognito operations this action makes. */
export interface Cognito {
  describeDomain(domain: string): Promise<DomainDescriptionType>
  updateDomain(
    request: UpdateUserPoolDomainRequest
  ): Promise<{ cloudFrontDomain: string | undefined }>
}

/**
 * A client for the pool's region. Credentials and endpoint come from the SDK's default chain
 * (configure-aws-credentials, AWS_ENDPOINT_URL, ...). The SDK is loaded here, not at start-up, so a
 * run that stops at its inputs never pays for it.
 */
export async function connectCognito(settings: Settings, onRetry: RetryListener): Promise<Cognito> {
  const [sdk, calls] = await Promise.all([
    import('./sdk/cognito-client.js'),
    awsCalls('Cognito', settings.maxAttempts, onRetry)
  ])
  const { pool } = settings
  const client = new sdk.CognitoIdentityProviderClient({
    region: pool.region.name,
    ...calls.config
  })
  const about = (domain: string) => `domain ${domain} (user pool ${pool.id}, ${pool.region.name})`

  return {
    describeDomain: async (domain) => {
      const output = await calls.make('DescribeUserPoolDomain', about(domain), () =>
        client.send(new sdk.DescribeUserPoolDomainCommand({ Domain: domain }))
      )
      return output.DomainDescription ?? {}
    },
    updateDomain: async (request) => {
      const output = await calls.make('UpdateUserPoolDomain', about(request.Domain ?? ''), () =>
        client.send(new sdk.UpdateUserPoolDomainCommand(request))
      )
      return { cloudFrontDomain: output.CloudFrontDomain }
    }
  }
}
