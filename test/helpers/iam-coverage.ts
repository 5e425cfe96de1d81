import type {AwsClientStub} from 'aws-sdk-client-mock'
import {afterEach, expect, it} from 'vitest'

import type {IamDeclaration} from '../../src/iam/declaration.js'
import {declares} from '../../src/iam/policy.js'

/** One request a command sent: `ecs:RunTask` and its input. */
export interface SentRequest {
  action: string
  input: any
}

/**
 * What AWS also authorizes when a request is made, beyond the action the request names: the
 * permissions the caller needs that no SDK command of ecsops shows. Each rule follows an AWS page.
 */
export const IMPLIED_ACTIONS: Record<string, (input: any) => string[]> = {
  // ECS developer guide, "Grant permission to tag resources on creation": RunTask with tags is
  // also authorized as ecs:TagResource ("if tags are specified in the resource-creating action,
  // AWS performs additional authorization"). RunTask passes the task definition's (or the
  // overrides') task and execution roles: iam:PassRole ("Amazon ECS task execution IAM role",
  // "Task IAM role": the user needs iam:PassRole to run a task with a role).
  'ecs:RunTask': (input) => [...((input?.tags ?? []).length > 0 ? ['ecs:TagResource'] : []), 'iam:PassRole'],
  // ECS developer guide, "Monitor Amazon ECS containers with ECS Exec", encryption with your own
  // KMS key: the caller's session-manager-plugin needs kms:GenerateDataKey on the cluster's exec
  // key (amazon-ecs-exec-checker checks it on the caller). ecsops cannot tell from the request
  // whether the cluster sets one, so every ExecuteCommand may need it.
  'ecs:ExecuteCommand': () => ['kms:GenerateDataKey'],
}

/** Every action the requests need: the ones they name and the ones AWS also authorizes. */
export function actionsNeededBy(requests: SentRequest[]): string[] {
  const needed = new Set<string>()
  for (const {action, input} of requests) {
    needed.add(action)
    for (const implied of IMPLIED_ACTIONS[action]?.(input) ?? []) needed.add(implied)
  }
  return [...needed].sort()
}

/** The needed actions `ecsops iam-policy <command>` would not grant. */
export function undeclaredActions(declaration: IamDeclaration, requests: SentRequest[]): string[] {
  return actionsNeededBy(requests).filter((action) => !declares(declaration, action))
}

/** The requests an aws-sdk-client-mock stub received, as `prefix:Action` and input. */
export function requestsOf(mocks: Record<string, AwsClientStub<any>>): SentRequest[] {
  return Object.entries(mocks).flatMap(([prefix, mock]) =>
    mock.calls().map((call) => {
      const command = call.args[0] as {constructor: {name: string}; input: unknown}
      return {action: `${prefix}:${command.constructor.name.replace(/Command$/, '')}`, input: command.input}
    }),
  )
}

/**
 * Call once at the END of a test file (after its describes): records every SDK command the
 * file's mocked clients received and adds a last test asserting that `ecsops iam-policy <command>`
 * grants each one and everything AWS authorizes with it (IMPLIED_ACTIONS: the tags of a RunTask,
 * the roles it passes, the KMS key of an exec session). `mocks` is keyed by IAM prefix:
 * {ecs: ecsMock, logs: logsMock}.
 */
export function itSendsOnlyDeclaredActions(declaration: IamDeclaration, mocks: Record<string, AwsClientStub<any>>): void {
  const seen = new Map<string, SentRequest>()
  const record = () => {
    // One request per action and distinct input is enough to know what they need.
    for (const request of requestsOf(mocks)) seen.set(`${request.action} ${JSON.stringify(request.input)}`, request)
  }
  afterEach(record)
  it(`sends only AWS actions declared for \`ecsops iam-policy ${declaration.command}\`, and declares what AWS authorizes with them`, () => {
    record()
    expect(seen.size, 'the tests of this file made no AWS call at all').toBeGreaterThan(0)
    expect(undeclaredActions(declaration, [...seen.values()])).toEqual([])
  })
}
