/**
 * Finds out whether this machine has a WebGPU adapter (Dawn through the `webgpu` package), which the
 * gpu queue's tensor backend needs. Run as a script it prints one JSON line, so a supervisor can ask
 * without loading Dawn into its own process.
 */
export interface GpuProbe {
  available: boolean;
  adapter?: string;
  reason?: string;
}

interface WebGpuModule {
  create(flags: string[]): { requestAdapter(): Promise<object | null> };
}

export async function probeWebGpu(): Promise<GpuProbe> {
  let mod: WebGpuModule;
  try {
    // `webgpu` is an optional dependency (Dawn's prebuilt dawn.node).
    mod = (await import('webgpu')) as unknown as WebGpuModule;
  } catch (err) {
    return {
      available: false,
      reason: `the optional package "webgpu" is not installed (${(err as Error).message})`,
    };
  }
  try {
    const gpu = mod.create([]);
    const adapter = await gpu.requestAdapter();
    if (!adapter) {
      return {
        available: false,
        reason:
          'no WebGPU adapter was found (Dawn needs the Vulkan loader libvulkan.so.1 and a GPU driver; ' +
          'set VK_DRIVER_FILES to the driver ICD if the loader does not find it)',
      };
    }
    const info = (
      adapter as unknown as { info?: { vendor?: string; architecture?: string; device?: string } }
    ).info;
    return {
      available: true,
      adapter: [info?.vendor, info?.architecture, info?.device].filter(Boolean).join(' '),
    };
  } catch (err) {
    return { available: false, reason: `WebGPU initialisation failed: ${(err as Error).message}` };
  }
}

if (require.main === module) {
  void probeWebGpu().then((probe) => {
    process.stdout.write(JSON.stringify(probe) + '\n');
    process.exit(0);
  });
}
