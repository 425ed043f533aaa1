/** A look at the domain: what it carries now, and where a change stands on it. */
import type { DomainDescriptionType } from '@aws-sdk/client-cognito-identity-provider'
import { failureMessage, type ExplainContext } from '../aws/explain.js'
import { isCancelled } from '../common/time.js'
import { carriedBy, carriedText, changeOn, type Carried, type Target } from '../rules/plan.js'
import type { CognitoPort } from './ports.js'

/** The domain as described, and where the change stands on it. */
interface Described<State> {
  state: State
  seen: Carried & { status: string | undefined; cloudFrontDomain: string | undefined }
  /** In a few words: "certificate …, security policy … (status ACTIVE)". */
  text: string
  description: DomainDescriptionType
}

export type Look =
  /** It carries what the change sets. */
  | Described<'applied'>
  /** It carries what it had before the change. */
  | Described<'not applied'>
  /** It carries something neither set. */
  | Described<'other'>
  /** The domain could not be described. */
  | { state: 'unknown'; why: string; error: unknown }

/** Describes the domain and says where the change `target` stands on it. */
export async function lookAt(
  cognito: CognitoPort,
  context: ExplainContext,
  target: Target,
  signal: AbortSignal
): Promise<Look> {
  let description: DomainDescriptionType
  try {
    description = await cognito.describeDomain(context.domain, signal)
  } catch (error) {
    if (isCancelled(error) || signal.aborted) throw signal.aborted ? signal.reason : error
    return { state: 'unknown', why: failureMessage(error, context), error }
  }
  return seenAs(description, target)
}

/** Where the change `target` stands on the domain as `description` tells it. */
export function seenAs(
  description: DomainDescriptionType,
  target: Target
): Exclude<Look, { state: 'unknown' }> {
  const seen = {
    ...carriedBy(description),
    status: description.Status,
    cloudFrontDomain: description.CloudFrontDistribution
  }
  const state = changeOn(seen, target)
  return {
    state,
    seen,
    text: `${carriedText(seen, target.to)} (status ${seen.status ?? 'not reported'})`,
    description
  }
}
