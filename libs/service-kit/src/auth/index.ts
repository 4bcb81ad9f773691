export { BEARER_SCHEME, CurrentPrincipal, Public, RequireScopes } from './decorators';
export { SCOPES, type Principal } from './principal';
