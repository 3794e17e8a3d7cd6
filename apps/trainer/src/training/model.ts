import * as tf from '@tensorflow/tfjs';
import { featureCount, type ModelSpec } from './data';

export type ModelKind = 'cnn' | 'dense';

/** Adam's step size: inputs are normalised, so a larger step than Keras' 0.001 converges in few epochs. */
export const LEARNING_RATE = 0.01;

/** Items with a 2-D shape of at least 4x4 are images for a small CNN; anything else gets a dense model. */
export function modelKind(spec: Pick<ModelSpec, 'shape'>): ModelKind {
  const [height, width, ...rest] = spec.shape;
  return rest.length === 0 && height !== undefined && width !== undefined && height >= 4 && width >= 4
    ? 'cnn'
    : 'dense';
}

/** The shape of one input row: [h, w, 1] for the CNN, [features] for the dense model. */
export function modelInputShape(spec: Pick<ModelSpec, 'shape'>): number[] {
  return modelKind(spec) === 'cnn' ? [spec.shape[0]!, spec.shape[1]!, 1] : [featureCount(spec)];
}

/**
 * The seed's CNN (conv 8 -> max-pool -> conv 16 -> global max-pool -> dense) for images, or a logistic
 * model for other vectors; one output per project class: softmax for single-label projects, independent
 * sigmoids for multi-label ones. Convolutions pad 'same' so shapes smaller than the seed's 8x8 still fit.
 */
export function createModel(spec: ModelSpec, seed?: number): tf.LayersModel {
  const classCount = spec.classes.length;
  const activation = spec.multiLabel ? 'sigmoid' : 'softmax';
  const init = (offset: number) =>
    tf.initializers.glorotUniform({ seed: seed === undefined ? undefined : seed + offset });
  const model = tf.sequential();
  if (modelKind(spec) === 'cnn') {
    model.add(
      tf.layers.conv2d({
        inputShape: modelInputShape(spec),
        filters: 8,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(1),
      }),
    );
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(
      tf.layers.conv2d({
        filters: 16,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(2),
      }),
    );
    model.add(tf.layers.globalMaxPooling2d({}));
    model.add(tf.layers.dense({ units: classCount, activation, kernelInitializer: init(3) }));
  } else {
    model.add(
      tf.layers.dense({
        inputShape: modelInputShape(spec),
        units: classCount,
        activation,
        kernelInitializer: init(1),
      }),
    );
  }
  compileModel(model, spec);
  return model;
}

/** Loaded models need compiling again before they can be trained further. */
export function compileModel(model: tf.LayersModel, spec: Pick<ModelSpec, 'multiLabel'>): void {
  model.compile({
    optimizer: tf.train.adam(LEARNING_RATE),
    loss: spec.multiLabel ? 'binaryCrossentropy' : 'categoricalCrossentropy',
  });
}
