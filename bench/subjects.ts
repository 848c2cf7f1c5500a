/**
 * The random subjects every latency section uses: identities, half humans and half non-human identities
 * (their kind is read from the store, since the projection holds topology only), and scopes for `whoCan`.
 * Deterministic for a given seed, so every run and every section asks about the same nodes.
 */
import type { Projection } from '../src/projection/projection.js';
import type { GraphStore } from '../src/store/port.js';
import { mulberry32 } from '../seed/random.js';

export interface Subjects {
  /** Identity ids, humans and NHIs interleaved. */
  readonly identities: readonly string[];
  readonly humans: number;
  /** Scope ids. */
  readonly scopes: readonly string[];
}

/** How many identities are looked up per subject wanted, to find enough humans among them. */
const OVERSAMPLE = 20;

/**
 * @example const subjects = await pickSubjects(projection, store, 200)
 */
export async function pickSubjects(projection: Projection, store: GraphStore, count: number, seed = 7): Promise<Subjects> {
  const random = mulberry32(seed);
  const identities = projection.nodesOfLabel('Identity');
  const scopes = projection.nodesOfLabel('Scope');
  if (identities.length === 0 || scopes.length === 0) throw new Error('the estate has no identities or no scopes to ask about');
  const candidates = sample(identities, count * OVERSAMPLE, random).map((n) => projection.idOf(n));
  const kinds = new Map<string, unknown>();
  for (let i = 0; i < candidates.length; i += 1000) {
    for (const node of await store.getNodes(candidates.slice(i, i + 1000))) if (node !== undefined) kinds.set(node.id, node.props['kind']);
  }
  const humans = candidates.filter((id) => kinds.get(id) === 'HUMAN');
  const nhis = candidates.filter((id) => kinds.get(id) !== 'HUMAN');
  const picked: string[] = [];
  let h = 0;
  let n = 0;
  // Alternate, so that any prefix (the Cypher subset, the HTTP rotation) holds both kinds.
  while (picked.length < count && (h < humans.length || n < nhis.length)) {
    if (h < humans.length && (picked.length % 2 === 0 || n >= nhis.length)) picked.push(humans[h++]!);
    else picked.push(nhis[n++]!);
  }
  return { identities: picked, humans: h, scopes: sample(scopes, count, random).map((s) => projection.idOf(s)) };
}

/** `count` distinct elements in random order while there are enough; past that, all of them and then repeats. */
function sample<T>(from: readonly T[], count: number, random: () => number): T[] {
  const pick = (): number => Math.floor(random() * from.length);
  if (count < from.length) {
    const chosen = new Set<number>();
    while (chosen.size < count) chosen.add(pick());
    return [...chosen].map((i) => from[i]!);
  }
  const all = [...from];
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  while (all.length < count) all.push(from[pick()]!);
  return all;
}
