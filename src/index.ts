/** The action's entry point: see main.ts for the story of a run. */
import { run } from './main.js'

void run()
