import type {EC2Client} from '@aws-sdk/client-ec2'
import type {AwsVpcConfiguration, Task, TaskDefinition} from '@aws-sdk/client-ecs'
import type {Route53Client} from '@aws-sdk/client-route-53'

/** What migrate knows about a task that failed to start, for the endpoint audit. */
export interface StartFailure {
  task: Task
  stoppedReason: string
  network?: AwsVpcConfiguration
  taskDefinition: TaskDefinition
  launchType?: string
  platformVersion?: string
}

const AUDIT_TIMEOUT_MS = 20_000

/**
 * Explains a start failure that points at the network (ResourceInitializationError,
 * CannotPullContainerError, awslogs "failed to create Cloudwatch log stream") with the endpoint
 * audit of the task's subnets: the findings that explain the reason, as lines to print under it.
 * The audit is bounded in time; its errors are the caller's to report as a warning.
 */
export function explainWithEndpointAudit(clients: () => Promise<{ec2: EC2Client; route53?: Route53Client}>, region: string, timeoutMs = AUDIT_TIMEOUT_MS) {
  return async (failure: StartFailure): Promise<string[]> => {
    const subnets = failure.network?.subnets ?? []
    if (subnets.length === 0) return []
    const api = await import('../endpoints/api.js')
    const needs = api.requiredEndpoints({taskDefinition: failure.taskDefinition, launchType: failure.launchType, platformVersion: failure.platformVersion, region})
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the audit took longer than ${timeoutMs / 1000} s`)), timeoutMs)
    })
    try {
      const report = await Promise.race([api.auditNetwork(await clients(), {region, network: {subnetIds: subnets, securityGroupIds: failure.network?.securityGroups ?? []}, needs}), timeout])
      const reasons = [failure.stoppedReason, ...(failure.task.containers ?? []).map((c) => c.reason ?? '')].filter(Boolean).join('\n')
      const explaining = api.findingsExplaining(reasons, report.findings)
      if (explaining.length === 0) {
        return [`The VPC endpoint audit of ${report.vpcId} (subnets ${subnets.join(', ')}) found nothing that explains it; \`ecsops check-endpoints\` shows the full audit.`]
      }
      return [`The VPC endpoint audit of ${report.vpcId} (subnets ${subnets.join(', ')}) points at:`, ...api.renderFindingLines(explaining).map((line) => `  ${line}`)]
    } finally {
      clearTimeout(timer)
    }
  }
}
