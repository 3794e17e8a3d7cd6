import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';

export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

let chosen: Promise<string> | null = null;

/**
 * Picks the fastest TensorFlow.js backend this machine has, once per process: tfjs-node's native
 * TensorFlow when the package is installed (it is optional, and cannot install everywhere), else
 * WebAssembly from the installed package's own files (nothing downloads), else plain JavaScript.
 * Resolves to the backend's name, which every model version records.
 */
export function initialiseBackend(
  preference: BackendPreference = 'auto',
  log: (message: string) => void = () => undefined,
): Promise<string> {
  chosen ??= choose(preference, log);
  return chosen;
}

async function choose(preference: BackendPreference, log: (message: string) => void): Promise<string> {
  const order: Exclude<BackendPreference, 'auto'>[] =
    preference === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [preference, 'cpu'];
  for (const backend of order) {
    try {
      if (backend === 'tensorflow') {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional native package
        require('@tensorflow/tfjs-node');
      } else if (backend === 'wasm') {
        await registerWasm();
      }
      if (await tf.setBackend(backend)) {
        await tf.ready();
        log(`TensorFlow.js backend: ${backend}`);
        return backend;
      }
    } catch (error) {
      if (preference !== 'auto' || backend !== 'tensorflow') {
        log(`TensorFlow.js backend ${backend} unavailable: ${(error as Error).message}`);
      }
    }
  }
  throw new Error('no TensorFlow.js backend could start');
}

async function registerWasm(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when chosen
  const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
  // The .wasm binaries ship in the package's dist folder, next to its entry point.
  wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
  registerConv2dFilterGradient();
}

/**
 * The wasm backend (4.22) cannot train a conv2d layer: it lacks the Conv2DBackpropFilter kernel. Its
 * Conv3DBackpropFilterV2 kernel computes the same thing for a depth-1 volume, and the memory layout of
 * [b, h, w, c] and [b, 1, h, w, c] is the same, so the 2-D kernel is the 3-D one on re-labelled shapes.
 */
function registerConv2dFilterGradient(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  const conv3dFilter = tf.getKernel('Conv3DBackpropFilterV2', 'wasm');
  if (!conv3dFilter) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const { strides, pad, filterShape } = attrs as unknown as {
        strides: number | [number, number];
        pad: 'valid' | 'same';
        filterShape: [number, number, number, number];
      };
      const [stride1, stride2] = typeof strides === 'number' ? [strides, strides] : strides;
      const result = conv3dFilter.kernelFunc({
        inputs: {
          x: { ...x, shape: [x.shape[0]!, 1, ...x.shape.slice(1)] },
          dy: { ...dy, shape: [dy.shape[0]!, 1, ...dy.shape.slice(1)] },
        },
        backend,
        attrs: { strides: [1, stride1, stride2], pad, filterShape: [1, ...filterShape] },
      }) as tf.TensorInfo;
      return { ...result, shape: filterShape };
    },
  });
}
