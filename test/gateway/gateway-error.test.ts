/** What a caller may read of an error the gateway relays: client-facing codes pass, the rest is masked. */
import { describe, expect, it } from 'vitest';
import { formatGatewayError } from '../../src/gateway/gateway-error.js';

describe('formatGatewayError', () => {
  it('passes errors written for the caller, without stack traces', () => {
    expect(formatGatewayError({ message: 'Unauthorized field or type: Query.x (needs scope s)', path: ['x'], extensions: { code: 'FORBIDDEN', coordinate: 'Query.x', stacktrace: ['at x (/srv/app.js:1:1)'] } })).toEqual({
      message: 'Unauthorized field or type: Query.x (needs scope s)',
      path: ['x'],
      extensions: { code: 'FORBIDDEN', coordinate: 'Query.x' },
    });
    expect(formatGatewayError({ message: 'Subgraph "payments" is unavailable', extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'payments' } }).message).toBe('Subgraph "payments" is unavailable');
  });

  it('masks a subgraph’s internal failure, naming only the subgraph', () => {
    const leaked = { message: 'connect ECONNREFUSED 10.0.3.7:5432 (postgres://payments:hunter2@db)', path: ['payments'], extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'payments', stacktrace: ['…'] } };
    expect(formatGatewayError(leaked)).toEqual({ message: 'Internal server error in subgraph "payments"', path: ['payments'], extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'payments' } });
    expect(formatGatewayError({ message: 'boom' })).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
});
