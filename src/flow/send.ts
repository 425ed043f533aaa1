/** An UpdateUserPoolDomain that failed: what it may have done, looked up on the domain. */
import type { DomainDescriptionType } from '@aws-sdk/client-cognito-identity-provider'
import { CallFailed } from '../aws/calls.js'
import type { Cognito } from '../aws/cognito.js'
import type { Settings } from '../inputs/settings.js'
import {
  carriedBy,
  carriedText,
  changeOn,
  type Carried,
  type Plan,
  type Target
} from '../rules/plan.js'
import { annotateWarning, logLine, rollbackStep } from '../report/report.js'
import { failureMessage } from '../aws/errors.js'
import { isCancelled } from './time.js'

type Update = Extract<Plan, { action: 'update' }>

/** What the domain carries as described now, and where a change stands on it. */
export type Look =
  | {
      state: 'applied' | 'not applied' | 'other'
      seen: Carried & { status: string | undefined; cloudFrontDomain: string | undefined }
      /** In a few words: "certificate …, security policy … (status ACTIVE)". */
      text: string
      description: DomainDescriptionType
    }
  /** The domain could not be described. */
  | { state: 'unknown'; why: string; error: unknown }

/** Describes the domain and says where the change `target` stands on it. */
export async function lookAt(
  settings: Settings,
  target: Target,
  cognito: Cognito,
  signal: AbortSignal
): Promise<Look> {
  let description: DomainDescriptionType
  try {
    description = await cognito.describeDomain(settings.domain, signal)
  } catch (error) {
    if (isCancelled(error)) throw error
    return { state: 'unknown', why: failureMessage(error, settings), error }
  }
  const seen = {
    ...carriedBy(description),
    status: description.Status,
    cloudFrontDomain: description.CloudFrontDistribution
  }
  return {
    state: changeOn(seen, target),
    seen,
    text: `${carriedText(seen, target.to)} (status ${seen.status ?? 'not reported'})`,
    description
  }
}

/**
 * After UpdateUserPoolDomain failed: when some attempt may have reached Cognito with its answer
 * lost, the domain is described before anything is said, since the change may be on it. Applied:
 * the run goes on with the CloudFront domain the description gives. Otherwise the failure, with
 * what the domain carries now. An attempt whose answer never came may still be carried out after
 * that look, so "not applied" is said as of the look, never as "nothing was changed".
 */
export async function afterFailedUpdate(
  settings: Settings,
  plan: Update,
  error: unknown,
  cognito: Cognito,
  signal: AbortSignal
): Promise<
  | { applied: true; cloudFrontDomain: string | undefined }
  | {
      applied: false
      failure: string
      /** The certificate the domain carries as far as the run knows; undefined: unknown. */
      certificateArn: string | undefined
    }
> {
  const explained = failureMessage(error, settings)
  if (!(error instanceof CallFailed) || !error.uncertain)
    return {
      applied: false,
      failure: `${explained} Every attempt was refused or never reached Cognito, so nothing was changed.`,
      certificateArn: plan.current.certificateArn
    }
  logLine(
    `UpdateUserPoolDomain failed after an attempt whose answer was lost; describing ${settings.domain} to see whether the change is on it.`
  )
  const check = `Check it again in a few minutes with \`aws cognito-idp describe-user-pool-domain --domain ${settings.domain} --region ${settings.pool.region.name}\` (or run this action again: it changes nothing when the domain already carries the change).`
  const look = await lookAt(settings, plan.target, cognito, signal)
  switch (look.state) {
    case 'unknown':
      return {
        applied: false,
        failure: `${explained} Whether the change was applied is unknown: an attempt may have reached Cognito, and the domain could not be described afterwards (${look.why}). ${check} ${rollbackStep(settings, plan.changes)}`,
        certificateArn: undefined
      }
    case 'applied':
      annotateWarning(
        `UpdateUserPoolDomain reported a failure, but the domain now carries this run's change: ${look.text}. An attempt reached Cognito and its answer was lost (or another change set the same), and the failure was that of a later attempt: ${explained}`,
        'Update applied; its answer was lost'
      )
      return {
        applied: true,
        cloudFrontDomain: look.seen.cloudFrontDomain ?? plan.current.cloudFrontDomain
      }
    case 'not applied':
      return {
        applied: false,
        failure: `${explained} When described just now, the domain still carried what it had before, ${look.text}: the change was not on it. An attempt whose answer never came may still be carried out by Cognito. ${check} ${rollbackStep(settings, plan.changes)}`,
        certificateArn: look.seen.certificateArn
      }
    case 'other':
      return {
        applied: false,
        failure: `${explained} The domain now carries ${look.text}: neither this run's change nor what it had before, so another change reached it. This run changes nothing more; look at the domain before running again.`,
        certificateArn: look.seen.certificateArn
      }
  }
}
