/**
 * The snapshot file of check-endpoints (--save-snapshot / --snapshot): what the audit read once
 * AWS had answered, as one versioned JSON document, so that the same audit runs later with no
 * AWS call, no credentials and no region.
 *
 * What it holds: the workloads (each service, the stopped task or the --needs network) with the
 * endpoints their task definitions need, already derived (needs.ts) — not the task definitions
 * themselves — and, per VPC, whatever gather.ts returned (subnets, route tables, endpoints,
 * security groups, VPC DNS attributes, private hosted zones, private DNS names of the endpoint
 * services, and any field gather adds later: save and load copy the records as they are).
 *
 * What it never holds: container environment values, commands, credentials. The needs keep a
 * secret's name and its valueFrom ARN, never a value (ECS resolves values at start; ecsops
 * never reads them), and redactSecrets() strips the rest from every level of the document
 * before it is written, whatever a future gather puts in it.
 */
import {randomBytes} from 'node:crypto'
import {basename, dirname, join} from 'node:path'

import {UsageError} from '../errors.js'
import type {GatheredAudit} from './check.js'
import type {GatheredNetworks} from './gather.js'
import type {VpcSnapshot} from './snapshot.js'

export const SNAPSHOT_VERSION = 1

/** The file as written (`ecsopsSnapshot` first, so `head` shows what it is). */
export interface SnapshotDocument {
  ecsopsSnapshot: typeof SNAPSHOT_VERSION
  region: string
  /** ISO 8601, when the facts were read from AWS. */
  gatheredAt: string
  /** The account audited (null when unknown). */
  account: string | null
  /** `ecsops 0.1.0`. */
  writtenBy: string
  /** `2 services in cluster prod`. */
  subjects: string
  notes: string[]
  /** The --vpc/--subnets/--needs request, when that was the subject. */
  network?: GatheredAudit['network']
  /** The stopped task of --task (its reasons; which finding explains them is decided again). */
  task?: GatheredAudit['task']
  /** Services (or the task, or the network) with their subnets, security groups and derived needs. */
  workloads: GatheredAudit['subjects']
  /** gather.ts's result, its per-VPC map as a list. */
  gathered: Omit<GatheredNetworks, 'snapshots'> & {vpcs: VpcSnapshot[]}
}

/** A snapshot read back: the audit input plus when and where it was taken. */
export interface LoadedSnapshot {
  audit: GatheredAudit
  gatheredAt: string
  account: string | null
}

/** Keys dropped wherever they appear: values that may be secret, and nothing the audit reads. */
const SECRET_KEYS = new Set(['secretaccesskey', 'sessiontoken', 'accesskeyid', 'password', 'userdata', 'tokenvalue', 'secretstring', 'secretbinary', 'credentials', 'command', 'entrypoint'])
/** An AWS access key id (long-term AKIA…, temporary ASIA…) inside any text. */
const ACCESS_KEY_ID = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g

/**
 * Pure: a deep copy of a JSON value without secrets. Container `environment` entries keep their
 * name and lose their value; the keys of SECRET_KEYS (credentials, user data, a container's
 * command and entry point, which often carry passwords) go; access key ids in any string are
 * masked. Secrets' names and valueFrom ARNs stay: they say what is needed, not what it is.
 */
export function redactSecrets<T>(value: T): T {
  return redact(value) as T
}

function redact(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(ACCESS_KEY_ID, '$1****************')
  if (Array.isArray(value)) return value.map(redact)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [key, inner] of Object.entries(value)) {
    const lower = key.toLowerCase()
    if (SECRET_KEYS.has(lower)) continue
    if (lower === 'environment') out[key] = namesOnly(inner)
    else out[key] = redact(inner)
  }
  return out
}

/** `[{name, value}]` → `[{name}]`; a `{NAME: value}` map → its names with empty values. */
function namesOnly(environment: unknown): unknown {
  if (Array.isArray(environment)) return environment.map((e) => (e && typeof e === 'object' && 'name' in e ? {name: String((e as {name: unknown}).name)} : null)).filter(Boolean)
  if (environment && typeof environment === 'object') return Object.fromEntries(Object.keys(environment).map((k) => [k, '']))
  return null
}

/** Pure: the document --save-snapshot writes for what the audit read. */
export function snapshotDocument(audit: GatheredAudit, meta: {gatheredAt: Date; version: string}): SnapshotDocument {
  const {snapshots, ...rest} = audit.gathered
  const vpcs = [...snapshots.values()]
  const account = vpcs.find((v) => v.accountId)?.accountId ?? audit.subjects.map((s) => s.arn?.split(':')[4]).find(Boolean) ?? null
  const document: SnapshotDocument = {
    ecsopsSnapshot: SNAPSHOT_VERSION,
    region: audit.region,
    gatheredAt: meta.gatheredAt.toISOString(),
    account,
    writtenBy: `ecsops ${meta.version}`,
    subjects: audit.subjectsText,
    notes: audit.notes,
    ...(audit.network ? {network: audit.network} : {}),
    ...(audit.task ? {task: audit.task} : {}),
    workloads: audit.subjects,
    gathered: {...rest, vpcs},
  }
  // Through JSON first: SDK dates become ISO strings, undefined fields go, as in the file.
  return redactSecrets(JSON.parse(JSON.stringify(document)) as SnapshotDocument)
}

const HINT = 'Write a snapshot with this ecsops: ecsops check-endpoints ... --save-snapshot FILE (see examples/ for valid ones).'

/** Pure: a snapshot file's text → the audit input; a UsageError (exit 2) saying what is wrong. */
export async function parseSnapshot(text: string, shown: string): Promise<LoadedSnapshot> {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new UsageError(`${shown}: not valid JSON: ${(error as Error).message}`, {code: 'SnapshotInvalid', hint: HINT})
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw) || !('ecsopsSnapshot' in raw)) {
    throw new UsageError(`${shown}: not an ecsops snapshot (no "ecsopsSnapshot" version key at the top level).`, {code: 'SnapshotInvalid', hint: HINT})
  }
  const version = (raw as {ecsopsSnapshot: unknown}).ecsopsSnapshot
  if (version !== SNAPSHOT_VERSION) {
    throw new UsageError(`${shown}: snapshot version ${JSON.stringify(version)}; this ecsops reads version ${SNAPSHOT_VERSION} only.`, {code: 'SnapshotVersion', hint: HINT})
  }
  const {snapshotSchema} = await import('./snapshot-schema.js')
  const parsed = snapshotSchema.safeParse(raw)
  if (!parsed.success) {
    // Every problem at once (as a config file's), each with its path: `gathered.vpcs[0].subnets: …`.
    const {configProblems} = await import('../config/problems.js')
    const pathOf = (path: readonly PropertyKey[]) => (path.length > 0 ? path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('') : '(top level)')
    const problems = configProblems(parsed.error.issues as never, snapshotSchema).map((p) => `${pathOf(p.path)}: ${p.message}`)
    const message = problems.length === 1 ? `${shown}: ${problems[0]}` : `${shown}: ${problems.length} problems:\n${problems.map((p) => `  ${p}`).join('\n')}`
    throw new UsageError(message, {code: 'SnapshotInvalid', hint: HINT})
  }
  const document = parsed.data as unknown as SnapshotDocument
  const {vpcs, ...rest} = document.gathered
  const audit: GatheredAudit = {
    region: document.region,
    ...(document.network ? {network: document.network} : {}),
    subjects: document.workloads,
    subjectsText: document.subjects,
    notes: document.notes,
    ...(document.task ? {task: document.task} : {}),
    gathered: {...rest, snapshots: new Map(vpcs.map((v) => [v.vpcId, v]))},
  }
  return {audit, gatheredAt: document.gatheredAt, account: document.account}
}

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException
  const known: Record<string, string> = {ENOENT: 'no such file or directory', EACCES: 'permission denied', EISDIR: 'is a directory', ENOTDIR: 'a part of the path is not a directory', ENOSPC: 'no space left on the device', EROFS: 'read-only file system'}
  return e.code ? `${e.code} (${known[e.code] ?? e.message})` : String(e.message ?? error)
}

/** Reads and validates a snapshot file (exit 2 when it cannot be read or is not one). */
export async function readSnapshot(path: string): Promise<LoadedSnapshot> {
  const {readFile} = await import('node:fs/promises')
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new UsageError(`Cannot read the snapshot ${path}: ${reason(error)}.`, {code: 'SnapshotUnreadable', hint: 'Check the path given to --snapshot.'})
  }
  return parseSnapshot(text, path)
}

/**
 * Writes the document atomically: into a temporary file beside the target (same file system),
 * flushed, then renamed over it. A failed write removes the temporary file and leaves any
 * previous snapshot untouched.
 */
export async function writeSnapshot(path: string, document: SnapshotDocument): Promise<void> {
  const {open, rename, rm} = await import('node:fs/promises')
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    const file = await open(temp, 'wx')
    try {
      await file.writeFile(`${JSON.stringify(document, null, 2)}\n`, 'utf8')
      await file.sync()
    } finally {
      await file.close()
    }
    await rename(temp, path)
  } catch (error) {
    await rm(temp, {force: true}).catch(() => {})
    throw new UsageError(`Cannot write the snapshot ${path}: ${reason(error)}.`, {code: 'SnapshotUnwritable', hint: 'Pass --save-snapshot a path in a writable directory.'})
  }
}
