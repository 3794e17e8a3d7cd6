import * as tf from '@tensorflow/tfjs';
import type { ModelSpec, Normaliser } from './data';
import { compileModel } from './model';

/** What model_versions.artifacts holds: enough to predict again without retraining. */
export interface ModelArtifacts {
  format: 'foreman-tfjs-layers-1';
  spec: ModelSpec;
  normaliser: Normaliser;
  modelTopology: tf.io.ModelArtifacts['modelTopology'];
  weightSpecs: tf.io.WeightsManifestEntry[];
  /** The weights' bytes, base64. */
  weightData: string;
}

export async function saveModel(
  model: tf.LayersModel,
  spec: ModelSpec,
  normaliser: Normaliser,
): Promise<ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const artifacts = saved as tf.io.ModelArtifacts | null;
  if (!artifacts?.weightData || !artifacts.weightSpecs) throw new Error('the model saved no weights');
  const weights = Buffer.from(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
  return {
    format: 'foreman-tfjs-layers-1',
    spec,
    normaliser,
    modelTopology: artifacts.modelTopology,
    weightSpecs: artifacts.weightSpecs,
    weightData: weights.toString('base64'),
  };
}

export async function loadModel(artifacts: ModelArtifacts): Promise<tf.LayersModel> {
  if (artifacts.format !== 'foreman-tfjs-layers-1')
    throw new Error(`unknown model format ${String(artifacts.format)}`);
  const bytes = Buffer.from(artifacts.weightData, 'base64');
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: artifacts.modelTopology,
      weightSpecs: artifacts.weightSpecs,
      weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    }),
  );
  compileModel(model, artifacts.spec);
  return model;
}
