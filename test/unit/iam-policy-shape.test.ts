import {describe, expect, it} from 'vitest'

import {execIam, execCheckIam} from '../../src/exec/iam.js'
import {checkEndpointsIam} from '../../src/endpoints/iam.js'
import {configIam} from '../../src/iam/declarations.js'
import {migrateIam} from '../../src/migrate/iam.js'
import {policyFor} from '../../src/iam/policy.js'

/**
 * The document `ecsops iam-policy` prints is pasted into IAM as is: every statement is pinned.
 * (IAM JSON policy reference: Version 2012-10-17, Sid alphanumeric, Effect, Action, Resource,
 * Condition; iam:PassedToService limits iam:PassRole to the service the role is passed to.)
 */
describe('policyFor', () => {
  it('one command: one statement named after it, Allow on *, and no PassRole statement when it passes no role', () => {
    expect(policyFor([configIam])).toEqual({Version: '2012-10-17', Statement: [{Sid: 'EcsopsConfig', Effect: 'Allow', Action: ['sts:GetCallerIdentity'], Resource: '*'}]})
    const exec = policyFor([execIam])
    expect(exec.Statement).toHaveLength(1)
    expect(exec.Statement[0]).toEqual({Sid: 'EcsopsExec', Effect: 'Allow', Action: [...new Set(execIam.actions.map((a) => a.action))].sort(), Resource: '*'})
  })

  it('names statements after the command words, capitalised and joined', () => {
    expect(policyFor([execCheckIam]).Statement[0]!.Sid).toBe('EcsopsExecCheck')
    expect(policyFor([checkEndpointsIam]).Statement[0]!.Sid).toBe('EcsopsCheckEndpoints')
    expect(policyFor([migrateIam]).Statement.map((s) => s.Sid)).toEqual(['EcsopsMigrate', 'EcsopsMigratePassTaskRoles'])
  })

  it('several commands: one statement named All, PassRole apart, each Sid alphanumeric as IAM requires', () => {
    const all = policyFor([migrateIam, execIam, configIam])
    expect(all.Statement.map((s) => s.Sid)).toEqual(['EcsopsAll', 'EcsopsAllPassTaskRoles'])
    for (const s of all.Statement) expect(s.Sid).toMatch(/^[A-Za-z0-9]+$/)
    expect(all.Statement[0]!.Action).not.toContain('iam:PassRole')
    expect(all.Statement[0]!.Action).toEqual(expect.arrayContaining(['ecs:RunTask', 'ecs:ExecuteCommand', 'sts:GetCallerIdentity']))
  })
})
