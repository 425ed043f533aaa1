import type { CertificateSummary } from '@aws-sdk/client-acm'
import { applyChange, resumeWait } from './apply.js'
import type { Cancellation } from '../report/cancellation.js'
import {
  certificateReader,
  inUse as judgeInUse,
  preflight,
  type CertificateReader,
  type Checks,
  type InUse
} from './certificates.js'
import { daysLeft, expiresBefore } from '../rules/certificate.js'
import { connectCognito } from '../aws/cognito.js'
import { lookAtEdge, type EdgeLook } from './edge.js'
import type { Settings } from '../inputs/settings.js'
import { setOutput } from '../report/outputs.js'
import { chooseNewest, finalistsOf } from '../rules/newest.js'
import {
  certificateChange,
  changedSettings,
  changesText,
  findDomain,
  planRotation,
  type Current,
  type Plan
} from '../rules/plan.js'
import {
  annotateError,
  annotateWarning,
  certificateText,
  checksText,
  logLine,
  reportChecks,
  reportCurrent,
  reportDryRun,
  reportInUse,
  reportKept,
  reportLeaves,
  withInUse,
  type Outcome
} from '../report/report.js'
import { sameSerial } from '../aws/tls.js'

/**
 * The rotation itself, in as few round trips as a checked change allows. The first reads the
 * domain and, at the same time, the certificate asked for (for newest: the account's list). The
 * second sends the update while the certificate it replaces is read (a dry run reads it and looks
 * at the edge instead). Every run that finds a custom domain judges the certificate it serves.
 */
export async function rotate(
  settings: Settings,
  onCurrent: (current: Current) => void,
  cancellation: Cancellation
): Promise<Outcome> {
  const { signal } = cancellation
  const now = new Date()
  const certificates = certificateReader(settings, signal, logLine)
  const read = (arn: string | undefined) =>
    settings.verifyCertificate && arn !== undefined ? certificates.read(arn) : undefined
  const cognito = await connectCognito(settings.pool, settings.limits, logLine)

  // Round trip 1: the domain, and meanwhile the certificate asked for or the account's list.
  void read(settings.certificateArn)
  const listing = settings.newest ? certificates.listIssued() : undefined
  listing?.catch(() => undefined)
  const description = await cognito.describeDomain(settings.domain, signal)
  const found = findDomain(settings, description)
  if (!found.found) {
    setOutput('changed', 'false')
    return {
      result: 'Refused',
      settings,
      failure: `${found.reason}. Nothing was changed. ${found.fix}`
    }
  }
  const { current } = found
  onCurrent(current)
  reportCurrent(current)
  // The certificate the domain serves now: already on its way when it is the one asked for.
  const inUseReading = read(current.certificateArn)
  const inUseNow = async (): Promise<InUse> => judgeInUse(await inUseReading, settings, now)

  let wanted = settings
  if (listing !== undefined) {
    const chosen = await chooseFromAcm(settings, current, listing, certificates, now)
    if ('failure' in chosen)
      return refused(
        { result: 'Refused: no certificate to choose', settings, current, failure: chosen.failure },
        await inUseNow()
      )
    wanted = { ...settings, certificateArn: chosen.arn }
  }

  const plan = planRotation(wanted, description)
  if (plan.action === 'refuse')
    return refused(
      {
        result: 'Refused',
        settings: wanted,
        current,
        failure: `${plan.reason}. Nothing was changed. ${plan.fix}`
      },
      await inUseNow()
    )
  if (plan.action === 'keep')
    return keep(wanted, plan, await inUseNow(), cancellation, certificates)

  const newCertificate = certificateChange(plan.changes)
  const checks: Checks =
    newCertificate === undefined
      ? { state: 'unchanged' }
      : preflight(await read(newCertificate.to), wanted, now)
  reportChecks(checks)
  const newText =
    newCertificate === undefined
      ? undefined
      : certificateText(
          newCertificate.to,
          checks.state === 'judged' ? checks.certificate : undefined,
          newDays(checks, now)
        )
  if (checks.state === 'judged' && checks.verdict.refusals.length > 0) {
    const count = checks.verdict.refusals.length
    return refused(
      {
        result: 'Refused: the certificate cannot serve this domain',
        settings: wanted,
        current,
        newCertificate: newText,
        checks: checksText(checks),
        failure: `The certificate ${newCertificate?.to ?? ''} was refused by ${count} pre-flight check${count === 1 ? '' : 's'} (see the errors above). Nothing was changed.`,
        detail: checks.verdict.refusals.map((refusal) => refusal.message).join(' ')
      },
      await inUseNow()
    )
  }
  if (wanted.dryRun) return dryRun(wanted, plan, checks, newText, inUseNow, signal)

  // Round trip 2: the update, while the certificate it replaces is read.
  const outcome = await applyChange(
    wanted,
    plan,
    checks,
    cognito,
    cancellation,
    inUseNow(),
    certificates
  )
  return { ...outcome, newCertificate: newText }
}

/** The domain already carries what was asked for: judged, and with wait-for-rollout followed. */
async function keep(
  settings: Settings,
  plan: Extract<Plan, { action: 'keep' }>,
  inUse: InUse,
  cancellation: Cancellation,
  certificates: CertificateReader
): Promise<Outcome> {
  const { current } = plan
  reportKept(current, plan.note)
  reportInUse(inUse, false)
  reportLeaves(current.certificateArn, inUse.state === 'judged' ? inUse.days : undefined)
  const kept: Outcome = {
    result: 'No change: the domain already has what was asked for',
    unchanged: true,
    settings,
    current,
    checks: checksText(undefined)
  }
  if (settings.dryRun) {
    const edge = await lookAtEdge(settings, current.cloudFrontDomain, cancellation.signal)
    return withInUse(withEdge(kept, edge, inUse), inUse, false)
  }
  if (!settings.rollout.wait) return withInUse(kept, inUse, false)
  const resumed = await resumeWait(settings, plan, cancellation, certificates)
  return withInUse(
    {
      ...kept,
      result: resumed.ok ? `No change: the domain ${resumed.text}` : 'Failed',
      rollout: resumed.rollout,
      failure: resumed.failure
    },
    inUse,
    false
  )
}

/** A dry run: the plan, the certificate in use, and one look at what the edge serves. */
async function dryRun(
  settings: Settings,
  plan: Extract<Plan, { action: 'update' }>,
  checks: Checks,
  newText: string | undefined,
  inUseNow: () => Promise<InUse>,
  signal: AbortSignal
): Promise<Outcome> {
  const { current } = plan
  const [inUse, edge] = await Promise.all([
    inUseNow(),
    lookAtEdge(settings, current.cloudFrontDomain, signal)
  ])
  reportInUse(inUse, false)
  const newDetail = checks.state === 'judged' ? checks.certificate : undefined
  const earlier =
    newDetail !== undefined && inUse.state === 'judged'
      ? expiresBefore(newDetail, inUse.certificate)
      : undefined
  if (earlier !== undefined) annotateWarning(earlier.message, earlier.title)
  reportDryRun(settings, plan)
  const newCertificate = certificateChange(plan.changes)
  reportLeaves(
    newCertificate?.to ?? current.certificateArn,
    newCertificate === undefined
      ? inUse.state === 'judged'
        ? inUse.days
        : undefined
      : newDays(checks, new Date())
  )
  const outcome: Outcome = {
    result: `Dry run: the ${changedSettings(plan.changes)} would be changed`,
    settings,
    current,
    newCertificate: newText,
    change: changesText(plan.changes),
    checks: checksText(checks, earlier === undefined ? [] : [earlier])
  }
  return withInUse(withEdge(outcome, edge, inUse), inUse, false)
}

/**
 * A run refused after the domain was found: nothing was sent. Its outputs say so, and name the
 * certificate the domain keeps; the certificate in use is judged as on every run.
 */
function refused(outcome: Outcome, inUse: InUse): Outcome {
  reportInUse(inUse, false)
  setOutput('changed', 'false')
  setOutput('cloudfront-domain', outcome.current?.cloudFrontDomain ?? '')
  reportLeaves(outcome.current?.certificateArn, inUse.state === 'judged' ? inUse.days : undefined)
  return withInUse(outcome, inUse, false)
}

/** The new certificate's whole days left, when the pre-flight read it. */
function newDays(checks: Checks, now: Date): number | undefined {
  return checks.state === 'judged' && checks.certificate !== undefined
    ? daysLeft(checks.certificate, now)
    : undefined
}

/**
 * A dry run's look at the edge: what it serves against the certificate the domain carries. A
 * different certificate fails the run; a failed probe is a warning (the runner may have no route).
 */
function withEdge(outcome: Outcome, edge: EdgeLook, inUse: InUse): Outcome {
  const { settings } = outcome
  if (edge.state === 'skipped') {
    if (edge.why !== undefined) annotateWarning(edge.why, 'TLS check skipped')
    return outcome
  }
  const at = `${edge.endpoint.host}:${edge.endpoint.port}`
  if (edge.state === 'unreachable') {
    annotateWarning(
      `Could not read the certificate the edge serves at ${at} for ${settings?.domain ?? ''} (${edge.why}). The runner may have no route to the edge: give tls-endpoint, or verify-tls: false to leave this check out.`,
      'TLS check failed'
    )
    return outcome
  }
  const { served } = edge
  setOutput('served-certificate-serial', served.serial)
  const servedText = `serial ${served.serial} (CN ${served.subject}, valid to ${served.validTo})`
  const expected = inUse.state === 'judged' ? inUse.certificate.Serial : undefined
  if (inUse.state !== 'judged' || expected === undefined || expected === '') {
    const why =
      inUse.state === 'off'
        ? 'the certificate in use was not read (verify-certificate: false)'
        : 'ACM did not give the serial of the certificate in use'
    logLine(
      `The edge at ${at} serves ${servedText} for ${settings?.domain ?? ''}; not compared, as ${why}.`
    )
    return outcome
  }
  if (sameSerial(expected, served.serial)) {
    logLine(
      `The edge at ${at} serves ${inUse.arn} for ${settings?.domain ?? ''} (${servedText}), as Cognito says.`
    )
    return { ...outcome, rollout: `Edge serves the certificate in use (serial ${served.serial})` }
  }
  const failure = `The edge at ${at} serves ${servedText} for ${settings?.domain ?? ''}, but the domain carries ${inUse.arn}, whose serial ACM gives as ${expected}: the edge does not serve what Cognito says. If the domain was changed within the last hour, the change may still be distributing: run again later. Otherwise look at the domain and its CloudFront distribution in the Cognito console.`
  annotateError(failure, 'Edge serves another certificate')
  return {
    ...outcome,
    result: 'Failed: the edge serves another certificate',
    rollout: `Edge serves serial ${served.serial}, not the certificate in use`,
    failure: outcome.failure === undefined ? failure : `${outcome.failure} ${failure}`
  }
}

/**
 * certificate-arn: newest. The list (read in round trip 1) gives the finalists; they are read in
 * round trip 2 with the certificate in use, judged, and the one that expires last is chosen.
 */
async function chooseFromAcm(
  settings: Settings,
  current: Current,
  listing: Promise<CertificateSummary[]>,
  certificates: CertificateReader,
  now: Date
): Promise<{ arn: string } | { failure: string }> {
  const listed = await listing
  const { finalists, setAside } = finalistsOf(listed, settings.domain, current.certificateArn)
  logLine(
    `certificate-arn: newest: ACM lists ${listed.length} ISSUED certificate${listed.length === 1 ? '' : 's'}; ${finalists.length} to look at for ${settings.domain}.`
  )
  const readings = await mapLimited(finalists, 8, (arn) => certificates.read(arn))
  const choice = chooseNewest({
    domain: settings.domain,
    now,
    minDaysRemaining: settings.minDaysRemaining,
    currentArn: current.certificateArn,
    setAside,
    readings
  })
  for (const line of choice.lines) logLine(`newest: ${line}`)
  if (choice.arn === undefined) return { failure: choice.failure ?? 'No certificate to choose.' }
  return { arn: choice.arn }
}

/** `work` for every item, at most `limit` at once (ACM allows a few DescribeCertificate a second). */
async function mapLimited<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>
): Promise<R[]> {
  const results: R[] = []
  for (let start = 0; start < items.length; start += limit)
    results.push(...(await Promise.all(items.slice(start, start + limit).map(work))))
  return results
}
