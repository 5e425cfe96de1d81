import {describe, expect, it} from 'vitest'

import type {IamDeclaration} from '../../src/iam/declaration.js'
import {DECLARATIONS} from '../../src/iam/declarations.js'
import {execIam} from '../../src/exec/iam.js'
import {buildRunTaskRequest, parseTags} from '../../src/migrate/request.js'
import {migrateIam} from '../../src/migrate/iam.js'
import {actionsNeededBy, IMPLIED_ACTIONS, undeclaredActions, type SentRequest} from '../helpers/iam-coverage.js'

/**
 * "What the feature needs ⊆ what `ecsops iam-policy` declares": not only the SDK commands ecsops
 * sends, but what AWS authorizes with them. Each case builds the request the feature really
 * sends, and would fail if the needed action were dropped from the declaration.
 */

const without = (declaration: IamDeclaration, action: string): IamDeclaration => ({...declaration, actions: declaration.actions.filter((a) => a.action !== action)})

const migrateWithTags: SentRequest = {
  action: 'ecs:RunTask',
  input: buildRunTaskRequest({
    cluster: 'app',
    taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:42',
    networkMode: 'bridge',
    container: 'php',
    command: ['php', 'artisan', 'migrate', '--force'],
    overrides: {environment: {}, startedBy: 'ecsops', tags: parseTags(['team=payments', 'ticket=OPS-1'])},
  }),
}
const migrateWithoutTags: SentRequest = {...migrateWithTags, input: {...migrateWithTags.input, tags: undefined}}
const execSession: SentRequest = {action: 'ecs:ExecuteCommand', input: {cluster: 'prod', task: 'abc', container: 'app', command: 'bash', interactive: true}}

describe('migrate', () => {
  it('--tag: RunTask with tags needs ecs:TagResource, and migrate declares it', () => {
    expect(migrateWithTags.input.tags).toEqual([{key: 'team', value: 'payments'}, {key: 'ticket', value: 'OPS-1'}])
    expect(actionsNeededBy([migrateWithTags])).toEqual(['ecs:RunTask', 'ecs:TagResource', 'iam:PassRole'])
    expect(undeclaredActions(migrateIam, [migrateWithTags])).toEqual([])
    expect(undeclaredActions(without(migrateIam, 'ecs:TagResource'), [migrateWithTags])).toEqual(['ecs:TagResource'])
  })

  it('without tags, RunTask needs no ecs:TagResource (but still passes the task roles)', () => {
    expect(actionsNeededBy([migrateWithoutTags])).toEqual(['ecs:RunTask', 'iam:PassRole'])
    expect(undeclaredActions(without(migrateIam, 'iam:PassRole'), [migrateWithoutTags])).toEqual(['iam:PassRole'])
  })
})

describe('exec', () => {
  it('a session on a cluster with an exec KMS key needs kms:GenerateDataKey, and exec declares it', () => {
    expect(actionsNeededBy([execSession])).toEqual(['ecs:ExecuteCommand', 'kms:GenerateDataKey'])
    expect(undeclaredActions(execIam, [execSession])).toEqual([])
    expect(undeclaredActions(without(execIam, 'kms:GenerateDataKey'), [execSession])).toEqual(['kms:GenerateDataKey'])
  })
})

describe('every command', () => {
  it('declares what AWS authorizes with each action it declares', () => {
    // The richest input each rule knows: a RunTask with tags.
    const richest: Record<string, unknown> = {'ecs:RunTask': {tags: [{key: 'k', value: 'v'}]}}
    const gaps = DECLARATIONS.flatMap((d) =>
      d.actions
        .filter((a) => IMPLIED_ACTIONS[a.action])
        .flatMap((a) => undeclaredActions(d, [{action: a.action, input: richest[a.action] ?? {}}]).map((missing) => `${d.command}: ${a.action} needs ${missing}`)),
    )
    expect(gaps).toEqual([])
  })
})
