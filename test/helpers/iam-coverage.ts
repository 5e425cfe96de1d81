import type {AwsClientStub} from 'aws-sdk-client-mock'
import {afterEach, expect, it} from 'vitest'

import type {IamDeclaration} from '../../src/iam/declaration.js'
import {declares} from '../../src/iam/policy.js'

/**
 * Call once at the END of a test file (after its describes): records every SDK command the
 * file's mocked clients received and adds a last test asserting each one is declared for
 * `ecsops iam-policy <command>`. `mocks` is keyed by IAM prefix: {ecs: ecsMock, logs: logsMock}.
 */
export function itSendsOnlyDeclaredActions(declaration: IamDeclaration, mocks: Record<string, AwsClientStub<any>>): void {
  const seen = new Set<string>()
  const record = () => {
    for (const [prefix, mock] of Object.entries(mocks)) {
      for (const call of mock.calls()) {
        const name = (call.args[0] as object).constructor.name.replace(/Command$/, '')
        seen.add(`${prefix}:${name}`)
      }
    }
  }
  afterEach(record)
  it(`sends only AWS actions declared for \`ecsops iam-policy ${declaration.command}\``, () => {
    record()
    expect(seen.size, 'the tests of this file made no AWS call at all').toBeGreaterThan(0)
    const undeclared = [...seen].filter((action) => !declares(declaration, action))
    expect(undeclared).toEqual([])
  })
}
