// Runs at most `limit` tasks at a time (the usage windows of a page of accounts: each one may call upstream, so a
// page of fifty must not fire fifty requests at once).
export function createLimiter(limit: number) {
  let running = 0
  const queue: (() => void)[] = []
  const next = () => {
    if (running >= limit) return
    const start = queue.shift()
    if (start) {
      running++
      start()
    }
  }
  return function run<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push(() => {
        task()
          .then(resolve, reject)
          .finally(() => {
            running--
            next()
          })
      })
      next()
    })
  }
}
