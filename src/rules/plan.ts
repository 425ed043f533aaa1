import type {
  DomainDescriptionType,
  UpdateUserPoolDomainRequest
} from '@aws-sdk/client-cognito-identity-provider'
import { shown } from '../common/display.js'

/**
 * What a run asks of the domain: which domain of which pool, and the values to set (undefined:
 * keep what the domain has).
 */
export interface Asked {
  domain: string
  /** custom (auth.example.com), or prefix when only the managed login version changes. */
  domainKind: 'custom' | 'prefix'
  /** The pool, and the region its ID names. */
  pool: { id: string; region: { name: string } }
  certificateArn: string | undefined
  securityPolicy: string | undefined
  managedLoginVersion: number | undefined
}

/** What the domain carries now, as DescribeUserPoolDomain told it. */
export interface Current {
  /** Undefined for a prefix domain, which is served with Amazon's certificate. */
  certificateArn: string | undefined
  cloudFrontDomain: string | undefined
  status: string
  securityPolicy: string | undefined
  managedLoginVersion: number | undefined
}

/** One setting the update changes, with the input that sets it back. */
export interface Change {
  input: 'certificate-arn' | 'security-policy' | 'managed-login-version'
  what: string
  /** Undefined when the domain did not report it: it can't be set back. */
  from: string | undefined
  to: string
}

/** What the domain carries, as far as this action sets it. */
export interface Carried {
  /** Undefined for a prefix domain, which has none, or when Cognito did not report it. */
  certificateArn?: string | undefined
  securityPolicy?: string | undefined
  managedLoginVersion?: number | undefined
}

/**
 * A change to follow and, if need be, undo: what it sets (`to`: the certificate of a custom domain
 * and each setting it changes), and what the domain carried before (`from`). Only what `to` names
 * is compared: a setting the run did not change is not the run's to guard.
 */
export interface Target {
  to: Carried
  from: Carried
}

export type Plan =
  | { action: 'refuse'; reason: string; fix: string; current?: Current }
  | {
      action: 'keep'
      current: Current
      note: string | undefined
      /** What the domain already carries of what was asked for: a wait resumes on it. */
      target: Target
    }
  | {
      action: 'update'
      current: Current
      changes: Change[]
      request: UpdateUserPoolDomainRequest
      target: Target
    }

type SecurityPolicyType = NonNullable<DomainDescriptionType['CustomDomainConfig']>['SecurityPolicy']

/**
 * The domain as its description tells it, or why it is not one this action may change: it does not
 * exist in the pool's region, belongs to another pool, or (for a certificate or security policy)
 * is not a custom domain.
 */
export function findDomain(
  settings: Asked,
  description: DomainDescriptionType
): { found: true; current: Current } | { found: false; reason: string; fix: string } {
  const { domain, pool } = settings
  if (description.Domain === undefined || description.UserPoolId === undefined) {
    return {
      found: false,
      reason: `DescribeUserPoolDomain found no domain ${domain} in ${pool.region.name}`,
      fix: `Check the spelling of domain, and that user-pool-id (${pool.id}) is the pool that owns it: the domain is looked up in the pool's region.`
    }
  }
  if (description.UserPoolId !== pool.id) {
    return {
      found: false,
      reason: `Domain ${domain} belongs to user pool ${description.UserPoolId}, not to ${pool.id}`,
      fix: `If ${description.UserPoolId} is the pool you mean, set user-pool-id to it; otherwise check domain.`
    }
  }
  const currentArn = description.CustomDomainConfig?.CertificateArn
  if (settings.domainKind === 'custom' && (currentArn === undefined || currentArn === '')) {
    return {
      found: false,
      reason: `Domain ${domain} has no certificate (its description has no CustomDomainConfig), so it is not a custom domain`,
      fix: 'Certificates apply to custom domains only. Create the custom domain with a certificate first (CreateUserPoolDomain with CustomDomainConfig), then use this action to rotate it.'
    }
  }
  return {
    found: true,
    current: {
      certificateArn: currentArn === '' ? undefined : currentArn,
      cloudFrontDomain: description.CloudFrontDistribution,
      status: description.Status ?? 'unknown',
      securityPolicy: description.CustomDomainConfig?.SecurityPolicy,
      managedLoginVersion: description.ManagedLoginVersion
    }
  }
}

/**
 * Decides what to do with the domain, from the checked inputs and its description alone.
 * Refuses anything that is not an existing, settled domain of the given pool (a custom domain
 * for a certificate or security policy), and changes nothing that already has the asked value.
 */
export function planRotation(settings: Asked, description: DomainDescriptionType): Plan {
  const found = findDomain(settings, description)
  if (!found.found) return { action: 'refuse', reason: found.reason, fix: found.fix }
  const { current } = found
  const { domain } = settings
  const unsettled = unsettledStatus(domain, current.status)
  if (unsettled?.final === true) return { action: 'refuse', current, ...unsettled }
  const changes = changesFrom(settings, current)
  if (changes.length === 0) {
    const note =
      current.status === 'ACTIVE'
        ? undefined
        : `The domain is ${current.status}: the change to these settings is still being distributed.`
    return { action: 'keep', current, note, target: { to: asked(settings, current), from: {} } }
  }
  if (unsettled !== undefined) return { action: 'refuse', current, ...unsettled }

  const wanted = {
    certificateArn: settings.certificateArn ?? current.certificateArn,
    securityPolicy: settings.securityPolicy ?? current.securityPolicy,
    managedLoginVersion: settings.managedLoginVersion ?? current.managedLoginVersion
  }
  const to = asked(settings, current)
  return {
    action: 'update',
    current,
    changes,
    request: updateRequest(settings, wanted),
    target: { to, from: valuesFor(current, to) }
  }
}

/**
 * The request that rolls a change back, made from what the domain carries now (described right
 * before): each setting the change set goes back to what the domain had before it, where the
 * domain reported that; everything else is sent as the domain carries it now, so that a setting
 * another change made since is kept.
 */
export function undoRequest(
  settings: Pick<Asked, 'domain' | 'pool'>,
  changes: Change[],
  now: DomainDescriptionType
): UpdateUserPoolDomainRequest {
  const back = (input: Change['input']) => changes.find((change) => change.input === input)?.from
  const version = back('managed-login-version')
  return updateRequest(settings, {
    certificateArn: back('certificate-arn') ?? now.CustomDomainConfig?.CertificateArn,
    securityPolicy: back('security-policy') ?? now.CustomDomainConfig?.SecurityPolicy,
    managedLoginVersion: version === undefined ? now.ManagedLoginVersion : Number(version)
  })
}

/**
 * What a rollback sets and what it undoes: the values the domain had before the change (only
 * those it reported), in place of what the change set.
 */
export function rollbackTarget(target: Target): Target {
  const to = Object.fromEntries(
    Object.entries(target.from).filter(([key, value]) => value !== undefined && key in target.to)
  ) as Carried
  return { to, from: valuesFor(target.to, to) }
}

/** What a run asks the domain to carry: the certificate of a custom domain, and each setting given. */
function asked(settings: Asked, current: Current): Carried {
  return {
    ...(settings.domainKind === 'custom' && {
      certificateArn: settings.certificateArn ?? current.certificateArn
    }),
    ...(settings.securityPolicy !== undefined && { securityPolicy: settings.securityPolicy }),
    ...(settings.managedLoginVersion !== undefined && {
      managedLoginVersion: settings.managedLoginVersion
    })
  }
}

/** The values `source` has for the settings `keys` names (undefined where it has none). */
function valuesFor(source: Carried, keys: Carried): Carried {
  return Object.fromEntries(Object.keys(keys).map((key) => [key, source[key as keyof Carried]]))
}

/** What a description says the domain carries. */
export function carriedBy(description: DomainDescriptionType): Carried {
  return {
    certificateArn: description.CustomDomainConfig?.CertificateArn,
    securityPolicy: description.CustomDomainConfig?.SecurityPolicy,
    managedLoginVersion: description.ManagedLoginVersion
  }
}

const SETTINGS = [
  ['certificateArn', 'certificate'],
  ['securityPolicy', 'security policy'],
  ['managedLoginVersion', 'managed login version']
] as const

/** Whether the domain carries every value `wanted` names. */
export function carries(seen: Carried, wanted: Carried): boolean {
  return SETTINGS.every(([key]) => !(key in wanted) || seen[key] === wanted[key])
}

/**
 * Where a change stands on the domain: applied (it carries what the change sets), not applied (it
 * carries what it had before), or other: something that neither set.
 */
export function changeOn(seen: Carried, target: Target): 'applied' | 'not applied' | 'other' {
  if (carries(seen, target.to)) return 'applied'
  if (carries(seen, valuesFor(target.from, target.to))) return 'not applied'
  return 'other'
}

/** A setting the domain carries that neither the change nor the configuration before it set. */
export function foreignSetting(seen: Carried, target: Target): string | undefined {
  for (const [key, name] of SETTINGS) {
    if (!(key in target.to)) continue
    const value = seen[key]
    if (value === undefined || value === target.to[key]) continue
    if (key in target.from && value === target.from[key]) continue
    return `${name} ${value}`
  }
  return undefined
}

/** What the domain carries, in a few words: "certificate A, security policy TLS_V1_2_2021". */
export function carriedText(seen: Carried, keys?: Carried): string {
  const parts = SETTINGS.flatMap(([key, name]) => {
    if (keys !== undefined && !(key in keys)) return []
    const value = seen[key]
    if (key === 'certificateArn') return [`${name} ${value ?? 'not reported'}`]
    return value === undefined ? [] : [`${name} ${value}`]
  })
  return parts.join(', ')
}

/** What differs between the inputs and the domain; what an input leaves out is kept. */
function changesFrom(settings: Asked, current: Current): Change[] {
  const changes: Change[] = []
  if (settings.certificateArn !== undefined && settings.certificateArn !== current.certificateArn)
    changes.push({
      input: 'certificate-arn',
      what: 'certificate',
      from: current.certificateArn,
      to: settings.certificateArn
    })
  if (settings.securityPolicy !== undefined && settings.securityPolicy !== current.securityPolicy)
    changes.push({
      input: 'security-policy',
      what: 'security policy',
      from: current.securityPolicy,
      to: settings.securityPolicy
    })
  const version = settings.managedLoginVersion
  if (version !== undefined && version !== current.managedLoginVersion)
    changes.push({
      input: 'managed-login-version',
      what: 'managed login version',
      from: current.managedLoginVersion?.toString(),
      to: String(version)
    })
  return changes
}

/**
 * The whole of what the domain should carry: UpdateUserPoolDomain sets the custom domain's
 * configuration as a whole, so what is not changed is sent as the domain reported it.
 */
function updateRequest(
  settings: Pick<Asked, 'domain' | 'pool'>,
  wanted: {
    certificateArn: string | undefined
    securityPolicy: string | undefined
    managedLoginVersion: number | undefined
  }
): UpdateUserPoolDomainRequest {
  return {
    Domain: settings.domain,
    UserPoolId: settings.pool.id,
    ...(wanted.certificateArn !== undefined && {
      CustomDomainConfig: {
        CertificateArn: wanted.certificateArn,
        ...(wanted.securityPolicy !== undefined && {
          SecurityPolicy: wanted.securityPolicy as SecurityPolicyType
        })
      }
    }),
    ...(wanted.managedLoginVersion !== undefined && {
      ManagedLoginVersion: wanted.managedLoginVersion
    })
  }
}

/** The new certificate, when the update changes it. */
export function certificateChange(changes: Change[]): Change | undefined {
  return changes.find((change) => change.input === 'certificate-arn')
}

/** What the update changes, named: "certificate, security policy". */
export function changedSettings(changes: Change[]): string {
  return changes.map((change) => change.what).join(', ')
}

/** The changes in a few words: "certificate A → B; managed login version 1 → 2". */
export function changesText(changes: Change[]): string {
  return changes
    .map((change) => `${change.what} ${change.from ?? '(not reported)'} → ${change.to}`)
    .join('; ')
}

/**
 * Why the domain's status stops a change. `final` problems stop even a run that would change
 * nothing; the others (a change in flight) only stop a new change.
 */
export function unsettledStatus(
  domain: string,
  status: string
): { reason: string; fix: string; final: boolean } | undefined {
  switch (status) {
    case 'ACTIVE':
      return undefined
    case 'UPDATING':
    case 'CREATING':
      return {
        reason: `Domain ${domain} is ${status}: another change is still being distributed (this takes up to an hour)`,
        fix: 'Wait until the domain is ACTIVE, then run again. Give the workflow a `concurrency:` group per domain so two rotations never overlap.',
        final: false
      }
    case 'DELETING':
      return {
        reason: `Domain ${domain} is DELETING`,
        fix: 'There is nothing to rotate: recreate the custom domain first, then run again.',
        final: true
      }
    case 'FAILED':
      return {
        reason: `Domain ${domain} is FAILED: its last change did not complete`,
        fix: 'This needs a person: look at the domain in the Cognito console (and its DNS alias and certificate), repair or recreate it, then run again.',
        final: true
      }
    default:
      return {
        reason: `Domain ${domain} reports the status ${shown(status)}, which this action does not know`,
        fix: 'Look at the domain in the Cognito console; run again once it is ACTIVE.',
        final: true
      }
  }
}
