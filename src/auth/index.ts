/** Authentication: bearer JWTs (an issuer's, or local ones on loopback) in, API callers out. */
export { authMode, type AuthMode } from './auth-mode.js';
export { CLOCK_SKEW_SECONDS, createAuthenticator, type Authenticator, type AuthenticatorOptions } from './authenticator.js';
export { API_ROLES, ROLES_CLAIM, SERVICES_CLAIM, callerFromClaims, type ApiRole, type Caller } from './caller.js';
export { LOCAL_ALGORITHM, LOCAL_AUDIENCE, LOCAL_ISSUER, LOCAL_KEY_FILE, ensureLocalKey, localKeyPath, readLocalKey, type LocalKey } from './local-key.js';
export { DEFAULT_TTL, getValidTokenRequest, mintLocalToken, parseTtl, type LocalToken, type LocalTokenRequest, type ValidTokenRequest } from './mint-local-token.js';
