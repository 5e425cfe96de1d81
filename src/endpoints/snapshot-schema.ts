/**
 * The shape of a snapshot file (version 1), checked on load. Strict at the top level (an unknown
 * key is an error: the file is not what this ecsops wrote), loose inside the records: each VPC,
 * workload and need must have the fields the audit cannot do without, and may carry more (the
 * EC2 records keep every field EC2 returned; fields gather adds later flow through).
 */
import {z} from 'zod'

const text = z.string({error: 'expected a string'})
const ids = z.array(text, {error: 'expected a list of ids'})
const records = z.array(z.looseObject({}), {error: 'expected a list of objects'})

const need = z.looseObject({service: z.string().min(1, 'expected an endpoint service key such as "ecr.dkr"'), reason: text, resource: text.optional()})

const workload = z.looseObject({
  name: text,
  title: text,
  subnetIds: ids,
  securityGroupIds: ids,
  vpcId: text.optional(),
  assignPublicIp: z.boolean().optional(),
  needs: z.array(need, {error: 'expected a list of needs'}),
})

const vpc = z.looseObject({
  vpcId: z.string().regex(/^vpc-[0-9a-z]+$/, 'expected a VPC id such as "vpc-0abc"'),
  region: text,
  accountId: text.optional(),
  dnsSupport: z.boolean().optional(),
  dnsHostnames: z.boolean().optional(),
  dnsError: text.optional(),
  subnets: records,
  routeTables: records,
  endpoints: records,
  securityGroups: records,
  hostedZones: z.union([z.array(z.looseObject({id: text, name: text})), z.null()], {error: 'expected a list of hosted zones ({id, name}) or null'}),
  hostedZonesError: text.optional(),
  privateDnsNames: z.record(z.string(), text, {error: 'expected a map of service key → private DNS name'}),
})

const target = z.looseObject({vpcId: text, subnetIds: ids, securityGroupIds: ids})

export const snapshotSchema = z
  .strictObject({
    ecsopsSnapshot: z.literal(1),
    region: z.string({error: 'expected an AWS region such as "eu-west-1"'}).regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'expected an AWS region such as "eu-west-1"'),
    gatheredAt: z.iso.datetime({offset: true, error: 'expected an ISO 8601 time such as "2026-11-30T09:00:00Z"'}),
    account: z.union([z.string().regex(/^\d{12}$/, 'expected a 12-digit account id'), z.null()]),
    writtenBy: text,
    subjects: text,
    notes: z.array(text),
    network: z.looseObject({vpcId: text.optional(), subnetIds: ids, securityGroupIds: ids, needs: z.array(text)}).optional(),
    task: z.looseObject({taskArn: text, containerReasons: z.array(text), explainedBy: z.array(text).optional()}).optional(),
    workloads: z.array(workload, {error: 'expected a list of workloads'}),
    gathered: z.looseObject({vpcs: z.array(vpc, {error: 'expected a list of VPCs'}), targets: z.array(target, {error: 'expected a list of targets'})}),
  })
  .superRefine((doc, ctx) => {
    // The audit pairs workload i with target i (gather.ts resolves the targets in order).
    if (doc.gathered.targets.length !== doc.workloads.length) {
      ctx.addIssue({code: 'custom', path: ['gathered', 'targets'], message: `${doc.gathered.targets.length} targets for ${doc.workloads.length} workloads: expected one per workload`})
    }
    const seen = new Set<string>()
    for (const [i, v] of doc.gathered.vpcs.entries()) {
      if (v.region !== doc.region) ctx.addIssue({code: 'custom', path: ['gathered', 'vpcs', i, 'region'], message: `${v.region} differs from the snapshot's region ${doc.region}`})
      if (seen.has(v.vpcId)) ctx.addIssue({code: 'custom', path: ['gathered', 'vpcs', i, 'vpcId'], message: `${v.vpcId} appears twice`})
      seen.add(v.vpcId)
    }
  })
