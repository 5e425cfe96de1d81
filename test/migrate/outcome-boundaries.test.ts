import type {Container, Task} from '@aws-sdk/client-ecs'
import {describe, expect, it} from 'vitest'

import {exitCodeOf} from '../../src/migrate/outcome.js'

/**
 * A process exit code is 0–255: the container's own code passes through up to 255 inclusive; a
 * value a shell could not return (negative, above 255, which ECS can report for a Windows
 * container) becomes 1 (PROBLEMS), so that the pipeline fails rather than wrapping to 0.
 */
const stopped = (containers: Container[]): Task => ({
  taskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/app/0123456789abcdef0123456789abcdef',
  lastStatus: 'STOPPED',
  stopCode: 'EssentialContainerExited',
  stoppedReason: 'Essential container in task exited',
  containers,
})

describe('the exit code at the edges of 0–255', () => {
  it.each([
    [1, 1],
    [2, 2],
    [254, 254],
    [255, 255],
    [256, 1],
    [-1, 1],
    [-1073741819, 1], // 0xC0000005 from a Windows container, as ECS's signed integer
  ])('container code %i → ecsops exits %i', (code, exit) => {
    const o = exitCodeOf(stopped([{name: 'migrate', exitCode: code}]), 'migrate')
    expect(o).toMatchObject({kind: 'failed', exit, containerExitCode: code, summary: `Container migrate exited with code ${code}.`})
  })

  it('255 is the container\'s code even when a sidecar stopped with another', () => {
    const o = exitCodeOf(stopped([{name: 'envoy', exitCode: 0}, {name: 'migrate', exitCode: 255}]), 'migrate')
    expect(o.exit).toBe(255)
  })
})
