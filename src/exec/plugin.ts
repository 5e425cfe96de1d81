/**
 * How session-manager-plugin is called: its arguments and environment (pure), its version, and
 * how to install it. The call mirrors the AWS CLI's `ecs execute-command`, always with the six
 * arguments (the three-argument legacy form breaks KMS-encrypted sessions).
 */

import {clusterNameOf, taskIdOf} from '../aws/arn.js'

export const PLUGIN = 'session-manager-plugin'
/** From this version on the plugin reads the StartSession response from an environment variable. */
export const PLUGIN_ENV_RESPONSE_VERSION = '1.2.536.0'
export const SESSION_RESPONSE_VARIABLE = 'AWS_SSM_START_SESSION_RESPONSE'

/** What ExecuteCommand answered under `session`. */
export interface ExecSession {
  sessionId?: string
  streamUrl?: string
  tokenValue?: string
}

/** What ssm:StartSession answered, in the shape `aws ssm start-session` hands to the plugin. */
export interface StartSessionAnswer {
  SessionId?: string
  TokenValue?: string
  StreamUrl?: string
}

/** An ssm:StartSession request as the plugin's fifth argument (port forwarding): Target, DocumentName, Parameters. */
export interface StartSessionParameters {
  Target: string
  DocumentName?: string
  Parameters?: Record<string, string[]>
}

export interface PluginCallInput {
  session: ExecSession | StartSessionAnswer
  /** The StartSession request, sent as the fifth argument instead of `{"Target": …}` (ssm:StartSession sessions). */
  request?: StartSessionParameters
  region: string
  /** Named profile, or undefined (the plugin then receives ""). */
  profile?: string
  /** From the ExecuteCommand response: the cluster ARN (or name) and the task ARN. */
  clusterArn: string
  taskArn: string
  /** The chosen container's runtimeId, from DescribeTasks. */
  runtimeId: string
  /** The URL the ECS client sends to. */
  endpointUrl: string
  /** The installed plugin's version, when known. */
  pluginVersion?: string
  /** Credentials ecsops resolved (SSO, assume-role), handed to the plugin. */
  credentials?: {accessKeyId: string; secretAccessKey: string; sessionToken?: string}
}

export interface PluginCall {
  file: string
  args: string[]
  /** Variables added to ecsops's own environment for the child. */
  env: Record<string, string>
  /** True when the session JSON travels in an environment variable rather than the argument list. */
  responseInEnv: boolean
}

/** The Session Manager target of an ECS Exec session: `ecs:<cluster name>_<task id>_<runtimeId>`. */
export function sessionTarget(clusterArn: string, taskArn: string, runtimeId: string): string {
  return `ecs:${clusterNameOf(clusterArn)}_${taskIdOf(taskArn)}_${runtimeId}`
}

/** `1.2.650.0` from `session-manager-plugin --version` output; undefined when there is none. */
export function parsePluginVersion(output: string): string | undefined {
  return /(\d+(?:\.\d+){1,3})/.exec(output)?.[1]
}

/**
 * Compares dotted versions numerically (`1.10.0` > `1.9.9`); missing parts count as 0.
 * Returns a negative number, zero or a positive number.
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((p) => Number.parseInt(p, 10) || 0)
  const pb = b.split('.').map((p) => Number.parseInt(p, 10) || 0)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

export function atLeast(version: string, minimum: string): boolean {
  return compareVersions(version, minimum) >= 0
}

/**
 * The plugin's argv and environment for one session:
 * `<response> <region> StartSession <profile or ""> {"Target":"ecs:<cluster>_<task>_<runtimeId>"} <endpoint>`.
 * The profile argument is "" when ecsops hands its resolved credentials over in the environment.
 * With a plugin ≥ 1.2.536.0 the response JSON goes into `AWS_SSM_START_SESSION_RESPONSE` and the
 * first argument is that variable's name, so the session token never shows in the process list.
 */
export function pluginCall(input: PluginCallInput): PluginCall {
  const response = JSON.stringify(input.session)
  const target = JSON.stringify(input.request ?? {Target: sessionTarget(input.clusterArn, input.taskArn, input.runtimeId)})
  const responseInEnv = input.pluginVersion !== undefined && atLeast(input.pluginVersion, PLUGIN_ENV_RESPONSE_VERSION)
  const env: Record<string, string> = {}
  if (input.credentials) {
    env.AWS_ACCESS_KEY_ID = input.credentials.accessKeyId
    env.AWS_SECRET_ACCESS_KEY = input.credentials.secretAccessKey
    if (input.credentials.sessionToken) env.AWS_SESSION_TOKEN = input.credentials.sessionToken
    // The plugin (aws-sdk-go v1) resolves credentials from a profile given as its argument before
    // the environment: with the profile named there, it would redo the SSO / assume-role / MFA
    // resolution ecsops already did (and fail on an MFA profile), so the credentials handed over
    // would be ignored. The profile goes in AWS_PROFILE instead: its other settings (CA bundle)
    // still apply, and the environment's keys win.
    if (input.profile) env.AWS_PROFILE = input.profile
  }
  env.AWS_REGION = input.region
  if (responseInEnv) env[SESSION_RESPONSE_VARIABLE] = response
  const profileArgument = input.credentials ? '' : (input.profile ?? '')
  return {
    file: PLUGIN,
    args: [responseInEnv ? SESSION_RESPONSE_VARIABLE : response, input.region, 'StartSession', profileArgument, target, input.endpointUrl],
    env,
    responseInEnv,
  }
}

/**
 * The environment of the plugin process: ecsops's own, minus variables that would make the
 * plugin pick other credentials than the ones resolved here, plus the call's variables.
 */
export function pluginEnvironment(base: NodeJS.ProcessEnv, call: PluginCall): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {...base}
  if (call.env.AWS_ACCESS_KEY_ID) {
    delete env.AWS_SESSION_TOKEN
    delete env.AWS_SECURITY_TOKEN
  }
  return {...env, ...call.env}
}

/** How to install the plugin on the operator's OS. */
export function pluginInstallHint(platform: NodeJS.Platform = process.platform): string {
  const guide = 'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html'
  switch (platform) {
    case 'darwin': {
      return `Install the Session Manager plugin: \`brew install --cask session-manager-plugin\` (or the bundle from ${guide}).`
    }
    case 'win32': {
      return `Install the Session Manager plugin: download and run https://s3.amazonaws.com/session-manager-downloads/plugin/latest/windows/SessionManagerPluginSetup.exe (see ${guide}), then open a new terminal.`
    }
    case 'linux': {
      return `Install the Session Manager plugin: the .deb (Debian/Ubuntu) or .rpm (Amazon Linux, RHEL) package from ${guide}, e.g. \`curl -o smp.deb https://s3.amazonaws.com/session-manager-downloads/plugin/latest/ubuntu_64bit/session-manager-plugin.deb && sudo dpkg -i smp.deb\`.`
    }
    default: {
      return `Install the Session Manager plugin: ${guide}.`
    }
  }
}

export interface PluginProbe {
  installed: boolean
  version?: string
  /** Why it could not be run (ENOENT, exit code, timeout). */
  problem?: string
}

export type Runner = (file: string, args: string[], options: {timeoutMs: number; signal?: AbortSignal}) => Promise<{stdout: string; stderr: string}>

/**
 * Runs `session-manager-plugin --version`. `signal` ends a probe no longer needed (the command
 * failed before it), so that a slow plugin does not keep ecsops alive after its error.
 */
export async function probePlugin(run?: Runner, signal?: AbortSignal): Promise<PluginProbe> {
  const runner = run ?? (await defaultRunner())
  try {
    const {stdout, stderr} = await runner(PLUGIN, ['--version'], {timeoutMs: 5000, signal})
    const version = parsePluginVersion(stdout) ?? parsePluginVersion(stderr)
    return version ? {installed: true, version} : {installed: true, problem: `\`${PLUGIN} --version\` printed no version: ${(stdout + stderr).trim().slice(0, 120)}`}
  } catch (error) {
    const e = error as NodeJS.ErrnoException & {killed?: boolean}
    if (e.code === 'ENOENT') return {installed: false, problem: `${PLUGIN} is not on PATH`}
    return {installed: false, problem: `\`${PLUGIN} --version\` failed: ${e.killed ? 'timed out' : e.message.split('\n')[0]}`}
  }
}

async function defaultRunner(): Promise<Runner> {
  const {execFile} = await import('node:child_process')
  return (file, args, {timeoutMs, signal}) =>
    new Promise((resolve, reject) => {
      execFile(file, args, {timeout: timeoutMs, windowsHide: true, signal}, (error, stdout, stderr) => (error ? reject(error) : resolve({stdout: String(stdout), stderr: String(stderr)})))
    })
}
