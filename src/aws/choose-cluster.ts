/**
 * A cluster for a command run without one (no --cluster, ECSOPS_CLUSTER or config): the account's
 * clusters in a picker in a terminal, or an error that lists them (one per line) without one —
 * the same picker exec uses. A command that changes things (migrate) never takes "the only one"
 * silently: it asks, or names it in the error.
 */
import type {ECSClient} from '@aws-sdk/client-ecs'

import {clusterNameOf} from './arn.js'
import {UsageError} from '../errors.js'
import type {Ui} from '../ui/output.js'

export async function chooseCluster(ui: Ui, ecs: ECSClient, missing: UsageError, options: {region: string; takeOnlyOne: boolean}): Promise<string> {
  const [{listClusters, nameChoices}, {pickOne}] = await Promise.all([import('../exec/pick.js'), import('../ui/prompt.js')])
  let arns: string[]
  try {
    arns = await listClusters(ecs)
  } catch {
    // Listing is a convenience: when it fails (no permission, no credentials), the missing flag is the error.
    throw missing
  }
  if (arns.length === 0) throw new UsageError(`${missing.message} There is no cluster in ${options.region} either.`, {hint: `${missing.hint ?? ''} Check --region (or --profile).`.trim(), code: missing.code})
  return pickOne(ui, {message: 'Which cluster?', flag: 'cluster', noun: 'cluster', choices: nameChoices(arns, clusterNameOf), takeOnlyOne: options.takeOnlyOne})
}
