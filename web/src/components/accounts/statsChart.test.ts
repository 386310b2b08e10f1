import { describe, expect, it } from 'vitest'
import { dailyCostOption } from './statsChart'

describe('dailyCostOption', () => {
  it('plots the account cost and the user cost per day, exact to the cent fraction', () => {
    const o = dailyCostOption(
      [
        { date: '2026-12-06', label: '12/06', requests: 2, tokens: 10, cost: 0.5, actual_cost: 0.0000123, user_cost: 0.75 },
        { date: '2026-12-07', label: '', requests: 0, tokens: 0, cost: 0, actual_cost: 0, user_cost: 0 },
      ],
      'cost',
      'user',
    )
    expect(o.xAxis.data).toEqual(['12/06', '2026-12-07'])
    expect(o.series[0].data).toEqual([0.0000123, 0])
    expect(o.series[1].data).toEqual([0.75, 0])
    expect(o.tooltip.valueFormatter(0.0000123)).toBe('$0.0000123')
  })
})
