/**
 * The single entry of the Salesforce layer (bundled as dist/salesforce.js and loaded lazily by the
 * extension). Importing it has no side effects beyond loading the libraries.
 */
export { SalesforceError, toSalesforceError } from './errors';
export { OrgConnection } from './connection';
export { listAuthorizations, connect, authorizeWithToken, removeAuthorization, type TokenAuthorization } from './orgs';
export { authorizeWithWebLogin, type WebLoginOptions } from './login';
export { testConnection } from './info';
