/**
 * `ecsops exec port-forward`, the pure part: the ssm:StartSession request for a port-forwarding
 * session through a task, the ARNs of its documents (for `exec check` and the IAM policy), and
 * the line printed while it runs.
 *
 * The documents and their parameters are AWS's (Systems Manager User Guide, "Start a session":
 * port forwarding, and port forwarding to a remote host): `AWS-StartPortForwardingSession` takes
 * `portNumber` and `localPortNumber`, `AWS-StartPortForwardingSessionToRemoteHost` also `host`.
 * Every parameter value is a list of strings (StartSessionRequest.Parameters: Record<string, string[]>).
 */

import {taskIdOf} from '../aws/arn.js'
import {UsageError} from '../errors.js'
import {sessionTarget, type StartSessionParameters} from './plugin.js'

export const FORWARD_DOCUMENT = 'AWS-StartPortForwardingSession'
export const FORWARD_REMOTE_DOCUMENT = 'AWS-StartPortForwardingSessionToRemoteHost'
export const FORWARD_DOCUMENTS = [FORWARD_DOCUMENT, FORWARD_REMOTE_DOCUMENT]

/** What to forward: a local port to a port of the task itself, or of a host the task reaches. */
export interface ForwardSpec {
  /** The remote port (--port). */
  port: number
  /** The remote host (--host): an RDS endpoint, an internal load balancer; absent means the task itself. */
  host?: string
  /** The port on 127.0.0.1 (--local-port, default --port). */
  localPort: number
}

/** A TCP port given on the command line: an integer 1–65535, else a UsageError naming the flag. */
export function parsePort(value: string | number, flag: string): number {
  const text = String(value).trim()
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new UsageError(`${flag} must be a TCP port number from 1 to 65535, not "${text}".`, {code: 'InvalidPort', hint: `e.g. ${flag} 5432`})
  }
  return port
}

/** The flags as given → the spec: --local-port defaults to --port; an empty --host means none. */
export function forwardSpec(flags: {port: string | number; host?: string; localPort?: string | number}): ForwardSpec {
  const port = parsePort(flags.port, '--port')
  const host = flags.host?.trim() || undefined
  const localPort = flags.localPort === undefined ? port : parsePort(flags.localPort, '--local-port')
  return {port, host, localPort}
}

/**
 * The ssm:StartSession request: Target `ecs:<cluster name>_<task id>_<runtimeId of the container>`
 * (the target ECS Exec uses), the remote-host document with --host, else the task's own port.
 */
export function forwardRequest(target: {clusterArn: string; taskArn: string; runtimeId: string}, spec: ForwardSpec): StartSessionParameters {
  const Target = sessionTarget(target.clusterArn, target.taskArn, target.runtimeId)
  const ports = {portNumber: [String(spec.port)], localPortNumber: [String(spec.localPort)]}
  return spec.host ? {Target, DocumentName: FORWARD_REMOTE_DOCUMENT, Parameters: {host: [spec.host], ...ports}} : {Target, DocumentName: FORWARD_DOCUMENT, Parameters: ports}
}

/**
 * The ARN of an AWS-owned SSM document, as IAM policies name it for ssm:StartSession: no account
 * (`arn:aws:ssm:us-west-2::document/AWS-StartPortForwardingSession`, Systems Manager User Guide,
 * "Start a session with a document by specifying the session documents in IAM policies"), in the
 * task's partition (`aws-cn`, `aws-us-gov`).
 */
export function documentArn(partition: string, region: string, document: string): string {
  return `arn:${partition}:ssm:${region}::document/${document}`
}

/** The stderr line while the session runs. */
export function forwardingLine(spec: ForwardSpec, taskArn: string, container: string): string {
  return `Forwarding 127.0.0.1:${spec.localPort} → ${spec.host ?? 'localhost'}:${spec.port} through task ${taskIdOf(taskArn)} (container ${container}). Ctrl-C to stop.`
}
