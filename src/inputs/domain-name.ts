import { hasControlCharacter, shown } from '../common/display.js'
import { accept, reject, type Checked } from '../common/problem.js'

/**
 * The `domain` input: a custom domain's fully qualified host name, as Cognito stores it, or, where
 * only the managed login version changes, a prefix domain (`myprefix`, served as
 * myprefix.auth.<region>.amazoncognito.com). The service model's DomainType pattern describes prefix
 * domains and refuses every FQDN, so it is not used for custom domains.
 */
const INPUT = 'domain'
const EXAMPLE = 'auth.example.com'
const MAX_LENGTH = 253
const MAX_LABEL = 63

type Broken = { rule: string; fix?: string }

export type DomainKind = 'custom' | 'prefix'

/** A custom domain has dots; a prefix domain is one label. */
export function domainKind(domain: string): DomainKind {
  return domain.includes('.') ? 'custom' : 'prefix'
}

/**
 * Checks the domain. `prefixAllowed`: the run changes the managed login version only, which is the
 * one thing a prefix domain has to change.
 */
export function checkDomain(value: string, prefixAllowed = false): Checked<string> {
  const broken = brokenRule(value, prefixAllowed)
  if (broken === undefined) return accept(value)
  const guess = cleanedUp(value, prefixAllowed)
  const fix =
    broken.fix ??
    (guess !== undefined && guess !== value
      ? `Use ${shown(guess)}.`
      : `Give the host name alone, for example ${EXAMPLE}.`)
  return reject(INPUT, value, broken.rule, fix)
}

function brokenRule(value: string, prefixAllowed: boolean): Broken | undefined {
  if (value === '')
    return {
      rule: 'is required',
      fix: `Set domain to the custom domain of the user pool, for example ${EXAMPLE}.`
    }
  if (hasControlCharacter(value))
    return {
      rule: 'contains a control character (a line break, tab or similar)',
      fix: 'Give the domain on one line, with nothing else in the value.'
    }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
    return { rule: 'starts with a URL scheme; Cognito wants the host name alone' }
  if (/\s/.test(value)) return { rule: 'contains white space' }
  if (/[/?#@]/.test(value))
    return { rule: 'contains a path, query or user part; only the host name belongs here' }
  if (/%[0-9a-f]{2}/i.test(value))
    return {
      rule: 'contains a percent-encoded character (%0A, for instance, is an encoded line break)',
      fix: `Give the host name as it is written, with nothing encoded and nothing after it, for example ${EXAMPLE}.`
    }
  if (/:\d*$/.test(value))
    return { rule: 'contains a port; CloudFront serves the domain on 443 only' }
  if (value.includes(':')) return { rule: 'contains a colon, which no host name has' }
  if (value.includes('*'))
    return {
      rule: 'is a wildcard; a Cognito custom domain is one host name',
      fix: `Name the host itself, for example ${EXAMPLE}. A wildcard certificate such as *.example.com can still serve it.`
    }
  if (/[A-Z]/.test(value))
    return { rule: 'contains uppercase letters; Cognito stores custom domains in lowercase' }
  if (value.endsWith('.')) return { rule: 'ends with a dot; give the name without the DNS root' }
  if (value.split('.').includes(''))
    return { rule: 'has an empty label (a leading dot or two dots in a row)' }
  if (!value.includes('.')) {
    if (prefixAllowed) return brokenPrefixRule(value)
    return {
      rule: `is a single label, like a Cognito prefix domain (${value}.auth.<region>.amazoncognito.com); certificates and security policies apply to custom domains only, prefix domains are served with Amazon's own certificate`,
      fix: `Give the custom domain that users open, for example ${EXAMPLE}. To change the managed login version of a prefix domain, give managed-login-version alone (no certificate-arn, no security-policy).`
    }
  }
  if (/\.amazoncognito\.com$/.test(value))
    return {
      rule: 'is a Cognito prefix domain under amazoncognito.com, whose certificate belongs to AWS; certificates apply to custom domains only',
      fix: `Give your own custom domain, for example ${EXAMPLE}.`
    }
  const stray = Array.from(value).find((ch) => !/[a-z0-9.-]/.test(ch))
  if (stray !== undefined) {
    const nonAscii = (stray.codePointAt(0) ?? 0) > 0x7f
    return {
      rule: `contains ${shown(stray)}; only lowercase letters a-z, digits, hyphens and dots are allowed`,
      fix: nonAscii
        ? 'Give an internationalised domain in its ASCII (punycode, xn--) form, as it appears in DNS and in the certificate.'
        : `Remove it, for example ${EXAMPLE}.`
    }
  }
  const labels = value.split('.')
  const long = labels.find((label) => label.length > MAX_LABEL)
  if (long !== undefined)
    return {
      rule: `has a label of ${long.length} characters (${shown(long)}); DNS allows at most ${MAX_LABEL}`,
      fix: 'Check the value: a real host name has no label that long.'
    }
  const hyphened = labels.find((label) => label.startsWith('-') || label.endsWith('-'))
  if (hyphened !== undefined)
    return {
      rule: `has a label that starts or ends with a hyphen (${shown(hyphened)})`,
      fix: 'Check the spelling of the host name.'
    }
  if (value.length > MAX_LENGTH)
    return {
      rule: `is ${value.length} characters long; a domain name has at most ${MAX_LENGTH}`,
      fix: 'Check the value.'
    }
  if (/^\d+$/.test(labels[labels.length - 1] ?? ''))
    return {
      rule: 'looks like an IP address; a custom domain is a host name',
      fix: `Give the host name, for example ${EXAMPLE}.`
    }
  return undefined
}

/** Cognito's rules for a prefix domain: a DNS label that names no AWS brand. */
function brokenPrefixRule(value: string): Broken | undefined {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(value))
    return {
      rule: 'is not a valid prefix domain: 1 to 63 lowercase letters, digits and hyphens, not starting or ending with a hyphen',
      fix: 'Give the prefix as it appears in the Cognito console (App integration, Domain), for example myprefix.'
    }
  const brand = ['aws', 'amazon', 'cognito'].find((word) => value.includes(word))
  if (brand !== undefined)
    return {
      rule: `contains "${brand}", which Cognito does not allow in a prefix domain, so no such domain can exist`,
      fix: 'Check the value: give the prefix as it appears in the Cognito console.'
    }
  return undefined
}

/** The value with the usual slips undone (scheme, path, port, case, final dot), if that is valid. */
function cleanedUp(value: string, prefixAllowed: boolean): string | undefined {
  const guess = value
    .trim()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/^[^/?#@]*@/, '')
    .replace(/[/?#].*$/, '')
    .replace(/:\d*$/, '')
    .toLowerCase()
    .replace(/\.+$/, '')
  return brokenRule(guess, prefixAllowed) === undefined ? guess : undefined
}
