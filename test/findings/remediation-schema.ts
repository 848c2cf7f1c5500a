/**
 * The governance mutations as schema/governance.graphql declares them, read with graphql-js: each with its
 * arguments, and the input types they take, so that a test can check a remediation against the SDL.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type TypeNode } from 'graphql';
import type { Remediation } from '../../src/findings/index.js';

interface Arg {
  readonly required: boolean;
  readonly type: string;
}

const sdl = parse(readFileSync(join(import.meta.dirname, '..', '..', 'schema', 'governance.graphql'), 'utf8'));

const mutations = new Map<string, Map<string, Arg>>();
const inputs = new Map<string, Map<string, Arg>>();
for (const def of sdl.definitions) {
  if ((def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.OBJECT_TYPE_EXTENSION) && def.name.value === 'Mutation') {
    for (const field of def.fields ?? []) {
      mutations.set(field.name.value, new Map((field.arguments ?? []).map((a) => [a.name.value, { required: a.type.kind === Kind.NON_NULL_TYPE && a.defaultValue === undefined, type: named(a.type) }])));
    }
  }
  if (def.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) {
    inputs.set(def.name.value, new Map((def.fields ?? []).map((f) => [f.name.value, { required: f.type.kind === Kind.NON_NULL_TYPE && f.defaultValue === undefined, type: named(f.type) }])));
  }
}

function named(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : named(type.type);
}

/** Every problem of a remediation against the SDL: an unknown mutation, an argument it does not take, a required one missing. */
export function remediationProblems(remediation: Remediation): string[] {
  const args = mutations.get(remediation.mutation);
  if (args === undefined) return [`no mutation ${remediation.mutation}`];
  const problems = check(remediation.mutation, args, remediation.args);
  if (remediation.dryRunnable !== args.has('dryRun')) problems.push(`${remediation.mutation}: dryRunnable is ${remediation.dryRunnable}, the mutation ${args.has('dryRun') ? 'takes' : 'does not take'} dryRun`);
  return problems;
}

function check(where: string, declared: ReadonlyMap<string, Arg>, given: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    const arg = declared.get(name);
    if (arg === undefined) problems.push(`${where}: no argument ${name}`);
    else if (inputs.has(arg.type)) {
      if (typeof value !== 'object' || value === null) problems.push(`${where}.${name}: expected an ${arg.type} object`);
      else problems.push(...check(`${where}.${name}`, inputs.get(arg.type)!, value as Record<string, unknown>));
    } else if (value === undefined || value === null) problems.push(`${where}.${name}: no value`);
  }
  for (const [name, arg] of declared) if (arg.required && !(name in given)) problems.push(`${where}: missing required ${name}`);
  return problems;
}
