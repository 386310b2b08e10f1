import { describe, expect, it } from 'vitest'
import { createLimiter } from './limiter'

describe('createLimiter', () => {
  it('never runs more than the limit at once, runs everything, and passes results and failures through', async () => {
    const run = createLimiter(3)
    let active = 0
    let peak = 0
    const gates: (() => void)[] = []
    const tasks = Array.from({ length: 10 }, (_, i) =>
      run(async () => {
        active++
        peak = Math.max(peak, active)
        await new Promise<void>((resolve) => gates.push(resolve))
        active--
        if (i === 4) throw new Error('boom')
        return i
      }),
    )
    const settled = Promise.allSettled(tasks)
    // Release the started tasks one at a time until all have run.
    for (let released = 0; released < 10; released++) {
      await new Promise((r) => setTimeout(r, 0))
      expect(active).toBeLessThanOrEqual(3)
      gates.shift()?.()
    }
    const results = await settled
    expect(peak).toBe(3)
    expect(results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<number>).value)).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9])
    expect(results[4].status).toBe('rejected')
  })
})
