/** One folder rule of eslint.config.mjs. */
export interface Layer {
  name: string;
  files: string[];
  only?: string[];
  never?: string[];
  noPackages?: string[];
}
export function refusal(layer: Layer, target: string): string | null;
export const layersRule: unknown;
declare const plugin: { rules: { layers: unknown } };
export default plugin;
