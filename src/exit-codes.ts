/**
 * The one table of exit codes for the whole CLI (also in the README).
 * `migrate` passes the container's own exit code through; the codes below 4 and
 * the reserved 124/125/130/143 keep their meaning in every command.
 */
export const ExitCode = {
  /** Success: the command did what was asked and found nothing wrong. */
  OK: 0,
  /** The command ran and found problems (failed checks, endpoint findings). */
  PROBLEMS: 1,
  /** Usage or configuration error: bad flag, bad config file, unknown environment, missing region. */
  USAGE: 2,
  /** AWS, credential or network error: access denied, expired token, throttled past retries, unknown resource. */
  AWS: 3,
  /** migrate: --timeout reached before the task stopped. */
  TIMEOUT: 124,
  /** migrate: the task or the container never ran (RunTask failures, TaskFailedToStart). */
  NEVER_RAN: 125,
  /** Interrupted by SIGINT (Ctrl-C). */
  SIGINT: 130,
  /** Terminated by SIGTERM (a cancelled CI job). */
  SIGTERM: 143,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]
