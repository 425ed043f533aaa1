/** A broken rule about one input: what was given, which rule it broke, and what to do instead. */
export interface Problem {
  input: string
  value: string
  rule: string
  fix: string
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: Problem }

export function accept<T>(value: T): Checked<T> {
  return { ok: true, value }
}

export function reject<T>(input: string, value: string, rule: string, fix: string): Checked<T> {
  return { ok: false, problem: { input, value, rule, fix } }
}

type Values<T> = { [K in keyof T]: T[K] extends Checked<infer V> ? V : never }

/** The values of all the checks, or every problem among them, in the order the checks are given. */
export function combine<T extends Record<string, Checked<unknown>>>(
  checks: T
): { values: Values<T> } | { problems: Problem[] } {
  const problems = Object.values(checks).flatMap((check) => (check.ok ? [] : [check.problem]))
  if (problems.length > 0) return { problems }
  const values = Object.fromEntries(
    Object.entries(checks).map(([name, check]) => [name, check.ok ? check.value : undefined])
  )
  return { values: values as Values<T> }
}
