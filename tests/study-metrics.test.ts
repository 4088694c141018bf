import { commonWidth, generalizationGap, histogram, kernelStats, rebin, sumHistograms } from '../src/study/analysis';

describe('kernelStats', () => {
  // Hand-set kernel: two large weights, an exact zero, three small ones.
  const w = [3, -4, 0, 0.0005, -0.0009, 0.002];

  it('computes the L1 and L2 norms and the (near-)zero fractions', () => {
    const stats = kernelStats('dense', w);
    expect(stats.layer).toBe('dense');
    expect(stats.l1Norm).toBeCloseTo(3 + 4 + 0.0005 + 0.0009 + 0.002, 12); // 7.0034
    expect(stats.l2Norm).toBeCloseTo(Math.sqrt(9 + 16 + 0.0005 ** 2 + 0.0009 ** 2 + 0.002 ** 2), 12);
    expect(stats.nearZeroFraction).toBe(3 / 6); // 0, 0.0005, -0.0009 (|w| < 1e-3); 0.002 is not
    expect(stats.zeroFraction).toBe(1 / 6);
  });

  it('counts -0 as zero and honours nearZeroThreshold', () => {
    const stats = kernelStats('d', [-0, 0.01, 0.05, -0.2], { nearZeroThreshold: 0.06 });
    expect(stats.zeroFraction).toBe(0.25);
    expect(stats.nearZeroFraction).toBe(0.75);
  });

  it('gives the same numbers for a Float32Array (sums in float64)', () => {
    const values = [0.5, -0.25, 0.125, 0, -0.0078125];
    const a = kernelStats('d', values);
    const b = kernelStats('d', new Float32Array(values));
    expect(b).toEqual(a);
    expect(a.l1Norm).toBe(0.8828125);
  });

  it('doubles the default 2^-8 bin width until the range fits in 256 bins', () => {
    const { histogram: h } = kernelStats('dense', w);
    // Range [-4, 3]: 1793 bins at 1/256, 897 at 1/128, 449 at 1/64, 225 at 1/32.
    expect(h.counts).toHaveLength(225);
    expect(h.edges).toHaveLength(226);
    expect(h.edges[0]).toBe(-4);
    expect(h.edges[1]! - h.edges[0]!).toBe(1 / 32);
    expect(h.edges[225]).toBe(97 / 32);
    expect(h.counts[0]).toBe(1); // -4
    expect(h.counts[127]).toBe(1); // -0.0009 in [-1/32, 0)
    expect(h.counts[128]).toBe(3); // 0, 0.0005, 0.002 in [0, 1/32)
    expect(h.counts[224]).toBe(1); // 3 in [3, 3 + 1/32)
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('rejects empty kernels, non-finite weights and a bad threshold', () => {
    expect(() => kernelStats('d', [])).toThrow(/`values`.*at least one weight/);
    expect(() => kernelStats('d', [1, NaN])).toThrow(/`values`.*finite.*NaN at index 1/);
    expect(() => kernelStats('d', [1], { nearZeroThreshold: 0 })).toThrow(/`nearZeroThreshold`/);
  });
});

describe('lattice histograms', () => {
  const values = [-0.5, -0.1, 0, 0.1, 0.3, 0.74];

  it('bins [edge, next edge) on multiples of the width', () => {
    expect(histogram(values, { baseWidth: 0.25 })).toEqual({
      edges: [-0.5, -0.25, 0, 0.25, 0.5, 0.75],
      counts: [1, 1, 2, 1, 1],
    });
  });

  it('widens by powers of two to respect maxBins', () => {
    // 0.25 → 5 bins, 0.5 → 3 bins, 1 → 2 bins.
    expect(histogram(values, { baseWidth: 0.25, maxBins: 2 })).toEqual({ edges: [-1, 0, 1], counts: [2, 4] });
  });

  it('rebins exactly: same result as binning the raw values at the coarser width', () => {
    const coarse = rebin(histogram(values, { baseWidth: 0.25 }), 0.5);
    expect(coarse).toEqual({ edges: [-0.5, 0, 0.5, 1], counts: [2, 3, 1] });
    expect(coarse).toEqual(histogram(values, { baseWidth: 0.5 }));
  });

  it('finds a common width and sums histograms of different ranges', () => {
    const a = histogram([0, 0.1, 0.2], { baseWidth: 0.125 }); // [0, .125, .25): [2, 1]
    const b = histogram([-1, 0.9], { baseWidth: 0.5 }); // [-1, -.5, 0, .5, 1): [1, 0, 0, 1]
    expect(commonWidth([a, b])).toBe(0.5);
    expect(commonWidth([a, b], 2)).toBe(1); // union range [-1, 0.5] at 0.5 takes 4 bins; at 1 it takes 2
    expect(sumHistograms([a, b], 0.5)).toEqual({ edges: [-1, -0.5, 0, 0.5, 1], counts: [1, 0, 3, 1] });
  });

  it('rejects widths off the lattice', () => {
    expect(() => histogram(values, { baseWidth: 0.1 })).toThrow(/`baseWidth`.*power of two/);
    expect(() => rebin(histogram(values, { baseWidth: 0.25 }), 0.75)).toThrow(/`width` for rebin/);
    expect(() => histogram(values, { maxBins: 0 })).toThrow(/`maxBins`/);
  });
});

describe('generalizationGap', () => {
  it('is test − train for the loss and train − test for the accuracy', () => {
    const gap = generalizationGap({ loss: 0.2, accuracy: 0.95 }, { loss: 0.5, accuracy: 0.9 });
    expect(gap.loss).toBeCloseTo(0.3, 12);
    expect(gap.accuracy).toBeCloseTo(0.05, 12);
  });

  it('has no accuracy unless both splits have one', () => {
    expect(generalizationGap({ loss: 1 }, { loss: 1.5 })).toEqual({ loss: 0.5 });
    expect('accuracy' in generalizationGap({ loss: 1, accuracy: 0.5 }, { loss: 1.5 })).toBe(false);
  });
});
