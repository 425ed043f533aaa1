import { hasControlCharacter, shown } from '../common/display.js'
import { accept, reject, type Checked } from '../common/problem.js'

/** YAML 1.2 core-schema booleans, the only spellings a workflow's `with:` turns into true/false. */
const TRUE = new Set(['true', 'True', 'TRUE'])
const FALSE = new Set(['false', 'False', 'FALSE'])

export function checkBoolean(input: string, value: string): Checked<boolean> {
  if (TRUE.has(value)) return accept(true)
  if (FALSE.has(value)) return accept(false)
  return reject(
    input,
    value,
    'is not true or false',
    `Write ${input}: true or ${input}: false (yes, no, on, off, 1 and 0 are not accepted), or leave it out.`
  )
}

/** A whole number in [min, max], written in plain digits. */
export function checkWholeNumber(
  input: string,
  value: string,
  min: number,
  max: number,
  meaning: string
): Checked<number> {
  const number = /^\d{1,6}$/.test(value) ? Number(value) : NaN
  if (number >= min && number <= max) return accept(number)
  return reject(
    input,
    value,
    `is not a whole number from ${min} to ${max}`,
    `Give ${meaning}, or leave it out for the default.`
  )
}

export const MAX_ATTEMPTS_LIMIT = 10

export function checkMaxAttempts(value: string): Checked<number> {
  return checkWholeNumber(
    'max-attempts',
    value,
    1,
    MAX_ATTEMPTS_LIMIT,
    'the number of tries per AWS call, for example 5'
  )
}

/**
 * A number of minutes from 0.1 to `max`; a decimal is allowed (0.5 is thirty seconds), so a short
 * wait can be tried without waiting a whole minute.
 */
export function checkMinutes(
  input: string,
  value: string,
  max: number,
  meaning: string
): Checked<number> {
  const minutes = /^\d{1,4}(\.\d{1,2})?$/.test(value) ? Number(value) : NaN
  if (minutes >= 0.1 && minutes <= max) return accept(minutes)
  return reject(
    input,
    value,
    `is not a number of minutes from 0.1 to ${max}`,
    `Give ${meaning}, or leave it out for the default.`
  )
}

/** A host and optional port to open a TLS connection to. */
export interface Endpoint {
  host: string
  port: number
}

/** `host[:port]`, or empty for none. IPv6 addresses go in brackets: `[::1]:8443`. */
export function checkEndpoint(input: string, value: string): Checked<Endpoint | undefined> {
  if (value === '') return accept(undefined)
  const fail = (rule: string) =>
    reject<Endpoint | undefined>(
      input,
      value,
      rule,
      `Give a host name or address with an optional port, such as d111111abcdef8.cloudfront.net, 127.0.0.1:8443 or [::1]:8443, or leave ${input} out to check the CloudFront domain on port 443.`
    )
  if (hasControlCharacter(value) || /\s/.test(value))
    return fail('contains white space or a control character')
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return fail('starts with a URL scheme')
  const parts = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+))(?::(\d{1,5}))?$/.exec(value)
  if (parts === null) return fail(`is not host[:port] (${shown(value)})`)
  const host = parts[1] ?? parts[2] ?? ''
  const port = parts[3] === undefined ? 443 : Number(parts[3])
  if (port < 1 || port > 65535) return fail(`has the port ${port}; a port is 1 to 65535`)
  if (host === '' || host.startsWith('.') || host.endsWith('-')) return fail('has no valid host')
  return accept({ host, port })
}

/**
 * One of a few exact spellings, or empty for "not given". A value that matches one of them but for
 * case or surrounding spaces is named in the fix.
 */
export function checkChoice<T extends string>(
  input: string,
  value: string,
  choices: readonly T[],
  meaning: string
): Checked<T | undefined> {
  if (value === '') return accept(undefined)
  const exact = choices.find((choice) => choice === value)
  if (exact !== undefined) return accept(exact)
  const near = choices.find((choice) => choice.toLowerCase() === value.trim().toLowerCase())
  return reject(
    input,
    value,
    `is not one of ${choices.join(', ')}`,
    near === undefined ? `Give ${meaning}, or leave it out.` : `Use ${shown(near)}.`
  )
}
