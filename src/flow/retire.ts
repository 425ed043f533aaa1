/**
 * retire-replaced: once the edge serves the new certificate, the one it replaced is deleted from
 * ACM, but only when this action imported it for this domain (its tags say so), it is an imported
 * certificate, and nothing uses it any longer (ACM's InUseBy is empty, waited for within the
 * wait's deadline). Anything else keeps it, with a warning that names it and why.
 */
import { CallFailed, isDenied, isMissing } from '../aws/errors.js'
import { failureMessage } from '../aws/explain.js'
import { isCancelled, timedOut } from '../common/time.js'
import { importedFor, TAG_DOMAIN } from './import.js'
import type { Run } from './run.js'

/**
 * Retires `replaced` after a rollout seen at the edge; `signal` is the wait's deadline (and the
 * job's cancellation). Records what it did in the progress; never fails the run.
 */
export async function retireReplaced(
  run: Run,
  replaced: string,
  signal: AbortSignal
): Promise<void> {
  const { ports, settings, progress } = run
  const { acm, clock, log } = ports
  const keep = (why: string) => {
    progress.warn(`${replaced} was kept in ACM: ${why}`, 'Replaced certificate kept')
  }
  try {
    const tags = await acm.listTags(replaced, signal)
    if (!importedFor(tags, settings.domain)) {
      keep(
        `this action did not import it for ${settings.domain} (it has no tag ${TAG_DOMAIN}=${settings.domain}). retire-replaced deletes only certificates this action imported; delete it yourself if nothing else needs it.`
      )
      return
    }
    for (;;) {
      const detail = await acm.describeCertificate(replaced, signal)
      if (detail.Type !== 'IMPORTED') {
        keep(`it is not an imported certificate (${detail.Type ?? 'no type'}).`)
        return
      }
      const users = detail.InUseBy ?? []
      if (users.length === 0) break
      log(
        `retire-replaced: ${replaced} is still in use by ${users.join(', ')}; looking again in ${settings.rollout.intervalMs / 1000} s.`
      )
      await clock.sleep(settings.rollout.intervalMs, signal)
    }
    // Seen unused just now: deleted at once.
    await acm.deleteCertificate(replaced, signal)
    progress.retired = replaced
    log(
      `retire-replaced: deleted ${replaced} from ACM (this action imported it for ${settings.domain}, and nothing uses it any longer).`
    )
  } catch (error) {
    if (isCancelled(error)) throw error
    if (timedOut(signal)) {
      keep(
        'it was still in use when wait-timeout-minutes ran out. ACM releases a certificate some time after CloudFront stops serving it: delete it later, or run again (nothing is sent again, and the wait resumes).'
      )
      return
    }
    if (!(error instanceof CallFailed)) throw error
    if (isMissing(error) && error.call === 'DeleteCertificate') {
      progress.retired = replaced
      return
    }
    keep(
      `${failureMessage(error, settings)}${isDenied(error) ? '' : ' Delete it yourself once nothing uses it.'}`
    )
  }
}

/** What retire-replaced would do with `replaced`, for a dry run (read-only: its tags). */
export async function retireOutlook(run: Run, replaced: string): Promise<string> {
  const { ports, settings, cancel } = run
  try {
    const tags = await ports.acm.listTags(replaced, cancel)
    return importedFor(tags, settings.domain)
      ? `once the edge serves the new certificate, a real run would delete ${replaced} from ACM (this action imported it for ${settings.domain}), when nothing uses it any longer.`
      : `a real run would keep ${replaced} in ACM: this action did not import it for ${settings.domain}.`
  } catch (error) {
    if (!(error instanceof CallFailed)) throw error
    return `whether a real run would retire ${replaced} is unknown: ${failureMessage(error, settings)}`
  }
}
