/**
 * The one table of exit codes for the whole CLI (also in the README). Every command uses these
 * codes for its own outcomes. `migrate` also passes the container's exit code through unchanged
 * (a container may itself exit 1, 3 or 124); its --json `outcome` tells the cases apart.
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
  /** migrate: the terminal hung up (SIGHUP: an SSH session dropped, a terminal closed); the task is stopped. */
  SIGHUP: 129,
  /** Interrupted by SIGINT (Ctrl-C). */
  SIGINT: 130,
  /** migrate: SIGQUIT (Ctrl-\\); the task is stopped. */
  SIGQUIT: 131,
  /** Terminated by SIGTERM (a cancelled CI job). */
  SIGTERM: 143,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]
