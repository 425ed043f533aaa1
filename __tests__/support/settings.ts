import {
  checkInputs,
  INPUT_DEFAULTS,
  INPUT_NAMES,
  type RawInputs,
  type Settings
} from '../../src/inputs/settings.js'

/** Raw inputs for the pool eu-west-1_AbC123 and its domain auth.example.com, with any overridden. */
export function rawInputs(overrides: Partial<RawInputs> = {}): RawInputs {
  const empty = Object.fromEntries(INPUT_NAMES.map((name) => [name, ''])) as RawInputs
  return {
    ...empty,
    ...INPUT_DEFAULTS,
    domain: 'auth.example.com',
    'user-pool-id': 'eu-west-1_AbC123',
    'certificate-arn': 'arn:aws:acm:us-east-1:123456789012:certificate/new',
    ...overrides
  }
}

/** The checked settings for those inputs; throws if they are not valid. */
export function settingsFor(overrides: Partial<RawInputs> = {}): Settings {
  const checked = checkInputs(rawInputs(overrides))
  if ('problems' in checked) throw new Error(JSON.stringify(checked.problems))
  return checked.settings
}
