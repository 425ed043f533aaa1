import * as core from '@actions/core'
import { connectAcm } from './acm.js'
import { stillRunning, type Cancellation } from './cancellation.js'
import { connectCognito, type Cognito } from './cognito.js'
import type { Settings } from './inputs.js'
import { certificateChange, changedSettings, changesText, type Plan } from './plan.js'
import type { Checks } from './preflight.js'
import {
  checksText,
  logLine,
  reportRotated,
  reportUpdating,
  rollbackHint,
  rollbackStep,
  type Outcome
} from './report.js'
import { followRollout, realClock, type Observation, type Rollout, type Watch } from './rollout.js'
import { failureMessage } from './service-errors.js'
import { colonHex, sameSerial, servedCertificate } from './tls-probe.js'

type Update = Extract<Plan, { action: 'update' }>

/**
 * Sends the change, and with wait-for-rollout follows it to ACTIVE and to the edge. Once the
 * update is sent, every failure carries the rollback step, and so does a cancelled job; with
 * rollback-on-failure a failed rollout is undone here and now.
 */
export async function applyChange(
  settings: Settings,
  plan: Update,
  checks: Checks,
  cognito: Cognito,
  cancellation: Cancellation
): Promise<Outcome> {
  const { current, changes } = plan
  const base = { settings, current, checks: checksText(checks), change: changesText(changes) }
  const changed = changedSettings(changes)
  const Changed = changed.charAt(0).toUpperCase() + changed.slice(1)
  await cancellation.beforeChange((signal) => ({
    ...base,
    result: 'Cancelled while sending the change',
    failure: `Cancelled (${signal}) while UpdateUserPoolDomain was being sent: Cognito may have applied the change. Look at the domain before running again. ${rollbackStep(settings, changes)}`
  }))
  reportUpdating(plan)
  try {
    const { cloudFrontDomain } = await cognito.updateDomain(plan.request)
    reportRotated(changes, cloudFrontDomain)
    if (!settings.rollout.wait)
      return {
        ...base,
        result: `${Changed} changed; distribution takes up to an hour`,
        cloudFrontDomain,
        detail: rollbackHint(changes)
      }

    // Polls make one call each, without the SDK's retries: at most one call per interval.
    const poller = await connectCognito({ ...settings, maxAttempts: 1 }, logLine)
    const rollout = await waitForRollout(
      settings,
      plan,
      cloudFrontDomain,
      checks,
      poller,
      (outcome) => {
        cancellation.describe((signal) => ({ ...base, cloudFrontDomain, ...outcome(signal) }))
      }
    )
    reportRollout(rollout)
    const summary = { ...base, cloudFrontDomain, rollout: rolloutText(rollout) }
    if (rollout.ok)
      return {
        ...summary,
        result: `${Changed} changed and ${rollout.served === undefined ? 'ACTIVE' : 'served at the edge'} after ${rollout.seconds} s`,
        detail: rollbackHint(changes)
      }
    const failure = `${rollout.message}. ${rollbackStep(settings, changes)}`
    if (!settings.rollout.rollbackOnFailure) return { ...summary, result: 'Failed', failure }
    await cancellation.beforeChange((signal) => ({
      ...summary,
      result: 'Cancelled while rolling back',
      failure: `Cancelled (${signal}) while rolling back after: ${rollout.message}. The rollback may not have been sent or completed. ${rollbackStep(settings, changes)}`
    }))
    const rolledBack = await rollBack(settings, plan, cognito, poller)
    return {
      ...summary,
      result: 'Failed; rolled back',
      failure: `${rollout.message}. ${rolledBack}`
    }
  } catch (error) {
    return {
      ...base,
      result: 'Failed',
      failure: `${failureMessage(error, settings)} ${rollbackStep(settings, changes)}`
    }
  }
}

/** Follows the change to ACTIVE and, with verify-tls, to the edge. */
async function waitForRollout(
  settings: Settings,
  plan: Update,
  cloudFrontDomain: string | undefined,
  checks: Checks,
  poller: Cognito,
  onCancel: Cancellation['describe']
): Promise<Rollout> {
  const { rollout } = settings
  let last: Observation | undefined
  const started = Date.now()
  onCancel((signal) => {
    const seen =
      last === undefined ? 'not described yet' : `${last.status} on ${last.certificateArn ?? '?'}`
    return {
      result: 'Cancelled while waiting',
      failure: `Cancelled (${signal}) while waiting for the rollout, ${Math.round((Date.now() - started) / 1000)} s after the change: the domain was ${seen}. The change was sent; Cognito goes on distributing it without this job. ${rollbackStep(settings, plan.changes)}`
    }
  })
  const probe = await tlsProbe(settings, plan, cloudFrontDomain, checks)
  logLine(
    `Waiting up to ${rollout.timeoutMs / 60_000} min for the domain to be ACTIVE with the change${probe === undefined ? '' : ' and for the edge to serve the new certificate'}, checking every ${rollout.intervalMs / 1000} s.`
  )
  const watch: Watch = {
    describe: async () => {
      last = observe(await poller.describeDomain(settings.domain))
      return last
    },
    clock: realClock,
    log: logLine
  }
  // A cancelled job starts no probe and acts on no answer after the signal, as its AWS calls do.
  if (probe !== undefined)
    watch.probe = async () => {
      await stillRunning()
      const seen = await probe()
      await stillRunning()
      return seen
    }

  return followRollout(
    {
      certificateArn: plan.request.CustomDomainConfig?.CertificateArn,
      previousArn: plan.current.certificateArn
    },
    rollout,
    watch
  )
}

/**
 * A probe of the served certificate, or none when verify-tls is off, the certificate does not
 * change, or the check can't be done.
 */
async function tlsProbe(
  settings: Settings,
  plan: Update,
  cloudFrontDomain: string | undefined,
  checks: Checks
): Promise<Watch['probe']> {
  const newCertificate = certificateChange(plan.changes)
  if (!settings.rollout.verifyTls || newCertificate === undefined) return undefined
  const endpoint =
    settings.rollout.tlsEndpoint ??
    (cloudFrontDomain === undefined || cloudFrontDomain === ''
      ? undefined
      : { host: cloudFrontDomain, port: 443 })
  if (endpoint === undefined) {
    core.warning(
      'Cognito reported no CloudFront domain, so the served certificate is not checked. Give tls-endpoint to check it.',
      { title: 'TLS check skipped' }
    )
    return undefined
  }
  const serial = await expectedSerial(settings, newCertificate.to, checks)
  if (serial === undefined) return undefined
  logLine(
    `ACM gives the new certificate's serial as ${serial}; checking what ${endpoint.host}:${endpoint.port} serves with SNI ${settings.domain}.`
  )
  return async () => {
    const served = await servedCertificate(endpoint, settings.domain)
    return { served, matches: sameSerial(serial, served.serial) }
  }
}

/** The new certificate's serial, as ACM gives it: from the pre-flight, or asked for now. */
async function expectedSerial(
  settings: Settings,
  certificateArn: string,
  checks: Checks
): Promise<string | undefined> {
  const known = checks.state === 'judged' ? checks.certificate?.Serial : undefined
  if (known !== undefined && known !== '') return known
  try {
    const acm = await connectAcm(certificateArn, settings.maxAttempts, logLine)
    const serial = (await acm.describeCertificate(certificateArn)).Serial
    if (serial !== undefined && serial !== '') return serial
    throw new Error('ACM gave no serial')
  } catch (error) {
    core.warning(
      `The served certificate is not checked: its serial could not be read from ACM. ${failureMessage(error, settings)}`,
      { title: 'TLS check skipped' }
    )
    return undefined
  }
}

/** Puts back what the domain had and waits for it; what happened, in one message. */
async function rollBack(
  settings: Settings,
  plan: Update,
  cognito: Cognito,
  poller: Cognito
): Promise<string> {
  const previous = plan.changes
    .map((change) => `${change.what} ${change.from ?? '(not reported: kept as it is)'}`)
    .join(', ')
  logLine(`rollback-on-failure: sending UpdateUserPoolDomain back to ${previous}`)
  const manual = rollbackStep(settings, plan.changes)
  try {
    await cognito.updateDomain(plan.undo)
    const back = await followRollout(
      {
        certificateArn: plan.undo.CustomDomainConfig?.CertificateArn,
        previousArn: plan.request.CustomDomainConfig?.CertificateArn
      },
      settings.rollout,
      {
        describe: async () => observe(await poller.describeDomain(settings.domain)),
        clock: realClock,
        log: logLine,
        label: 'Rollback'
      }
    )
    core.setOutput('status', back.status ?? '')
    const message = back.ok
      ? `Rolled back: the domain is ACTIVE again on ${previous} (${back.seconds} s).`
      : `The rollback to ${previous} did not complete: ${back.message}. ${manual}`
    logLine(message)
    return message
  } catch (error) {
    const message = `The rollback to ${previous} failed: ${failureMessage(error, settings)} ${manual}`
    logLine(message)
    return message
  }
}

function observe(description: {
  Status?: string | undefined
  CustomDomainConfig?: { CertificateArn?: string | undefined } | undefined
}): Observation {
  return {
    status: description.Status ?? 'unknown',
    certificateArn: description.CustomDomainConfig?.CertificateArn
  }
}

function reportRollout(rollout: Rollout): void {
  core.setOutput('status', rollout.status ?? '')
  core.setOutput('rollout-seconds', String(rollout.seconds))
  if (rollout.served !== undefined)
    core.setOutput('served-certificate-serial', rollout.served.serial)
  if (rollout.ok)
    logLine(
      `Rollout complete after ${rollout.seconds} s: the domain is ${rollout.status}${rollout.served === undefined ? '' : ` and the edge serves serial ${colonHex(rollout.served.serial)}`}.`
    )
}

function rolloutText(rollout: Rollout): string {
  const served = rollout.served === undefined ? '' : `, edge serves serial ${rollout.served.serial}`
  return rollout.ok
    ? `${rollout.status} after ${rollout.seconds} s${served}`
    : `${rollout.why} after ${rollout.seconds} s (status ${rollout.status ?? 'unknown'}${served})`
}
