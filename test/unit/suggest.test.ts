import {describe, expect, it} from 'vitest'

import {closestMatch, flagSpellings, unknownFlagsMessage} from '../../src/suggest.js'

const COMMANDS = ['config', 'migrate', 'preflight', 'check-endpoints', 'iam-policy', 'exec', 'exec check', 'exec port-forward', 'autocomplete']

describe('closestMatch', () => {
  it.each([
    ['mirgate', 'migrate'],
    ['migrat', 'migrate'],
    ['confgi', 'config'],
    ['exec chek', 'exec check'],
    ['prefligth', 'preflight'],
    ['check-endpoint', 'check-endpoints'],
    ['mig', 'migrate'],
  ])('%s → %s', (typed, meant) => {
    expect(closestMatch(typed, COMMANDS)).toBe(meant)
  })

  it.each(['foo', 'deploy', 'x', ''])('suggests nothing for %j', (typed) => {
    expect(closestMatch(typed, COMMANDS)).toBeUndefined()
  })

  it('does not suggest the word itself, nor a prefix shared by several', () => {
    expect(closestMatch('config', ['config'])).toBeUndefined()
    expect(closestMatch('ex', ['exec', 'exec check'])).toBeUndefined()
  })
})

const FLAGS = {
  cluster: {},
  service: {aliases: ['svc']},
  identity: {allowNo: true},
  json: {},
  secret: {hidden: true},
  debug: {char: 'd'},
}

describe('unknown flags', () => {
  it('lists every spelling a user may type, hidden flags excepted', () => {
    expect(flagSpellings(FLAGS)).toEqual(['--cluster', '--service', '--svc', '--identity', '--no-identity', '--json', '--debug', '-d'])
  })

  it('names the nearest flag, without the value typed with =', () => {
    expect(unknownFlagsMessage(['--clustr'], FLAGS).message).toBe('Unknown flag --clustr. Did you mean --cluster?')
    expect(unknownFlagsMessage(['--clustr=prd'], FLAGS).message).toBe('Unknown flag --clustr. Did you mean --cluster?')
    expect(unknownFlagsMessage(['--no-identiy'], FLAGS).message).toBe('Unknown flag --no-identiy. Did you mean --no-identity?')
  })

  it('says the flag alone when nothing is close', () => {
    expect(unknownFlagsMessage(['--bogus'], FLAGS).message).toBe('Unknown flag --bogus.')
    expect(unknownFlagsMessage(['-x'], FLAGS).message).toBe('Unknown flag -x.')
  })

  it('names each of several', () => {
    expect(unknownFlagsMessage(['--clustr', '--zzz', '--servce'], FLAGS).message).toBe('Unknown flags: --clustr (did you mean --cluster?), --zzz, --servce (did you mean --service?).')
  })
})
