import * as core from '@actions/core'
import { accessSync, constants, statSync } from 'node:fs'

/**
 * The step's outputs go to the runner's file GITHUB_OUTPUT. A file that is missing or can't be
 * written is the runner's problem, not this action's nor its inputs': it is checked before any AWS
 * call, and an output that can't be written later (a full disk) never interrupts a change in
 * flight: the run goes on, and fails at its end saying which file and what failed.
 */
let problem: string | undefined

/** What is wrong with the runner's output file, before anything is sent; undefined when fine. */
export function runnerFileProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = env.GITHUB_OUTPUT
  // Outside a runner (no GITHUB_OUTPUT) @actions/core prints the outputs as commands instead.
  if (path === undefined || path === '') return undefined
  try {
    if (statSync(path).isDirectory()) return describeProblem(path, 'is a folder, not a file')
    accessSync(path, constants.W_OK)
    return undefined
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return describeProblem(
      path,
      code === 'ENOENT' ? 'does not exist' : `can't be written (${code ?? String(error)})`
    )
  }
}

/** Sets an output; a failure is remembered for the end of the run instead of thrown. */
export function setOutput(name: string, value: string): void {
  try {
    core.setOutput(name, value)
  } catch (error) {
    problem ??= describeProblem(
      process.env.GITHUB_OUTPUT ?? '',
      `could not be written when the output ${name} was set (${error instanceof Error ? error.message : String(error)})`
    )
  }
}

/** Why some output could not be written during the run, if one could not. */
export function outputProblem(): string | undefined {
  return problem
}

function describeProblem(path: string, what: string): string {
  return `The runner's file for step outputs, GITHUB_OUTPUT (${path}), ${what}. This is a problem of the runner, not of this action or its inputs: later steps would not get this step's outputs. Re-run the job; on a self-hosted runner, check the free disk space and the permissions of the runner's work folder.`
}
