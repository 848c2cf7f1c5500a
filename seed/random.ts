/**
 * Seedable pseudo-random numbers for the synthetic estates: the same seed gives the same estate, byte for
 * byte. `mulberry32` is one sequential stream; `hash32` seeds a stream per entity, so that a generator can
 * recompute any entity's draws from its index alone instead of remembering them.
 */
import { fmix32 } from '../src/model/fmix32.js';

/**
 * A small, fast, seedable PRNG (public domain): numbers in `[0, 1)`.
 * @example const random = mulberry32(42); random(); // 0.6011037519201636
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A well-mixed unsigned 32-bit hash of three integers (MurmurHash3's finalizer after each): the seed of
 * the stream of one entity, e.g. `mulberry32(hash32(seed, SALT_IDENTITY, i))`.
 */
export function hash32(a: number, b: number, c: number): number {
  let h = fmix32(a ^ 0x9e3779b9);
  h = fmix32(h ^ Math.imul(b, 0x85ebca6b) ^ 0x7f4a7c15);
  return fmix32(h ^ Math.imul(c, 0xc2b2ae35) ^ 0x94d049bb);
}
