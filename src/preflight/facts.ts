/**
 * The I/O of `ecsops preflight`: every AWS call, each started as soon as what it needs is known.
 * From a task definition already read, the calls form two sequential rounds:
 *   1. the endpoint audit's ec2:DescribeSubnets; iam:GetRole (execution role); ecr:DescribeImages
 *      (one per image); secretsmanager:DescribeSecret (one per secret); ssm:DescribeParameters
 *      (one per Region, up to 50 names); logs:DescribeLogGroups (one per group)
 *   2. the rest of the endpoint audit; iam:SimulatePrincipalPolicy (execution role and task role,
 *      one call each with every action and resource); ecr:BatchGetImage for a multi-arch index
 * so a service (DescribeServices → DescribeTaskDefinition) or a stopped task (DescribeTasks →
 * DescribeTaskDefinition + DescribeServices) is four rounds in all. Nothing reads a secret's value.
 */
import type {EC2Client} from '@aws-sdk/client-ec2'
import type {Route53Client} from '@aws-sdk/client-route-53'

import type {AwsClients} from '../aws/clients.js'
import type {EndpointNeed, VpcReport} from '../endpoints/api.js'
import type {Decisions, Fact, ImageFacts, ParameterFacts, PreflightFacts, PreflightTarget, RoleFacts, SecretFacts} from './model.js'
import {accountOf, executionRolePermissions, referencesOf, resolveSecrets, type EcrImage, type References} from './references.js'
import {chunk} from '../aws/chunk.js'

/** The clients preflight calls (the AWS layer's factory, or mocks in tests). */
export type PreflightClients = Pick<AwsClients, 'ec2' | 'route53' | 'iam' | 'ecr' | 'secretsManager' | 'ssm' | 'logs'>

/** The endpoint audit of `ecsops check-endpoints` (src/endpoints/api.ts), injected. */
export interface NetworkAudit {
  requiredEndpoints(input: {taskDefinition: PreflightTarget['taskDefinition']; launchType?: string; platformVersion?: string; region: string}): EndpointNeed[]
  auditNetwork(clients: {ec2: EC2Client; route53?: Route53Client}, input: {region: string; network: {subnetIds: string[]; securityGroupIds: string[]}; needs: EndpointNeed[]}): Promise<VpcReport>
}

/** Manifest list / OCI index media types: a multi-arch image ("Image" in the ECR API reference: imageManifestMediaType). */
export const INDEX_MEDIA_TYPES = ['application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.oci.image.index.v1+json']

function errorFact(error: unknown): {ok: false; code: string; message: string} {
  const e = error as {name?: string; Code?: string; message?: string}
  return {ok: false, code: e.name ?? e.Code ?? 'Error', message: (e.message ?? String(error)).split('\n')[0]!}
}

async function fact<T>(work: () => Promise<T>): Promise<Fact<T>> {
  try {
    return {ok: true, value: await work()}
  } catch (error) {
    return errorFact(error)
  }
}


/** GetRole's AssumeRolePolicyDocument is URL-encoded (RFC 3986) JSON (IAM API reference, Role). */
export function decodePolicy(document: string | undefined): string {
  if (!document) return ''
  try {
    return document.trimStart().startsWith('{') ? document : decodeURIComponent(document)
  } catch {
    return document
  }
}

async function describeImage(clients: PreflightClients, image: EcrImage, wantArchitectures: boolean): Promise<ImageFacts> {
  const ecr = await import('@aws-sdk/client-ecr')
  const client = await clients.ecr(image.region)
  const imageId = image.digest ? {imageDigest: image.digest} : {imageTag: image.tag}
  const out = await client.send(new ecr.DescribeImagesCommand({registryId: image.registryId, repositoryName: image.repository, imageIds: [imageId]}))
  const detail = out.imageDetails?.[0]
  const facts: ImageFacts = {digest: detail?.imageDigest, mediaType: detail?.imageManifestMediaType}
  if (wantArchitectures && facts.mediaType && INDEX_MEDIA_TYPES.includes(facts.mediaType)) {
    facts.architectures = await fact(async () => {
      const got = await client.send(
        new ecr.BatchGetImageCommand({registryId: image.registryId, repositoryName: image.repository, imageIds: [facts.digest ? {imageDigest: facts.digest} : imageId], acceptedMediaTypes: INDEX_MEDIA_TYPES}),
      )
      const failure = got.failures?.[0]
      if (!got.images?.[0]?.imageManifest) throw Object.assign(new Error(failure?.failureReason ?? 'no manifest returned'), {name: failure?.failureCode ?? 'ImageNotFound'})
      const manifest = JSON.parse(got.images[0].imageManifest) as {manifests?: Array<{platform?: {architecture?: string; os?: string}}>}
      return [...new Set((manifest.manifests ?? []).map((m) => m.platform?.architecture).filter((a): a is string => Boolean(a) && a !== 'unknown'))]
    })
  }
  return facts
}

async function describeSecret(clients: PreflightClients, region: string, secretId: string): Promise<SecretFacts> {
  const {DescribeSecretCommand} = await import('@aws-sdk/client-secrets-manager')
  const out = await (await clients.secretsManager(region)).send(new DescribeSecretCommand({SecretId: secretId}))
  return {arn: out.ARN ?? secretId, kmsKeyId: out.KmsKeyId}
}

/** DescribeParameters with a Name filter (Equals), up to 50 values a filter (SSM API reference, ParametersFilter/ParameterStringFilter). */
async function describeParameters(clients: PreflightClients, region: string, names: string[]): Promise<Record<string, ParameterFacts>> {
  const {DescribeParametersCommand} = await import('@aws-sdk/client-ssm')
  const ssm = await clients.ssm(region)
  const found: Record<string, ParameterFacts> = {}
  await Promise.all(
    chunk(names, 50).map(async (values) => {
      let NextToken: string | undefined
      do {
        const out = await ssm.send(new DescribeParametersCommand({ParameterFilters: [{Key: 'Name', Option: 'Equals', Values: values}], MaxResults: 50, NextToken}))
        for (const p of out.Parameters ?? []) if (p.Name) found[p.Name] = {name: p.Name, type: p.Type, keyId: p.KeyId}
        NextToken = out.NextToken
      } while (NextToken)
    }),
  )
  return found
}

/** Whether the log group exists: DescribeLogGroups with the name as prefix, then an exact match. */
async function logGroupExists(clients: PreflightClients, region: string, group: string): Promise<boolean> {
  const {DescribeLogGroupsCommand} = await import('@aws-sdk/client-cloudwatch-logs')
  const out = await (await clients.logs(region)).send(new DescribeLogGroupsCommand({logGroupNamePrefix: group, limit: 5}))
  return (out.logGroups ?? []).some((g) => g.logGroupName === group)
}

/**
 * One SimulatePrincipalPolicy call for every action and resource. The simulator answers one
 * EvaluationResult per action with the decision for each resource in ResourceSpecificResults
 * (IAM API reference, EvaluationResult / ResourceSpecificResult; EvalDecision: allowed |
 * explicitDeny | implicitDeny); without them the top-level decision stands for the one resource.
 */
export async function simulate(clients: PreflightClients, roleArn: string, permissions: Array<{action: string; resource: string}>): Promise<Decisions> {
  const {SimulatePrincipalPolicyCommand} = await import('@aws-sdk/client-iam')
  const iam = await clients.iam()
  const actions = [...new Set(permissions.map((p) => p.action))]
  const resources = [...new Set(permissions.map((p) => p.resource))]
  const decisions: Decisions = {}
  let Marker: string | undefined
  do {
    const out = await iam.send(new SimulatePrincipalPolicyCommand({PolicySourceArn: roleArn, ActionNames: actions, ResourceArns: resources, MaxItems: 1000, Marker}))
    for (const r of out.EvaluationResults ?? []) {
      if (!r.EvalActionName) continue
      const byResource = (decisions[r.EvalActionName] ??= {})
      if (r.ResourceSpecificResults?.length) {
        for (const s of r.ResourceSpecificResults) if (s.EvalResourceName && s.EvalResourceDecision) byResource[s.EvalResourceName] = s.EvalResourceDecision
      } else if (r.EvalDecision) {
        byResource[r.EvalResourceName ?? (resources.length === 1 ? resources[0]! : '*')] = r.EvalDecision
      }
    }
    Marker = out.IsTruncated ? out.Marker : undefined
  } while (Marker)
  return decisions
}

export interface GatherOptions {
  audit?: NetworkAudit
  /** Progress text (a spinner). */
  onProgress?: (text: string) => void
}

/** Whether the CPU architecture of images is to be checked: the task definition states one, or runs on Fargate (X86_64 by default). */
function wantsArchitecture(target: PreflightTarget): boolean {
  return Boolean(target.taskDefinition.runtimePlatform?.cpuArchitecture) || target.launchType === 'FARGATE'
}

function gatherNetwork(clients: PreflightClients, target: PreflightTarget, audit: NetworkAudit | undefined): {network?: Promise<Fact<VpcReport>>; skipped?: string} {
  if (target.launchType === 'EC2' || target.launchType === 'EXTERNAL') {
    return {skipped: `${target.launchType} launch type: image pulls, secrets and logs go out through the container instances, not the task's network (\`ecsops check-endpoints --service\` audits them)`}
  }
  if (!target.network || target.network.subnetIds.length === 0) return {skipped: 'no network given: pass --subnets and --security-groups (or --service, whose network is used)'}
  if (!audit) return {skipped: 'the endpoint audit was not loaded'}
  const network = target.network
  const needs = audit.requiredEndpoints({taskDefinition: target.taskDefinition, launchType: target.launchType, platformVersion: target.platformVersion, region: target.region})
  return {
    network: fact(async () =>
      audit.auditNetwork({ec2: await clients.ec2(), route53: await clients.route53()}, {region: target.region, network: {subnetIds: network.subnetIds, securityGroupIds: network.securityGroupIds}, needs}),
    ),
  }
}

/** Reads what the checks need, concurrently; never throws for an AWS error (each fact carries its own). */
export async function gatherPreflightFacts(clients: PreflightClients, target: PreflightTarget, options: GatherOptions = {}): Promise<PreflightFacts> {
  const refs: References = referencesOf(target.taskDefinition, target.region)
  const executionRoleArn = target.overrides?.executionRoleArn ?? target.taskDefinition.executionRoleArn
  const taskRoleArn = target.overrides?.taskRoleArn ?? target.taskDefinition.taskRoleArn
  options.onProgress?.('Reading the images, secrets, log groups and roles the task definition references')

  // Round 1 (after the task definition)
  const {network, skipped} = gatherNetwork(clients, target, options.audit)
  // iam:GetRole reads the caller's account: a role of another account (its ARN says which) is not looked up there.
  const roleAccount = executionRoleArn?.split(':')[4]
  const ownAccount = accountOf(target.taskDefinition)
  const foreign = Boolean(executionRoleArn && roleAccount && ownAccount && roleAccount !== ownAccount)
  const role = foreign
    ? Promise.resolve<Fact<RoleFacts>>({ok: false, code: 'CrossAccountRole', message: `the role is in account ${roleAccount}, the task definition in ${ownAccount}: its trust policy is not read`})
    : executionRoleArn
    ? fact<RoleFacts>(async () => {
        const {GetRoleCommand} = await import('@aws-sdk/client-iam')
        const out = await (await clients.iam()).send(new GetRoleCommand({RoleName: executionRoleArn.split('/').pop()}))
        return {arn: out.Role?.Arn ?? executionRoleArn, trustPolicy: decodePolicy(out.Role?.AssumeRolePolicyDocument)}
      })
    : undefined
  const architecture = wantsArchitecture(target)
  const imageEntries = [...new Map(refs.ecrImages.map((i) => [i.image, i])).values()].map(async (i) => [i.image, await fact(() => describeImage(clients, i, architecture))] as const)
  const secretIds = [...new Map(refs.secrets.filter((s) => s.secretId).map((s) => [s.secretId!, s])).values()]
  const secretEntries = secretIds.map(async (s) => [s.secretId!, await fact(() => describeSecret(clients, s.region, s.secretId!))] as const)
  const parameterRegions = [...new Set(refs.secrets.filter((s) => s.store === 'ssm').map((s) => s.region))]
  const parameterEntries = parameterRegions.map(async (region) => {
    const names = [...new Set(refs.secrets.filter((s) => s.store === 'ssm' && s.region === region).flatMap((s) => s.parameterNames ?? []))]
    return [region, await fact(() => describeParameters(clients, region, names))] as const
  })
  const logKeys = [...new Set(refs.logs.map((l) => `${l.region}|${l.group}`))]
  const logEntries = logKeys.map(async (key) => {
    const [region, group] = [key.slice(0, key.indexOf('|')), key.slice(key.indexOf('|') + 1)]
    return [key, await fact(() => logGroupExists(clients, region, group))] as const
  })
  const secrets = Promise.all(secretEntries).then((e) => Object.fromEntries(e))
  const parameters = Promise.all(parameterEntries).then((e) => Object.fromEntries(e))

  // Round 2: the simulator, with the ARNs and KMS keys DescribeSecret and DescribeParameters gave.
  const permissions = Promise.all([secrets, parameters]).then(([s, p]) => ({list: executionRolePermissions(refs, target, resolveSecrets(refs, s, p))}))
  const executionDecisions = executionRoleArn
    ? permissions.then((p) => (p.list.length > 0 ? fact(() => simulate(clients, executionRoleArn, p.list)) : undefined))
    : undefined
  const taskRoleDecisions =
    taskRoleArn && taskRoleArn !== executionRoleArn ? permissions.then((p) => (p.list.length > 0 ? fact(() => simulate(clients, taskRoleArn, p.list)) : undefined)) : undefined

  const [networkF, roleF, images, secretsF, parametersF, logGroups, executionD, taskD] = await Promise.all([
    network,
    role,
    Promise.all(imageEntries).then((e) => Object.fromEntries(e)),
    secrets,
    parameters,
    Promise.all(logEntries).then((e) => Object.fromEntries(e)),
    executionDecisions,
    taskRoleDecisions,
  ])
  return {
    target,
    network: networkF,
    networkSkipped: skipped,
    executionRole: roleF,
    executionDecisions: executionD,
    taskRoleDecisions: taskD,
    images,
    secrets: secretsF,
    parameters: parametersF,
    logGroups,
  }
}
