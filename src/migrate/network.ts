import type {AwsVpcConfiguration, Task, TaskDefinition} from '@aws-sdk/client-ecs'

/** What migrate knows about a task that failed to start, for the preflight that explains it (src/preflight/run.ts explainWithPreflight). */
export interface StartFailure {
  task: Task
  stoppedReason: string
  network?: AwsVpcConfiguration
  taskDefinition: TaskDefinition
  launchType?: string
  platformVersion?: string
}
