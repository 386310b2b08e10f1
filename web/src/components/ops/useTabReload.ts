import { onMounted, watch } from 'vue'
import type { TimeRange } from '@/api/ops'

/**
 * A tab of the ops page reloads when the time range changes or the page refreshes (the button or the 30 s
 * timer), but only while it is shown: a hidden tab remembers that it is stale and reloads when shown again.
 */
export function useTabReload(props: { timeRange: TimeRange; tick: number; active: boolean }, load: () => unknown) {
  let stale = false
  watch(() => [props.timeRange, props.tick], () => {
    if (props.active) void load()
    else stale = true
  })
  watch(() => props.active, (active) => {
    if (active && stale) {
      stale = false
      void load()
    }
  })
  onMounted(() => void load())
}
