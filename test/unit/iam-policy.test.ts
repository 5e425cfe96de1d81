import {describe, expect, it} from 'vitest'

import {DECLARATIONS} from '../../src/iam/declarations.js'
import {declares, policyFor} from '../../src/iam/policy.js'
import {migrateIam} from '../../src/migrate/iam.js'

describe('policyFor', () => {
  it('puts iam:PassRole in its own statement limited to ECS tasks', () => {
    const policy = policyFor([migrateIam])
    expect(policy.Version).toBe('2012-10-17')
    expect(policy.Statement[0].Action).not.toContain('iam:PassRole')
    expect(policy.Statement[1]).toEqual({
      Sid: 'EcsopsMigratePassTaskRoles',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: '*',
      Condition: {StringEquals: {'iam:PassedToService': 'ecs-tasks.amazonaws.com'}},
    })
  })

  it('merges and sorts the actions of several commands without duplicates', () => {
    const actions = policyFor(DECLARATIONS).Statement[0].Action
    expect(actions).toEqual([...new Set(actions)].sort())
    expect(actions).toContain('sts:GetCallerIdentity')
    expect(actions).toContain('ecs:RunTask')
  })

  it('declares each command once, with well-formed actions and a reason each', () => {
    const commands = DECLARATIONS.map((d) => d.command)
    expect(new Set(commands).size).toBe(commands.length)
    for (const d of DECLARATIONS) {
      for (const a of d.actions) {
        expect(a.action).toMatch(/^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$/)
        expect(a.why.length).toBeGreaterThan(5)
      }
    }
  })

  it('matches actions case-insensitively', () => {
    expect(declares(migrateIam, 'ecs:runtask')).toBe(true)
    expect(declares(migrateIam, 'ecs:ExecuteCommand')).toBe(false)
  })
})
