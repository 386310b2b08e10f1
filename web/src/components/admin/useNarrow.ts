import { onBeforeUnmount, ref } from 'vue'

/**
 * True below the layout's phone breakpoint. Tables use it to stop pinning the action column (a pinned 270px
 * column would leave a phone almost no room to scroll the rest) and to shorten the pager.
 */
export function useNarrow(query = '(max-width: 768px)') {
  const media = window.matchMedia(query)
  const narrow = ref(media.matches)
  const update = (e: MediaQueryListEvent) => (narrow.value = e.matches)
  media.addEventListener('change', update)
  onBeforeUnmount(() => media.removeEventListener('change', update))
  return narrow
}
