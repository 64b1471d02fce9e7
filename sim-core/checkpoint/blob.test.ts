import { CheckpointError, decodeCheckpoint, encodeCheckpoint } from './blob';

describe('checkpoint blobs', () => {
  const state = {
    weights: Float32Array.of(1.5, -2, 3.25),
    counts: Int32Array.of(7, -1),
    rng: Uint32Array.of(1, 2, 3, 4),
    avg: Float64Array.of(Math.PI),
    epoch: 3,
    running: NaN,
  };

  it('round-trips arrays, numbers (NaN included) and metadata', () => {
    const blob = encodeCheckpoint('training-session', { note: 'x' }, state);
    const back = decodeCheckpoint(blob, 'training-session');
    expect(back.meta).toEqual({ note: 'x' });
    expect(back.state).toEqual(state);
  });

  it('rejects truncated, corrupted, foreign and wrong-kind blobs clearly', () => {
    const blob = encodeCheckpoint('training-session', {}, state);
    expect(() => decodeCheckpoint(blob.slice(0, blob.length - 9), 'training-session')).toThrow(
      CheckpointError,
    );
    expect(() => decodeCheckpoint(blob.slice(0, 10), 'training-session')).toThrow(/truncated/);
    const corrupt = blob.slice();
    corrupt[corrupt.length - 20] ^= 0xff;
    expect(() => decodeCheckpoint(corrupt, 'training-session')).toThrow(/checksum mismatch/);
    expect(() =>
      decodeCheckpoint(new TextEncoder().encode('{"json": "not a checkpoint"}'), 'training-session'),
    ).toThrow(/wrong magic/);
    expect(() => decodeCheckpoint(blob, 'inference-session')).toThrow(/holds a "training-session"/);
    const future = blob.slice();
    future[8] = 99;
    expect(() => decodeCheckpoint(future, 'training-session')).toThrow(/format version 99/);
  });
});
