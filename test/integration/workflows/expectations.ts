/** Shapes the results contract promises (contracts/results.ts), for assertions. */
export const EPOCH_METRICS_KEYS = ['epoch', 'lr', 'test_accuracy', 'test_loss', 'time_epoch', 'train_loss'];
