import { loadConfig } from '../config/env';
import { DEFAULT_QUOTAS, quotaVariable, quotasFromSettings, resolveQuotas } from './quotas';

describe('quotas', () => {
  it('names one environment variable per quota, each declared in config/env.ts', () => {
    expect(quotaVariable('maxTrainSampleEpochs')).toBe('QUOTA_MAX_TRAIN_SAMPLE_EPOCHS');
    // loadConfig reads only declared variables: every quota coming through proves its declaration.
    const env = Object.fromEntries(
      Object.keys(DEFAULT_QUOTAS).map((key, i) => [
        quotaVariable(key as keyof typeof DEFAULT_QUOTAS),
        String(i + 2),
      ]),
    );
    const config = loadConfig(env) as unknown as Record<string, unknown>;
    expect(quotasFromSettings(config)).toEqual(
      Object.fromEntries(Object.keys(DEFAULT_QUOTAS).map((key, i) => [key, i + 2])),
    );
    const some = loadConfig({ QUOTA_MAX_EPOCHS: '12', QUOTA_MAX_TRAIN_MACS: '1e9' }) as unknown as Record<
      string,
      unknown
    >;
    expect(resolveQuotas(quotasFromSettings(some))).toEqual({
      ...DEFAULT_QUOTAS,
      maxEpochs: 12,
      maxTrainMacs: 1e9,
    });
  });

  it('keeps the defaults of malformed overrides only', () => {
    expect(resolveQuotas({ maxEpochs: -3, maxLayers: 8 })).toEqual({ ...DEFAULT_QUOTAS, maxLayers: 8 });
  });

  it('rejects a malformed quota variable at start, naming it', () => {
    expect(() => loadConfig({ QUOTA_MAX_EPOCHS: 'many' })).toThrow(/QUOTA_MAX_EPOCHS/);
  });
});
