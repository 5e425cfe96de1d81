import type {IamDeclaration} from './declaration.js'

export interface PolicyStatement {
  Sid: string
  Effect: 'Allow'
  Action: string[]
  Resource: string
  Condition?: Record<string, Record<string, string>>
}

export interface PolicyDocument {
  Version: '2012-10-17'
  Statement: PolicyStatement[]
}

const sid = (commands: string[]) =>
  `Ecsops${commands.length === 1 ? commands[0].split(/[\s-]+/).map((w) => w[0].toUpperCase() + w.slice(1)).join('') : 'All'}`

/**
 * The IAM policy for one or more commands: one statement with every action, and iam:PassRole
 * in its own statement, limited to passing roles to ECS tasks.
 */
export function policyFor(declarations: IamDeclaration[]): PolicyDocument {
  const actions = new Set<string>()
  for (const declaration of declarations) for (const {action} of declaration.actions) actions.add(action)
  const passRole = actions.delete('iam:PassRole')
  const base = sid(declarations.map((d) => d.command))
  const statements: PolicyStatement[] = [{Sid: base, Effect: 'Allow', Action: [...actions].sort(), Resource: '*'}]
  if (passRole) {
    statements.push({
      Sid: `${base}PassTaskRoles`,
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: '*',
      Condition: {StringEquals: {'iam:PassedToService': 'ecs-tasks.amazonaws.com'}},
    })
  }
  return {Version: '2012-10-17', Statement: statements}
}

/** Whether `action` (e.g. `ecs:RunTask`) is covered by the declaration. */
export function declares(declaration: IamDeclaration, action: string): boolean {
  return declaration.actions.some((a) => a.action.toLowerCase() === action.toLowerCase())
}
