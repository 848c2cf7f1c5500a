/** The error a call fails with, for tests that assert codes, messages and issues. */
import { expect } from 'vitest';
import { IdGraphError, type ErrorCode } from '../../src/model/errors.js';

/** The IdGraphError a promise rejects with, after checking its code. */
export async function failureOf(promise: Promise<unknown>, code: ErrorCode): Promise<IdGraphError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(IdGraphError);
  expect(error).toMatchObject({ code });
  return error as IdGraphError;
}

/** The IdGraphError a synchronous call throws, after checking its code. */
export function thrownBy(run: () => unknown, code: ErrorCode): IdGraphError {
  let error: unknown;
  try {
    run();
  } catch (reason) {
    error = reason;
  }
  expect(error).toBeInstanceOf(IdGraphError);
  expect(error).toMatchObject({ code });
  return error as IdGraphError;
}
