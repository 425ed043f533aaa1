/**
 * Proxies, as the AWS CLI reads them: HTTPS_PROXY or HTTP_PROXY (either case), with NO_PROXY for
 * the hosts to reach directly. Node's agents apply them (built-in proxy support, node 24.5 and
 * later) when given `proxyEnv`; this action does so only when a proxy is set, and otherwise leaves
 * every connection as the SDK and node make it.
 */
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']

export function proxyIsSet(env: NodeJS.ProcessEnv): boolean {
  return PROXY_VARIABLES.some((name) => (env[name] ?? '') !== '')
}

/** The passwords in the proxy URLs (http://user:password@host), as written and decoded. */
export function proxyPasswords(env: NodeJS.ProcessEnv): string[] {
  return PROXY_VARIABLES.flatMap((name) => {
    const password = URL.canParse(env[name] ?? '') ? new URL(env[name] ?? '').password : ''
    if (password === '') return []
    try {
      return [password, decodeURIComponent(password)]
    } catch {
      return [password]
    }
  })
}

/** Options for a node agent that goes through the proxy, keeping the SDK's own pool settings. */
export interface ProxiedAgentOptions {
  keepAlive: boolean
  maxSockets: number
  proxyEnv: NodeJS.ProcessEnv
}

export function proxiedAgentOptions(env: NodeJS.ProcessEnv): ProxiedAgentOptions {
  return { keepAlive: true, maxSockets: 50, proxyEnv: env }
}
