import {describe, expect, it} from 'vitest'

import {evaluatePolicy} from '../../src/endpoints/policy.js'

/**
 * The endpoint policy reader, statement element by statement element, against the IAM policy
 * grammar and evaluation logic (IAM User Guide, "IAM JSON policy elements": Action/NotAction,
 * Resource/NotResource, Principal/NotPrincipal, Condition; "Policy evaluation logic": an explicit
 * Deny wins, no Allow is an implicit deny). Action names match case-insensitively, resource ARNs
 * case-sensitively, `*` and `?` are the only wildcards.
 */

const LOGS = {actions: ['logs:CreateLogStream', 'logs:PutLogEvents']}
const ECR = {actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']}
const LAYERS = 'arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*'
const S3 = {actions: ['s3:GetObject'], resource: LAYERS}
const doc = (...Statement: object[]) => JSON.stringify({Version: '2012-10-17', Statement})
const allow = (extra: object = {}) => ({Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', ...extra})
const verdict = (policy: string, needs: {actions: string[]; resource?: string} = LOGS) => {
  const v = evaluatePolicy(policy, needs)
  return {blocked: v.blocked.map((b) => b.action), unknown: v.unknown.map((u) => u.action)}
}
const ALLOWED = {blocked: [], unknown: []}

describe('Action and NotAction', () => {
  it('wildcards * and ?, any one of several patterns, case-insensitive', () => {
    expect(verdict(doc(allow({Action: 'logs:Put*'})))).toEqual({blocked: ['logs:CreateLogStream'], unknown: []})
    expect(verdict(doc(allow({Action: ['ecr:*', 'LOGS:createlogstream', 'logs:PutLogEvent?']})))).toEqual(ALLOWED)
  })

  it('NotAction covers every action but the listed ones: one match is enough to exclude', () => {
    expect(verdict(doc(allow({Action: undefined, NotAction: ['ecr:*', 's3:*']})), ECR)).toEqual({blocked: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], unknown: []})
    expect(verdict(doc(allow({Action: undefined, NotAction: ['ecr:*', 's3:*']})))).toEqual(ALLOWED)
  })

  it('a statement with neither Action nor NotAction covers nothing (a Deny without Action denies nothing)', () => {
    expect(verdict(doc(allow(), {Effect: 'Deny', Principal: '*', Resource: '*'}))).toEqual(ALLOWED)
  })

  it('. and other characters are literal, not regular expressions', () => {
    expect(verdict(doc(allow({Action: 'logs.CreateLogStream'})), {actions: ['logs:CreateLogStream']})).toEqual({blocked: ['logs:CreateLogStream'], unknown: []})
    expect(verdict(doc(allow({Action: 'logs:(Create|Put)*'})), {actions: ['logs:CreateLogStream']})).toEqual({blocked: ['logs:CreateLogStream'], unknown: []})
  })
})

describe('Resource and NotResource', () => {
  it('a known resource: one matching pattern is enough; ARNs match case-sensitively and literally', () => {
    expect(verdict(doc(allow({Resource: ['arn:aws:s3:::my-app/*', LAYERS]})), S3)).toEqual(ALLOWED)
    expect(verdict(doc(allow({Resource: 'arn:aws:s3:::PROD-eu-west-1-starport-layer-bucket/*'})), S3)).toEqual({blocked: ['s3:GetObject'], unknown: []})
    expect(verdict(doc(allow({Resource: 'arn:aws:s3:::prod-eu-west-1-starport-layer.bucket/*'})), {actions: ['s3:GetObject'], resource: 'arn:aws:s3:::prod-eu-west-1-starport-layerXbucket/x'})).toEqual({
      blocked: ['s3:GetObject'],
      unknown: [],
    })
  })

  it('a known resource and NotResource: excluded when any pattern matches, covered otherwise; no Resource at all covers it', () => {
    expect(verdict(doc(allow({Resource: undefined, NotResource: ['arn:aws:s3:::secrets/*', LAYERS]})), S3)).toEqual({blocked: ['s3:GetObject'], unknown: []})
    expect(verdict(doc(allow({Resource: undefined, NotResource: 'arn:aws:s3:::secrets/*'})), S3)).toEqual(ALLOWED)
    expect(verdict(doc(allow({Resource: undefined})), S3)).toEqual(ALLOWED)
  })

  it('an unknown resource: only * surely covers it; a narrower Resource or a NotResource may or may not, and says which', () => {
    expect(evaluatePolicy(doc(allow({Resource: ['arn:aws:logs:*:*:log-group:/ecs/*', 'arn:aws:logs:*:*:log-group:/aws/*']})), LOGS).unknown).toEqual([
      {action: 'logs:CreateLogStream', why: 'only Allow statement 1 may apply: it is limited to Resource arn:aws:logs:*:*:log-group:/ecs/*, arn:aws:logs:*:*:log-group:/aws/*'},
      {action: 'logs:PutLogEvents', why: 'only Allow statement 1 may apply: it is limited to Resource arn:aws:logs:*:*:log-group:/ecs/*, arn:aws:logs:*:*:log-group:/aws/*'},
    ])
    expect(evaluatePolicy(doc(allow({Sid: 'NotSecrets', Resource: undefined, NotResource: ['arn:aws:logs:*:*:log-group:/secret/*', 'arn:aws:logs:*:*:log-group:/audit/*']})), {actions: ['logs:PutLogEvents']}).unknown).toEqual([
      {action: 'logs:PutLogEvents', why: 'only Allow statement "NotSecrets" may apply: it excludes NotResource arn:aws:logs:*:*:log-group:/secret/*, arn:aws:logs:*:*:log-group:/audit/*'},
    ])
    expect(verdict(doc(allow({Resource: ['arn:aws:logs:*:*:log-group:/ecs/*', '*']})))).toEqual(ALLOWED)
    expect(verdict(doc(allow({Resource: undefined})))).toEqual(ALLOWED)
  })
})

describe('Principal and NotPrincipal', () => {
  it.each([
    ['missing', undefined],
    ['"*"', '*'],
    ['{"AWS": "*"}', {AWS: '*'}],
    ['{"AWS": ["*"]}', {AWS: ['*']}],
  ])('%s is everyone', (_label, Principal) => {
    expect(verdict(doc(allow({Principal})))).toEqual(ALLOWED)
  })

  it.each([
    ['an account', 'arn:aws:iam::123456789012:root', '"arn:aws:iam::123456789012:root"'],
    ['a list with * and a role', {AWS: ['*', 'arn:aws:iam::123456789012:role/app']}, '{"AWS":["*","arn:aws:iam::123456789012:role/app"]}'],
    ['an empty map', {}, '{}'],
    ['null', null, 'null'],
  ])('%s is not everyone: the Allow may not apply to the task\'s role', (_label, Principal, shown) => {
    expect(evaluatePolicy(doc(allow({Principal})), {actions: ['logs:PutLogEvents']}).unknown).toEqual([
      {action: 'logs:PutLogEvents', why: `only Allow statement 1 may apply: its Principal is ${shown} (is the task's role one of them?)`},
    ])
  })

  it('a NotPrincipal makes a Deny uncertain', () => {
    const v = evaluatePolicy(doc(allow(), {Sid: 'OnlyUs', Effect: 'Deny', NotPrincipal: {AWS: 'arn:aws:iam::123456789012:root'}, Action: '*', Resource: '*'}), {actions: ['logs:PutLogEvents']})
    expect(v).toEqual({blocked: [], unknown: [{action: 'logs:PutLogEvents', why: 'Deny statement "OnlyUs" may apply: it has a NotPrincipal'}]})
  })
})

describe('Condition', () => {
  it('an empty or null Condition is no condition', () => {
    expect(verdict(doc(allow({Condition: {}})))).toEqual(ALLOWED)
    expect(verdict(doc(allow({Condition: null})))).toEqual(ALLOWED)
    expect(verdict(doc(allow(), {Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: {}}))).toEqual({blocked: ['logs:CreateLogStream', 'logs:PutLogEvents'], unknown: []})
  })

  it('any other Condition cannot be evaluated: the doubts of a statement are all said, in order', () => {
    const condition = {StringEquals: {'aws:PrincipalOrgID': 'o-abc'}}
    expect(evaluatePolicy(doc(allow({Principal: {AWS: 'arn:aws:iam::1:root'}, Resource: 'arn:aws:logs:*:*:log-group:/ecs/*', Condition: condition})), {actions: ['logs:PutLogEvents']}).unknown).toEqual([
      {
        action: 'logs:PutLogEvents',
        why: 'only Allow statement 1 may apply: it is limited to Resource arn:aws:logs:*:*:log-group:/ecs/*; its Principal is {"AWS":"arn:aws:iam::1:root"} (is the task\'s role one of them?); its Condition {"StringEquals":{"aws:PrincipalOrgID":"o-abc"}} cannot be evaluated from here',
      },
    ])
  })
})

describe('evaluation: Deny wins, no Allow is a deny', () => {
  it('a Deny that surely applies blocks even with an Allow; the fix drops it and adds the Allow ECS needs', () => {
    const v = evaluatePolicy(JSON.stringify({Version: '2008-10-17', Statement: [allow(), {Sid: 'NoLogs', Effect: 'Deny', Principal: '*', Action: 'logs:*', Resource: '*'}]}), LOGS)
    expect(v.blocked).toEqual([
      {action: 'logs:CreateLogStream', why: 'denied by statement "NoLogs"'},
      {action: 'logs:PutLogEvents', why: 'denied by statement "NoLogs"'},
    ])
    expect(JSON.parse(v.fixedPolicy!)).toEqual({Version: '2008-10-17', Statement: [allow(), {Sid: 'AllowEcsTasks', Effect: 'Allow', Principal: '*', Action: LOGS.actions, Resource: '*'}]})
  })

  it('a document without Version gets 2012-10-17 in the fix; the needed resource goes into the added Allow', () => {
    const v = evaluatePolicy(JSON.stringify({Statement: [allow({Resource: 'arn:aws:s3:::my-app/*'})]}), S3)
    expect(JSON.parse(v.fixedPolicy!)).toEqual({Version: '2012-10-17', Statement: [allow({Resource: 'arn:aws:s3:::my-app/*'}), {Sid: 'AllowEcsTasks', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'], Resource: LAYERS}]})
  })

  it('a Deny that may apply, with nothing surely denying: unknown, labelled by position without a Sid', () => {
    const v = evaluatePolicy(doc(allow(), {Effect: 'Deny', Principal: '*', Action: 'logs:*', Resource: '*', Condition: {Bool: {'aws:SecureTransport': 'false'}}}), {actions: ['logs:PutLogEvents']})
    expect(v).toEqual({blocked: [], unknown: [{action: 'logs:PutLogEvents', why: 'Deny statement 2 may apply: its Condition {"Bool":{"aws:SecureTransport":"false"}} cannot be evaluated from here'}]})
  })

  it('only a Deny, even an uncertain one: nothing allows, blocked', () => {
    const v = evaluatePolicy(doc({Effect: 'Deny', Principal: '*', Action: 'logs:*', Resource: '*', Condition: {Bool: {'aws:SecureTransport': 'false'}}}), {actions: ['logs:PutLogEvents']})
    expect(v.blocked).toEqual([{action: 'logs:PutLogEvents', why: 'not allowed by any statement'}])
    expect(v.unknown).toEqual([])
  })

  it('an Effect other than Allow or Deny counts as neither', () => {
    expect(verdict(doc({...allow(), Effect: 'allow'}), {actions: ['logs:PutLogEvents']})).toEqual({blocked: ['logs:PutLogEvents'], unknown: []})
  })

  it('a sure Allow beside an uncertain one: allowed', () => {
    expect(verdict(doc(allow({Condition: {StringEquals: {'aws:SourceVpc': 'vpc-1'}}}), allow()))).toEqual(ALLOWED)
  })

  it('nothing blocked: no fix is proposed', () => {
    expect(evaluatePolicy(doc(allow()), LOGS)).toEqual({blocked: [], unknown: []})
  })
})

describe('documents', () => {
  it('one statement as an object, not a list', () => {
    expect(verdict(JSON.stringify({Statement: allow()}))).toEqual(ALLOWED)
  })

  it('no Statement at all allows nothing', () => {
    expect(evaluatePolicy(JSON.stringify({Version: '2012-10-17'}), {actions: ['logs:PutLogEvents']}).blocked).toEqual([{action: 'logs:PutLogEvents', why: 'not allowed by any statement'}])
  })

  it('not JSON: every action unknown, with why, and no fix', () => {
    expect(evaluatePolicy('{"Statement": [', LOGS)).toEqual({
      blocked: [],
      unknown: [
        {action: 'logs:CreateLogStream', why: 'the endpoint policy is not valid JSON'},
        {action: 'logs:PutLogEvents', why: 'the endpoint policy is not valid JSON'},
      ],
    })
  })

  it('no document, or an empty one: the default policy, full access', () => {
    expect(evaluatePolicy(undefined, LOGS)).toEqual({blocked: [], unknown: []})
    expect(evaluatePolicy('', LOGS)).toEqual({blocked: [], unknown: []})
  })
})
