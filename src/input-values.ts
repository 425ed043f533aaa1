import { accept, reject, type Checked } from './problem.js'

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
