/** Telling a GPU from a CPU rasterizer by the WebGPU adapter's own description (Node and browsers). */

/** What a WebGPU adapter says about itself (`GPUAdapterInfo`, plus Dawn's `isFallbackAdapter`). */
export interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** Names of CPU rasterizers as drivers report them: Mesa's llvmpipe/lavapipe/softpipe, SwiftShader, WARP. */
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|softpipe|swiftshader|basic render driver|microsoft basic|software/i;

/** Whether an adapter is a CPU rasterizer rather than a GPU: the fallback flag, else its names. */
export function isSoftwareAdapter(info: AdapterInfo): boolean {
  if (info.isFallbackAdapter === true) return true;
  return [info.vendor, info.architecture, info.device, info.description].some((s) => s !== undefined && SOFTWARE_ADAPTER.test(s));
}
