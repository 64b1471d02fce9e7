/**
 * Tensor backend selection. Order: `tensorflow` (@tensorflow/tfjs-node, an optional dependency whose
 * install fails offline), `wasm`, `cpu`. `webgpu` is used only when asked for (the GPU worker).
 *
 * sim-core has two implementations of its hot kernels: hand-written typed-array kernels ("js"; used on
 * CPU backends, where they are faster) and kernels made of tfjs ops ("tf"; used on webgpu, and
 * selectable anywhere for testing). `kernelMode()` says which one runs.
 */
import * as tf from '@tensorflow/tfjs-core';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu' | 'webgpu';
export type KernelMode = 'js' | 'tf';

export interface BackendInfo {
  backend: BackendName;
  kernels: KernelMode;
  /** Backends that were tried and failed, with the reason. */
  skipped: { backend: BackendName; reason: string }[];
}

export interface InitBackendOptions {
  /** Try exactly these, in order (default: tensorflow, wasm, cpu). */
  backends?: BackendName[];
  /** Force a kernel implementation (default: tf on webgpu, js elsewhere). */
  kernels?: KernelMode;
}

let current: BackendInfo | null = null;
let kernelOverride: KernelMode | null = null;

/** Load a module by a computed name, so bundlers and the type checker do not require it to exist. */
async function optionalImport(name: string): Promise<unknown> {
  return import(/* webpackIgnore: true */ name);
}

async function register(backend: BackendName): Promise<void> {
  switch (backend) {
    case 'tensorflow':
      // Registers the 'tensorflow' backend with tfjs-core when libtensorflow is installed.
      await optionalImport('@tensorflow/tfjs-node');
      break;
    case 'wasm':
      await import('@tensorflow/tfjs-backend-wasm');
      break;
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      break;
    case 'webgpu': {
      const g = globalThis as { navigator?: { gpu?: unknown } };
      if (!g.navigator?.gpu) {
        // Node: the `webgpu` package (Dawn) provides navigator.gpu (see shared/reference/gpu.md).
        const webgpu = (await optionalImport('webgpu')) as {
          create: (flags: string[]) => unknown;
          globals: Record<string, unknown>;
        };
        Object.assign(globalThis, webgpu.globals);
        Object.defineProperty(globalThis, 'navigator', {
          value: { ...(g.navigator ?? {}), gpu: webgpu.create([]) },
          configurable: true,
          writable: true,
        });
      }
      await import('@tensorflow/tfjs-backend-webgpu');
      break;
    }
  }
}

/**
 * Choose and initialise the tensor backend (idempotent for the same options). Each worker thread
 * calls it once. Returns what is active; throws if no backend could be started.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const order = options.backends ?? ['tensorflow', 'wasm', 'cpu'];
  if (current && order.includes(current.backend) && tf.getBackend() === backendTfName(current.backend)) {
    if (options.kernels) kernelOverride = options.kernels;
    return backendInfo();
  }
  const skipped: BackendInfo['skipped'] = [];
  for (const backend of order) {
    try {
      await register(backend);
      const ok = await tf.setBackend(backendTfName(backend));
      if (!ok) throw new Error('setBackend returned false');
      await tf.ready();
      current = { backend, kernels: backend === 'webgpu' ? 'tf' : 'js', skipped };
      kernelOverride = options.kernels ?? null;
      return backendInfo();
    } catch (error) {
      skipped.push({
        backend,
        reason: error instanceof Error ? error.message.split('\n')[0] : String(error),
      });
    }
  }
  throw new Error(
    `No tensor backend could be started: ${skipped.map((s) => `${s.backend} (${s.reason})`).join('; ')}`,
  );
}

function backendTfName(backend: BackendName): string {
  return backend;
}

/** The active backend; throws if initBackend() has not run. */
export function backendInfo(): BackendInfo {
  if (!current) throw new Error('sim-core: call initBackend() before simulating');
  return { ...current, kernels: kernelOverride ?? current.kernels };
}

/** Which kernel implementation runs (see the module comment). */
export function kernelMode(): KernelMode {
  return backendInfo().kernels;
}

/** Switch kernel implementation (tests compare the two on the same backend). */
export function setKernelMode(mode: KernelMode | null): void {
  kernelOverride = mode;
}
