import {describe, expect, it} from 'vitest'

import {configProblems, keyPath, knownKeysAt} from '../../src/config/problems.js'
import {configFileSchema} from '../../src/config/schema.js'

describe('knownKeysAt: the keys the schema allows at a path', () => {
  it('at the top level, in an environment, in migrate and exec', () => {
    expect(knownKeysAt(configFileSchema, [])).toEqual(['profile', 'region', 'cluster', 'service', 'container', 'migrate', 'exec', '$schema', 'environments'])
    expect(knownKeysAt(configFileSchema, ['environments', 'prd'])).toEqual(['profile', 'region', 'cluster', 'service', 'container', 'migrate', 'exec'])
    expect(knownKeysAt(configFileSchema, ['environments', 'prd', 'migrate'])).toEqual(['command', 'envVars', 'timeout', 'container', 'preflight'])
    expect(knownKeysAt(configFileSchema, ['exec'])).toEqual(['container', 'command'])
  })

  it('none where the path leads to no object', () => {
    expect(knownKeysAt(configFileSchema, ['cluster'])).toEqual([])
    expect(knownKeysAt(configFileSchema, ['migrate', 'envVars'])).toEqual([])
  })
})

describe('configProblems', () => {
  it('one problem per unknown key, each with the nearest known key', () => {
    const issues = configFileSchema.safeParse({serivce: 'a', clustr: 'b', environments: {prd: {migrate: {timout: '1m'}}}}).error!.issues
    expect(configProblems(issues, configFileSchema).map((p) => `${keyPath(p.path)}: ${p.message}`).sort()).toEqual([
      'clustr: unknown key; did you mean "cluster"?',
      'environments.prd.migrate.timout: unknown key; did you mean "timeout"?',
      'serivce: unknown key; did you mean "service"?',
    ])
  })

  it('the file itself is (top level)', () => {
    expect(keyPath([])).toBe('(top level)')
    expect(configProblems(configFileSchema.safeParse([]).error!.issues, configFileSchema)).toEqual([{path: [], message: expect.stringMatching(/expected object/)}])
  })
})
