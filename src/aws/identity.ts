import type {STSClient} from '@aws-sdk/client-sts'

export interface CallerIdentity {
  account: string
  arn: string
  userId: string
  /** The IAM principal behind the ARN: the user, or the role behind an assumed-role session. */
  principalArn: string
}

/** `arn:aws:sts::1:assumed-role/Dev/alice` → `arn:aws:iam::1:role/Dev`; users and roles pass through. */
export function principalOf(arn: string): string {
  const match = /^arn:(aws[\w-]*):sts::(\d+):assumed-role\/([^/]+)\/.+$/.exec(arn)
  return match ? `arn:${match[1]}:iam::${match[2]}:role/${match[3]}` : arn
}

export async function callerIdentity(sts: STSClient): Promise<CallerIdentity> {
  const {GetCallerIdentityCommand} = await import('@aws-sdk/client-sts')
  const out = await sts.send(new GetCallerIdentityCommand({}))
  const arn = out.Arn ?? ''
  return {account: out.Account ?? '', arn, userId: out.UserId ?? '', principalArn: principalOf(arn)}
}
