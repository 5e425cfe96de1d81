import {describe, expect, it} from 'vitest'

import {credentialSource, endpointOverrides, kindOfResolved, predictCredentialSource} from '../../src/aws/credential-source.js'

const KEYS = {AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret'}
const PROFILES = {
  default: {region: 'eu-west-1'},
  keys: {aws_access_key_id: 'AKIDP', aws_secret_access_key: 's'},
  role: {role_arn: 'arn:aws:iam::1:role/Deployer', source_profile: 'keys'},
  ecsrole: {role_arn: 'arn:aws:iam::1:role/Task', credential_source: 'EcsContainer'},
  webid: {role_arn: 'arn:aws:iam::1:role/Ci', web_identity_token_file: '/tmp/token'},
  proc: {credential_process: 'corp-login --json'},
  sso: {sso_session: 'corp', sso_account_id: '1', sso_role_name: 'Dev'},
  ssolegacy: {sso_start_url: 'https://corp.awsapps.com/start', sso_account_id: '1', sso_role_name: 'Dev', sso_region: 'eu-west-1'},
  login: {login_session: 'arn:aws:iam::1:user/alice'},
  empty: {region: 'eu-west-1'},
}
const predict = (env: NodeJS.ProcessEnv, profile?: string) => {
  const {kind, description} = predictCredentialSource(env, profile, PROFILES)
  return `${kind}: ${description}`
}

describe('predictCredentialSource: the SDK default chain, from the environment and files', () => {
  it('environment keys when no profile is named', () => {
    expect(predict(KEYS)).toBe('environment: environment variables AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY')
    expect(predict({...KEYS, AWS_SESSION_TOKEN: 't'})).toBe('environment: environment variables AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN')
  })

  it('a named profile (flag or AWS_PROFILE) wins over environment keys', () => {
    expect(predict(KEYS, 'keys')).toBe('profile: keys of profile keys')
    expect(predict({...KEYS, AWS_PROFILE: 'sso'})).toBe('sso: SSO of profile sso (sso-session corp)')
  })

  it('each kind of profile', () => {
    expect(predict({}, 'role')).toBe('assume-role: role arn:aws:iam::1:role/Deployer assumed by profile role (source_profile keys)')
    expect(predict({}, 'ecsrole')).toBe('assume-role: role arn:aws:iam::1:role/Task assumed by profile ecsrole (credential_source EcsContainer)')
    expect(predict({}, 'webid')).toBe('web-identity: web identity token of profile webid for role arn:aws:iam::1:role/Ci')
    expect(predict({}, 'proc')).toBe('credential_process: credential_process of profile proc')
    expect(predict({}, 'ssolegacy')).toBe('sso: SSO of profile ssolegacy')
    expect(predict({}, 'login')).toBe('login: aws login session of profile login')
  })

  it('after the profiles: web identity from the environment, the container, instance metadata', () => {
    expect(predict({AWS_WEB_IDENTITY_TOKEN_FILE: '/t', AWS_ROLE_ARN: 'arn:aws:iam::1:role/Gh'})).toBe('web-identity: web identity token (AWS_WEB_IDENTITY_TOKEN_FILE) for role arn:aws:iam::1:role/Gh')
    expect(predict({AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x'})).toBe('container: container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)')
    expect(predict({AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials'}, 'empty')).toBe('container: container credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI)')
    expect(predict({})).toBe('instance-metadata: EC2 instance metadata (the instance profile\'s role)')
    expect(predict({AWS_EC2_METADATA_DISABLED: 'true'})).toBe('none: none: no environment keys, no profile with credentials, instance metadata disabled')
    expect(predict({AWS_EC2_METADATA_DISABLED: 'true'}, 'empty')).toBe('none: none: profile empty has no credentials, and instance metadata is disabled')
  })

  it('empty variables count as unset', () => {
    expect(predict({AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: 's', AWS_PROFILE: ''})).toBe('instance-metadata: EC2 instance metadata (the instance profile\'s role)')
  })
})

describe('what the SDK resolved ($source feature ids)', () => {
  it.each([
    [{CREDENTIALS_ENV_VARS: 'g'}, 'environment'],
    [{CREDENTIALS_PROFILE: 'n'}, 'profile'],
    [{CREDENTIALS_PROFILE: 'n', CREDENTIALS_PROFILE_SOURCE_PROFILE: 'o', CREDENTIALS_STS_ASSUME_ROLE: 'i'}, 'assume-role'],
    [{CREDENTIALS_PROFILE_NAMED_PROVIDER: 'p', CREDENTIALS_HTTP: 'z', CREDENTIALS_STS_ASSUME_ROLE: 'i'}, 'assume-role'],
    [{CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN: 'h', CREDENTIALS_STS_ASSUME_ROLE_WEB_ID: 'k'}, 'web-identity'],
    [{CREDENTIALS_PROFILE_PROCESS: 'v', CREDENTIALS_PROCESS: 'w'}, 'credential_process'],
    [{CREDENTIALS_PROFILE_SSO: 'r', CREDENTIALS_SSO: 's'}, 'sso'],
    [{CREDENTIALS_PROFILE_LOGIN: 'AC', CREDENTIALS_LOGIN: 'AD'}, 'login'],
    [{CREDENTIALS_HTTP: 'z'}, 'container'],
    [{CREDENTIALS_IMDS: '0'}, 'instance-metadata'],
  ])('%o → %s', (features, kind) => {
    expect(kindOfResolved(features)).toBe(kind)
  })

  it('confirms the prediction, or replaces it when the SDK went elsewhere', () => {
    const predicted = predictCredentialSource({}, 'keys', PROFILES)
    expect(credentialSource(predicted, undefined)).toEqual({kind: 'profile', description: 'keys of profile keys', determinedBy: 'files'})
    expect(credentialSource(predicted, {CREDENTIALS_PROFILE: 'n'})).toEqual({kind: 'profile', description: 'keys of profile keys', determinedBy: 'sdk'})
    expect(credentialSource(predicted, {CREDENTIALS_HTTP: 'z'})).toEqual({kind: 'container', description: 'container credentials', determinedBy: 'sdk'})
    expect(credentialSource(predicted, {SOMETHING_NEW: 'x'})).toEqual(predicted)
  })
})

describe('endpointOverrides', () => {
  it('service-specific variables, then AWS_ENDPOINT_URL, then the profile\'s endpoint_url', () => {
    const env = {AWS_ENDPOINT_URL: 'http://localhost:4566', AWS_ENDPOINT_URL_SSM: 'http://ssm.local', AWS_ENDPOINT_URL_ECS: 'http://ecs.local', AWS_ENDPOINT_URL_EC2: ''}
    expect(endpointOverrides(env, 'dev', {endpoint_url: 'http://dev.local'})).toEqual([
      {service: 'ECS', url: 'http://ecs.local', source: 'AWS_ENDPOINT_URL_ECS'},
      {service: 'SSM', url: 'http://ssm.local', source: 'AWS_ENDPOINT_URL_SSM'},
      {service: 'all', url: 'http://localhost:4566', source: 'AWS_ENDPOINT_URL'},
      {service: 'all', url: 'http://dev.local', source: 'profile dev (endpoint_url)'},
    ])
  })

  it('none without overrides, or when configured endpoints are ignored', () => {
    expect(endpointOverrides({}, undefined, undefined)).toEqual([])
    expect(endpointOverrides({AWS_ENDPOINT_URL: 'http://x', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true'}, undefined, undefined)).toEqual([])
    expect(endpointOverrides({AWS_ENDPOINT_URL: 'http://x'}, 'dev', {ignore_configured_endpoint_urls: 'true'})).toEqual([])
  })
})
