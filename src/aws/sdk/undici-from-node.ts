import http from 'node:http'

/**
 * What @actions/github and @actions/http-client import from undici, served by node's own fetch
 * (scripts/bundle.js points `undici` here): a second copy of undici would be 400 KB of the bundle.
 *
 * http-client asks for a ProxyAgent when HTTPS_PROXY or HTTP_PROXY applies to GitHub's URL (it
 * honours NO_PROXY). Here that switches on node's built-in proxy support for fetch, which reads the
 * same variables (http.setGlobalProxyFromEnv, node 24.14 and later), and fetch then sends the
 * request without the agent: the GitHub calls go through the proxy as the runner's variables say.
 * On an older node the agent can't be made, and recording the deployment ends in a warning.
 */
let proxying = false

type SetGlobalProxyFromEnv = (proxyEnv?: NodeJS.ProcessEnv) => unknown

export class ProxyAgent {
  /** http-client writes TLS options here when told to ignore certificate errors. */
  options: Record<string, unknown> = {}

  constructor() {
    if (proxying) return
    const setGlobalProxyFromEnv = (http as { setGlobalProxyFromEnv?: SetGlobalProxyFromEnv })
      .setGlobalProxyFromEnv
    if (typeof setGlobalProxyFromEnv !== 'function') {
      throw new Error(
        `a proxy is set (HTTPS_PROXY or HTTP_PROXY), and node ${process.version} cannot send the GitHub calls through it (node 24.14 or later can)`
      )
    }
    setGlobalProxyFromEnv(process.env)
    proxying = true
  }
}

type FetchOptions = RequestInit & { dispatcher?: unknown }

export async function fetch(input: string | URL | Request, init?: FetchOptions): Promise<Response> {
  if (init?.dispatcher instanceof ProxyAgent) {
    const options = { ...init }
    delete options.dispatcher
    return globalThis.fetch(input, options)
  }
  return globalThis.fetch(input, init)
}
