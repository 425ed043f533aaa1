import * as core from '@actions/core'
import { checkDomain, domainKind, type DomainKind } from './domain-name.js'
import {
  checkCertificateArn,
  checkRegionGuard,
  checkUserPoolId,
  type UserPool
} from './identifiers.js'
import {
  checkBoolean,
  checkChoice,
  checkEndpoint,
  checkMaxAttempts,
  checkMinutes,
  checkWholeNumber,
  type Endpoint
} from './values.js'
import { hasControlCharacter } from '../common/display.js'
import { accept, combine, reject, type Checked, type Problem } from '../common/problem.js'
import { rolloutWindow, type Finding } from '../rules/certificate.js'
import type { CheckedPem, PemCheck, PemExpectations, PemTexts } from '../rules/pem.js'
import { pemShown, type PemInput } from './pem-files.js'

export const SECURITY_POLICIES = ['TLS_V1', 'TLS_V1_2_2021', 'TLS_V1_3_2025'] as const
export type SecurityPolicy = (typeof SECURITY_POLICIES)[number]
export const MANAGED_LOGIN_VERSIONS = ['1', '2'] as const

/** How many attempts an AWS call gets, and how long each may take. */
export interface CallLimits {
  maxAttempts: number
  /** One attempt: connecting, the answer's headers and its whole body. */
  attemptMs: number
}

/** Everything a run needs, checked. */
export interface Settings {
  domain: string
  /** custom (auth.example.com), or prefix when only the managed login version changes. */
  domainKind: DomainKind
  pool: UserPool
  /**
   * The certificate to put on the domain; undefined: keep the current one (or, with `newest`, the
   * one chosen from ACM once the run has looked).
   */
  certificateArn: string | undefined
  /** certificate-arn: newest: the ISSUED certificate in ACM that covers the domain and expires last. */
  newest: boolean
  /** The TLS security policy to set; undefined: keep the current one. */
  securityPolicy: SecurityPolicy | undefined
  /** 1 = classic hosted UI, 2 = managed login; undefined: keep the current one. */
  managedLoginVersion: 1 | 2 | undefined
  /** Attempts per AWS call, and the deadline of each (and of each probe of the edge). */
  limits: CallLimits
  /** Check the certificate in ACM before any change. */
  verifyCertificate: boolean
  /** Warn when the certificate has fewer days left than this. */
  minDaysRemaining: number
  /** Check and plan only; make no change. */
  dryRun: boolean
  rollout: RolloutSettings
  /** Where a GitHub deployment is recorded (with github-token). */
  environment: string
  /**
   * The certificate given as PEM (certificate-pem, private-key-pem, certificate-chain-pem),
   * checked: it is imported into ACM, or an earlier import reused, and put on the domain.
   */
  pem: { checked: CheckedPem; warnings: Finding[] } | undefined
  /** retire-replaced: delete the certificate replaced, once the edge serves the new one. */
  retireReplaced: boolean
}

/** What to do after a change: follow it to the edge, and undo it if it fails. */
export interface RolloutSettings {
  wait: boolean
  timeoutMs: number
  intervalMs: number
  verifyTls: boolean
  /** Where to check the served certificate; the CloudFront domain on 443 when not given. */
  tlsEndpoint: Endpoint | undefined
  rollbackOnFailure: boolean
}

export const INPUT_NAMES = [
  'domain',
  'user-pool-id',
  'certificate-arn',
  'managed-login-version',
  'security-policy',
  'aws-region',
  'max-attempts',
  'attempt-timeout-seconds',
  'verify-certificate',
  'min-days-remaining',
  'dry-run',
  'wait-for-rollout',
  'wait-timeout-minutes',
  'poll-interval-seconds',
  'verify-tls',
  'tls-endpoint',
  'rollback-on-failure',
  'certificate-pem',
  'private-key-pem',
  'certificate-chain-pem',
  'retire-replaced',
  'github-token',
  'environment'
] as const

export type RawInputs = Record<(typeof INPUT_NAMES)[number], string>

/** The defaults action.yml declares, for an input that is empty or not set at all. */
export const INPUT_DEFAULTS: Partial<RawInputs> = {
  'max-attempts': '5',
  'attempt-timeout-seconds': '15',
  'verify-certificate': 'true',
  'min-days-remaining': '30',
  'dry-run': 'false',
  'wait-for-rollout': 'false',
  'wait-timeout-minutes': '60',
  'poll-interval-seconds': '15',
  'verify-tls': 'true',
  'rollback-on-failure': 'false',
  'retire-replaced': 'false'
}

/** certificate-arn's one word: the certificate in ACM that covers the domain and expires last. */
export const NEWEST = 'newest'
export const MAX_DAYS_REMAINING = 3650
export const MAX_WAIT_MINUTES = 360
export const MAX_POLL_SECONDS = 600
export const MAX_ATTEMPT_SECONDS = 120

export function readRawInputs(): RawInputs {
  const raw = {} as RawInputs
  for (const name of INPUT_NAMES) raw[name] = core.getInput(name) || (INPUT_DEFAULTS[name] ?? '')
  return raw
}

/** What checking a certificate given as PEM needs besides the inputs. */
export interface PemContext {
  /**
   * The PEM rules (rules/pem.ts's checkPem, with the roots a chain may lead to), loaded only by a
   * run that is given a certificate as PEM.
   */
  check?: (texts: PemTexts, expected: Omit<PemExpectations, 'trusted'>) => PemCheck
  now: Date
  /** The paths the PEM inputs were read from, for the messages (never the text). */
  paths: Partial<Record<PemInput, string>>
  /** Problems reading those files: reported with the others, and the PEM is not judged. */
  unread?: Problem[]
}

const NO_PEM_CONTEXT: PemContext = { now: new Date(0), paths: {} }

/**
 * Checks every input, and reports every broken rule at once rather than the first. The PEM
 * inputs hold their texts (files already read); a certificate given as PEM is checked in full
 * once every other input is valid.
 */
export function checkInputs(
  raw: RawInputs,
  context: PemContext = NO_PEM_CONTEXT
): { settings: Settings } | { problems: Problem[] } {
  const pool = checkUserPoolId(raw['user-pool-id'])
  const knownPool = pool.ok ? pool.value : undefined
  const flag = (name: (typeof INPUT_NAMES)[number]) => checkBoolean(name, raw[name])
  const versionOnly =
    raw['certificate-arn'] === '' &&
    raw['certificate-pem'] === '' &&
    raw['security-policy'] === '' &&
    raw['managed-login-version'] !== ''
  const checked = combine({
    domain: checkDomain(raw.domain, versionOnly),
    pool,
    regionGuard: checkRegionGuard(raw['aws-region'], knownPool),
    certificateArn: checkWhatChanges(raw, knownPool),
    managedLoginVersion: checkChoice(
      'managed-login-version',
      raw['managed-login-version'],
      MANAGED_LOGIN_VERSIONS,
      '1 (classic hosted UI) or 2 (managed login)'
    ),
    securityPolicy: checkChoice(
      'security-policy',
      raw['security-policy'],
      SECURITY_POLICIES,
      'TLS_V1_2_2021 (recommended), TLS_V1_3_2025 (TLS 1.3 only) or TLS_V1 (allows TLS 1.0)'
    ),
    maxAttempts: checkMaxAttempts(raw['max-attempts']),
    attemptSeconds: checkWholeNumber(
      'attempt-timeout-seconds',
      raw['attempt-timeout-seconds'],
      1,
      MAX_ATTEMPT_SECONDS,
      'the seconds one attempt of an AWS call (or one check of the edge) may take, for example 15'
    ),
    verifyCertificate: flag('verify-certificate'),
    minDaysRemaining: checkWholeNumber(
      'min-days-remaining',
      raw['min-days-remaining'],
      0,
      MAX_DAYS_REMAINING,
      'the number of days a new certificate should still be valid for, for example 30 (0 turns the warning off)'
    ),
    dryRun: flag('dry-run'),
    wait: flag('wait-for-rollout'),
    timeoutMinutes: checkMinutes(
      'wait-timeout-minutes',
      raw['wait-timeout-minutes'],
      MAX_WAIT_MINUTES,
      'how long to wait for the rollout in minutes, for example 60 (Cognito takes up to an hour)'
    ),
    intervalSeconds: checkWholeNumber(
      'poll-interval-seconds',
      raw['poll-interval-seconds'],
      1,
      MAX_POLL_SECONDS,
      'the seconds between two checks of the rollout, for example 15'
    ),
    verifyTls: flag('verify-tls'),
    tlsEndpoint: checkEndpoint('tls-endpoint', raw['tls-endpoint']),
    rollbackOnFailure: flag('rollback-on-failure'),
    pemInputs: checkPemInputs(raw, context),
    retireReplaced: checkRetire(raw),
    environment: checkEnvironment(raw.environment)
  })
  const unread = context.unread ?? []
  if ('problems' in checked) return { problems: [...unread, ...checked.problems] }
  if (unread.length > 0) return { problems: unread }
  const { values } = checked
  let pem: Settings['pem']
  if (values.pemInputs) {
    if (context.check === undefined) throw new Error('certificate-pem is given, and no PEM check')
    const judged = context.check(
      {
        certificate: raw['certificate-pem'],
        privateKey: raw['private-key-pem'],
        chain: raw['certificate-chain-pem'] === '' ? undefined : raw['certificate-chain-pem']
      },
      {
        domain: values.domain,
        now: context.now,
        minDaysRemaining: values.minDaysRemaining,
        rolloutMs: rolloutWindow(values.timeoutMinutes * 60_000)
      }
    )
    if (!judged.ok)
      return {
        problems: judged.problems.map((problem) => {
          const path = context.paths[problem.input as PemInput]
          return path === undefined ? problem : { ...problem, value: `${problem.value} in ${path}` }
        })
      }
    pem = { checked: judged.pem, warnings: judged.warnings }
  }
  return {
    settings: {
      domain: values.domain,
      domainKind: domainKind(values.domain),
      pool: values.pool,
      certificateArn: values.certificateArn === NEWEST ? undefined : values.certificateArn,
      newest: values.certificateArn === NEWEST,
      securityPolicy: values.securityPolicy,
      managedLoginVersion:
        values.managedLoginVersion === undefined
          ? undefined
          : values.managedLoginVersion === '2'
            ? 2
            : 1,
      limits: { maxAttempts: values.maxAttempts, attemptMs: values.attemptSeconds * 1000 },
      verifyCertificate: values.verifyCertificate,
      minDaysRemaining: values.minDaysRemaining,
      dryRun: values.dryRun,
      rollout: {
        wait: values.wait,
        timeoutMs: values.timeoutMinutes * 60_000,
        intervalMs: values.intervalSeconds * 1000,
        verifyTls: values.verifyTls,
        tlsEndpoint: values.tlsEndpoint,
        rollbackOnFailure: values.rollbackOnFailure
      },
      environment: values.environment ?? `cognito/${values.domain}`,
      pem,
      retireReplaced: values.retireReplaced
    }
  }
}

/**
 * certificate-arn, which may be left out when managed-login-version or security-policy says what
 * changes instead: a run has to change something.
 */
function checkWhatChanges(raw: RawInputs, pool: UserPool | undefined): Checked<string | undefined> {
  const arn = raw['certificate-arn']
  if (raw['certificate-pem'] !== '')
    return arn === ''
      ? accept(undefined)
      : reject(
          'certificate-arn',
          arn,
          'is given with certificate-pem',
          'Give one of them: certificate-arn for a certificate already in ACM, or certificate-pem (with private-key-pem) to import one.'
        )
  if (arn === NEWEST) return accept(NEWEST)
  if (arn !== '' && arn.trim().toLowerCase() === NEWEST)
    return reject(
      'certificate-arn',
      arn,
      'is not an ARN, nor the word newest as written',
      `Write certificate-arn: ${NEWEST} (lowercase, nothing around it) to follow the newest certificate in ACM, or give an ARN.`
    )
  if (arn !== '') return checkCertificateArn(arn, pool)
  if (raw['managed-login-version'] !== '' || raw['security-policy'] !== '') return accept(undefined)
  return reject(
    'certificate-arn',
    arn,
    'is required when neither managed-login-version nor security-policy is given',
    'Give certificate-arn to rotate the certificate (an ACM certificate in us-east-1), certificate-pem and private-key-pem to import one, or managed-login-version or security-policy to change only those.'
  )
}

/**
 * Which PEM inputs go together: private-key-pem and certificate-chain-pem only with
 * certificate-pem, and certificate-pem always with its key. True when a certificate is given as
 * PEM. Their texts are never shown: a problem shows the path, or "(PEM text)".
 */
function checkPemInputs(raw: RawInputs, context: PemContext): Checked<boolean> {
  const shown = (input: PemInput) => pemShown(context.paths[input])
  const given = raw['certificate-pem'] !== ''
  for (const input of ['private-key-pem', 'certificate-chain-pem'] as const)
    if (!given && raw[input] !== '')
      return reject(
        input,
        shown(input),
        'is given without certificate-pem',
        "Give certificate-pem too (the certificate, or certbot's fullchain.pem), or leave this input out."
      )
  if (given && raw['private-key-pem'] === '')
    return reject(
      'private-key-pem',
      '',
      'is required with certificate-pem',
      "Give the certificate's unencrypted private key in PEM (a secret such as ${{ secrets.AUTH_KEY_PEM }}, or the path of a file in the workspace; certbot: privkey.pem)."
    )
  return accept(given)
}

/** retire-replaced deletes a certificate only once the edge is seen to serve the new one. */
function checkRetire(raw: RawInputs): Checked<boolean> {
  const retire = checkBoolean('retire-replaced', raw['retire-replaced'])
  if (!retire.ok || !retire.value) return retire
  const on = (input: 'wait-for-rollout' | 'verify-tls') => {
    const flag = checkBoolean(input, raw[input])
    return flag.ok && flag.value
  }
  if (!on('wait-for-rollout') || !on('verify-tls'))
    return reject(
      'retire-replaced',
      raw['retire-replaced'],
      'needs wait-for-rollout: true and verify-tls: true',
      'A replaced certificate is deleted only once the edge is seen to serve the new one: set wait-for-rollout: true (and leave verify-tls on), or leave retire-replaced out.'
    )
  return retire
}

/** A GitHub environment name, or undefined for the default cognito/<domain>. */
function checkEnvironment(value: string): Checked<string | undefined> {
  if (value === '') return accept(undefined)
  if (hasControlCharacter(value) || value.length > 255 || value.trim() !== value)
    return reject(
      'environment',
      value,
      'is not a GitHub environment name: at most 255 characters on one line, without spaces around it',
      'Give a name such as production or cognito/auth.example.com, or leave it out for cognito/<domain>.'
    )
  return accept(value)
}
