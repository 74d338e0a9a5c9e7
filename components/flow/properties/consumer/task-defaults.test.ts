import { describe, expect, it } from 'vitest';
import { ConsumerDataSchema } from '@/lib/pipeline/schema';
import { defaultTask, TASK_KINDS } from './task-defaults';

describe('defaultTask', () => {
  it('starts every offered kind valid, except the URL only the user can give', () => {
    for (const { kind, ready } of TASK_KINDS) {
      const task = defaultTask(kind);
      if (!ready) {
        expect(task).toBeNull();
        continue;
      }
      const result = ConsumerDataSchema.safeParse({ label: 'C', task });
      if (kind === 'http') {
        expect(result.success).toBe(false);
        expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['task.url']);
      } else {
        expect(result.success).toBe(true);
      }
    }
  });
});
