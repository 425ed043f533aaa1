/**
 * certificate-pem: the certificate to put on the domain, imported once. When the domain already
 * carries it, nothing is imported; when ACM holds it, imported by an earlier run of this action for
 * the domain (found by its tags), that ARN is reused, so a rerun after a failed or cancelled
 * rollout imports nothing twice; otherwise it is imported as a new certificate, never over the ARN
 * in use (which would leave nothing to roll back to), tagged with the domain and its fingerprint.
 */
import type { CertificateSummary } from '@aws-sdk/client-acm'
import { CallFailed, transientFault } from '../aws/errors.js'
import { failureMessage } from '../aws/explain.js'
import {
  covers,
  judgeCertificate,
  sameSerial,
  type Finding,
  type Reading
} from '../rules/certificate.js'
import type { CheckedPem } from '../rules/pem.js'
import { unsettledStatus, type Current } from '../rules/plan.js'
import type { Expected } from './certificates.js'
import type { Checks, RunResult } from './progress.js'
import type { Run } from './run.js'
import { pauseAfter } from './send.js'

/**
 * The tags on a certificate this action imported: the domain it is for, and the fingerprints of
 * its leaf and of its chain (the same leaf with another chain is another certificate to import).
 */
export const TAG_DOMAIN = 'cognito-domain-cert:domain'
export const TAG_SHA256 = 'cognito-domain-cert:sha256'
export const TAG_CHAIN_SHA256 = 'cognito-domain-cert:chain-sha256'

/** What a dry run names a certificate it would import. */
export const TO_IMPORT = '(certificate-pem, to be imported)'

/** The tags an imported certificate gets. */
export function importTags(domain: string, pem: CheckedPem): Record<string, string> {
  return {
    [TAG_DOMAIN]: domain,
    [TAG_SHA256]: pem.fingerprint256,
    [TAG_CHAIN_SHA256]: pem.chainFingerprint256
  }
}

/** Whether tags say this action imported the certificate for `domain`. */
export function importedFor(tags: Record<string, string>, domain: string): boolean {
  return tags[TAG_DOMAIN] === domain && (tags[TAG_SHA256] ?? '') !== ''
}

/**
 * The ARN of the certificate of certificate-pem: the one the domain carries, an earlier import, or
 * a new import (in a dry run, TO_IMPORT). `listing` is the account's ISSUED certificates, read in
 * the run's first round trip; the second reads the tags of those that could be it, and the
 * certificate in use. A failure is the run's result: nothing was sent to Cognito.
 */
export async function pemCertificate(
  run: Run,
  pem: CheckedPem,
  current: Current,
  listing: Promise<CertificateSummary[]>
): Promise<{ arn: string } | RunResult> {
  const { ports, settings, certificates } = run
  const { log } = ports
  try {
    const inUse =
      current.certificateArn === undefined ? undefined : certificates.read(current.certificateArn)
    const imports = await importedEarlier(run, pem, await listing)
    const held = imports.filter((found) => found.sameChain).map((found) => found.arn)
    const arn = current.certificateArn
    if (arn !== undefined && held.includes(arn)) return carried(run, arn)
    const reading = await inUse
    if (imports.some((found) => found.arn === arn))
      log(
        `certificate-pem: the domain carries this certificate (${arn ?? ''}) as imported by an earlier run with another chain: it is put on the domain again with the chain given.`
      )
    else if (reading !== undefined && sameLeaf(reading, pem)) {
      log(
        `certificate-pem: the domain carries this certificate (${reading.arn}: the same serial and expiry), imported outside this action, so the chain ACM holds for it was not compared. Nothing is imported.`
      )
      return { arn: reading.arn }
    }
    const earlier = held[0]
    if (earlier !== undefined) {
      log(
        `certificate-pem: ACM already holds this certificate, imported by an earlier run for ${settings.domain}: ${earlier}. Nothing is imported.`
      )
      return { arn: earlier }
    }
    // A domain another change is still being distributed to can't take this one: nothing is
    // imported for a change that would be refused.
    const unsettled = unsettledStatus(settings.domain, current.status)
    if (unsettled !== undefined)
      return {
        result: 'Refused',
        failure: `${unsettled.reason}. Nothing was imported, and nothing was changed. ${unsettled.fix}`
      }
    if (settings.dryRun) {
      log(
        `certificate-pem: ACM does not hold this certificate yet; a real run would import it as a new certificate, tagged ${TAG_DOMAIN}=${settings.domain}.`
      )
      return { arn: TO_IMPORT }
    }
    return await importNew(run, pem)
  } catch (error) {
    if (!(error instanceof CallFailed)) throw error
    return {
      result: 'Failed',
      failure: `${failureMessage(error, settings)} Nothing was imported, and nothing was sent to Cognito.`,
      cause: error
    }
  }
}

function carried(run: Run, arn: string): { arn: string } {
  run.ports.log(
    `certificate-pem: the domain already carries this certificate (${arn}). Nothing is imported.`
  )
  return { arn }
}

/** Whether ACM's description is the leaf of certificate-pem: same serial and expiry. */
function sameLeaf(reading: Reading, pem: CheckedPem): boolean {
  if (reading.state !== 'read') return false
  const { Serial: serial, NotAfter: notAfter } = reading.certificate
  return (
    serial !== undefined &&
    sameSerial(serial, pem.serial) &&
    notAfter !== undefined &&
    sameSecond(notAfter, pem.notAfter)
  )
}

function sameSecond(a: Date, b: Date): boolean {
  return Math.floor(a.getTime() / 1000) === Math.floor(b.getTime() / 1000)
}

/**
 * The certificates this action imported for the domain that are this leaf: of those listed, the
 * imported ones with its expiry that cover the domain, whose tags carry its fingerprint; and
 * whether each was imported with this chain.
 */
async function importedEarlier(
  run: Run,
  pem: CheckedPem,
  listed: CertificateSummary[]
): Promise<{ arn: string; sameChain: boolean }[]> {
  const { domain } = run.settings
  const candidates = listed.flatMap((summary) => {
    const arn = summary.CertificateArn
    if (arn === undefined || (summary.Type !== undefined && summary.Type !== 'IMPORTED')) return []
    if (summary.NotAfter !== undefined && !sameSecond(summary.NotAfter, pem.notAfter)) return []
    const names = [summary.DomainName, ...(summary.SubjectAlternativeNameSummaries ?? [])]
    const complete = summary.HasAdditionalSubjectAlternativeNames !== true
    if (complete && !names.some((name) => name !== undefined && covers(name, domain))) return []
    return [arn]
  })
  const tagged = await Promise.all(
    candidates.map(async (arn) => ({
      arn,
      tags: await run.ports.acm.listTags(arn, run.cancel)
    }))
  )
  return tagged
    .filter(({ tags }) => importedFor(tags, domain) && tags[TAG_SHA256] === pem.fingerprint256)
    .map(({ arn, tags }) => ({
      arn,
      sameChain: tags[TAG_CHAIN_SHA256] === pem.chainFingerprint256
    }))
}

/**
 * Imports the certificate as a new one, one attempt at a time: before another attempt, ACM is
 * looked at again, and an import that went through although its answer was lost is reused.
 */
async function importNew(run: Run, pem: CheckedPem): Promise<{ arn: string } | RunResult> {
  const { ports, settings, cancel } = run
  const { log, clock, acm } = ports
  log(
    `certificate-pem: importing it into ACM as a new certificate, tagged ${TAG_DOMAIN}=${settings.domain}, ${TAG_SHA256}=${pem.fingerprint256} and ${TAG_CHAIN_SHA256}=${pem.chainFingerprint256}.`
  )
  let uncertain = false
  for (let attempt = 1; ; attempt++) {
    try {
      const arn = await acm.importCertificate(pem, importTags(settings.domain, pem), cancel)
      run.progress.imported = arn
      log(`certificate-pem: imported as ${arn}.`)
      return { arn }
    } catch (error) {
      if (!(error instanceof CallFailed)) throw error
      uncertain ||= error.uncertain
      const passing = transientFault(error) !== undefined
      if (passing && attempt < settings.limits.maxAttempts) {
        const pause = pauseAfter(attempt)
        log(
          `ImportCertificate: attempt ${attempt} of ${settings.limits.maxAttempts} failed; attempt ${attempt + 1} in ${pause / 1000} s, unless ACM holds the certificate by then.`
        )
        await clock.sleep(pause, cancel)
      }
      const unknown = `Whether ACM imported it is unknown: a later run finds it by its tags and imports nothing twice. Nothing was sent to Cognito.`
      if (uncertain) {
        let found: string | undefined
        try {
          const imports = await importedEarlier(run, pem, await acm.listIssued(cancel))
          found = imports.find((one) => one.sameChain)?.arn
        } catch (lookError) {
          if (!(lookError instanceof CallFailed)) throw lookError
          return {
            result: 'Failed',
            failure: `${failureMessage(error, settings)} ACM could not be looked at afterwards either (${failureMessage(lookError, settings)}). ${unknown}`,
            cause: error
          }
        }
        if (found !== undefined) {
          log(`certificate-pem: ACM holds it although the import's answer was lost: ${found}.`)
          run.progress.imported = found
          return { arn: found }
        }
      }
      if (passing && attempt < settings.limits.maxAttempts) continue
      return {
        result: 'Failed',
        failure: `${failureMessage(error, settings)} ${uncertain ? unknown : 'Nothing was imported, and nothing was sent to Cognito.'}`,
        cause: error
      }
    }
  }
}

/**
 * The checks of the certificate of certificate-pem under its ARN: the rules every certificate the
 * action sends must pass, judged from the PEM itself (its checks ran before any call). A warning
 * the PEM's own checks gave already (`said`) is not given twice.
 */
export function pemChecks(
  pem: CheckedPem,
  arn: string,
  expected: Expected & { now: Date },
  said: Finding[]
): Checks {
  const certificate = { ...pem.detail, CertificateArn: arn }
  const verdict = judgeCertificate(certificate, expected)
  return {
    state: 'judged',
    verdict: {
      refusals: verdict.refusals,
      warnings: verdict.warnings.filter(
        (warning) => !said.some((was) => was.title === warning.title)
      )
    },
    facts: `${arn}: ${pem.facts}`,
    certificate
  }
}
