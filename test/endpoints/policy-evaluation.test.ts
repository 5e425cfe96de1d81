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

/**
 * The AWS-owned layer bucket (prod-<region>-starport-layer-bucket): a condition made only of the
 * caller's or the resource's account or organization (aws:PrincipalAccount, aws:PrincipalOrgID,
 * aws:ResourceAccount, aws:ResourceOrgID) compared with the customer's values never holds for it
 * with a positive String operator, always holds with a negated one (aws-samples
 * data-perimeter-policy-examples, S3 endpoint policy; ECR user guide, "Create the Amazon S3
 * gateway endpoint"). Anything else in the condition cannot be evaluated from here.
 */
describe('conditions on the account or organization, for the AWS-owned layer bucket', () => {
  const ORG = {'aws:PrincipalOrgID': 'o-abc123'}
  const onLayers = (Condition: object, Effect = 'Allow') => evaluatePolicy(doc(...(Effect === 'Deny' ? [allow()] : []), allow({Effect, Action: 's3:GetObject', Condition})), S3)

  it.each(['StringEquals', 'StringLike', 'StringEqualsIgnoreCase', 'StringEqualsIfExists', 'ForAnyValue:StringEquals', 'ForAllValues:StringLike'])('an Allow with %s on the organization never holds: blocked, and why', (operator) => {
    const condition = {[operator]: ORG}
    expect(onLayers(condition).blocked).toEqual([{action: 's3:GetObject', why: `not allowed by any statement (statement 1 does not apply: its Condition ${JSON.stringify(condition)} never holds for the AWS-owned layer bucket)`}])
  })

  it.each(['StringNotEquals', 'StringNotLike', 'StringNotEqualsIfExists', 'ForAnyValue:StringNotEquals'])('a Deny with %s on the organization always holds: blocked by it', (operator) => {
    expect(onLayers({[operator]: ORG}, 'Deny')).toMatchObject({blocked: [{action: 's3:GetObject', why: 'denied by statement 2'}], unknown: []})
  })

  it('a Deny with a positive operator on the account never holds: it does not block the layers', () => {
    expect(onLayers({StringEquals: {'aws:ResourceAccount': '123456789012'}}, 'Deny')).toEqual({blocked: [], unknown: []})
  })

  it('negated and positive blocks together: the positive one never holds, so the Allow does not apply', () => {
    expect(onLayers({StringNotEquals: {'aws:PrincipalAccount': '123456789012'}, StringEquals: {'aws:ResourceOrgID': 'o-abc123'}}).blocked.map((b) => b.action)).toEqual(['s3:GetObject'])
  })

  it.each([
    ['another key beside the account', {StringEquals: {'aws:PrincipalAccount': '123456789012', 'aws:SourceVpc': 'vpc-1'}}],
    ['another operator block beside it', {StringEquals: ORG, Bool: {'aws:SecureTransport': 'true'}}],
    ['a Null test on the organization', {Null: {'aws:PrincipalOrgID': 'false'}}],
    ['an empty operator block', {StringEquals: {}}],
    ['an operator block that is null', {StringEquals: null}],
    ['an operator block that is a string', {StringEquals: 'o-abc123'}],
  ])('%s cannot be evaluated: unknown, not blocked', (_label, Condition) => {
    expect(verdict(doc(allow({Action: 's3:GetObject', Condition})), S3)).toEqual({blocked: [], unknown: ['s3:GetObject']})
  })

  it('the same condition on an object that is not in the layer bucket cannot be evaluated', () => {
    expect(verdict(doc(allow({Action: 's3:GetObject', Condition: {StringEquals: ORG}})), {actions: ['s3:GetObject'], resource: 'arn:aws:s3:::my-app-config/env'})).toEqual({blocked: [], unknown: ['s3:GetObject']})
  })
})

describe('matching case', () => {
  it('NotAction matches action names case-insensitively', () => {
    expect(verdict(doc(allow({Action: undefined, NotAction: 'LOGS:*'})))).toEqual({blocked: ['logs:CreateLogStream', 'logs:PutLogEvents'], unknown: []})
  })

  it('NotResource matches ARNs case-sensitively: another case is not excluded', () => {
    expect(verdict(doc(allow({Resource: undefined, NotResource: 'arn:aws:s3:::PROD-eu-west-1-starport-layer-bucket/*'})), S3)).toEqual(ALLOWED)
  })
})
