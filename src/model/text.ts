/** Small wording rules every message shares. */

/** `an Identity`, `a Service`: the article a label takes in a message. */
export function withArticle(word: string): string {
  return `${/^[AEIOU]/.test(word) ? 'an' : 'a'} ${word}`;
}
