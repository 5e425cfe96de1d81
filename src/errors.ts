import {ExitCode} from './exit-codes.js'

export interface EcsopsErrorOptions {
  /** Exit code for the process; defaults to the class's own. */
  exit?: number
  /** What to do next, printed on the line after the message. */
  hint?: string
  /** AWS error code or other machine-readable code, kept in --json output. */
  code?: string
  cause?: unknown
}

/**
 * An error the user can act on: says what failed and why (message) and what to do (hint).
 * Printed without a stack trace; `exitCode` is the process exit code.
 */
export class EcsopsError extends Error {
  readonly exitCode: number
  readonly hint?: string
  readonly code?: string

  constructor(message: string, options: EcsopsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'EcsopsError'
    this.exitCode = options.exit ?? ExitCode.PROBLEMS
    this.hint = options.hint
    this.code = options.code
  }
}

/** Bad flags, arguments or configuration: exit 2. */
export class UsageError extends EcsopsError {
  constructor(message: string, options: Omit<EcsopsErrorOptions, 'exit'> = {}) {
    super(message, {...options, exit: ExitCode.USAGE})
    this.name = 'UsageError'
  }
}

/** AWS answered with an error, or could not be reached, or credentials failed: exit 3. */
export class AwsCallError extends EcsopsError {
  constructor(message: string, options: Omit<EcsopsErrorOptions, 'exit'> = {}) {
    super(message, {...options, exit: ExitCode.AWS})
    this.name = 'AwsCallError'
  }
}
