/**
 * Regularizers, constraints and initializers: the objects nested in a layer's config. Keys and
 * defaults from Keras 3.15.1's `get_config`/`__init__` (regularizers.py, constraints.py,
 * random_initializers.py, constant_initializers.py).
 */
import type { ClassSpec, KeySpec } from './spec';

const regularizer = (className: string, keys: KeySpec[], aliases: string[]): ClassSpec => ({
  className,
  module: 'keras.regularizers',
  family: 'regularizer',
  keys,
  aliases,
});

const constraint = (className: string, keys: KeySpec[], aliases: string[]): ClassSpec => ({
  className,
  module: 'keras.constraints',
  family: 'constraint',
  keys,
  aliases,
});

const initializer = (className: string, keys: KeySpec[], aliases: string[]): ClassSpec => ({
  className,
  module: 'keras.initializers',
  family: 'initializer',
  keys,
  aliases,
});

const seed: KeySpec = { keras: 'seed', kind: 'int', nullable: true, default: null };

/** The variance-scaling family writes the seed and two axis hints keras-ts does not use. */
const varianceScaling: KeySpec[] = [
  seed,
  { keras: 'input_axes', kerasOnly: true, value: null },
  { keras: 'output_axes', kerasOnly: true, value: null },
];

export const REGULARIZERS: ClassSpec[] = [
  regularizer('L1', [{ keras: 'l1', kind: 'float', default: 0.01 }], ['l1']),
  regularizer('L2', [{ keras: 'l2', kind: 'float', default: 0.01 }], ['l2']),
  // keras-ts' L1L2 defaults both factors to 0, as Keras 3 does.
  regularizer(
    'L1L2',
    [
      { keras: 'l1', kind: 'float', default: 0 },
      { keras: 'l2', kind: 'float', default: 0 },
    ],
    ['l1_l2', 'l1l2'],
  ),
  // regularizers.py: factor (written as a float), then mode.
  regularizer(
    'OrthogonalRegularizer',
    [
      { keras: 'factor', kind: 'float', default: 0.01 },
      { keras: 'mode', kind: 'string', default: 'rows' },
    ],
    ['orthogonal_regularizer', 'orthogonal'],
  ),
];

export const CONSTRAINTS: ClassSpec[] = [
  constraint(
    'MaxNorm',
    [
      { keras: 'max_value', kind: 'float', default: 2 },
      { keras: 'axis', kind: 'int', default: 0 },
    ],
    ['max_norm', 'maxNorm'],
  ),
  constraint('NonNeg', [], ['non_neg', 'nonNeg']),
  constraint('UnitNorm', [{ keras: 'axis', kind: 'int', default: 0 }], ['unit_norm', 'unitNorm']),
  constraint(
    'MinMaxNorm',
    [
      { keras: 'min_value', kind: 'float', default: 0 },
      { keras: 'max_value', kind: 'float', default: 1 },
      { keras: 'rate', kind: 'float', default: 1 },
      { keras: 'axis', kind: 'int', default: 0 },
    ],
    ['min_max_norm', 'minMaxNorm'],
  ),
];

export const INITIALIZERS: ClassSpec[] = [
  initializer('Zeros', [], ['zeros']),
  initializer('Ones', [], ['ones']),
  initializer('GlorotUniform', varianceScaling, ['glorot_uniform', 'glorotUniform']),
  initializer('GlorotNormal', varianceScaling, ['glorot_normal', 'glorotNormal']),
  initializer('HeUniform', varianceScaling, ['he_uniform', 'heUniform']),
  initializer('HeNormal', varianceScaling, ['he_normal', 'heNormal']),
  initializer('LecunUniform', varianceScaling, ['lecun_uniform', 'lecunUniform']),
  initializer('LecunNormal', varianceScaling, ['lecun_normal', 'lecunNormal']),
  initializer(
    'RandomNormal',
    [seed, { keras: 'mean', kind: 'float', default: 0 }, { keras: 'stddev', kind: 'float', default: 0.05 }],
    ['random_normal', 'randomNormal'],
  ),
  initializer(
    'RandomUniform',
    [seed, { keras: 'minval', kind: 'float', default: -0.05 }, { keras: 'maxval', kind: 'float', default: 0.05 }],
    ['random_uniform', 'randomUniform'],
  ),
];
