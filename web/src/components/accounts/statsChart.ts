// The account stats chart: the account's cost and what users were charged, per day.
import type { AccountUsageDay } from '@/api/accounts'
import { formatUsd } from '@/utils/format'

export function dailyCostOption(history: AccountUsageDay[], costLabel: string, userCostLabel: string) {
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => formatUsd(v as number) },
    legend: { data: [costLabel, userCostLabel] },
    grid: { left: 50, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: history.map((d) => d.label || d.date) },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => `$${v}` } },
    series: [
      { name: costLabel, type: 'bar', data: history.map((d) => Number(d.actual_cost)) },
      { name: userCostLabel, type: 'line', smooth: true, data: history.map((d) => Number(d.user_cost)) },
    ],
  }
}
