/** The API roles a caller's token can hold (DESIGN.md, API conventions): one list for auth and policy. */
export const API_ROLES = ['analyst', 'auditor', 'service-owner', 'central-admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];
