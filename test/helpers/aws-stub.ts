import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

/**
 * A local stand-in for AWS, reached by the built CLI through AWS_ENDPOINT_URL. It speaks the
 * wire protocols the clients use: awsJson1_1 (ECS, CloudWatch Logs, SSM, KMS), awsQuery (STS,
 * IAM) and ec2Query (EC2, whose handlers return raw XML because its element names differ from the
 * SDK's shapes). The service comes from the SigV4 credential scope, the action from
 * X-Amz-Target or the Action parameter.
 *
 * JSON handlers return the SDK output shape, with timestamps as epoch seconds (as AWS sends them).
 */
export interface StubCall {
  /** `ecs`, `logs`, `sts`, … (the signing name). */
  service: string
  action: string
  /** Parsed JSON body, or the query parameters as a flat record. */
  input: any
  at: number
  /** The access key id the request was signed with. */
  accessKeyId: string
  /** user-agent and x-amz-user-agent joined. */
  userAgent: string
}

export class StubError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message)
  }
}

/** `ecs:DescribeServices` → handler. A handler may return an object (JSON/XML-encoded) or an XML string. */
export type StubHandler = (input: any, call: StubCall) => unknown
export type StubHandlers = Record<string, StubHandler>

export interface AwsStub {
  url: string
  calls: StubCall[]
  /** Calls of one action, e.g. `ecs:DescribeTasks`. */
  callsOf(key: string): StubCall[]
  /** Environment for a spawned CLI: endpoint, static credentials, region. */
  env(extra?: Record<string, string | undefined>): Record<string, string | undefined>
  close(): Promise<void>
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => resolve(body))
    req.on('error', reject)
  })
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** awsQuery-style XML for an output object: lists as <member>, dates as ISO strings. */
export function toQueryXml(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.map((v) => `<member>${toQueryXml(v)}</member>`).join('')
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${toQueryXml(v)}</${k}>`)
      .join('')
  }
  return escapeXml(String(value))
}

export async function startAwsStub(handlers: StubHandlers, options: {region?: string} = {}): Promise<AwsStub> {
  const calls: StubCall[] = []
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req)
    const scope = /Credential=[^/]+\/\d+\/[^/]+\/([^/]+)\//.exec(String(req.headers.authorization ?? ''))
    const service = scope?.[1] ?? 'unknown'
    const target = req.headers['x-amz-target']
    let action: string
    let input: any
    let protocol: 'json' | 'query' | 'ec2'
    if (typeof target === 'string') {
      protocol = 'json'
      action = target.split('.').pop() ?? ''
      input = body ? JSON.parse(body) : {}
    } else {
      const params = new URLSearchParams(body)
      action = params.get('Action') ?? ''
      input = Object.fromEntries(params.entries())
      protocol = service === 'ec2' ? 'ec2' : 'query'
    }
    const accessKeyId = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? ''
    const userAgent = [req.headers['user-agent'], req.headers['x-amz-user-agent']].filter(Boolean).join(' ')
    const call: StubCall = {service, action, input, at: Date.now(), accessKeyId, userAgent}
    calls.push(call)
    const handler = handlers[`${service}:${action}`]
    try {
      if (!handler) throw new StubError('UnknownOperationException', `stub has no handler for ${service}:${action}`, 400)
      const output = await handler(input, call)
      if (protocol === 'json') {
        res.writeHead(200, {'content-type': 'application/x-amz-json-1.1'})
        res.end(JSON.stringify(output ?? {}))
      } else if (typeof output === 'string') {
        res.writeHead(200, {'content-type': 'text/xml'})
        res.end(output)
      } else {
        res.writeHead(200, {'content-type': 'text/xml'})
        res.end(`<${action}Response><${action}Result>${toQueryXml(output)}</${action}Result><ResponseMetadata><RequestId>stub-request</RequestId></ResponseMetadata></${action}Response>`)
      }
    } catch (error) {
      const e = error instanceof StubError ? error : new StubError('InternalFailure', String(error), 500)
      if (protocol === 'json') {
        res.writeHead(e.status, {'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': e.code})
        res.end(JSON.stringify({__type: e.code, message: e.message}))
      } else if (protocol === 'ec2') {
        res.writeHead(e.status, {'content-type': 'text/xml'})
        res.end(`<Response><Errors><Error><Code>${e.code}</Code><Message>${escapeXml(e.message)}</Message></Error></Errors><RequestID>stub</RequestID></Response>`)
      } else {
        res.writeHead(e.status, {'content-type': 'text/xml'})
        res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>${e.code}</Code><Message>${escapeXml(e.message)}</Message></Error><RequestId>stub</RequestId></ErrorResponse>`)
      }
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    calls,
    callsOf: (key) => calls.filter((c) => `${c.service}:${c.action}` === key),
    env: (extra = {}) => ({
      AWS_ENDPOINT_URL: url,
      AWS_ACCESS_KEY_ID: 'AKIDSTUB',
      AWS_SECRET_ACCESS_KEY: 'stub-secret',
      AWS_REGION: options.region ?? 'eu-west-1',
      ...extra,
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
