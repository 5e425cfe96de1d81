import {checkEndpointsIam} from '../endpoints/iam.js'
import {execCheckIam, execIam, execPortForwardIam} from '../exec/iam.js'
import {migrateIam} from '../migrate/iam.js'
import {preflightIam} from '../preflight/iam.js'
import type {IamDeclaration} from './declaration.js'

export const configIam: IamDeclaration = {
  command: 'config',
  actions: [{action: 'sts:GetCallerIdentity', why: 'show the account and ARN of the caller'}],
}

/** Every command that calls AWS, with the actions it calls. */
export const DECLARATIONS: IamDeclaration[] = [migrateIam, execIam, execPortForwardIam, execCheckIam, checkEndpointsIam, preflightIam, configIam]
