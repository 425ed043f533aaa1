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
