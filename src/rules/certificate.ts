import type { CertificateDetail } from '@aws-sdk/client-acm'
import { shown } from '../common/display.js'

/** A certificate as ACM described it, or why it could not be read. */
export type Reading =
  | { arn: string; state: 'read'; certificate: CertificateDetail }
  /** ACM refused the job (AccessDenied). */
  | { arn: string; state: 'denied'; why: string }
  /** ACM has no such certificate in this account. */
  | { arn: string; state: 'missing'; why: string }
  /** Anything else, after the retries. */
  | { arn: string; state: 'failed'; error: unknown; why: string }

/** One broken rule (a refusal) or a concern (a warning) about a certificate. */
export interface Finding {
  /** A few words, for the annotation's title. */
  title: string
  message: string
}

export interface Verdict {
  refusals: Finding[]
  warnings: Finding[]
}

export interface Expectations {
  domain: string
  now: Date
  minDaysRemaining: number
  /** How long the certificate must stay valid once sent: until the change is served everywhere. */
  rolloutMs: number
  /** The certificate this one replaces, when ACM described it. */
  replaced?: CertificateDetail | undefined
}

const DAY_MS = 24 * 60 * 60 * 1000

/** How long CloudFront may take to serve a new certificate everywhere. */
const DISTRIBUTION_MS = 60 * 60 * 1000

/**
 * How long a certificate sent now must stay valid: until its rollout is served everywhere, which
 * takes up to an hour, or until the wait for it (wait-timeout-minutes) ends, whichever is later.
 */
export function rolloutWindow(timeoutMs: number): number {
  return Math.max(timeoutMs, DISTRIBUTION_MS)
}

/** The key algorithms CloudFront serves (ACM's names): RSA 1024 to 4096 bits, and EC P-256. */
const SERVABLE_KEYS = new Set(['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1'])

/**
 * Judges a certificate as ACM describes it, the way CloudFront and browsers will: it must be
 * ISSUED, public, valid now, cover the domain, and have a key CloudFront can serve. Every broken
 * rule is reported, not only the first.
 */
export function judgeCertificate(certificate: CertificateDetail, expected: Expectations): Verdict {
  const arn = certificate.CertificateArn ?? 'the certificate'
  const refusals: Finding[] = []
  const warnings: Finding[] = []

  const status = certificate.Status
  if (status !== 'ISSUED') refusals.push(statusFinding(arn, status, certificate.FailureReason))

  if (certificate.Type === 'PRIVATE')
    refusals.push({
      title: 'Private certificate',
      message: `Certificate ${arn} is a PRIVATE certificate (issued by AWS Private CA). Browsers don't trust it, so the sign-in page would show a certificate error. Use a public certificate, requested in or imported into ACM.`
    })

  const names = coveredNames(certificate)
  if (!names.some((name) => covers(name, expected.domain)))
    refusals.push({
      title: 'Domain not covered',
      message: `Certificate ${arn} does not cover ${expected.domain}; it covers ${names.length === 0 ? 'no names' : names.map((name) => shown(name)).join(', ')}. A wildcard such as *.example.com covers exactly one label (auth.example.com, not example.com or a.b.example.com). Use a certificate whose domain name or subject alternative names include ${expected.domain}.`
    })

  const key = certificate.KeyAlgorithm
  if (key === undefined || !SERVABLE_KEYS.has(key))
    refusals.push({
      title: 'Key CloudFront cannot serve',
      message: `Certificate ${arn} has a ${key === undefined ? 'key of unknown type' : `${key} key`}; CloudFront serves RSA keys of 1024 to 4096 bits and EC P-256 (prime256v1) keys only. Request or import a certificate with an RSA 2048 or EC P-256 key.`
    })

  const dates = judgeDates(arn, certificate, expected)
  return { refusals: [...refusals, ...dates.refusals], warnings: [...warnings, ...dates.warnings] }
}

/** The names a certificate is valid for: its domain name and subject alternative names. */
export function coveredNames(certificate: CertificateDetail): string[] {
  const names = [certificate.DomainName, ...(certificate.SubjectAlternativeNames ?? [])]
  return [...new Set(names.filter((name): name is string => name !== undefined && name !== ''))]
}

/**
 * Whether a certificate name covers the host name, as browsers match them: case-insensitive, and a
 * leading `*.` stands for exactly one whole label.
 */
export function covers(name: string, domain: string): boolean {
  const pattern = name.toLowerCase().replace(/\.$/, '')
  const host = domain.toLowerCase().replace(/\.$/, '')
  if (!pattern.startsWith('*.')) return !pattern.includes('*') && pattern === host
  const parent = pattern.slice(1)
  if (parent.includes('*') || !host.endsWith(parent)) return false
  const label = host.slice(0, host.length - parent.length)
  return label !== '' && !label.includes('.')
}

function judgeDates(arn: string, certificate: CertificateDetail, expected: Expectations): Verdict {
  const { now, minDaysRemaining, rolloutMs, replaced } = expected
  const { NotBefore: notBefore, NotAfter: notAfter } = certificate
  const refusals: Finding[] = []
  const warnings: Finding[] = []
  if (notBefore !== undefined && notBefore.getTime() > now.getTime())
    refusals.push({
      title: 'Certificate not yet valid',
      message: `Certificate ${arn} is not valid until ${when(notBefore)} (NotBefore); browsers would reject it until then. Run again after that time, or use a certificate that is valid now.`
    })
  if (notAfter === undefined) return { refusals, warnings }
  const left = notAfter.getTime() - now.getTime()
  if (left <= 0) {
    refusals.push({
      title: 'Certificate expired',
      message: `Certificate ${arn} expired on ${when(notAfter)} (NotAfter). Renew it or import a current one, then run again with its ARN.`
    })
    return { refusals, warnings }
  }
  if (left < rolloutMs) {
    refusals.push({
      title: 'Certificate expires during the rollout',
      message: `Certificate ${arn} expires on ${when(notAfter)}, in ${Math.ceil(left / 60_000)} min: before a change to it would be served everywhere (${rolloutMs / 60_000} min: CloudFront takes up to an hour, and the wait, wait-timeout-minutes, may last longer). Browsers would meet it expired. Use a certificate that is valid for longer.`
    })
    return { refusals, warnings }
  }
  if (left < minDaysRemaining * DAY_MS) {
    const days = Math.floor(left / DAY_MS)
    warnings.push({
      title: 'Certificate expires soon',
      message: `Certificate ${arn} expires on ${when(notAfter)}, in ${days} day${days === 1 ? '' : 's'}: fewer than min-days-remaining (${minDaysRemaining}). This does not stop the change; renew it, or plan the next rotation before then.`
    })
  }
  const earlier = replaced === undefined ? undefined : expiresBefore(certificate, replaced)
  if (earlier !== undefined) warnings.push(earlier)
  return { refusals, warnings }
}

/** A warning when the certificate expires before the one it replaces. */
export function expiresBefore(
  certificate: CertificateDetail,
  replaced: CertificateDetail
): Finding | undefined {
  const end = certificate.NotAfter
  const replacedEnd = replaced.NotAfter
  if (end === undefined || replacedEnd === undefined || end.getTime() >= replacedEnd.getTime())
    return undefined
  return {
    title: 'Expires before the certificate it replaces',
    message: `Certificate ${certificate.CertificateArn ?? 'the new certificate'} expires on ${when(end)}, earlier than the certificate it replaces (${replaced.CertificateArn ?? 'the current one'}, valid until ${when(replacedEnd)}). This does not stop the change; check that it is the certificate you mean.`
  }
}

/** Whole days from `now` until the certificate's NotAfter (negative once expired). */
export function daysLeft(certificate: CertificateDetail, now: Date): number | undefined {
  const end = certificate.NotAfter
  return end === undefined ? undefined : Math.floor((end.getTime() - now.getTime()) / DAY_MS)
}

/**
 * Judges the certificate a domain serves now, as browsers meet it: one that is not ISSUED
 * (expired, revoked, ...) or past its NotAfter breaks the sign-in page; one that expires within
 * min-days-remaining soon will. Coverage and key type are not judged: CloudFront already serves it.
 */
export function judgeInUse(
  certificate: CertificateDetail,
  expected: { domain: string; now: Date; minDaysRemaining: number }
): Verdict {
  const arn = certificate.CertificateArn ?? 'the certificate in use'
  const { domain, now, minDaysRemaining } = expected
  const refusals: Finding[] = []
  const warnings: Finding[] = []
  const breaks = `Browsers refuse the sign-in page at ${domain} while it is served`
  const end = certificate.NotAfter
  const status = certificate.Status
  if (status !== 'ISSUED') {
    const because =
      certificate.FailureReason === undefined
        ? ''
        : ` (failure reason ${certificate.FailureReason})`
    refusals.push({
      title: 'Certificate in use not issued',
      message: `Certificate ${arn}, which ${domain} serves now, is ${status ?? 'without a status'}${because}, not ISSUED. ${breaks}. Put a valid certificate on the domain: run this action with certificate-arn set to an ISSUED certificate that covers ${domain} (or certificate-arn: newest).`
    })
  } else if (end !== undefined && end.getTime() <= now.getTime()) {
    refusals.push({
      title: 'Certificate in use expired',
      message: `Certificate ${arn}, which ${domain} serves now, expired on ${when(end)} (NotAfter). ${breaks}. Put a current certificate on the domain: run this action with certificate-arn set to it (or certificate-arn: newest).`
    })
  }
  const days = daysLeft(certificate, now)
  if (refusals.length === 0 && end !== undefined && days !== undefined) {
    if (end.getTime() - now.getTime() < minDaysRemaining * DAY_MS)
      warnings.push({
        title: 'Certificate in use expires soon',
        message: `Certificate ${arn}, which ${domain} serves now, expires on ${when(end)}, in ${days} day${days === 1 ? '' : 's'}: fewer than min-days-remaining (${minDaysRemaining}). Renew it (an ACM renewal keeps the ARN) or rotate the domain to a newer certificate before then.`
      })
  }
  return { refusals, warnings }
}

function statusFinding(
  arn: string,
  status: string | undefined,
  reason: string | undefined
): Finding {
  const what = status === undefined ? 'has no status' : `is ${status}`
  const because = reason === undefined ? '' : ` (failure reason ${reason})`
  return {
    title: 'Certificate not issued',
    message: `Certificate ${arn} ${what}${because}, not ISSUED; CloudFront can only serve an issued certificate. ${STATUS_FIXES[status ?? ''] ?? 'Look at the certificate in the ACM console (us-east-1) and use one that is ISSUED.'}`
  }
}

const STATUS_FIXES: Record<string, string> = {
  PENDING_VALIDATION:
    'Create the DNS validation records ACM lists for it (ACM console, or `aws acm describe-certificate`), wait until it is ISSUED, then run again.',
  EXPIRED: 'Renew it or import a current certificate, then run again with its ARN.',
  REVOKED: 'A revoked certificate cannot be used again: request or import a new one.',
  INACTIVE: 'Request or import a new certificate and use its ARN.',
  VALIDATION_TIMED_OUT:
    'Its validation was never completed: request the certificate again, validate it, then use the new ARN.',
  FAILED: 'Request the certificate again (see the failure reason), then use the new ARN.'
}

/** A date as an ISO 8601 UTC time to the second. */
export function when(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** What matters about a certificate for this domain, in one line. */
export function factsOf(certificate: CertificateDetail, domain: string, now: Date): string {
  const names = coveredNames(certificate).filter((name) => covers(name, domain))
  const match = names.find((name) => !name.startsWith('*')) ?? names[0]
  const coverage =
    match === undefined
      ? `does not cover ${domain}`
      : `covers ${domain}${match.toLowerCase() === domain ? '' : ` as ${match}`}`
  const end = certificate.NotAfter
  const validity =
    end === undefined
      ? 'no validity dates'
      : `valid until ${when(end)} (${Math.floor((end.getTime() - now.getTime()) / DAY_MS)} days left)`
  const parts = [
    certificate.Status ?? 'no status',
    certificate.Type,
    certificate.KeyAlgorithm,
    coverage,
    validity
  ]
  return `${certificate.CertificateArn ?? ''}: ${parts.filter((part) => part !== undefined).join(', ')}`
}

/** Hex digits as ACM writes a serial: lowercase byte pairs joined by colons. */
export function colonHex(hex: string): string {
  const digits = hex.replace(/:/g, '').toLowerCase()
  const even = digits.length % 2 === 0 ? digits : `0${digits}`
  return (even.match(/../g) ?? []).join(':')
}

/**
 * A serial as ACM reports it, for the log: as given, and, when it is written in decimal (as an
 * emulator writes it), also in ACM's colon hex, as the edge's serial is shown.
 */
export function serialText(reported: string): string {
  const text = reported.trim()
  if (!/^\d{8,}$/.test(text)) return text
  return `${text} (in decimal; ${colonHex(BigInt(text).toString(16))} in hex)`
}

/**
 * Whether a serial as ACM reports it names the served one. ACM writes colon-separated hex; an
 * emulator may write decimal. A serial of eight digits or more is read both ways (for random
 * serials the two readings can't both name certificates one meets); a shorter one only as hex, so
 * that "10" and "0a", two serials of a CA that counts, are never taken for one another.
 */
export function sameSerial(reported: string, served: string): boolean {
  const servedValue = BigInt(`0x${served.replace(/:/g, '') || '0'}`)
  const text = reported.trim()
  const asHex = /^[0-9a-f:]+$/i.test(text)
    ? BigInt(`0x${text.replace(/:/g, '') || '0'}`)
    : undefined
  const asDecimal = /^\d{8,}$/.test(text) ? BigInt(text) : undefined
  return asHex === servedValue || asDecimal === servedValue
}

/**
 * Whether the certificate an endpoint served is the one ACM describes: the same serial, and, when
 * ACM gives it, the same NotAfter (to the second), since one CA may give two certificates of a
 * domain the same serial.
 */
export function isServed(
  certificate: { Serial?: string | undefined; NotAfter?: Date | undefined },
  served: { serial: string; validTo: string }
): boolean {
  const serial = certificate.Serial
  if (serial === undefined || !sameSerial(serial, served.serial)) return false
  const notAfter = certificate.NotAfter
  const validTo = Date.parse(served.validTo)
  return (
    notAfter === undefined ||
    Number.isNaN(validTo) ||
    Math.floor(notAfter.getTime() / 1000) === Math.floor(validTo / 1000)
  )
}
