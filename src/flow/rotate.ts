/**
 * The run itself, in as few round trips as a checked change allows. The first reads the domain
 * and, at the same time, the certificate asked for (for newest: the account's list). The second
 * sends the update while the certificate it replaces is read (a dry run reads it and looks at the
 * edge instead). Every run that finds a custom domain judges the certificate it serves. The run
 * returns its result and fills in the progress; it writes no output, annotation or summary.
 */
import type { CertificateSummary } from '@aws-sdk/client-acm'
import { CallFailed } from '../aws/errors.js'
import { failureMessage } from '../aws/explain.js'
import { isCancelled } from '../common/time.js'
import type { Settings } from '../inputs/settings.js'
import { expiresBefore, isServed, rolloutWindow } from '../rules/certificate.js'
import { chooseNewest, finalistsOf } from '../rules/newest.js'
import {
  certificateChange,
  changedSettings,
  findDomain,
  planRotation,
  type Current,
  type Plan
} from '../rules/plan.js'
import { applyChange, resumeWait } from './apply.js'
import { pemCertificate, pemChecks, TO_IMPORT } from './import.js'
import { retireOutlook } from './retire.js'
import {
  certificateReader,
  checkedDays,
  expectedOf,
  inUseDays,
  judgeCurrent,
  judgeTarget,
  noteChecks,
  noteInUse,
  withInUse
} from './certificates.js'
import { edgeEndpoint, lookAtEdge } from './edge.js'
import { currentText, updateText } from './messages.js'
import type { Ports } from './ports.js'
import type { EdgeLook, InUse, Progress, RunResult } from './progress.js'
import { rollBackAfter } from './rollback.js'
import type { Run } from './run.js'

export async function rotate(
  ports: Ports,
  settings: Settings,
  progress: Progress,
  cancel: AbortSignal
): Promise<RunResult> {
  try {
    return await rotation(ports, settings, progress, cancel)
  } catch (error) {
    // A cancelled job ends as the progress says (report/); anything else ends the run here.
    if (isCancelled(error)) throw error
    return { result: 'Failed', failure: failureMessage(error, settings), cause: error }
  }
}

async function rotation(
  ports: Ports,
  settings: Settings,
  progress: Progress,
  cancel: AbortSignal
): Promise<RunResult> {
  const { clock, log } = ports
  const now = new Date(clock.now())
  const certificates = certificateReader(ports.acm, settings, cancel)
  const run: Run = { ports, settings, progress, certificates, cancel }
  const read = (arn: string | undefined) =>
    settings.verifyCertificate && arn !== undefined ? certificates.read(arn) : undefined

  const { pem } = settings
  if (pem !== undefined) {
    log(`certificate-pem: ${pem.checked.facts}`)
    for (const warning of pem.warnings) {
      progress.laterFindings.push(warning)
      progress.warn(warning.message, warning.title)
    }
  }

  // Round trip 1: the domain, and meanwhile the certificate asked for or the account's list.
  void read(settings.certificateArn)
  const listing = settings.newest || pem !== undefined ? certificates.listIssued() : undefined
  listing?.catch(() => undefined)
  const description = await ports.cognito.describeDomain(settings.domain, cancel)
  const found = findDomain(settings, description)
  if (!found.found)
    return { result: 'Refused', failure: `${found.reason}. Nothing was changed. ${found.fix}` }
  const { current } = found
  progress.current = current
  log(`Current: ${currentText(current)}`)
  // The certificate the domain serves now: already on its way when it is the one asked for.
  const inUseReading = read(current.certificateArn)
  const inUseNow = async (): Promise<InUse> =>
    judgeCurrent(await inUseReading, expectedOf(settings), now)

  let wanted = settings
  if (pem !== undefined && listing !== undefined) {
    // Round trip 2 (and 3 to import): where the certificate of certificate-pem is, or will be.
    const chosen = await pemCertificate(run, pem.checked, current, listing)
    if (!('arn' in chosen)) return refused(run, chosen, await inUseNow())
    if (chosen.arn !== TO_IMPORT)
      certificates.know(chosen.arn, { ...pem.checked.detail, CertificateArn: chosen.arn })
    wanted = { ...settings, certificateArn: chosen.arn }
  } else if (listing !== undefined) {
    const chosen = await chooseFromAcm(run, current, listing, now)
    if (!('arn' in chosen)) return refused(run, chosen, await inUseNow())
    wanted = { ...settings, certificateArn: chosen.arn }
  }

  const plan = planRotation(wanted, description)
  progress.plan = plan
  if (plan.action === 'refuse')
    return refused(
      run,
      { result: 'Refused', failure: `${plan.reason}. Nothing was changed. ${plan.fix}` },
      await inUseNow()
    )
  if (plan.action === 'keep') return keep(run, plan, await inUseNow())

  const newCertificate = certificateChange(plan.changes)
  const checks =
    newCertificate === undefined
      ? ({ state: 'unchanged' } as const)
      : pem !== undefined
        ? pemChecks(pem.checked, newCertificate.to, { ...expectedOf(settings), now }, pem.warnings)
        : judgeTarget(await read(newCertificate.to), expectedOf(settings), now)
  noteChecks(progress, log, checks)
  if (checks.state === 'unread')
    return refused(
      run,
      { result: 'Failed', failure: failureMessage(checks.error, settings), cause: checks.error },
      await inUseNow()
    )
  if (checks.state === 'judged' && checks.verdict.refusals.length > 0) {
    const count = checks.verdict.refusals.length
    return refused(
      run,
      {
        result: 'Refused: the certificate cannot serve this domain',
        failure: `The certificate ${newCertificate?.to ?? ''} was refused by ${count} pre-flight check${count === 1 ? '' : 's'} (see the errors above). Nothing was changed.`,
        detail: checks.verdict.refusals.map((refusal) => refusal.message).join(' ')
      },
      await inUseNow()
    )
  }
  if (settings.dryRun) return dryRun(run, plan, inUseNow)

  // Round trip 2: the update, while the certificate it replaces is read.
  const applied = await applyChange(run, plan, inUseNow())
  return 'rollBackAfter' in applied ? rollBackAfter(run, plan, applied.rollBackAfter) : applied
}

/**
 * A run refused after the domain was found: nothing was sent. It leaves the domain as it is, and
 * the certificate in use is judged as on every run.
 */
function refused(run: Run, result: RunResult, inUse: InUse): RunResult {
  const { progress, ports } = run
  noteInUse(progress, ports.log, inUse, false)
  progress.leaves = { certificateArn: progress.current?.certificateArn, days: inUseDays(inUse) }
  return withInUse(result, inUse, false)
}

/** The domain already carries what was asked for: judged, and with wait-for-rollout followed. */
async function keep(
  run: Run,
  plan: Extract<Plan, { action: 'keep' }>,
  inUse: InUse
): Promise<RunResult> {
  const { ports, settings, progress } = run
  const { current } = plan
  ports.log('The domain already has what was asked for: nothing to change.')
  if (plan.note !== undefined) ports.log(plan.note)
  noteInUse(progress, ports.log, inUse, false)
  progress.leaves = { certificateArn: current.certificateArn, days: inUseDays(inUse) }
  const kept: RunResult = {
    result: 'No change: the domain already has what was asked for',
    unchanged: true
  }
  if (settings.dryRun) {
    const edge = await edgeLook(run, current)
    return withInUse(withEdge(run, kept, edge, inUse), inUse, false)
  }
  if (!settings.rollout.wait) return withInUse(kept, inUse, false)
  const resumed = await resumeWait(run, plan)
  return withInUse(
    {
      ...kept,
      result: resumed.ok ? `No change: the domain ${resumed.text}` : 'Failed',
      failure: resumed.failure
    },
    inUse,
    false
  )
}

/** A dry run: the plan, the certificate in use, and one look at what the edge serves. */
async function dryRun(
  run: Run,
  plan: Extract<Plan, { action: 'update' }>,
  inUseNow: () => Promise<InUse>
): Promise<RunResult> {
  const { ports, settings, progress } = run
  const { current } = plan
  const [inUse, edge] = await Promise.all([inUseNow(), edgeLook(run, current)])
  noteInUse(progress, ports.log, inUse, false)
  const checks = progress.checks
  const newDetail = checks?.state === 'judged' ? checks.certificate : undefined
  const earlier =
    newDetail !== undefined && inUse.state === 'judged'
      ? expiresBefore(newDetail, inUse.certificate)
      : undefined
  if (earlier !== undefined) {
    progress.laterFindings.push(earlier)
    progress.warn(earlier.message, earlier.title)
  }
  progress.change = { state: 'would' }
  ports.log(
    `Dry run: every check passed. A real run would send UpdateUserPoolDomain for ${settings.domain} (user pool ${settings.pool.id}, ${settings.pool.region.name}): ${updateText(plan)}. Nothing was changed.`
  )
  const newCertificate = certificateChange(plan.changes)
  progress.leaves =
    newCertificate === undefined
      ? { certificateArn: current.certificateArn, days: inUseDays(inUse) }
      : {
          // A certificate still to import has no ARN yet.
          certificateArn: newCertificate.to === TO_IMPORT ? undefined : newCertificate.to,
          days: checkedDays(checks, new Date(ports.clock.now()))
        }
  if (settings.retireReplaced && newCertificate?.from !== undefined)
    ports.log(`Dry run: ${await retireOutlook(run, newCertificate.from)}`)
  const result: RunResult = {
    result: `Dry run: the ${changedSettings(plan.changes)} would be changed`
  }
  return withInUse(withEdge(run, result, edge, inUse), inUse, false)
}

/** One look at the edge in a dry run, unless verify-tls is off or the domain has no certificate. */
async function edgeLook(run: Run, current: Current): Promise<EdgeLook> {
  const { ports, settings, cancel } = run
  if (!settings.rollout.verifyTls || settings.domainKind !== 'custom') return { state: 'skipped' }
  return lookAtEdge(
    {
      edge: ports.edge,
      clock: ports.clock,
      endpoint: edgeEndpoint(settings.rollout.tlsEndpoint, current.cloudFrontDomain),
      domain: settings.domain,
      attemptMs: settings.limits.attemptMs
    },
    cancel
  )
}

/**
 * A dry run's look at the edge: what it serves against the certificate the domain carries. A
 * different certificate fails the run; a failed look is a warning (the runner may have no route).
 */
function withEdge(run: Run, result: RunResult, edge: EdgeLook, inUse: InUse): RunResult {
  const { settings, progress, ports } = run
  progress.edge = edge
  if (edge.state === 'skipped') {
    if (edge.why !== undefined) progress.warn(edge.why, 'TLS check skipped')
    return result
  }
  const at = `${edge.endpoint.host}:${edge.endpoint.port}`
  if (edge.state === 'unreachable') {
    progress.warn(
      `Could not read the certificate the edge serves at ${at} for ${settings.domain} (${edge.why}). The runner may have no route to the edge: ${settings.rollout.tlsEndpoint === undefined ? 'give tls-endpoint' : 'check tls-endpoint'}, or verify-tls: false to leave this check out.`,
      'TLS check failed'
    )
    return result
  }
  const { served } = edge
  progress.served = served
  const servedText = `serial ${served.serial} (CN ${served.subject}, valid to ${served.validTo})`
  const expected = inUse.state === 'judged' ? inUse.certificate.Serial : undefined
  if (inUse.state !== 'judged' || expected === undefined || expected === '') {
    const why =
      inUse.state === 'off'
        ? 'the certificate in use was not read (verify-certificate: false)'
        : 'ACM did not give the serial of the certificate in use'
    ports.log(
      `The edge at ${at} serves ${servedText} for ${settings.domain}; not compared, as ${why}.`
    )
    return result
  }
  if (isServed(inUse.certificate, served)) {
    ports.log(
      `The edge at ${at} serves ${inUse.arn} for ${settings.domain} (${servedText}), as Cognito says.`
    )
    return result
  }
  const failure = `The edge at ${at} serves ${servedText} for ${settings.domain}, but the domain carries ${inUse.arn}, whose serial ACM gives as ${expected}: the edge does not serve what Cognito says. If the domain was changed within the last hour, the change may still be distributing: run again later. Otherwise look at the domain and its CloudFront distribution in the Cognito console.`
  progress.error(failure, 'Edge serves another certificate')
  return {
    ...result,
    result: 'Failed: the edge serves another certificate',
    failure: result.failure === undefined ? failure : `${result.failure} ${failure}`
  }
}

/**
 * certificate-arn: newest. The list (read in round trip 1) gives the finalists; they are read in
 * round trip 2 with the certificate in use, judged, and the one that expires last is chosen.
 */
async function chooseFromAcm(
  run: Run,
  current: Current,
  listing: Promise<CertificateSummary[]>,
  now: Date
): Promise<{ arn: string } | RunResult> {
  const { settings, certificates, ports } = run
  let listed: CertificateSummary[]
  try {
    listed = await listing
  } catch (error) {
    if (!(error instanceof CallFailed)) throw error
    return { result: 'Failed', failure: failureMessage(error, settings), cause: error }
  }
  const { finalists, setAside } = finalistsOf(listed, settings.domain, current.certificateArn)
  ports.log(
    `certificate-arn: newest: ACM lists ${listed.length} ISSUED certificate${listed.length === 1 ? '' : 's'}; ${finalists.length} to look at for ${settings.domain}.`
  )
  const readings = await mapLimited(finalists, 8, (arn) => certificates.read(arn))
  const choice = chooseNewest({
    domain: settings.domain,
    now,
    minDaysRemaining: settings.minDaysRemaining,
    rolloutMs: rolloutWindow(settings.rollout.timeoutMs),
    currentArn: current.certificateArn,
    setAside,
    readings
  })
  for (const line of choice.lines) ports.log(`newest: ${line}`)
  if (choice.arn === undefined)
    return {
      result: 'Refused: no certificate to choose',
      failure: choice.failure ?? 'No certificate to choose.'
    }
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
