import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** What a run of the action loaded. */
export interface Loaded {
  /** The URL of every ES module node loaded, in order. */
  urls: string[]
  /** Node's own modules the run loaded (process.moduleLoadList, without the "NativeModule "). */
  builtins: string[]
}

/**
 * A module for --import, given to the run in `env`, that records what it loads: ES modules through
 * an in-thread load hook (module.registerHooks), node's own modules at exit. `loaded()` reads it.
 */
export function recordLoads(): { env: Record<string, string>; loaded: () => Loaded } {
  const dir = mkdtempSync(join(tmpdir(), 'load-recorder-'))
  const log = join(dir, 'loaded.log')
  const recorder = join(dir, 'recorder.mjs')
  writeFileSync(log, '')
  writeFileSync(
    recorder,
    [
      "import { appendFileSync } from 'node:fs'",
      "import { registerHooks } from 'node:module'",
      'registerHooks({',
      '  load(url, context, next) {',
      `    appendFileSync(${JSON.stringify(log)}, 'url ' + url + '\\n')`,
      '    return next(url, context)',
      '  }',
      '})',
      "process.on('exit', () => {",
      `  appendFileSync(${JSON.stringify(log)}, process.moduleLoadList.map((m) => 'builtin ' + m + '\\n').join(''))`,
      '})'
    ].join('\n')
  )
  return {
    env: { NODE_OPTIONS: `--import=${pathToFileURL(recorder).href}` },
    loaded: () => {
      const lines = readFileSync(log, 'utf8').split('\n')
      return {
        urls: lines.filter((line) => line.startsWith('url ')).map((line) => line.slice(4)),
        builtins: lines
          .filter((line) => line.startsWith('builtin NativeModule '))
          .map((line) => line.slice('builtin NativeModule '.length))
      }
    }
  }
}
