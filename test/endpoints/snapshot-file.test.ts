import {mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {TaskDefinition} from '@aws-sdk/client-ecs'
import {describe, expect, it} from 'vitest'

import {checkEndpoints, type CheckClients, type GatheredAudit} from '../../src/endpoints/check.js'
import {parseSnapshot, readSnapshot, redactSecrets, snapshotDocument, writeSnapshot, type SnapshotDocument} from '../../src/endpoints/snapshot-file.js'
import {UsageError} from '../../src/errors.js'
import {EXAMPLES, privateVpcMissingSsmmessages} from './example-networks.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const GATHERED_AT = new Date('2026-11-30T09:14:07.000Z')
const refuse = (): Promise<never> => Promise.reject(new Error('offline: no AWS call'))
const noAws: CheckClients = {ecs: refuse, ec2: refuse, route53: refuse, sts: refuse}

const text = (audit: GatheredAudit) => `${JSON.stringify(snapshotDocument(audit, {gatheredAt: GATHERED_AT, version: '0.1.0'}), null, 2)}\n`
const offline = (audit: GatheredAudit) => checkEndpoints(noAws, {region: audit.region, network: audit.network, offline: audit})
const codes = (findings: Array<{service: string; status: string; severity: string; problems: Array<{code: string}>}>) => findings.map((f) => [f.service, f.status, f.severity, f.problems.map((p) => p.code).join(' ')])

describe('examples/', () => {
  it.each(Object.keys(EXAMPLES))('examples/%s.json is what snapshotDocument writes for that network', async (name) => {
    await expect(text(EXAMPLES[name as keyof typeof EXAMPLES]())).toMatchFileSnapshot(join(root, 'examples', `${name}.json`))
  })

  it.each(Object.keys(EXAMPLES))('examples/%s.json, read back, audits exactly as the network it was written from', async (name) => {
    const audit = EXAMPLES[name as keyof typeof EXAMPLES]()
    const loaded = await readSnapshot(join(root, 'examples', `${name}.json`))
    expect(loaded.gatheredAt).toBe('2026-11-30T09:14:07.000Z')
    const [fromFile, fromMemory] = await Promise.all([offline(loaded.audit), offline(audit)])
    expect(fromFile.document).toEqual(fromMemory.document)
    expect(fromFile.sections).toEqual(fromMemory.sections)
    expect(fromFile.subjects).toBe(fromMemory.subjects)
  })

  it('private-vpc-missing-ssmmessages: ssmmessages missing (error), ecr.dkr in one AZ, an unused sqs endpoint', async () => {
    const {document} = await offline((await readSnapshot(join(root, 'examples/private-vpc-missing-ssmmessages.json'))).audit)
    expect(document.ok).toBe(false)
    expect(codes(document.vpcs[0]!.findings)).toEqual([
      ['ecr.api', 'ok', 'info', ''],
      ['ecr.dkr', 'misconfigured', 'warning', 'AZ_NOT_COVERED'],
      ['s3', 'ok', 'info', ''],
      ['logs', 'ok', 'info', ''],
      ['secretsmanager', 'ok', 'info', ''],
      ['ssmmessages', 'missing', 'error', 'MISSING'],
      ['ssm', 'ok', 'info', ''],
      ['sqs', 'unused', 'info', 'UNUSED'],
    ])
  })

  it('central-hub-s3-interface-only: the hub serves ECR, logs and Secrets Manager; S3 as an interface endpoint only is an error', async () => {
    const {document} = await offline((await readSnapshot(join(root, 'examples/central-hub-s3-interface-only.json'))).audit)
    const findings = document.vpcs[0]!.findings
    expect(codes(findings)).toEqual([
      ['ecr.api', 'ok', 'info', ''],
      ['ecr.dkr', 'ok', 'info', ''],
      ['s3', 'misconfigured', 'error', 'S3_INTERFACE_ONLY'],
      ['logs', 'ok', 'info', ''],
      ['secretsmanager', 'ok', 'info', ''],
    ])
    expect(findings.filter((f) => f.provider === 'central').map((f) => f.hostedZoneId)).toEqual(['Z012345678ABCDEFGHIJK', 'Z022345678ABCDEFGHIJK', 'Z032345678ABCDEFGHIJK', 'Z042345678ABCDEFGHIJK'])
  })

  it('nat-vpc-task-failed-to-start: the secretsmanager security group explains the stopped task', async () => {
    const {document} = await offline((await readSnapshot(join(root, 'examples/nat-vpc-task-failed-to-start.json'))).audit)
    expect(document.task).toMatchObject({stopCode: 'TaskFailedToStart', explainedBy: ['secretsmanager']})
    const secrets = document.vpcs[0]!.findings.find((f) => f.service === 'secretsmanager')!
    expect([secrets.status, secrets.severity, secrets.problems.map((p) => p.code)]).toEqual(['misconfigured', 'error', ['SG_BLOCKS_443']])
    expect(document.vpcs[0]!.findings.find((f) => f.service === 's3')!.problems.map((p) => p.code)).toEqual(['ROUTE_TABLE_NOT_ASSOCIATED'])
  })
})

describe('redactSecrets', () => {
  const taskDefinition: TaskDefinition = {
    family: 'api',
    containerDefinitions: [
      {
        name: 'php',
        image: 'app:1',
        command: ['php', 'artisan', 'serve', '--token=s3cr3t-in-argv'],
        entryPoint: ['sh', '-c', 'PASSWORD=hunter2 exec "$@"'],
        environment: [{name: 'DB_PASSWORD', value: 'hunter2'}, {name: 'APP_ENV', value: 'production'}],
        secrets: [{name: 'API_KEY', valueFrom: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:api-key-AbCdEf'}],
        healthCheck: {command: ['CMD-SHELL', 'curl -H "Authorization: Bearer t0ken" localhost']},
      },
    ],
  }

  it('keeps environment names and secret valueFrom ARNs, drops values, commands and credentials, at any depth', () => {
    const input = {
      workloads: [{taskDefinition, overrides: {containerOverrides: [{name: 'php', environment: [{name: 'SEED', value: 'dummy-seed-value'}]}]}}],
      caller: {Credentials: {AccessKeyId: 'ASIAABCDEFGHIJKLMNOP', SecretAccessKey: 'wJalrXUtnFEMI/K7MDENG', SessionToken: 'FwoGZX'}},
      instance: {UserData: 'IyEvYmluL2Jhc2gKZXhwb3J0IFBBU1NXT1JEPWh1bnRlcjI='},
      note: 'signed with AKIAIOSFODNN7EXAMPLE by ops',
      env: {environment: {TOKEN: 'abc'}},
    }
    const out = redactSecrets(input)
    const written = JSON.stringify(out)
    for (const secret of ['hunter2', 'production', 's3cr3t', 't0ken', 'dummy-seed-value', 'wJalr', 'FwoGZX', 'IyEv', 'AKIAIOSFODNN7EXAMPLE', 'ASIAABCDEFGHIJKLMNOP', 'abc']) expect(written).not.toContain(secret)
    const php = out.workloads[0]!.taskDefinition.containerDefinitions![0]!
    expect(php.environment).toEqual([{name: 'DB_PASSWORD'}, {name: 'APP_ENV'}])
    expect(php.secrets).toEqual([{name: 'API_KEY', valueFrom: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:api-key-AbCdEf'}])
    expect(php.image).toBe('app:1')
    expect(php.healthCheck).toEqual({})
    expect(out.workloads[0]!.overrides.containerOverrides[0]).toEqual({name: 'php', environment: [{name: 'SEED'}]})
    expect(out.note).toBe('signed with AKIA**************** by ops')
    expect(out.env.environment).toEqual({TOKEN: ''})
    expect(input.workloads[0]!.taskDefinition.containerDefinitions![0]!.environment![0]!.value).toBe('hunter2')
  })

  it('a saved snapshot of services whose task definitions carry environment values holds none of them', () => {
    const written = text(privateVpcMissingSsmmessages())
    expect(written).not.toContain('production')
    expect(written).not.toContain('rds.amazonaws.com')
    expect(written).toContain('secret DB_PASSWORD (valueFrom arn:aws:secretsmanager:eu-west-1:210987654321:secret:shop/db-password-Q1w2E3)')
  })
})

describe('parseSnapshot: a file of another version or shape is exit 2 saying what is wrong', () => {
  const valid = (): SnapshotDocument => JSON.parse(text(privateVpcMissingSsmmessages()))
  const problem = async (document: unknown): Promise<UsageError> => {
    const error = await parseSnapshot(typeof document === 'string' ? document : JSON.stringify(document), 'net.json').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UsageError)
    expect((error as UsageError).exitCode).toBe(2)
    return error as UsageError
  }

  it.each([
    ['version 2', (d: any) => ({...d, ecsopsSnapshot: 2}), 'net.json: snapshot version 2; this ecsops reads version 1 only.'],
    ['version "1" as a string', (d: any) => ({...d, ecsopsSnapshot: '1'}), 'net.json: snapshot version "1"; this ecsops reads version 1 only.'],
    ['no version key', ({ecsopsSnapshot: _, ...d}: any) => d, 'net.json: not an ecsops snapshot (no "ecsopsSnapshot" version key at the top level).'],
    ['a JSON list', () => [], 'net.json: not an ecsops snapshot (no "ecsopsSnapshot" version key at the top level).'],
    ['an unknown top-level key', (d: any) => ({...d, services: []}), 'net.json: services: unknown key; allowed here: ecsopsSnapshot, region, gatheredAt, account, writtenBy, subjects, notes, network, task, workloads, gathered.'],
    ['no region', ({region: _, ...d}: any) => d, 'net.json: region: expected an AWS region such as "eu-west-1"'],
    ['a bad time', (d: any) => ({...d, gatheredAt: 'yesterday'}), 'net.json: gatheredAt: expected an ISO 8601 time such as "2026-11-30T09:00:00Z"'],
    ['vpcs not a list', (d: any) => ({...d, gathered: {...d.gathered, vpcs: {}}}), 'net.json: gathered.vpcs: expected a list of VPCs'],
    ['a VPC without subnets', (d: any) => ({...d, gathered: {...d.gathered, vpcs: [{...d.gathered.vpcs[0], subnets: undefined}]}}), 'net.json: gathered.vpcs[0].subnets: expected a list of objects'],
    ['a workload without needs', (d: any) => ({...d, workloads: [{...d.workloads[0], needs: undefined}, d.workloads[1]]}), 'net.json: workloads[0].needs: expected a list of needs'],
    ['one target missing', (d: any) => ({...d, gathered: {...d.gathered, targets: d.gathered.targets.slice(1)}}), 'net.json: gathered.targets: 1 targets for 2 workloads: expected one per workload'],
    ['a VPC of another region', (d: any) => ({...d, gathered: {...d.gathered, vpcs: [{...d.gathered.vpcs[0], region: 'us-east-1'}]}}), "net.json: gathered.vpcs[0].region: us-east-1 differs from the snapshot's region eu-west-1"],
  ])('%s', async (_, change, message) => {
    expect((await problem(change(valid()))).message).toBe(message)
  })

  it('not JSON at all', async () => {
    expect((await problem('{"ecsopsSnapshot": 1,')).message).toMatch(/^net\.json: not valid JSON: /)
  })

  it('keeps fields it does not know inside the records (what gather adds later flows through)', async () => {
    const document: any = valid()
    document.gathered.vpcs[0].natGateways = [{NatGatewayId: 'nat-1', ConnectivityType: 'private'}]
    document.gathered.vpcs[0].subnets[0].Ipv6Native = false
    document.workloads[0].containerInstanceSubnets = ['subnet-x']
    document.gathered.containerInstances = [{ec2InstanceId: 'i-1'}]
    const {audit} = await parseSnapshot(JSON.stringify(document), 'net.json')
    expect((audit.gathered.snapshots.get('vpc-0a1b2c3d4e5f60718') as any).natGateways).toEqual([{NatGatewayId: 'nat-1', ConnectivityType: 'private'}])
    expect(audit.gathered.snapshots.get('vpc-0a1b2c3d4e5f60718')!.subnets[0]!.Ipv6Native).toBe(false)
    expect((audit.subjects[0] as any).containerInstanceSubnets).toEqual(['subnet-x'])
    expect((audit.gathered as any).containerInstances).toEqual([{ec2InstanceId: 'i-1'}])
    // And they are written again as they came.
    expect(JSON.parse(text(audit)).gathered.containerInstances).toEqual([{ec2InstanceId: 'i-1'}])
  })
})

describe('readSnapshot / writeSnapshot', () => {
  const document = () => snapshotDocument(privateVpcMissingSsmmessages(), {gatheredAt: GATHERED_AT, version: '0.1.0'})

  it('writes the document and reads it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecsops-snapshot-'))
    await writeSnapshot(join(dir, 'net.json'), document())
    expect(readdirSync(dir)).toEqual(['net.json'])
    expect(JSON.parse(readFileSync(join(dir, 'net.json'), 'utf8'))).toEqual(document())
    const loaded = await readSnapshot(join(dir, 'net.json'))
    expect(loaded.account).toBe('210987654321')
    expect([...loaded.audit.gathered.snapshots.keys()]).toEqual(['vpc-0a1b2c3d4e5f60718'])
  })

  it('a write that fails leaves nothing behind and the previous snapshot intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ecsops-snapshot-'))
    writeFileSync(join(dir, 'net.json'), 'previous\n')
    // JSON.stringify throws on a BigInt: the failure happens after the temporary file is opened.
    const broken = {...document(), notes: [10n]} as unknown as SnapshotDocument
    const error = await writeSnapshot(join(dir, 'net.json'), broken).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UsageError)
    expect((error as UsageError).message).toMatch(/^Cannot write the snapshot .*net\.json: /)
    expect(readdirSync(dir)).toEqual(['net.json'])
    expect(readFileSync(join(dir, 'net.json'), 'utf8')).toBe('previous\n')

    mkdirSync(join(dir, 'taken'))
    const onDirectory = await writeSnapshot(join(dir, 'taken'), document()).catch((e: unknown) => e)
    expect((onDirectory as UsageError).message).toMatch(/taken: EISDIR/)
    expect(readdirSync(dir).sort()).toEqual(['net.json', 'taken'])
    expect(readdirSync(join(dir, 'taken'))).toEqual([])

    const missingDir = await writeSnapshot(join(dir, 'no/such/dir/net.json'), document()).catch((e: unknown) => e)
    expect((missingDir as UsageError).message).toContain('ENOENT (no such file or directory)')
  })

  it('an unreadable file is exit 2 naming it', async () => {
    const error = await readSnapshot('/nonexistent/net.json').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UsageError)
    expect((error as UsageError).message).toBe('Cannot read the snapshot /nonexistent/net.json: ENOENT (no such file or directory).')
  })
})
