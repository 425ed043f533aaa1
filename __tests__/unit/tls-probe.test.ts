import { describe, expect, test } from '@jest/globals'
import { colonHex, sameSerial } from '../../src/aws/tls.js'

describe('serials in their different spellings', () => {
  test.each([
    ['0a:1b:2c', '0A1B2C', true],
    ['0A:1B:2C', '0a1b2c', true],
    ['a1b2c', '0A1B2C', true],
    ['00:a1:b2:c3', 'A1B2C3', true],
    // A decimal serial, as moto writes it, of the hex one served.
    ['10624195', 'A21CC3', true],
    ['0a:1b:2c', '0A1B2D', false],
    ['10624196', 'A21CC3', false],
    ['not a serial', 'A21CC3', false]
  ])('ACM %j vs served %j: %s', (reported, served, expected) => {
    expect(sameSerial(reported, served)).toBe(expected)
  })

  test('colonHex writes as ACM does', () => {
    expect(colonHex('A1B2C')).toBe('0a:1b:2c')
    expect(colonHex('0a:1b')).toBe('0a:1b')
  })
})
