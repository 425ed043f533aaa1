/** The action's entry point: see main.ts for the story of a run. */
import * as core from '@actions/core'
import { redactCredentials } from './aws/secrets.js'
import { run } from './main.js'

// The run has said and recorded all it has to: the process ends now, with the exit code the run
// set (1 when the step failed), even if something it no longer waits for is still pending (a
// credential_process the SDK started, an ACM read whose answer nobody needs).
void run()
  .catch((error: unknown) => {
    core.setFailed(
      redactCredentials(
        `Unexpected error: ${error instanceof Error ? error.message : String(error)}. Please report it with the log of this run.`
      )
    )
  })
  .finally(() => {
    // Everything written to stdout is flushed first.
    process.stdout.write('', () => process.exit())
  })
