/** A proxy or captive portal that answers HTML instead of AWS (issue 14, item 10). */
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {cleanEnv, runCli} from '../helpers/cli.js'

describe('an HTML answer instead of AWS (built CLI)', () => {
  let server: Server
  let host: string
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(502, {'content-type': 'text/html; charset=utf-8'})
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const env = () => cleanEnv({AWS_ENDPOINT_URL: `http://${host}`, AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'eu-west-1'})

  it.each([
    ['a JSON service (ECS)', ['migrate', '--cluster', 'c', '--service', 's', '--dry-run', '--', 'true']],
    ['a query service (STS)', ['config']],
  ])('%s: exit 3 naming the HTTP status and host, no SyntaxError', async (_what, args) => {
    const r = await runCli(args, {env: env()})
    expect(r.code).toBe(3)
    expect(r.stderr).toContain(`error: AWS did not answer: ${host} returned HTTP 502 (text/html), not an AWS response.`)
    expect(r.stderr).not.toMatch(/SyntaxError|\$response/)
  })
})
