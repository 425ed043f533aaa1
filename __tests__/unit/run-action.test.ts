import { describe, expect, test } from '@jest/globals'
import { parseInputs, shownLine } from '../../scripts/run-action.ts'

describe('npm run action: the inputs from the command line', () => {
  const base = ['--domain', 'auth.example.com', '--user-pool-id=eu-west-1_AbC123']

  test('--name value and --name=value; a dry run unless told otherwise', () => {
    expect(parseInputs([...base, '--certificate-arn', 'arn:x'])).toEqual({
      inputs: {
        'dry-run': 'true',
        domain: 'auth.example.com',
        'user-pool-id': 'eu-west-1_AbC123',
        'certificate-arn': 'arn:x'
      }
    })
    expect(parseInputs([...base, '--dry-run', 'false'])).toMatchObject({
      inputs: { 'dry-run': 'false' }
    })
  })

  test.each([
    [['--domain', 'auth.example.com', '--pool', 'x'], '--pool is not an input of the action'],
    [['--domain'], '--domain has no value'],
    [['auth.example.com'], 'is not --<input> <value>'],
    [['--domain', 'auth.example.com'], 'Give at least --domain and --user-pool-id']
  ])('%j is refused: %s', (args, said) => {
    const parsed = parseInputs(args)
    expect('error' in parsed && parsed.error).toContain(said)
  })
})

describe('npm run action: the log as the runner shows it', () => {
  test.each<[string, boolean, string | undefined]>([
    [
      'Current: certificate arn:x (status ACTIVE)',
      false,
      'Current: certificate arn:x (status ACTIVE)'
    ],
    ['::add-mask::secret', true, undefined],
    ['::debug::UnrecognizedClientException: no', false, undefined],
    ['::debug::UnrecognizedClientException: no', true, 'Debug: UnrecognizedClientException: no'],
    [
      '::warning title=Certificate expires soon::12 days left%0Arotate 100%25',
      false,
      'Warning: 12 days left\nrotate 100%'
    ],
    ['::error::Input domain is required', false, 'Error: Input domain is required']
  ])('%j (debug %s)', (line, debug, shown) => {
    expect(shownLine(line, debug)).toBe(shown)
  })
})
