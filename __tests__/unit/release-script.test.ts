import { afterEach, describe, expect, test } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * scripts/release.sh, run in a throwaway repository made from this commit's files (with a bare
 * repository as its origin): each refusal tags nothing, and a release tags vX.Y.Z and moves vX.
 */
const root = fileURLToPath(new URL('../../', import.meta.url))
const version = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
).version
const tag = `v${version}`
const major = `v${version.split('.')[0] ?? ''}`

// No one's git configuration (signing, hooks, identity): the same on every machine.
// Nor jest's NODE_OPTIONS.
const env: Record<string, string | undefined> = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_OPTIONS')),
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Release Test',
  GIT_AUTHOR_EMAIL: 'release-test@example.com',
  GIT_COMMITTER_NAME: 'Release Test',
  GIT_COMMITTER_EMAIL: 'release-test@example.com'
}

interface Sandbox {
  dir: string
  /** The repository the script runs in. */
  work: string
  /** Its origin, a bare repository. */
  origin: string
}

const realNpm = execFileSync('bash', ['-c', 'command -v npm'], { env, encoding: 'utf8' }).trim()

const sandboxes: string[] = []
afterEach(() => {
  for (const dir of sandboxes.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim()
}

/** A repository of this commit's files; with node_modules (for a real bundle) when asked. */
function sandbox(withNodeModules = false): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'release-test-'))
  sandboxes.push(dir)
  const work = join(dir, 'work')
  const origin = join(dir, 'origin.git')
  mkdirSync(work)
  execFileSync('bash', ['-c', `git archive HEAD | tar -x -C "${work}"`], { cwd: root, env })
  // The script as it is in the working tree, committed or not.
  copyFileSync(join(root, 'scripts', 'release.sh'), join(work, 'scripts', 'release.sh'))
  git(work, 'init', '--quiet', '--initial-branch=main')
  git(work, 'add', '--all')
  git(work, 'commit', '--quiet', '--message', 'this commit')
  git(dir, 'init', '--quiet', '--bare', origin)
  git(work, 'remote', 'add', 'origin', origin)
  // The bundle needs node_modules at a real path: hard links where the file system allows them.
  if (withNodeModules)
    try {
      execFileSync('cp', ['-al', join(root, 'node_modules'), join(work, 'node_modules')])
    } catch {
      rmSync(join(work, 'node_modules'), { recursive: true, force: true })
      execFileSync('cp', ['-a', join(root, 'node_modules'), join(work, 'node_modules')])
    }
  return { dir, work, origin }
}

/**
 * Runs the script with an npm in front of the real one that records its arguments and answers
 * `npm test` with `tests` (the exit status). `bundle: 'skip'` makes `npm run bundle` leave dist/
 * as it is, for a test about a later check.
 */
function release(
  box: Sandbox,
  options: { args?: string[]; tests: number; bundle?: 'run' | 'skip' }
): { status: number | null; stderr: string; npm: string[] } {
  const bin = join(box.dir, 'bin')
  const log = join(box.dir, 'npm.log')
  mkdirSync(bin, { recursive: true })
  writeFileSync(log, '')
  writeFileSync(
    join(bin, 'npm'),
    [
      '#!/bin/sh',
      `echo "$*" >> '${log}'`,
      `[ "$1" = test ] && exit ${options.tests}`,
      options.bundle === 'skip' ? '[ "$*" = "run --silent bundle" ] && exit 0' : '',
      `exec '${realNpm}' "$@"`
    ].join('\n')
  )
  chmodSync(join(bin, 'npm'), 0o755)
  const result = spawnSync(
    'bash',
    [join(box.work, 'scripts', 'release.sh'), ...(options.args ?? [])],
    {
      cwd: box.work,
      env: { ...env, PATH: `${bin}:${env.PATH ?? ''}` },
      encoding: 'utf8'
    }
  )
  return {
    status: result.status,
    stderr: result.stderr,
    npm: readFileSync(log, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
  }
}

function tags(repository: string): string[] {
  const list = git(repository, 'tag', '--list')
  return list === '' ? [] : list.split('\n')
}

function commitAll(box: Sandbox, message: string): void {
  git(box.work, 'commit', '--quiet', '--all', '--message', message)
}

/** CHANGELOG.md with nothing under [Unreleased], as step 1 of Releasing leaves it; committed. */
function nothingUnreleased(box: Sandbox): void {
  const file = join(box.work, 'CHANGELOG.md')
  const text = readFileSync(file, 'utf8')
  const start = text.indexOf('## [Unreleased]')
  const next = text.indexOf('\n## [', start + 1)
  if (start >= 0 && next >= 0) {
    writeFileSync(file, `${text.slice(0, start)}## [Unreleased]\n${text.slice(next)}`)
    commitAll(box, 'nothing unreleased')
  }
}

describe('scripts/release.sh refuses, and tags nothing,', () => {
  test('when the working tree has a change', () => {
    const box = sandbox()
    appendFileSync(join(box.work, 'README.md'), '\nnot committed\n')
    const run = release(box, { tests: 0 })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('the working tree is not clean')
    expect(tags(box.work)).toEqual([])
  })

  test('when CHANGELOG.md has no section for the version', () => {
    const box = sandbox()
    const file = join(box.work, 'package.json')
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(`"version": "${version}"`, '"version": "9.8.7"')
    )
    commitAll(box, 'version 9.8.7')
    const run = release(box, { tests: 0 })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain("CHANGELOG.md has no '## [9.8.7]' section")
    expect(tags(box.work)).toEqual([])
  })

  test('when CHANGELOG.md lists changes under [Unreleased], which no version holds', () => {
    const box = sandbox()
    const file = join(box.work, 'CHANGELOG.md')
    const text = readFileSync(file, 'utf8')
    writeFileSync(
      file,
      text.replace('## [Unreleased]\n', '## [Unreleased]\n\n### Added\n\n- Something new.\n')
    )
    commitAll(box, 'an unreleased change')
    const run = release(box, { tests: 0 })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain("CHANGELOG.md's [Unreleased] section lists changes")
    expect(run.npm).toEqual([])
    expect(tags(box.work)).toEqual([])
  })

  test('when the version is tagged already', () => {
    const box = sandbox()
    nothingUnreleased(box)
    git(box.work, 'tag', '--annotate', tag, '--message', 'earlier')
    const run = release(box, { tests: 0 })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain(`tag ${tag} exists already`)
    expect(tags(box.work)).toEqual([tag])
  })

  test('when the major tag is on a commit HEAD does not contain', () => {
    const box = sandbox()
    nothingUnreleased(box)
    git(box.work, 'switch', '--quiet', '--create', 'elsewhere')
    appendFileSync(join(box.work, 'README.md'), '\nelsewhere\n')
    commitAll(box, 'elsewhere')
    git(box.work, 'tag', major)
    const elsewhere = git(box.work, 'rev-parse', 'HEAD')
    git(box.work, 'switch', '--quiet', 'main')
    const run = release(box, { tests: 0 })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain(`tag ${major} points at`)
    expect(tags(box.work)).toEqual([major])
    expect(git(box.work, 'rev-parse', major)).toBe(elsewhere)
  })

  test('when dist/ is not what the sources build', () => {
    const box = sandbox(true)
    nothingUnreleased(box)
    appendFileSync(join(box.work, 'dist', 'index.js'), '// stale\n')
    commitAll(box, 'a stale dist/')
    const run = release(box, { tests: 0 })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('dist/ differs from what the sources build')
    expect(tags(box.work)).toEqual([])
  }, 120_000)

  test('when npm test fails', () => {
    const box = sandbox()
    nothingUnreleased(box)
    const run = release(box, { tests: 1, bundle: 'skip' })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('the tests failed')
    expect(run.npm).toEqual(['run --silent bundle', 'test'])
    expect(tags(box.work)).toEqual([])
  })
})

test('scripts/release.sh tags vX.Y.Z, moves vX to the same commit and, with --push, pushes both', () => {
  const box = sandbox(true)
  nothingUnreleased(box)
  git(box.work, 'tag', major)
  appendFileSync(join(box.work, 'README.md'), '\none more commit\n')
  commitAll(box, 'one more commit')
  const head = git(box.work, 'rev-parse', 'HEAD')

  const run = release(box, { args: ['--push'], tests: 0 })

  expect(run.stderr).not.toContain('refused')
  expect(run.status).toBe(0)
  expect(run.npm).toEqual(['run --silent bundle', 'test'])
  expect(git(box.work, 'cat-file', '-t', tag)).toBe('tag')
  expect(git(box.work, 'tag', '--list', '--format=%(contents:subject)', tag)).toBe(tag)
  for (const repository of [box.work, box.origin]) {
    expect(git(repository, 'rev-parse', `${tag}^{commit}`)).toBe(head)
    expect(git(repository, 'rev-parse', `${major}^{commit}`)).toBe(head)
  }
}, 120_000)
