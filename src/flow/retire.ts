/**
 * retire-replaced: once the edge serves the new certificate, the one it replaced is deleted from
 * ACM, but only when this action imported it for this domain (its tags say so), it is an imported
 * certificate, the new one outlasts it, the domain does not carry it again, and nothing uses it
 * any longer (ACM's InUseBy is empty, waited for within the wait's deadline). The certificate and
 * the domain are looked at together right before the delete, which is sent at once. Anything else
 * keeps it, with a warning that names it and why.
 */
import type { CertificateDetail } from '@aws-sdk/client-acm'
import { CallFailed, isDenied, isMissing } from '../aws/errors.js'
import { failureMessage } from '../aws/explain.js'
import { isCancelled, timedOut } from '../common/time.js'
import { certificateRegion } from '../inputs/identifiers.js'
import { when, type Reading } from '../rules/certificate.js'
import { importedFor, TAG_DOMAIN } from './import.js'
import type { Run } from './run.js'

/** What retire-replaced found: delete it, or keep it and why. */
type Verdict = { delete: true } | { delete: false; why: string }

/**
 * Retires `replaced`, which `newArn` replaced, after a rollout seen at the edge; `signal` is the
 * wait's deadline (and the job's cancellation). Records what it did in the progress; never fails
 * the run.
 */
export async function retireReplaced(
  run: Run,
  replaced: string,
  newArn: string,
  signal: AbortSignal
): Promise<void> {
  const { ports, settings, progress, certificates } = run
  const { acm, cognito, clock, log } = ports
  progress.stage = 'retiring'
  const keep = (why: string) => {
    progress.warn(`${replaced} was kept in ACM: ${why}`, 'Replaced certificate kept')
  }
  const yourself = `Delete it yourself once nothing uses it (\`aws acm describe-certificate --certificate-arn ${replaced} --region ${certificateRegion(settings.pool.region)}\` shows an empty InUseBy).`
  let seenInUse = false
  let deleting = false
  try {
    signal.throwIfAborted()
    const [tags, newer] = await Promise.all([
      acm.listTags(replaced, signal),
      certificates.read(newArn)
    ])
    if (!importedFor(tags, settings.domain)) {
      keep(
        `this action did not import it for ${settings.domain} (it has no tag ${TAG_DOMAIN}=${settings.domain}). retire-replaced deletes only certificates this action imported; delete it yourself if nothing else needs it.`
      )
      return
    }
    for (;;) {
      // The look right before the delete: the certificate and the domain, both now.
      const [detail, domain] = await Promise.all([
        acm.describeCertificate(replaced, signal),
        cognito.pollDomain(settings.domain, signal)
      ])
      const verdict = judge(detail, newer, domain.CustomDomainConfig?.CertificateArn === replaced)
      if (!verdict.delete) {
        keep(verdict.why)
        return
      }
      const users = detail.InUseBy ?? []
      if (users.length === 0) break
      seenInUse = true
      log(
        `retire-replaced: ${replaced} is still in use by ${users.join(', ')}; looking again in ${settings.rollout.intervalMs / 1000} s.`
      )
      await clock.sleep(settings.rollout.intervalMs, signal)
    }
    deleting = true
    progress.retireSent = true
    await acm.deleteCertificate(replaced, signal)
    retired(run, replaced)
  } catch (error) {
    if (isCancelled(error)) throw error
    if (deleting && error instanceof CallFailed && isMissing(error)) {
      // Gone already: an attempt whose answer was lost deleted it.
      retired(run, replaced)
      return
    }
    if (deleting && (timedOut(signal) || (error instanceof CallFailed && error.uncertain))) {
      await lookAfterDelete(run, replaced, error, yourself)
      return
    }
    if (timedOut(signal)) {
      keep(
        seenInUse
          ? `it was still in use when wait-timeout-minutes ran out (counted from when the change was sent). ACM releases a certificate some time after CloudFront stops serving it. ${yourself}`
          : `wait-timeout-minutes (counted from when the change was sent) ran out before it could be retired. ${yourself}`
      )
      return
    }
    if (!(error instanceof CallFailed)) throw error
    if (isMissing(error) && error.call !== 'DescribeUserPoolDomain') {
      progress.warn(
        `${replaced} was not retired: ACM no longer holds it (${failureMessage(error, settings)}); something else deleted it after the change.`,
        'Replaced certificate already gone'
      )
      return
    }
    keep(`${failureMessage(error, settings)}${isDenied(error) ? '' : ` ${yourself}`}`)
  }
}

/** Whether the replaced certificate, as just described, may go. */
function judge(detail: CertificateDetail, newer: Reading, carried: boolean): Verdict {
  if (detail.Type !== 'IMPORTED')
    return {
      delete: false,
      why: `it is not an imported certificate (${detail.Type ?? 'no type'}).`
    }
  if (carried)
    return {
      delete: false,
      why: 'the domain carries it again: another change put it back after this run, so it is in use.'
    }
  const end = detail.NotAfter
  if (newer.state !== 'read' || newer.certificate.NotAfter === undefined)
    return {
      delete: false,
      why: `the expiry of the certificate that replaced it, ${newer.arn}, is not known (${newer.state === 'read' ? 'ACM gives none' : newer.why}), so it can't be said to outlast this one, which stays as the certificate to go back to.`
    }
  const newEnd = newer.certificate.NotAfter
  if (end !== undefined && newEnd.getTime() < end.getTime())
    return {
      delete: false,
      why: `the certificate that replaced it, ${newer.arn}, expires on ${when(newEnd)}, before this one (${when(end)}): it stays as the certificate to go back to. Delete it yourself when you no longer need it.`
    }
  return { delete: true }
}

function retired(run: Run, replaced: string): void {
  run.progress.retired = replaced
  run.ports.log(
    `retire-replaced: deleted ${replaced} from ACM (this action imported it for ${run.settings.domain}, and nothing uses it any longer).`
  )
}

/**
 * DeleteCertificate's answer was lost, or its time ran out while it was on its way: ACM is asked
 * whether it still holds the certificate (within the run's own bounds: the wait's time is up).
 */
async function lookAfterDelete(
  run: Run,
  replaced: string,
  error: unknown,
  yourself: string
): Promise<void> {
  const { ports, settings, progress, cancel } = run
  const failed =
    error instanceof CallFailed ? failureMessage(error, settings) : 'wait-timeout-minutes ran out'
  const unknown = (why: string) => {
    progress.warn(
      `Whether ${replaced} was deleted from ACM is unknown: ${failed}, and ${why}. Look in ACM: ${yourself}`,
      'Replaced certificate perhaps kept'
    )
  }
  const look = ports.clock.deadline(cancel, settings.limits.attemptMs, 'attempt-timeout-seconds')
  try {
    await ports.acm.describeCertificate(replaced, look)
    progress.warn(
      `${replaced} was kept in ACM: DeleteCertificate did not go through (${failed}). ${yourself}`,
      'Replaced certificate kept'
    )
  } catch (lookError) {
    if (isCancelled(lookError)) throw lookError
    if (lookError instanceof CallFailed && isMissing(lookError)) retired(run, replaced)
    else
      unknown(
        `the look afterwards failed too (${lookError instanceof CallFailed ? failureMessage(lookError, settings) : String(lookError)})`
      )
  }
}

/** What retire-replaced would do with `replaced`, for a dry run (read-only: its tags). */
export async function retireOutlook(run: Run, replaced: string): Promise<string> {
  const { ports, settings, cancel } = run
  try {
    const tags = await ports.acm.listTags(replaced, cancel)
    return importedFor(tags, settings.domain)
      ? `once the edge serves the new certificate, a real run would delete ${replaced} from ACM (this action imported it for ${settings.domain}), when nothing uses it any longer, the domain does not carry it and the new certificate outlasts it.`
      : `a real run would keep ${replaced} in ACM: this action did not import it for ${settings.domain}.`
  } catch (error) {
    if (!(error instanceof CallFailed)) throw error
    return `whether a real run would retire ${replaced} is unknown: ${failureMessage(error, settings)}`
  }
}
