/**
 * The runner's files, read as a workflow's later steps see them: GITHUB_OUTPUT, which
 * @actions/core writes as `name<<delimiter`, the value's lines, then the delimiter. Shared by
 * `npm run action` and the tests that run the action as the runner does.
 */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const header = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '')
    if (header?.[1] === undefined || header[2] === undefined) continue
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== header[2]; i++) value.push(lines[i] ?? '')
    outputs[header[1]] = value.join('\n')
  }
  return outputs
}
