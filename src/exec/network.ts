import type {NetworkAuditor} from './facts.js'

/**
 * The endpoint audit shared with `ecsops check-endpoints` (src/endpoints/api.ts). Loaded at run
 * time, so that exec check still runs (network checks skipped) in a build without it.
 */
export async function loadNetworkAuditor(): Promise<NetworkAuditor> {
  const specifier = '../endpoints/api.js'
  try {
    const mod = (await import(specifier)) as {auditNetwork?: NetworkAuditor}
    if (typeof mod.auditNetwork === 'function') return mod.auditNetwork
  } catch {
    // fall through
  }
  return async () => {
    throw Object.assign(new Error('the endpoint audit (src/endpoints/api.ts) is not part of this build'), {name: 'AuditUnavailable'})
  }
}
