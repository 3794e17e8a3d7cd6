import { TEXT_CHARS_READ, TEXT_FEATURES, textFeatures } from './text-features';

const length = (features: Float32Array) => Math.sqrt(features.reduce((sum, value) => sum + value * value, 0));
const similarity = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

describe('text features', () => {
  it('gives every text TEXT_FEATURES numbers of unit length, the same every time', () => {
    const features = textFeatures('The oven was hot; bake the bread.');
    expect(features).toHaveLength(TEXT_FEATURES);
    expect(length(features)).toBeCloseTo(1, 5);
    expect(Array.from(textFeatures('The oven was hot; bake the bread.'))).toEqual(Array.from(features));
  });

  it('reads words whatever their case, accents composed or not, and punctuation', () => {
    expect(Array.from(textFeatures('Café, OVEN!  bread'))).toEqual(
      Array.from(textFeatures('cafe\u0301 oven bread')),
    );
  });

  it('tells texts apart by their words and word order, and a short one weighs as much as a long one', () => {
    const dogs = textFeatures('the dog chased the ball');
    expect(similarity(dogs, textFeatures('the ball chased the dog'))).toBeLessThan(0.99);
    expect(similarity(dogs, textFeatures('the ball chased the dog'))).toBeGreaterThan(0.5);
    expect(similarity(dogs, textFeatures('stock prices fell sharply'))).toBeLessThan(0.2);
    expect(length(textFeatures('dog '.repeat(500)))).toBeCloseTo(1, 5);
  });

  it('is all zeros for a text without words, and reads only the first TEXT_CHARS_READ characters', () => {
    expect(length(textFeatures(' … !? '))).toBe(0);
    const start = 'word '.repeat(TEXT_CHARS_READ / 5);
    expect(Array.from(textFeatures(`${start}tail`))).toEqual(Array.from(textFeatures(start)));
  });
});
