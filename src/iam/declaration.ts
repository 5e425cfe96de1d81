/** One AWS action a command calls, and why; the source of `ecsops iam-policy`. */
export interface IamAction {
  /** `ecs:RunTask` */
  action: string
  /** Why the command calls it, in a few words (printed by `ecsops iam-policy --explain`). */
  why: string
  /** Only needed in some cases, e.g. "with --tag". */
  when?: string
}

export interface IamDeclaration {
  /** The command id as typed: `migrate`, `exec check`. */
  command: string
  actions: IamAction[]
}
