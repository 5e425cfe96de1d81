import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterEach, describe, expect, it} from 'vitest'

import {startAwsStub, type AwsStub, type StubHandlers} from '../helpers/aws-stub.js'
import {cleanEnv, runCli} from '../helpers/cli.js'

/**
 * check-endpoints --save-snapshot / --snapshot as users run them: the built bin/run.js (run
 * `npm run build` first), live against the local AWS stand-in, then offline with no AWS
 * settings at all (no endpoint, no credentials, no region).
 */

const root = fileURLToPath(new URL('../..', import.meta.url))
const REGION = 'eu-west-1'
const ACCOUNT = '123456789012'
const IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/shop:4`
/** No AWS setting at all: an offline audit must not need one. */
const offlineEnv = () => cleanEnv()

const serviceOf = (name: string) => ({
  serviceName: name,
  serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/shop/${name}`,
  status: 'ACTIVE',
  taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${name}:3`,
  launchType: 'FARGATE',
  enableExecuteCommand: name === 'web',
  networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-task'], assignPublicIp: 'DISABLED'}},
})
const taskDefinitionOf = (name: string) => ({
  taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${name}:3`,
  family: name,
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  containerDefinitions: [
    {
      name: 'app',
      image: IMAGE,
      command: ['php', 'artisan', 'queue:work', '--password=argv-secret-7'],
      environment: [{name: 'DB_PASSWORD', value: 'hunter2-in-plain-sight'}, {name: 'APP_ENV', value: 'production-env-value'}],
      secrets: [{name: 'API_KEY', valueFrom: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:shop/api-key-AbCdEf`}],
      logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': `/ecs/${name}`}},
    },
  ],
})

const xml = (action: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>stub</requestId>${body}</${action}Response>`
const subnet = (id: string, az: string, cidr: string) => `<item><subnetId>${id}</subnetId><vpcId>vpc-1</vpcId><availabilityZone>${az}</availabilityZone><cidrBlock>${cidr}</cidrBlock><ownerId>${ACCOUNT}</ownerId><tagSet><item><key>Name</key><value>shop-${id}</value></item></tagSet></item>`
const interfaceEndpoint = (service: string, subnets: string[], privateDns = true) =>
  `<item><vpcEndpointId>vpce-${service}</vpcEndpointId><vpcEndpointType>Interface</vpcEndpointType><vpcId>vpc-1</vpcId><serviceName>com.amazonaws.${REGION}.${service}</serviceName><state>available</state><privateDnsEnabled>${privateDns}</privateDnsEnabled><subnetIdSet>${subnets.map((s) => `<item>${s}</item>`).join('')}</subnetIdSet><groupSet><item><groupId>sg-vpce</groupId><groupName>vpce</groupName></item></groupSet><policyDocument>{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}</policyDocument><creationTimestamp>2026-01-05T10:00:00.000Z</creationTimestamp></item>`

function handlers(): StubHandlers {
  const task = {
    taskArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/shop/0123456789abcdef0123456789abcdef`,
    clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/shop`,
    taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/web:3`,
    group: 'service:web',
    lastStatus: 'STOPPED',
    launchType: 'FARGATE',
    stopCode: 'TaskFailedToStart',
    stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref: dial tcp 52.1.2.3:443: i/o timeout',
    attachments: [{type: 'ElasticNetworkInterface', details: [{name: 'subnetId', value: 'subnet-b'}]}],
    containers: [],
  }
  return {
    'ecs:DescribeClusters': () => ({clusters: [{clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/shop`, clusterName: 'shop', status: 'ACTIVE'}], failures: []}),
    'ecs:ListServices': () => ({serviceArns: ['web', 'worker'].map((n) => `arn:aws:ecs:${REGION}:${ACCOUNT}:service/shop/${n}`)}),
    'ecs:DescribeServices': (input) => ({services: input.services.map((s: string) => serviceOf(s.slice(s.lastIndexOf('/') + 1))), failures: []}),
    'ecs:DescribeTaskDefinition': (input) => ({taskDefinition: taskDefinitionOf(/task-definition\/([^:]+)/.exec(input.taskDefinition)![1]!)}),
    'ecs:DescribeTasks': () => ({tasks: [task], failures: []}),
    'sts:GetCallerIdentity': () => ({Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/ops`, UserId: 'AIDA'}),
    'ec2:DescribeSubnets': () => xml('DescribeSubnets', `<subnetSet>${subnet('subnet-a', 'eu-west-1a', '10.0.1.0/24')}${subnet('subnet-b', 'eu-west-1b', '10.0.2.0/24')}</subnetSet>`),
    'ec2:DescribeRouteTables': () =>
      xml(
        'DescribeRouteTables',
        `<routeTableSet><item><routeTableId>rtb-private</routeTableId><vpcId>vpc-1</vpcId><associationSet><item><routeTableAssociationId>rtbassoc-1</routeTableAssociationId><routeTableId>rtb-private</routeTableId><subnetId>subnet-a</subnetId><main>false</main></item><item><routeTableAssociationId>rtbassoc-2</routeTableAssociationId><routeTableId>rtb-private</routeTableId><subnetId>subnet-b</subnetId><main>false</main></item></associationSet><routeSet><item><destinationCidrBlock>10.0.0.0/16</destinationCidrBlock><gatewayId>local</gatewayId><state>active</state></item></routeSet></item></routeTableSet>`,
      ),
    'ec2:DescribeVpcEndpoints': () =>
      xml(
        'DescribeVpcEndpoints',
        `<vpcEndpointSet>${interfaceEndpoint('ecr.api', ['subnet-a', 'subnet-b'])}${interfaceEndpoint('ecr.dkr', ['subnet-a'], false)}${interfaceEndpoint('secretsmanager', ['subnet-a', 'subnet-b'])}<item><vpcEndpointId>vpce-s3</vpcEndpointId><vpcEndpointType>Gateway</vpcEndpointType><vpcId>vpc-1</vpcId><serviceName>com.amazonaws.${REGION}.s3</serviceName><state>available</state><routeTableIdSet><item>rtb-private</item></routeTableIdSet></item></vpcEndpointSet>`,
      ),
    'ec2:DescribeSecurityGroups': () =>
      xml(
        'DescribeSecurityGroups',
        `<securityGroupInfo><item><ownerId>${ACCOUNT}</ownerId><groupId>sg-task</groupId><groupName>task</groupName><vpcId>vpc-1</vpcId><ipPermissions/></item><item><ownerId>${ACCOUNT}</ownerId><groupId>sg-vpce</groupId><groupName>vpce</groupName><vpcId>vpc-1</vpcId><ipPermissions><item><ipProtocol>tcp</ipProtocol><fromPort>443</fromPort><toPort>443</toPort><groups><item><userId>${ACCOUNT}</userId><groupId>sg-task</groupId></item></groups><ipRanges/></item></ipPermissions></item></securityGroupInfo>`,
      ),
    'ec2:DescribeVpcAttribute': (input) =>
      xml('DescribeVpcAttribute', `<vpcId>vpc-1</vpcId>${input.Attribute === 'enableDnsSupport' ? '<enableDnsSupport><value>true</value></enableDnsSupport>' : '<enableDnsHostnames><value>true</value></enableDnsHostnames>'}`),
    'ec2:DescribeVpcEndpointServices': () =>
      xml('DescribeVpcEndpointServices', `<serviceNameSet/><serviceDetailSet><item><serviceName>com.amazonaws.${REGION}.ecr.dkr</serviceName><privateDnsName>*.dkr.ecr.${REGION}.amazonaws.com</privateDnsName></item></serviceDetailSet>`),
  }
}

let stub: AwsStub | undefined
afterEach(async () => {
  await stub?.close()
  stub = undefined
})

const tempFile = (name: string) => join(mkdtempSync(join(tmpdir(), 'ecsops-snapshot-cli-')), name)

describe('live audit → --save-snapshot → --snapshot offline gives the same findings', () => {
  it.each([
    ['--all-services', ['--cluster', 'shop', '--all-services']],
    ['--task', ['--cluster', 'shop', '--task', '0123456789abcdef0123456789abcdef']],
    ['--vpc/--needs', ['--vpc', 'vpc-1', '--security-groups', 'sg-task', '--needs', 'ecr,logs,secretsmanager,ssmmessages']],
  ])('%s', async (_, args) => {
    stub = await startAwsStub(handlers(), {region: REGION})
    const file = tempFile('net.json')
    const live = await runCli(['check-endpoints', ...args, '--json', '--save-snapshot', file], {env: cleanEnv(stub.env())})
    expect(live.code, live.stderr).toBe(1)
    expect(live.stderr).toContain(`Snapshot written to ${file}; audit it offline with: ecsops check-endpoints --snapshot ${file}`)
    const calls = stub.calls.length

    const offline = await runCli(['check-endpoints', '--snapshot', file, '--json'], {env: offlineEnv()})
    expect(offline.code, offline.stderr).toBe(1)
    expect(stub.calls.length).toBe(calls)
    const saved = JSON.parse(readFileSync(file, 'utf8'))
    const {source, gatheredAt, ...findings} = JSON.parse(offline.stdout)
    expect(source).toBe('snapshot')
    expect(gatheredAt).toBe(saved.gatheredAt)
    expect(findings).toEqual(JSON.parse(live.stdout))
    expect(JSON.parse(live.stdout).vpcs[0].findings.length).toBeGreaterThan(3)

    // The human report is the same text, line for line.
    const liveText = await runCli(['check-endpoints', ...args], {env: cleanEnv(stub.env())})
    const offlineText = await runCli(['check-endpoints', '--snapshot', file], {env: offlineEnv()})
    expect(offlineText.stdout).toBe(liveText.stdout)
    expect(offlineText.stderr).toContain(`Auditing the snapshot ${file} (account ${ACCOUNT}, ${REGION}, gathered ${saved.gatheredAt}): no AWS call.`)
  })

  it('the snapshot holds the derived needs (secret names, valueFrom ARNs), never an environment value or a command', async () => {
    stub = await startAwsStub(handlers(), {region: REGION})
    const file = tempFile('net.json')
    const live = await runCli(['check-endpoints', '--cluster', 'shop', '--all-services', '--save-snapshot', file], {env: cleanEnv(stub.env())})
    expect(live.code, live.stderr).toBe(1)
    const text = readFileSync(file, 'utf8')
    for (const secret of ['hunter2-in-plain-sight', 'production-env-value', 'argv-secret-7', 'AKIDSTUB', 'stub-secret']) expect(text).not.toContain(secret)
    const saved = JSON.parse(text)
    expect(Object.keys(saved)).toEqual(['ecsopsSnapshot', 'region', 'gatheredAt', 'account', 'writtenBy', 'subjects', 'notes', 'workloads', 'gathered'])
    expect(saved).toMatchObject({ecsopsSnapshot: 1, region: REGION, account: ACCOUNT, subjects: '2 services in cluster shop'})
    expect(saved.workloads.map((w: any) => w.name)).toEqual(['web', 'worker'])
    expect(saved.workloads[0].needs).toContainEqual({service: 'secretsmanager', reason: `container app: secret API_KEY (valueFrom arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:shop/api-key-AbCdEf)`})
    // The EC2 records as EC2 returned them, dates as ISO strings.
    expect(saved.gathered.vpcs[0].endpoints[0]).toMatchObject({VpcEndpointId: 'vpce-ecr.api', CreationTimestamp: '2026-01-05T10:00:00.000Z'})
  })
})

describe('--snapshot', () => {
  it('the README\'s first command: audits examples/ with no AWS account and exits 1 on its errors', async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    const command = /```sh\nnpm ci && npm run build && \.\/bin\/run\.js (check-endpoints .*)\n```/.exec(readme)![1]!
    expect(command).toBe('check-endpoints --snapshot examples/private-vpc-missing-ssmmessages.json')
    const result = await runCli(command.split(' '), {env: offlineEnv(), cwd: root})
    expect(result.code, result.stderr).toBe(1)
    expect(result.stdout).toContain('service api — vpc-0a1b2c3d4e5f60718')
    expect(result.stdout).toMatch(/ssmmessages\s+Interface\s+missing \(error\)/)
    expect(result.stdout).toContain('\naws ec2 create-vpc-endpoint --region eu-west-1 --vpc-id vpc-0a1b2c3d4e5f60718 --vpc-endpoint-type Interface --service-name com.amazonaws.eu-west-1.ssmmessages')
    expect(result.stdout).toContain('\n2 services in cluster shop-prd, 1 VPC: 1 error, 1 warning, 5 ok, 1 not needed\n')
    // Piped: 80 columns and no colour.
    expect(result.stdout).not.toContain('\u001B[')
  })

  it('--markdown draws each VPC and appends the report to the GitHub step summary', async () => {
    const summary = tempFile('summary.md')
    writeFileSync(summary, '# before\n')
    const result = await runCli(['check-endpoints', '--snapshot', 'examples/central-hub-s3-interface-only.json', '--markdown'], {env: cleanEnv({GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary}), cwd: root})
    expect(result.code, result.stderr).toBe(1)
    expect(result.stdout.startsWith('## VPC endpoints (eu-central-1, snapshot of 2026-11-30T09:14:07.000Z)\n\n1 service in cluster payments, 1 VPC: 1 error, 0 warnings, 4 ok\n\n### Network of vpc-0c0ffee1234567890\n\n```mermaid\nflowchart LR\n')).toBe(true)
    expect(result.stdout.indexOf('```mermaid')).toBeLessThan(result.stdout.indexOf('### service checkout'))
    expect(readFileSync(summary, 'utf8')).toBe(`# before\n${result.stdout}`)
  })

  it.each([
    ['another version', {ecsopsSnapshot: 2, region: REGION}, /snapshot version 2; this ecsops reads version 1 only\./],
    ['another shape', {ecsopsSnapshot: 1, region: REGION, vpcs: []}, /bad\.json: 8 problems:\n {2}gatheredAt: expected an ISO 8601 time such as "2026-11-30T09:00:00Z"\n {2}account: /],
  ])('a file of %s is exit 2 with what is wrong', async (_, content, message) => {
    const file = tempFile('bad.json')
    writeFileSync(file, JSON.stringify(content))
    const human = await runCli(['check-endpoints', '--snapshot', file], {env: offlineEnv()})
    expect(human.code).toBe(2)
    expect(human.stderr).toMatch(message)
    expect(human.stdout).toBe('')
    const json = await runCli(['check-endpoints', '--snapshot', file, '--json'], {env: offlineEnv()})
    expect(json.code).toBe(2)
    expect(JSON.parse(json.stdout)).toMatchObject({ok: false, error: {code: expect.stringMatching(/^Snapshot(Version|Invalid)$/), exitCode: 2}})
  })

  it.each([
    [['--service', 'web'], '--snapshot audits what the file holds; it cannot be combined with --service.'],
    [['--cluster', 'shop', '--all-services'], '--snapshot audits what the file holds; it cannot be combined with --cluster, --all-services.'],
    [['--save-snapshot', 'copy.json'], '--snapshot audits what the file holds; it cannot be combined with --save-snapshot.'],
    [['--region', 'us-east-1'], '--region us-east-1: the snapshot examples/private-vpc-missing-ssmmessages.json was taken in eu-west-1.'],
    [['--markdown', '--json'], '--markdown and --json cannot be used together.'],
  ])('%j with --snapshot is exit 2', async (args, message) => {
    const result = await runCli(['check-endpoints', '--snapshot', 'examples/private-vpc-missing-ssmmessages.json', ...args], {env: offlineEnv(), cwd: root})
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
    expect(existsSync(join(root, 'copy.json'))).toBe(false)
  })

  it('a missing file is exit 2 naming it', async () => {
    const result = await runCli(['check-endpoints', '--snapshot', 'no-such-snapshot.json'], {env: offlineEnv(), cwd: root})
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('Cannot read the snapshot no-such-snapshot.json: ENOENT (no such file or directory).')
  })
})

describe('--save-snapshot', () => {
  it('a path that cannot be written is exit 2, after the audit, and leaves no file', async () => {
    stub = await startAwsStub(handlers(), {region: REGION})
    const dir = mkdtempSync(join(tmpdir(), 'ecsops-snapshot-cli-'))
    const result = await runCli(['check-endpoints', '--cluster', 'shop', '--service', 'web', '--save-snapshot', join(dir, 'missing-dir', 'net.json')], {env: cleanEnv(stub.env())})
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`Cannot write the snapshot ${join(dir, 'missing-dir', 'net.json')}: ENOENT (no such file or directory).`)
    expect(existsSync(join(dir, 'missing-dir'))).toBe(false)
  })
})
