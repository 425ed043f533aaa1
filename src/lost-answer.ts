/** An UpdateUserPoolDomain that failed: what it may have done, looked up on the domain. */
import * as core from '@actions/core'
import { CallFailed } from './aws-calls.js'
import type { Cognito } from './cognito.js'
import type { Settings } from './inputs.js'
import { carriedBy, carriedText, changeOn, type Carried, type Plan } from './plan.js'
import { logLine, rollbackStep } from './report.js'
import { explainFailure, failureMessage } from './service-errors.js'
import { isCancelled } from './stages.js'

type Update = Extract<Plan, { action: 'update' }>

/**
 * After UpdateUserPoolDomain failed: when some attempt may have reached Cognito with its answer
 * lost, the domain is described before anything is said, since the change may be on it. Applied:
 * the run goes on with the CloudFront domain the description gives. Otherwise the failure, with
 * what the domain carries now.
 */
export async function afterFailedUpdate(
  settings: Settings,
  plan: Update,
  error: unknown,
  cognito: Cognito,
  signal: AbortSignal
): Promise<
  { applied: true; cloudFrontDomain: string | undefined } | { applied: false; failure: string }
> {
  const explained = failureMessage(error, settings)
  if (!(error instanceof CallFailed) || !error.uncertain)
    return {
      applied: false,
      failure: `${explained} Every attempt was refused or never reached Cognito, so nothing was changed.`
    }
  logLine(
    `UpdateUserPoolDomain failed after an attempt whose answer was lost; describing ${settings.domain} to see whether the change is on it.`
  )
  let seen: Carried & { cloudFrontDomain?: string | undefined; status?: string | undefined }
  try {
    const description = await cognito.describeDomain(settings.domain, signal)
    seen = {
      ...carriedBy(description),
      cloudFrontDomain: description.CloudFrontDistribution,
      status: description.Status
    }
  } catch (described) {
    if (isCancelled(described)) throw described
    return {
      applied: false,
      failure: `${explained} Whether the change was applied is unknown: an attempt may have reached Cognito, and the domain could not be described afterwards (${describedError(described, settings)}). Check with \`aws cognito-idp describe-user-pool-domain --domain ${settings.domain} --region ${settings.pool.region.name}\`. ${rollbackStep(settings, plan.changes)}`
    }
  }
  const now = `${carriedText(seen, plan.target.to)} (status ${seen.status ?? 'not reported'})`
  switch (changeOn(seen, plan.target)) {
    case 'applied':
      core.warning(
        `UpdateUserPoolDomain reported a failure, but the domain now carries this run's change: ${now}. An earlier attempt reached Cognito and its answer was lost; the failure was that of a later attempt: ${explained}`,
        { title: 'Update applied; its answer was lost' }
      )
      return {
        applied: true,
        cloudFrontDomain: seen.cloudFrontDomain ?? plan.current.cloudFrontDomain
      }
    case 'not applied':
      return {
        applied: false,
        failure: `${explained} The change was not applied: the domain still carries what it had before, ${now}. Nothing was changed.`
      }
    case 'other':
      return {
        applied: false,
        failure: `${explained} The domain now carries ${now}: neither this run's change nor what it had before, so another change reached it. This run changes nothing more; look at the domain before running again.`
      }
  }
}

export function describedError(error: unknown, settings: Settings): string {
  return error instanceof CallFailed
    ? explainFailure(error, settings)
    : error instanceof Error
      ? error.message
      : String(error)
}
