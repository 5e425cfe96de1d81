import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {StubError, startAwsStub, type AwsStub, type StubHandlers} from '../helpers/aws-stub.js'
import {cleanEnv, runCli} from '../helpers/cli.js'

/**
 * `ecsops check-endpoints` as users run it: the built bin/run.js (run `npm run build` first)
 * against the local AWS stand-in. ECS speaks JSON; EC2 answers raw ec2Query XML here, so the
 * SDK's own parser reads the element names a real EC2 sends.
 */

const REGION = 'eu-west-1'
const ACCOUNT = '123456789012'
const TD_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/web:7`
const IMAGE = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/web:1`

const service = {
  serviceName: 'web',
  serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/app/web`,
  status: 'ACTIVE',
  taskDefinition: TD_ARN,
  launchType: 'FARGATE',
  networkConfiguration: {awsvpcConfiguration: {subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-task'], assignPublicIp: 'DISABLED'}},
}
const taskDefinition = {
  taskDefinitionArn: TD_ARN,
  family: 'web',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  containerDefinitions: [{name: 'app', image: IMAGE, logConfiguration: {logDriver: 'awslogs', options: {'awslogs-group': '/ecs/web'}}}],
}

const xml = (action: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>stub</requestId>${body}</${action}Response>`
const subnet = (id: string, az: string, cidr: string) => `<item><subnetId>${id}</subnetId><vpcId>vpc-1</vpcId><availabilityZone>${az}</availabilityZone><cidrBlock>${cidr}</cidrBlock><ownerId>${ACCOUNT}</ownerId></item>`
const interfaceEndpoint = (service: string, subnets: string[], privateDns = true) =>
  `<item><vpcEndpointId>vpce-${service}</vpcEndpointId><vpcEndpointType>Interface</vpcEndpointType><vpcId>vpc-1</vpcId><serviceName>com.amazonaws.${REGION}.${service}</serviceName><state>available</state><privateDnsEnabled>${privateDns}</privateDnsEnabled><subnetIdSet>${subnets.map((s) => `<item>${s}</item>`).join('')}</subnetIdSet><groupSet><item><groupId>sg-vpce</groupId><groupName>vpce</groupName></item></groupSet><policyDocument>{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}</policyDocument></item>`

function handlers(): StubHandlers {
  return {
    'ecs:DescribeClusters': () => ({clusters: [{clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/app`, clusterName: 'app', status: 'ACTIVE'}], failures: []}),
    'ecs:DescribeServices': () => ({services: [service], failures: []}),
    'ecs:DescribeTaskDefinition': () => ({taskDefinition}),
    'ec2:DescribeSubnets': () => xml('DescribeSubnets', `<subnetSet>${subnet('subnet-a', 'eu-west-1a', '10.0.1.0/24')}${subnet('subnet-b', 'eu-west-1b', '10.0.2.0/24')}</subnetSet>`),
    'ec2:DescribeRouteTables': () =>
      xml(
        'DescribeRouteTables',
        `<routeTableSet><item><routeTableId>rtb-private</routeTableId><vpcId>vpc-1</vpcId><associationSet><item><routeTableAssociationId>rtbassoc-1</routeTableAssociationId><routeTableId>rtb-private</routeTableId><subnetId>subnet-a</subnetId><main>false</main></item><item><routeTableAssociationId>rtbassoc-2</routeTableAssociationId><routeTableId>rtb-private</routeTableId><subnetId>subnet-b</subnetId><main>false</main></item></associationSet><routeSet><item><destinationCidrBlock>10.0.0.0/16</destinationCidrBlock><gatewayId>local</gatewayId><state>active</state></item></routeSet></item></routeTableSet>`,
      ),
    'ec2:DescribeVpcEndpoints': () =>
      xml(
        'DescribeVpcEndpoints',
        `<vpcEndpointSet>${interfaceEndpoint('ecr.api', ['subnet-a', 'subnet-b'])}${interfaceEndpoint('ecr.dkr', ['subnet-a'], false)}<item><vpcEndpointId>vpce-s3</vpcEndpointId><vpcEndpointType>Gateway</vpcEndpointType><vpcId>vpc-1</vpcId><serviceName>com.amazonaws.${REGION}.s3</serviceName><state>available</state><routeTableIdSet><item>rtb-private</item></routeTableIdSet></item></vpcEndpointSet>`,
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

describe('ecsops check-endpoints: bad input', () => {
  it.each([
    [['--fail-on', 'bogus'], /Expected --fail-on=bogus to be one of: error, warning/],
    [['--needs', 'ecr'], /--needs needs a network: --vpc V and\/or --subnets a,b/],
    [['--vpc', 'vpc-1'], /--needs is missing/],
    [['--cluster', 'app', '--service', 'web', '--markdown', '--json'], /--markdown and --json cannot be used together/],
    [['--cluster', 'app', '--task', 'abc', '--all-services'], /--task audits the service behind one task/],
  ])('%j exits 2 with a message naming the flag', async (args, message) => {
    const result = await runCli(['check-endpoints', ...args], {env: cleanEnv({AWS_REGION: REGION})})
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(message)
    // Under --json the error is the one JSON document on stdout; otherwise stdout stays empty.
    if (args.includes('--json')) expect(JSON.parse(result.stdout)).toMatchObject({ok: false, error: {code: 'UsageError', exitCode: 2}})
    else expect(result.stdout).toBe('')
  })
})

describe('ecsops check-endpoints against a stubbed AWS', () => {
  it('--json prints exactly one document of the issue\'s shape and exits 1 on errors', async () => {
    stub = await startAwsStub(handlers(), {region: REGION})
    const result = await runCli(['check-endpoints', '--cluster', 'app', '--service', 'web', '--json'], {env: cleanEnv(stub.env())})
    expect(result.code, result.stderr).toBe(1)
    const document = JSON.parse(result.stdout)
    expect(Object.keys(document)).toEqual(['ok', 'region', 'vpcs', 'notEvaluated'])
    expect(document.notEvaluated).toContain("the tasks' own security-group egress and the subnets' network ACLs")
    expect(document.ok).toBe(false)
    expect(document.region).toBe(REGION)
    const [vpc] = document.vpcs
    expect(vpc.vpcId).toBe('vpc-1')
    expect(vpc.subnets).toEqual([
      {subnetId: 'subnet-a', availabilityZone: 'eu-west-1a', internetRoute: 'none'},
      {subnetId: 'subnet-b', availabilityZone: 'eu-west-1b', internetRoute: 'none'},
    ])
    const summary = vpc.findings.map((f: any) => [f.service, f.status, f.severity, f.endpointId, f.provider, f.problems.map((p: any) => p.code)])
    expect(summary).toEqual([
      ['ecr.api', 'ok', 'info', 'vpce-ecr.api', 'vpc', []],
      ['ecr.dkr', 'misconfigured', 'error', 'vpce-ecr.dkr', 'vpc', ['PRIVATE_DNS_DISABLED', 'AZ_NOT_COVERED']],
      ['s3', 'ok', 'info', 'vpce-s3', 'vpc', []],
      ['logs', 'missing', 'error', null, null, ['MISSING']],
    ])
    const logs = vpc.findings[3]
    expect(Object.keys(logs)).toEqual(expect.arrayContaining(['service', 'endpointService', 'type', 'requiredBy', 'status', 'severity', 'endpointId', 'provider', 'problems']))
    expect(logs.requiredBy).toEqual(['web: container app: logConfiguration awslogs (/ecs/web)'])
    // Route 53 could not be read from the stub: the audit goes on and says so.
    expect(logs.problems[0].detail).toMatch(/Route 53 private hosted zones could not be read/)
    expect(stub.callsOf('ec2:DescribeVpcEndpoints')).toHaveLength(1)
  })

  it('prints one table per service, the fixes and a summary line; --fail-on decides the exit code', async () => {
    stub = await startAwsStub(handlers(), {region: REGION})
    const result = await runCli(['check-endpoints', '--cluster', 'app', '--service', 'web'], {env: cleanEnv(stub.env())})
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('service web — vpc-1')
    expect(result.stdout).toMatch(/logs\s+Interface\s+missing \(error\)/)
    expect(result.stdout).toContain('aws ec2 create-vpc-endpoint --region eu-west-1 --vpc-id vpc-1 --vpc-endpoint-type Interface --service-name com.amazonaws.eu-west-1.logs --subnet-ids subnet-a subnet-b --security-group-ids sg-vpce --private-dns-enabled')
    expect(result.stdout).toContain('aws ec2 modify-vpc-endpoint --region eu-west-1 --vpc-endpoint-id vpce-ecr.dkr --private-dns-enabled')
    expect(result.stdout).toContain('1 service in cluster app, 1 VPC: 2 errors, 0 warnings, 2 ok')
  })

  it('without --cluster: the clusters listed one per line without a terminal, a lone one taken (check-endpoints only reads)', async () => {
    const clusters = (names: string[]) => () => ({clusterArns: names.map((n) => `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${n}`)})
    stub = await startAwsStub({...handlers(), 'ecs:ListClusters': clusters(['app', 'batch'])}, {region: REGION})
    const many = await runCli(['check-endpoints', '--service', 'web'], {env: cleanEnv(stub.env())})
    expect(many.code).toBe(2)
    expect(many.stderr).toContain('--cluster is required when ecsops cannot prompt (no terminal, or CI is set): 2 clusters match.')
    expect(many.stderr).toContain('Pass one with --cluster:\n    app\n    batch\n')
    expect(stub.calls.map((c) => `${c.service}:${c.action}`)).toEqual(['ecs:ListClusters'])
    await stub.close()
    stub = await startAwsStub({...handlers(), 'ecs:ListClusters': clusters(['app'])}, {region: REGION})
    const one = await runCli(['check-endpoints', '--service', 'web', '--json'], {env: cleanEnv(stub.env())})
    expect(one.code).toBe(1)
    expect(one.stderr).toContain('Using cluster app (the only one).')
    expect(stub.callsOf('ecs:DescribeServices')[0]!.input.cluster).toBe('app')
  })

  it('without --service and no terminal, the error names --service and the candidates; a lone service is taken', async () => {
    stub = await startAwsStub({...handlers(), 'ecs:ListServices': () => ({serviceArns: [`arn:aws:ecs:${REGION}:${ACCOUNT}:service/app/web`, `arn:aws:ecs:${REGION}:${ACCOUNT}:service/app/api`]})}, {region: REGION})
    const many = await runCli(['check-endpoints', '--cluster', 'app'], {env: cleanEnv(stub.env())})
    expect(many.code).toBe(2)
    expect(many.stderr).toContain('--service is required')
    expect(many.stderr).toContain('Pass one with --service:\n    api\n    web\n')
    await stub.close()
    stub = await startAwsStub({...handlers(), 'ecs:ListServices': () => ({serviceArns: [`arn:aws:ecs:${REGION}:${ACCOUNT}:service/app/web`]})}, {region: REGION})
    const one = await runCli(['check-endpoints', '--cluster', 'app', '--json'], {env: cleanEnv(stub.env())})
    expect(one.code).toBe(1)
    expect(one.stderr).toContain('Using service web (the only one).')
    expect(JSON.parse(one.stdout).vpcs[0].vpcId).toBe('vpc-1')
  })

  it('--task names the finding that explains a stopped task\'s reason', async () => {
    const task = {
      taskArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/app/0123456789abcdef0123456789abcdef`,
      clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/app`,
      taskDefinitionArn: TD_ARN,
      group: 'service:web',
      lastStatus: 'STOPPED',
      launchType: 'FARGATE',
      stopCode: 'TaskFailedToStart',
      stoppedReason: 'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: RequestError: send request failed: dial tcp 52.1.2.3:443: i/o timeout',
      attachments: [{type: 'ElasticNetworkInterface', details: [{name: 'subnetId', value: 'subnet-a'}]}],
      containers: [],
    }
    stub = await startAwsStub({...handlers(), 'ecs:DescribeTasks': () => ({tasks: [task], failures: []})}, {region: REGION})
    const human = await runCli(['check-endpoints', '--task', task.taskArn], {env: cleanEnv(stub.env())})
    expect(human.code).toBe(1)
    expect(stub.callsOf('ecs:DescribeTasks')[0]!.input.cluster).toBe('app')
    expect(human.stdout).toContain('task 0123456789abcdef0123456789abcdef (service web) — vpc-1')
    expect(human.stdout).toContain(`Task ${task.taskArn} stopped: TaskFailedToStart: ResourceInitializationError`)
    expect(human.stdout).toContain('Explained by: logs')
    expect(human.stdout).toContain('✖ logs (com.amazonaws.eu-west-1.logs): missing [error]')
    const json = await runCli(['check-endpoints', '--task', task.taskArn, '--json'], {env: cleanEnv(stub.env())})
    expect(JSON.parse(json.stdout).task).toMatchObject({service: 'web', stopCode: 'TaskFailedToStart', explainedBy: ['logs']})
  })

  it('--vpc without --security-groups: shared subnets are unknown (caller account from STS), a denied DescribeVpcAttribute is said, and bad --subnets exit 3', async () => {
    const shared = (id: string, az: string, cidr: string) => subnet(id, az, cidr).replace(`<ownerId>${ACCOUNT}</ownerId>`, '<ownerId>999988887777</ownerId>')
    stub = await startAwsStub(
      {
        ...handlers(),
        'sts:GetCallerIdentity': () => ({Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/ops`, UserId: 'AIDA'}),
        'ec2:DescribeVpcAttribute': () => {
          throw new StubError('UnauthorizedOperation', 'You are not authorized to perform this operation.', 403)
        },
      },
      {region: REGION},
    )
    const json = await runCli(['check-endpoints', '--vpc', 'vpc-1', '--needs', 'ecr,logs', '--json'], {env: cleanEnv(stub.env())})
    expect(json.code, json.stderr).toBe(1)
    const findings = JSON.parse(json.stdout).vpcs[0].findings
    expect(findings.map((f: any) => [f.service, f.status, f.problems.map((p: any) => p.code)])).toEqual([
      ['ecr.api', 'unknown', ['VPC_DNS_UNVERIFIED', 'SG_UNVERIFIED']],
      ['ecr.dkr', 'misconfigured', ['PRIVATE_DNS_DISABLED', 'AZ_NOT_COVERED', 'SG_UNVERIFIED']],
      ['s3', 'ok', []],
      ['logs', 'missing', ['MISSING']],
    ])
    expect(findings[0].problems[0].detail).toContain('UnauthorizedOperation')
    expect(stub.callsOf('sts:GetCallerIdentity')).toHaveLength(1)
    await stub.close()

    const sharedHandlers = {
      ...handlers(),
      'sts:GetCallerIdentity': () => ({Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/ops`, UserId: 'AIDA'}),
      'ec2:DescribeSubnets': () => xml('DescribeSubnets', `<subnetSet>${shared('subnet-a', 'eu-west-1a', '10.0.1.0/24')}${shared('subnet-b', 'eu-west-1b', '10.0.2.0/24')}</subnetSet>`),
      'ec2:DescribeVpcEndpoints': () => xml('DescribeVpcEndpoints', '<vpcEndpointSet/>'),
    }
    stub = await startAwsStub(sharedHandlers, {region: REGION})
    const human = await runCli(['check-endpoints', '--vpc', 'vpc-1', '--needs', 'logs'], {env: cleanEnv(stub.env())})
    expect(human.code, human.stderr).toBe(0)
    expect(human.stdout).toMatch(/logs\s+Interface\s+unknown \(warning\)\s+-\s+SHARED_SUBNET/)
    expect(human.stdout).toContain('belong to account 999988887777')
    expect(human.stdout).not.toContain('MISSING')
    await stub.close()

    stub = await startAwsStub(
      {
        ...handlers(),
        'ec2:DescribeSubnets': () => {
          throw new StubError('InvalidSubnetID.NotFound', "The subnet ID 'subnet-zzz' does not exist")
        },
      },
      {region: REGION},
    )
    const bad = await runCli(['check-endpoints', '--subnets', 'subnet-zzz', '--needs', 'logs'], {env: cleanEnv(stub.env())})
    expect(bad.code).toBe(3)
    expect(bad.stderr).toContain('subnet-zzz')
    expect(bad.stdout).toBe('')
  })

  it('--markdown prints Markdown and appends it to $GITHUB_STEP_SUMMARY on GitHub Actions', async () => {
    stub = await startAwsStub(handlers(), {region: REGION})
    const dir = mkdtempSync(join(tmpdir(), 'ecsops-endpoints-'))
    const summaryFile = join(dir, 'summary.md')
    writeFileSync(summaryFile, '# before\n')
    const result = await runCli(['check-endpoints', '--cluster', 'app', '--service', 'web', '--markdown'], {env: cleanEnv(stub.env({GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summaryFile}))})
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('## VPC endpoints (eu-west-1)')
    expect(result.stdout).toContain('| ✖ | `logs` | Interface | missing (error) | - |')
    const written = readFileSync(summaryFile, 'utf8')
    expect(written.startsWith('# before\n## VPC endpoints (eu-west-1)')).toBe(true)
  })

  it.each([
    ['a missing directory', (dir: string) => join(dir, 'nope', 'summary.md'), 'ENOENT'],
    ['a directory', (dir: string) => dir, 'EISDIR'],
  ])('an unwritable $GITHUB_STEP_SUMMARY (%s) is a warning; the exit code stays the audit\'s', async (_what, path, code) => {
    stub = await startAwsStub(handlers(), {region: REGION})
    const dir = mkdtempSync(join(tmpdir(), 'ecsops-endpoints-'))
    const result = await runCli(['check-endpoints', '--cluster', 'app', '--service', 'web', '--markdown', '--fail-on', 'warning'], {env: cleanEnv(stub.env({GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: path(dir)}))})
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(new RegExp(`^warning: Could not write \\$GITHUB_STEP_SUMMARY \\(${code}`, 'm'))
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  it('the same service by name and by ARN is audited once', async () => {
    stub = await startAwsStub(handlers(), {region: REGION})
    const result = await runCli(['check-endpoints', '--cluster', 'app', '--service', 'web', '--service', `arn:aws:ecs:${REGION}:123456789012:service/app/web`, '--json'], {env: cleanEnv(stub.env())})
    expect(JSON.parse(result.stdout).vpcs).toHaveLength(1)
    expect(stub.callsOf('ecs:DescribeServices').flatMap((c) => c.input.services)).toEqual(['web'])
  })
})
