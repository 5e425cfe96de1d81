import type {NetworkAuditor} from './facts.js'

/** The endpoint audit shared with `ecsops check-endpoints` (src/endpoints/api.ts), loaded when exec check runs. */
export async function loadNetworkAuditor(): Promise<NetworkAuditor> {
  const {auditNetwork} = await import('../endpoints/api.js')
  return auditNetwork
}
