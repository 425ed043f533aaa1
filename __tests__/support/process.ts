import { spawn } from 'node:child_process'

export interface Finished {
  exitCode: number | null
  stdout: string
  stderr: string
  /** Seconds from the signal (signalWhen) to the program's end; undefined when none was sent. */
  secondsAfterSignal?: number
}

/**
 * Runs a program to its end without blocking the event loop (the tests' endpoint must keep
 * answering meanwhile), and kills it if it outlives the timeout.
 */
export async function runProcess(
  command: string,
  args: string[],
  options: {
    env: Record<string, string>
    cwd?: string
    timeoutMs?: number
    /**
     * Sends `signal` to the program once its standard output contains `text`, then calls
     * `afterwards`.
     */
    signalWhen?: { text: string; signal: NodeJS.Signals; afterwards?: () => void }
  }
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    let signalled: number | undefined
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const when = options.signalWhen
      if (when !== undefined && signalled === undefined && stdout.includes(when.text)) {
        signalled = Date.now()
        child.kill(when.signal)
        when.afterwards?.()
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 45_000)
    child.on('error', reject)
    child.on('close', (exitCode) => {
      clearTimeout(timer)
      resolve({
        exitCode,
        stdout,
        stderr,
        ...(signalled !== undefined && { secondsAfterSignal: (Date.now() - signalled) / 1000 })
      })
    })
  })
}
