import { describe, expect, test } from '@jest/globals'
import { colonHex, sameSerial } from '../../src/aws/tls.js'
import { isServed, serialText } from '../../src/rules/certificate.js'

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
    ['not a serial', 'A21CC3', false],
    // Short serials, as a CA that counts gives them, are read as hex only.
    ['10', '0A', false],
    ['10', '10', true],
    ['25', '19', false],
    ['0a', '0A', true]
  ])('ACM %j vs served %j: %s', (reported, served, expected) => {
    expect(sameSerial(reported, served)).toBe(expected)
  })

  test('a decimal serial is shown in hex too, as the edge serial is', () => {
    expect(serialText('10624195')).toBe('10624195 (in decimal; a2:1c:c3 in hex)')
    expect(serialText('0a:1b:2c')).toBe('0a:1b:2c')
    expect(serialText('10')).toBe('10')
  })

  test('colonHex writes as ACM does', () => {
    expect(colonHex('A1B2C')).toBe('0a:1b:2c')
    expect(colonHex('0a:1b')).toBe('0a:1b')
  })
})

describe('whether the served certificate is the one ACM describes', () => {
  const notAfter = new Date('2027-03-01T12:00:00.000Z')
  test.each([
    [
      'the same serial and expiry',
      { serial: '0A1B2C', validTo: 'Mon, 01 Mar 2027 12:00:00 GMT' },
      true
    ],
    [
      'the same serial, another expiry',
      { serial: '0A1B2C', validTo: 'Tue, 02 Mar 2027 12:00:00 GMT' },
      false
    ],
    ['another serial', { serial: '0A1B2D', validTo: 'Mon, 01 Mar 2027 12:00:00 GMT' }, false],
    ['an expiry it can not read', { serial: '0A1B2C', validTo: 'soon' }, true]
  ])('%s', (_, served, expected) => {
    expect(isServed({ Serial: '0a:1b:2c', NotAfter: notAfter }, served)).toBe(expected)
  })

  test('without a serial from ACM nothing is proven', () => {
    expect(
      isServed({ NotAfter: notAfter }, { serial: '0A', validTo: notAfter.toUTCString() })
    ).toBe(false)
  })
})
