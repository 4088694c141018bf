/** Name conversions between Keras (snake_case) and keras-ts (camelCase). */

/**
 * Keras' `naming.to_snake_case`: drop non-word characters, then put `_` before each capitalized
 * word and between a lower-case letter and a capital ('Dense' → 'dense', 'InputLayer' →
 * 'input_layer', 'AdamW' → 'adam_w'). It names the weight groups of a `.keras` file and Keras'
 * default object names.
 */
export function kerasSnakeCase(className: string): string {
  return className
    .replace(/[^A-Za-z0-9_]+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** 'use_bias' → 'useBias', 'beta_1' → 'beta1', 'categorical_crossentropy' → 'categoricalCrossentropy'. */
export function snakeToCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_match, c: string) => c.toUpperCase());
}

/** 'useBias' → 'use_bias', 'categoricalCrossentropy' → 'categorical_crossentropy' (loss and metric names). */
export function camelToSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
