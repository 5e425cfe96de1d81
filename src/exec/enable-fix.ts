/**
 * How to get ECS Exec on a task that was started without it. enableExecuteCommand is a parameter
 * of RunTask, StartTask, CreateService and UpdateService (ECS API reference), not of a running
 * task; for a service, the ECS Exec page of the ECS developer guide turns it on with
 * `update-service --enable-execute-command --force-new-deployment`, so that new tasks get it.
 * A service's task: that command. A task started alone (RunTask; its `group` is `family:…`): a new
 * task with it on. Pure.
 */
export function enableExecFix(group: string | undefined, cluster: string): string {
  const service = group?.startsWith('service:') ? group.slice('service:'.length) : undefined
  if (service) return `Enable it for the service and replace its tasks: \`aws ecs update-service --cluster ${cluster} --service ${service} --enable-execute-command --force-new-deployment\` (a running task cannot be switched).`
  return `The task belongs to no service: start a new one with it on (\`aws ecs run-task --cluster ${cluster} … --enable-execute-command\`, or \`ecsops migrate\`, whose tasks copy the service's setting); a running task cannot be switched.`
}
