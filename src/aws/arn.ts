/**
 * ECS names from ARNs, shared by every command. Task ARNs come in two formats:
 * `arn:aws:ecs:<region>:<account>:task/<cluster>/<id>` (the default since 2021) and the old
 * `arn:aws:ecs:<region>:<account>:task/<id>`; service ARNs likewise. A bare name or id passes
 * through unchanged. The cluster name is taken from a cluster ARN, or from a new-format task ARN.
 */

/** `arn:aws:ecs:r:1:cluster/prod` → `prod`; a name passes through. */
export function clusterNameOf(clusterArnOrName: string): string {
  return /^arn:[^:]+:ecs:[^:]*:[^:]*:cluster\/(.+)$/.exec(clusterArnOrName)?.[1] ?? clusterArnOrName
}

/** `arn:…:task/prod/abc`, `arn:…:task/abc` or `abc` → `abc`. */
export function taskIdOf(taskArnOrId: string): string {
  return taskArnOrId.slice(taskArnOrId.lastIndexOf('/') + 1)
}

/** `arn:…:service/prod/web`, `arn:…:service/web` or `web` → `web`. */
export function serviceNameOf(serviceArnOrName: string): string {
  return serviceArnOrName.slice(serviceArnOrName.lastIndexOf('/') + 1)
}

/** The cluster named in a new-format task ARN (`task/<cluster>/<id>`); undefined for an id or an old-format ARN. */
export function clusterOfTaskArn(taskArn: string): string | undefined {
  return /^arn:[^:]+:ecs:[^:]*:[^:]*:task\/([^/]+)\/[^/]+$/.exec(taskArn)?.[1]
}
