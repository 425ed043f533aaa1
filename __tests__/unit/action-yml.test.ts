import { expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { INPUT_DEFAULTS } from '../../src/inputs/settings.js'

/** The inputs action.yml declares, with their defaults, read line by line (no YAML library). */
function declaredInputs(): Map<string, string | undefined> {
  const text = readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')
  const section = /^inputs:\n([\s\S]*?)^\S/m.exec(text)?.[1] ?? ''
  const inputs = new Map<string, string | undefined>()
  let current = ''
  for (const line of section.split('\n')) {
    const name = /^ {2}([a-z-]+):$/.exec(line)?.[1]
    if (name !== undefined) {
      current = name
      inputs.set(name, undefined)
    }
    const value = /^ {4}default: '(.*)'$/.exec(line)?.[1]
    if (value !== undefined) inputs.set(current, value)
  }
  return inputs
}

test('the defaults the action applies are the ones action.yml declares', () => {
  const declared = declaredInputs()
  expect(declared.size).toBeGreaterThan(5)
  for (const [name, value] of Object.entries(INPUT_DEFAULTS)) {
    expect([name, declared.get(name)]).toEqual([name, value])
  }
  const withDefaults = [...declared].filter(([, value]) => value !== undefined && value !== '')
  expect(Object.fromEntries(withDefaults)).toEqual(INPUT_DEFAULTS)
})
