import type { CertificateSummary } from '@aws-sdk/client-acm'
import { covers, judgeCertificate, when, type Reading } from './certificate.js'

/**
 * certificate-arn: newest. The candidates are the account's ISSUED certificates that cover the
 * domain and pass every pre-flight rule; the choice is the one that expires last. The current
 * certificate is kept unless a candidate expires later than it does: the domain never moves to a
 * certificate that expires sooner. A current certificate that ACM did not describe can't be judged,
 * so it is never traded away: nothing is chosen then. Pure: the listing and the readings come from
 * flow/certificates.ts.
 */

/** What ListCertificates told of a certificate, as far as the choice reads it. */
type Listed = Pick<
  CertificateSummary,
  | 'CertificateArn'
  | 'DomainName'
  | 'SubjectAlternativeNameSummaries'
  | 'HasAdditionalSubjectAlternativeNames'
>

/**
 * The certificates to describe: those whose listing shows a name that covers the domain, or does
 * not show all its names; and the current one, which the choice compares with. The others are set
 * aside without a call.
 */
export function finalistsOf(
  listed: Listed[],
  domain: string,
  currentArn: string | undefined
): { finalists: string[]; setAside: Listed[] } {
  const finalists: string[] = []
  const setAside: Listed[] = []
  for (const summary of listed) {
    const arn = summary.CertificateArn
    if (arn === undefined) continue
    const names = [summary.DomainName, ...(summary.SubjectAlternativeNameSummaries ?? [])]
    const allShown =
      summary.SubjectAlternativeNameSummaries !== undefined &&
      summary.HasAdditionalSubjectAlternativeNames !== true
    const shownCover = names.some((name) => name !== undefined && covers(name, domain))
    if (shownCover || !allShown || arn === currentArn) finalists.push(arn)
    else setAside.push(summary)
  }
  if (currentArn !== undefined && !finalists.includes(currentArn)) finalists.push(currentArn)
  return { finalists: [...new Set(finalists)], setAside }
}

export interface Choice {
  /** The certificate the domain should carry; undefined when there is none to choose. */
  arn: string | undefined
  /** One line per certificate considered: chosen, kept, or set aside and why. */
  lines: string[]
  /** Why nothing can be chosen, when nothing can. */
  failure?: string
}

export function chooseNewest(input: {
  domain: string
  now: Date
  minDaysRemaining: number
  rolloutMs: number
  currentArn: string | undefined
  setAside: Listed[]
  readings: Reading[]
}): Choice {
  const { domain, now, currentArn } = input
  const lines: string[] = []
  const unread = input.readings.find(
    (reading) => reading.arn === currentArn && reading.state !== 'read'
  )
  if (unread !== undefined && unread.state !== 'read')
    return {
      arn: undefined,
      lines: [`${unread.arn} (on the domain now): ACM did not describe it: ${unread.why}`],
      failure: `The certificate the domain carries now, ${unread.arn}, could not be read from ACM, so it can't be compared with the candidates: certificate-arn: newest never trades away a certificate it could not judge. Nothing was changed. ${unread.state === 'denied' ? 'Give the role acm:DescribeCertificate on it (docs/permissions.md), then run again.' : unread.state === 'missing' ? 'Look at the domain and its certificate in the Cognito and ACM consoles (us-east-1).' : 'Run again in a few minutes.'}`
    }
  const passing: { arn: string; notAfter: Date }[] = []
  for (const reading of input.readings) {
    const current = reading.arn === currentArn ? ' (on the domain now)' : ''
    if (reading.state !== 'read') {
      lines.push(`${reading.arn}${current}: set aside, ACM did not describe it: ${reading.why}`)
      continue
    }
    const { certificate } = reading
    const verdict = judgeCertificate(certificate, {
      domain,
      now,
      minDaysRemaining: input.minDaysRemaining,
      rolloutMs: input.rolloutMs
    })
    const end = certificate.NotAfter
    if (verdict.refusals.length > 0 || end === undefined) {
      const why =
        end === undefined
          ? 'ACM gives no expiry date'
          : verdict.refusals.map((refusal) => refusal.title.toLowerCase()).join(', ')
      lines.push(`${reading.arn}${current}: set aside (${why})`)
      continue
    }
    passing.push({ arn: reading.arn, notAfter: end })
  }
  // Named by count only: the log need not list the account's other certificates and their names.
  const others = input.setAside.length
  if (others > 0)
    lines.push(
      `${others} other ISSUED certificate${others === 1 ? '' : 's'} in the account: set aside, ${others === 1 ? 'its names do' : 'their names do'} not cover ${domain}`
    )

  // The one that expires last; on a tie the current one, then the first ARN in order.
  const ranked = [...passing].sort(
    (a, b) =>
      b.notAfter.getTime() - a.notAfter.getTime() ||
      Number(b.arn === currentArn) - Number(a.arn === currentArn) ||
      a.arn.localeCompare(b.arn)
  )
  const best = ranked[0]
  if (best === undefined)
    return {
      arn: undefined,
      lines,
      failure: `No certificate in ACM is ISSUED, covers ${domain} and passes every check (${input.readings.length + input.setAside.length} looked at: see the lines above). Nothing was changed. Import or request a certificate for ${domain} in ACM (us-east-1), or give its ARN as certificate-arn.`
    }
  for (const candidate of ranked) {
    const current = candidate.arn === currentArn ? ' (on the domain now)' : ''
    const verdict =
      candidate === best
        ? candidate.arn === currentArn
          ? 'kept: no candidate expires later'
          : 'chosen: it expires last'
        : `a candidate; expires earlier than ${best.arn}`
    lines.push(`${candidate.arn}${current}: valid until ${when(candidate.notAfter)}, ${verdict}`)
  }
  return { arn: best.arn, lines }
}
