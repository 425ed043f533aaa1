import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { load } from 'js-yaml'

/**
 * README.md's Inputs and Outputs tables say what action.yml says: a row for every input and output
 * and for nothing else, each input's Required and Default as action.yml declares them, and each
 * output's description word for word (white space and Markdown's backticks aside).
 */
type Declared = { description: string; required?: boolean; default?: string }
const root = new URL('../../', import.meta.url)
const action = load(readFileSync(new URL('action.yml', root), 'utf8')) as {
  inputs: Record<string, Declared>
  outputs: Record<string, Declared>
}
const readme = readFileSync(new URL('README.md', root), 'utf8')

/** The rows of the first table under the heading `## <heading>`, as cells. */
function tableUnder(markdown: string, heading: string): string[][] {
  const lines = markdown.split('\n')
  const start = lines.findIndex((line) => line.trim() === `## ${heading}`)
  if (start < 0) throw new Error(`no heading "## ${heading}"`)
  const rows: string[][] = []
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('## ')) break
    if (!line.startsWith('|')) {
      if (rows.length > 0) break
      continue
    }
    rows.push(cellsOf(line))
  }
  // The header row and the |---| row under it.
  return rows.slice(2)
}

function cellsOf(row: string): string[] {
  return row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'))
}

/** A cell's text as prose: backticks dropped, white space folded. */
function words(text: string): string {
  return text.replace(/`/g, '').replace(/\s+/g, ' ').trim()
}

/** The name in a first cell: `max-attempts` → max-attempts. */
function nameOf(cell: string): string {
  const name = /^`([a-z0-9-]+)`$/.exec(cell)?.[1]
  if (name === undefined) throw new Error(`not a name in backticks: ${cell}`)
  return name
}

/**
 * A Default cell as action.yml would write the default: `5` → '5', `''` → '', and an empty cell
 * when action.yml declares no default (undefined).
 */
function defaultOf(cell: string): string | undefined {
  if (cell === '') return undefined
  const quoted = /^`(.*)`$/.exec(cell)?.[1]
  if (quoted === undefined) throw new Error(`a default is written in backticks: ${cell}`)
  return quoted === "''" ? '' : quoted
}

type Declarations = { inputs: Record<string, Declared>; outputs: Record<string, Declared> }

/** Where the README's Inputs table and action.yml disagree; empty when they agree. */
function inputProblems(markdown: string, declared: Declarations): string[] {
  const problems: string[] = []
  const rows = tableUnder(markdown, 'Inputs')
  const names = rows.map(([name = '']) => nameOf(name)).join()
  if (names !== Object.keys(declared.inputs).join())
    problems.push(`Inputs rows ${names} ≠ action.yml ${Object.keys(declared.inputs).join()}`)
  for (const [name = '', required = '', given = ''] of rows) {
    const input = declared.inputs[nameOf(name)]
    if (input === undefined) continue
    if (required !== (input.required === true ? 'yes' : 'no'))
      problems.push(
        `${name}: Required "${required}", action.yml required: ${String(input.required)}`
      )
    if (defaultOf(given) !== input.default)
      problems.push(`${name}: Default "${given}", action.yml default: ${String(input.default)}`)
  }
  return problems
}

/** Where the README's Outputs table and action.yml disagree; empty when they agree. */
function outputProblems(markdown: string, declared: Declarations): string[] {
  const problems: string[] = []
  const rows = tableUnder(markdown, 'Outputs')
  const names = rows.map(([name = '']) => nameOf(name)).join()
  if (names !== Object.keys(declared.outputs).join())
    problems.push(`Outputs rows ${names} ≠ action.yml ${Object.keys(declared.outputs).join()}`)
  for (const [name = '', description = ''] of rows) {
    const output = declared.outputs[nameOf(name)]
    if (output === undefined) continue
    if (words(description) !== words(output.description))
      problems.push(`${name}: "${words(description)}" ≠ action.yml "${words(output.description)}"`)
  }
  return problems
}

describe('README.md agrees with action.yml', () => {
  test('a row for every input, in the same order, with its Required and its Default', () => {
    expect(tableUnder(readme, 'Inputs').length).toBe(Object.keys(action.inputs).length)
    expect(inputProblems(readme, action)).toEqual([])
  })

  test("a row for every output, in the same order, with action.yml's description word for word", () => {
    expect(tableUnder(readme, 'Outputs').length).toBe(Object.keys(action.outputs).length)
    expect(outputProblems(readme, action)).toEqual([])
  })

  test('the checks fail on a changed default, a changed output, or a missing row', () => {
    const changedDefault = readme.replace(
      /^(\| `max-attempts` +\| no +\| )`5`/m,
      (_, start: string) => `${start}\`6\``
    )
    expect(changedDefault).not.toBe(readme)
    expect(inputProblems(changedDefault, action)).toEqual([
      '`max-attempts`: Default "`6`", action.yml default: 5'
    ])
    const changedOutput = readme.replace('(the target of its DNS alias record)', '(its DNS record)')
    expect(changedOutput).not.toBe(readme)
    expect(outputProblems(changedOutput, action)).toHaveLength(1)
    const withoutRow = readme.replace(/^\| `tls-endpoint` .*\n/m, '')
    expect(inputProblems(withoutRow, action)[0]).toMatch(/^Inputs rows /)
    const noDefault = { ...action, inputs: { ...action.inputs, 'aws-region': { description: '' } } }
    expect(inputProblems(readme, noDefault)).toEqual([
      '`aws-region`: Default "`\'\'`", action.yml default: undefined'
    ])
  })
})

test('no line of README.md is over 120 characters, except in tables and for URLs', () => {
  const long = readme
    .split('\n')
    .filter((line) => line.length > 120)
    .filter((line) => !line.startsWith('|'))
    .filter((line) => !/https?:\/\/\S{40,}/.test(line))
  expect(long).toEqual([])
})
