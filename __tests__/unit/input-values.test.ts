import { describe, expect, test } from '@jest/globals'
import {
  checkBoolean,
  checkEndpoint,
  checkMaxAttempts,
  checkMinutes,
  checkWholeNumber
} from '../../src/inputs/values.js'

describe('boolean inputs take the YAML 1.2 booleans only', () => {
  test.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false]
  ])('%s', (value, expected) => {
    expect(checkBoolean('dry-run', value)).toEqual({ ok: true, value: expected })
  })

  test.each(['yes', 'no', 'on', 'off', '1', '0', 'y', 'tRUE', ' true', 'true ', 'ture', ''])(
    '%j is refused, naming the input',
    (value) => {
      const checked = checkBoolean('dry-run', value)
      if (checked.ok) throw new Error('accepted')
      expect(checked.problem.input).toBe('dry-run')
      expect(checked.problem.rule).toBe('is not true or false')
      expect(checked.problem.fix).toContain('dry-run: true or dry-run: false')
    }
  )
})

describe('whole numbers', () => {
  test.each([
    ['0', 0],
    ['30', 30],
    ['3650', 3650]
  ])('%s in 0..3650', (value, expected) => {
    expect(checkWholeNumber('min-days-remaining', value, 0, 3650, 'days')).toEqual({
      ok: true,
      value: expected
    })
  })
  test.each(['-1', '3651', '2.5', '1e3', '0x10', 'thirty', '', ' 30', '9999999'])(
    '%j is refused',
    (value) => {
      const checked = checkWholeNumber('min-days-remaining', value, 0, 3650, 'days')
      if (checked.ok) throw new Error('accepted')
      expect(checked.problem.rule).toBe('is not a whole number from 0 to 3650')
    }
  )
})

describe('max-attempts', () => {
  test.each([
    ['1', 1],
    ['5', 5],
    ['10', 10]
  ])('%s', (value, attempts) => {
    expect(checkMaxAttempts(value)).toEqual({ ok: true, value: attempts })
  })
  test.each(['0', '11', '-1', '2.5', 'five', '', '1e1', '0x5', '1000'])(
    '%j is refused',
    (value) => {
      expect(checkMaxAttempts(value).ok).toBe(false)
    }
  )
})

describe('wait-timeout-minutes', () => {
  test.each([
    ['60', 60],
    ['0.1', 0.1],
    ['0.5', 0.5],
    ['360', 360]
  ])('%s', (value, minutes) => {
    expect(checkMinutes('wait-timeout-minutes', value, 360, 'minutes')).toEqual({
      ok: true,
      value: minutes
    })
  })
  test.each(['0', '0.05', '361', '-5', '1e2', 'an hour', '', '.5'])('%j is refused', (value) => {
    expect(checkMinutes('wait-timeout-minutes', value, 360, 'minutes').ok).toBe(false)
  })
})

describe('tls-endpoint', () => {
  test.each([
    ['', undefined],
    ['d111111abcdef8.cloudfront.net', { host: 'd111111abcdef8.cloudfront.net', port: 443 }],
    ['127.0.0.1:8443', { host: '127.0.0.1', port: 8443 }],
    ['[::1]:8443', { host: '::1', port: 8443 }],
    ['localhost', { host: 'localhost', port: 443 }]
  ])('%j', (value, endpoint) => {
    expect(checkEndpoint('tls-endpoint', value)).toEqual({ ok: true, value: endpoint })
  })
  test.each([
    'https://auth.example.com',
    'auth.example.com:0',
    'auth.example.com:70000',
    'auth.example.com:x',
    'auth.example.com/path',
    'a b',
    'host\n'
  ])('%j is refused', (value) => {
    expect(checkEndpoint('tls-endpoint', value).ok).toBe(false)
  })
})
