// Types of node24.js, which stays plain JavaScript for scripts/with-node24.js under node 20.

export const MINIMUM_MAJOR: number

export interface NodeOnPath {
  path: string
  /** What `node --version` printed (v24.21.0), or undefined when it printed no version. */
  version: string | undefined
}

/** The node 24 to run the bundled action with, or the one line that says what to install. */
export type Node24 = { path: string } | { problem: string }

export function chooseNode24(found: {
  platform: string
  arch: string
  onPath: NodeOnPath | undefined
  packaged: string | undefined
}): Node24

export function findNode24(options?: {
  env?: Record<string, string | undefined>
  platform?: string
  arch?: string
  root?: string
}): Node24
