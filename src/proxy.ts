/**
 * Proxies, as the AWS CLI reads them: HTTPS_PROXY or HTTP_PROXY (either case), with NO_PROXY for
 * the hosts to reach directly. Node's agents apply them (built-in proxy support, node 24.5 and
 * later) when given `proxyEnv`; this action does so only when a proxy is set, and otherwise leaves
 * every connection as the SDK and node make it.
 */
export function proxyIsSet(env: NodeJS.ProcessEnv): boolean {
  return ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some(
    (name) => (env[name] ?? '') !== ''
  )
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
