/**
 * Texts become fixed-width model inputs by feature hashing: every word and every pair of adjacent words
 * adds to one of TEXT_FEATURES slots chosen by its hash. No vocabulary is fitted, stored or downloaded, so a
 * model version scores texts it never saw, and a project's first model needs nothing but its labels.
 */
export const TEXT_FEATURES = 1024;

/** Only a text's start is read: a page of texts to score then takes bounded memory however long each is. */
export const TEXT_CHARS_READ = 10_000;

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Each feature is log(1 + count), and the row is scaled to unit length, so a long text does not outweigh
 * a short one (the usual tf weighting for a linear model). A text without words is all zeros.
 */
export function textFeatures(text: string): Float32Array {
  const features = new Float32Array(TEXT_FEATURES);
  const words = text.slice(0, TEXT_CHARS_READ).normalize('NFKC').toLowerCase().match(WORD) ?? [];
  words.forEach((word, index) => {
    features[slotOf(word)]! += 1;
    if (index > 0) features[slotOf(`${words[index - 1]} ${word}`)]! += 1;
  });
  let squares = 0;
  for (let i = 0; i < TEXT_FEATURES; i++) {
    features[i] = Math.log1p(features[i]!);
    squares += features[i]! * features[i]!;
  }
  if (squares > 0) {
    const length = Math.sqrt(squares);
    for (let i = 0; i < TEXT_FEATURES; i++) features[i]! /= length;
  }
  return features;
}

/** 32-bit FNV-1a of the UTF-16 code units: fast, stable across versions and machines. */
function slotOf(token: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    hash ^= token.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % TEXT_FEATURES;
}
