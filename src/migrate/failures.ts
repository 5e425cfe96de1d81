/**
 * Pure: what a RunTask `failures[].reason` means and what to do, per the ECS developer guide's
 * "Amazon ECS API failure reasons" page (RESOURCE:*, AGENT, ATTRIBUTE, LOCATION, MISSING …).
 * Each reason has its own cause: "add capacity" fits RESOURCE:CPU/MEMORY only.
 */
export function runTaskFailureHint(reason: string | null | undefined): string | undefined {
  const r = (reason ?? '').toUpperCase()
  if (r.startsWith('RESOURCE:CPU') || r.startsWith('RESOURCE:MEMORY')) {
    return `${reason}: no container instance has the CPU or memory the task asks for: add capacity (a larger instance type or more instances in the capacity provider's Auto Scaling group), or lower --cpu/--memory.`
  }
  if (r.startsWith('RESOURCE:PORTS')) {
    return `${reason}: a host port the task definition maps statically (hostPort) is already taken on every instance, typically by the service's own tasks: use dynamic host ports (hostPort 0) or the awsvpc network mode, or add an instance.`
  }
  if (r.startsWith('RESOURCE:ENI')) {
    return `${reason}: no instance can attach another network interface for an awsvpc task (its ENI limit is reached): enable ENI trunking (awsvpcTrunking), use a larger instance type, or run fewer tasks per instance.`
  }
  if (r.startsWith('RESOURCE:GPU')) return `${reason}: no instance has the GPUs the task asks for.`
  if (r.startsWith('AGENT')) return `${reason}: the container agent of the chosen instance is disconnected: check the ECS agent on it (its log, and that it reaches the ECS endpoints).`
  if (r.startsWith('ATTRIBUTE')) return `${reason}: no instance has an attribute the task definition requires (requiresAttributes, e.g. an agent capability or platform feature) or its placement constraints name: check the instances' attributes (aws ecs list-attributes).`
  if (r.startsWith('LOCATION')) return `${reason}: the capacity is not in the Availability Zones of the task's subnets.`
  if (r === 'MISSING') return `${reason}: the cluster or a container instance was not found.`
  return undefined
}
