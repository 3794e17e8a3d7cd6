import * as tf from '@tensorflow/tfjs';
import { loadModel, saveModel } from './artifacts';
import { initialiseBackend } from './backend';
import { buildDataset, fitNormaliser, type LabelledItem, type ModelSpec } from './data';
import { createModel, modelInputShape, modelKind } from './model';
import { fitModel, predictProbabilities, trainAndEvaluate } from './train';

const digits: ModelSpec = { shape: [8, 8], classes: ['0', '1', '2'], multiLabel: false };

/** Tiny, clearly separable "images": class k lights up row k. */
function tinyItems(count: number, spec: ModelSpec): LabelledItem[] {
  return Array.from({ length: count }, (_, index) => {
    const label = index % 2 === 0 ? '0' : '1';
    const vector = Array.from({ length: 64 }, (_, pixel) =>
      Math.floor(pixel / 8) === Number(label) * 4 ? 16 : (index * 7 + pixel) % 3,
    );
    return { itemId: index + 1, input: vector, values: [spec.multiLabel ? [label, '2'] : [label]] };
  });
}

describe('trainer models', () => {
  let backend: string;

  beforeAll(async () => {
    backend = await initialiseBackend('auto');
  });

  it('runs on the wasm backend when tfjs-node is not installed', () => {
    expect(['tensorflow', 'wasm']).toContain(backend);
  });

  it('builds the seed CNN for 2-D vectors and a logistic model for flat ones, with one output per class', () => {
    expect(modelKind(digits)).toBe('cnn');
    expect(modelKind({ shape: [64] })).toBe('dense');
    expect(modelKind({ shape: [2, 32] })).toBe('dense');
    const cnn = createModel(digits, 1);
    expect(cnn.inputs[0]!.shape).toEqual([null, 8, 8, 1]);
    expect(cnn.outputs[0]!.shape).toEqual([null, 3]);
    expect(cnn.layers.map((layer) => layer.getClassName())).toEqual([
      'Conv2D',
      'MaxPooling2D',
      'Conv2D',
      'GlobalMaxPooling2D',
      'Dense',
    ]);
    const dense = createModel({ shape: [5], classes: ['a', 'b'], multiLabel: true }, 1);
    expect(dense.outputs[0]!.shape).toEqual([null, 2]);
    cnn.dispose();
    dense.dispose();
  });

  it('fits 2 epochs on tiny tensors, lowers the loss and leaks no tensors', async () => {
    const items = tinyItems(24, digits);
    const dataset = buildDataset(items, digits, fitNormaliser(items.map((item) => item.input)));
    const model = createModel(digits, 7);
    const before = tf.memory().numTensors;
    const loss = () =>
      tf.tidy(() => {
        const xs = tf.tensor(dataset.inputs, [dataset.size, ...modelInputShape(digits)]);
        const ys = tf.tensor2d(dataset.targets, [dataset.size, 3]);
        return (model.evaluate(xs, ys) as tf.Scalar).dataSync()[0]!;
      });
    const initialLoss = loss();
    await fitModel(model, dataset, digits, { epochs: 2, batchSize: 8 });
    await fitModel(model, dataset, digits, { epochs: 4, batchSize: 8 });
    expect(loss()).toBeLessThan(initialLoss);
    const probabilities = predictProbabilities(model, dataset.inputs, dataset.size, digits);
    expect(probabilities).toHaveLength(dataset.size * 3);
    for (let row = 0; row < dataset.size; row++) {
      const sum = probabilities[row * 3]! + probabilities[row * 3 + 1]! + probabilities[row * 3 + 2]!;
      expect(sum).toBeCloseTo(1, 4);
    }
    // Optimizer slots are created on the first fit; nothing else may stay behind.
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(model.trainableWeights.length * 2 + 2);
    model.dispose();
  });

  it('saves and loads a model that predicts exactly the same', async () => {
    const items = tinyItems(12, digits);
    const normaliser = fitNormaliser(items.map((item) => item.input));
    const dataset = buildDataset(items, digits, normaliser);
    const model = createModel(digits, 3);
    await fitModel(model, dataset, digits, { epochs: 2, batchSize: 4 });
    const artifacts = JSON.parse(JSON.stringify(await saveModel(model, digits, normaliser)));
    const loaded = await loadModel(artifacts);
    expect(artifacts.normaliser).toEqual({ offset: 0, scale: 16 });
    expect(Array.from(predictProbabilities(loaded, dataset.inputs, dataset.size, digits))).toEqual(
      Array.from(predictProbabilities(model, dataset.inputs, dataset.size, digits)),
    );
    model.dispose();
    loaded.dispose();
  });

  it('scores items far outside the labelled range (1e39 among numbers up to 10) with finite probabilities', async () => {
    const flat: ModelSpec = { shape: [2], classes: ['a', 'b'], multiLabel: false };
    const items: LabelledItem[] = Array.from({ length: 10 }, (_, index) => ({
      itemId: index + 1,
      input: [index, 10 - index],
      values: [[index < 5 ? 'a' : 'b']],
    }));
    const normaliser = fitNormaliser(items.map((item) => item.input));
    const model = createModel(flat, 2);
    await fitModel(model, buildDataset(items, flat, normaliser), flat, { epochs: 2, batchSize: 4 });
    const extremes = [
      [1e39, 0],
      [0, -1e39],
      [1e308, 1e308],
    ].map((input, index) => ({
      itemId: 100 + index,
      input,
      values: [['a']],
    }));
    const scored = buildDataset(extremes, flat, normaliser);
    const probabilities = predictProbabilities(model, scored.inputs, scored.size, flat);
    expect(Array.from(probabilities).every(Number.isFinite)).toBe(true);
    model.dispose();
  });

  it('measures quality on labels it did not train on, per class, including classes nobody labelled', async () => {
    // The logistic model: this is about the evaluation, and it trains in a blink.
    const flat: ModelSpec = { ...digits, shape: [64] };
    const items = tinyItems(30, flat);
    const dataset = buildDataset(items, flat, fitNormaliser(items.map((item) => item.input)));
    const { model, metrics } = await trainAndEvaluate(dataset, flat, {
      epochs: 10,
      batchSize: 10,
      seed: 1,
    });
    expect(metrics.evaluation).toBe('k-fold');
    expect(metrics.evaluatedOn).toBe(30);
    expect(metrics.accuracy).toBeGreaterThan(0.8);
    expect(metrics.perClass.map((entry) => [entry.className, entry.support])).toEqual([
      ['0', 15],
      ['1', 15],
      ['2', 0],
    ]);
    model.dispose();
  });

  it('trains multi-label projects with sigmoid outputs on the classes most labellers chose', async () => {
    const spec: ModelSpec = { shape: [64], classes: ['0', '1', '2'], multiLabel: true };
    const items = tinyItems(20, spec);
    const dataset = buildDataset(items, spec, fitNormaliser(items.map((item) => item.input)));
    expect(Array.from(dataset.targets.subarray(0, 3))).toEqual([1, 0, 1]);
    const { model, metrics } = await trainAndEvaluate(dataset, spec, { epochs: 2, batchSize: 8, seed: 2 });
    const probabilities = predictProbabilities(model, dataset.inputs.subarray(0, 128), 2, spec);
    expect(probabilities.every((p) => p >= 0 && p <= 1)).toBe(true);
    expect(metrics.perClass).toHaveLength(3);
    model.dispose();
  });
});
