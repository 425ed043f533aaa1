import type {
  DomainDescriptionType,
  UpdateUserPoolDomainRequest
} from '@aws-sdk/client-cognito-identity-provider'
import { shown } from './display.js'
import type { Settings } from './inputs.js'

/** What the domain carries now, as DescribeUserPoolDomain told it. */
export interface Current {
  certificateArn: string
  cloudFrontDomain: string | undefined
  status: string
  securityPolicy: string | undefined
}

export type Plan =
  | { action: 'refuse'; reason: string; fix: string; current?: Current }
  | { action: 'keep'; current: Current; note: string | undefined }
  | { action: 'update'; current: Current; request: UpdateUserPoolDomainRequest }

/**
 * Decides what to do with the domain, from the checked inputs and its description alone.
 * Refuses anything that is not an existing, settled custom domain of the given pool.
 */
export function planRotation(settings: Settings, description: DomainDescriptionType): Plan {
  const { domain, pool, certificateArn } = settings
  if (description.Domain === undefined || description.UserPoolId === undefined) {
    return {
      action: 'refuse',
      reason: `DescribeUserPoolDomain found no domain ${domain} in ${pool.region.name}`,
      fix: `Check the spelling of domain, and that user-pool-id (${pool.id}) is the pool that owns it: the domain is looked up in the pool's region.`
    }
  }
  if (description.UserPoolId !== pool.id) {
    return {
      action: 'refuse',
      reason: `Domain ${domain} belongs to user pool ${description.UserPoolId}, not to ${pool.id}`,
      fix: `If ${description.UserPoolId} is the pool you mean, set user-pool-id to it; otherwise check domain.`
    }
  }
  const currentArn = description.CustomDomainConfig?.CertificateArn
  if (currentArn === undefined || currentArn === '') {
    return {
      action: 'refuse',
      reason: `Domain ${domain} has no certificate (its description has no CustomDomainConfig), so it is not a custom domain`,
      fix: 'Certificates apply to custom domains only. Create the custom domain with a certificate first (CreateUserPoolDomain with CustomDomainConfig), then use this action to rotate it.'
    }
  }
  const current: Current = {
    certificateArn: currentArn,
    cloudFrontDomain: description.CloudFrontDistribution,
    status: description.Status ?? 'unknown',
    securityPolicy: description.CustomDomainConfig?.SecurityPolicy
  }
  const unsettled = statusProblem(domain, current.status)
  if (unsettled?.final === true) return { action: 'refuse', current, ...unsettled }
  if (currentArn === certificateArn) {
    const note =
      current.status === 'ACTIVE'
        ? undefined
        : `The domain is ${current.status}: the change to this certificate is still being distributed.`
    return { action: 'keep', current, note }
  }
  if (unsettled !== undefined) return { action: 'refuse', current, ...unsettled }

  const customDomainConfig =
    current.securityPolicy === undefined
      ? { CertificateArn: certificateArn }
      : {
          CertificateArn: certificateArn,
          SecurityPolicy: current.securityPolicy as NonNullable<
            DomainDescriptionType['CustomDomainConfig']
          >['SecurityPolicy']
        }
  return {
    action: 'update',
    current,
    request: { Domain: domain, UserPoolId: pool.id, CustomDomainConfig: customDomainConfig }
  }
}

/**
 * Why the domain's status stops a change. `final` problems stop even a run that would change
 * nothing; the others (a change in flight) only stop a new change.
 */
function statusProblem(
  domain: string,
  status: string
): { reason: string; fix: string; final: boolean } | undefined {
  switch (status) {
    case 'ACTIVE':
      return undefined
    case 'UPDATING':
    case 'CREATING':
      return {
        reason: `Domain ${domain} is ${status}: another change is still being distributed (this takes up to an hour)`,
        fix: 'Wait until the domain is ACTIVE, then run again. Give the workflow a `concurrency:` group per domain so two rotations never overlap.',
        final: false
      }
    case 'DELETING':
      return {
        reason: `Domain ${domain} is DELETING`,
        fix: 'There is nothing to rotate: recreate the custom domain first, then run again.',
        final: true
      }
    case 'FAILED':
      return {
        reason: `Domain ${domain} is FAILED: its last change did not complete`,
        fix: 'This needs a person: look at the domain in the Cognito console (and its DNS alias and certificate), repair or recreate it, then run again.',
        final: true
      }
    default:
      return {
        reason: `Domain ${domain} reports the status ${shown(status)}, which this action does not know`,
        fix: 'Look at the domain in the Cognito console; run again once it is ACTIVE.',
        final: true
      }
  }
}
