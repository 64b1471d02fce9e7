import * as tf from '@tensorflow/tfjs-core';
import { backendInfo, initBackend, kernelMode, setKernelMode } from './backend';

describe('initBackend', () => {
  it('falls back past an unavailable tfjs-node and reports the active backend', async () => {
    const info = await initBackend();
    expect(['tensorflow', 'wasm', 'cpu']).toContain(info.backend);
    expect(tf.getBackend()).toBe(info.backend);
    if (info.backend !== 'tensorflow') {
      expect(info.skipped.map((s) => s.backend)).toContain('tensorflow');
    }
    expect(info.kernels).toBe('js');
    expect(backendInfo().backend).toBe(info.backend);
  });

  it('can be pinned to the plain cpu backend and back', async () => {
    expect((await initBackend({ backends: ['cpu'] })).backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await initBackend({ backends: ['wasm'] })).backend).toBe('wasm');
  });

  it('switches kernel mode for tests', async () => {
    await initBackend({ backends: ['wasm'] });
    setKernelMode('tf');
    expect(kernelMode()).toBe('tf');
    setKernelMode(null);
    expect(kernelMode()).toBe('js');
  });

  it('reports a clear error when nothing can start', async () => {
    await expect(initBackend({ backends: ['webgpu'] })).rejects.toThrow(
      /No tensor backend could be started: webgpu/,
    );
  });
});
