// Shapes the user and the admin usage routes share (the same C# DTOs). Money is a JSON number with up to
// ten decimals; it is shown with formatUsd, never rounded to cents.

/** One point of a usage trend (a UTC day or hour). */
export interface TrendPoint {
  date: string
  requests: number
  input_tokens: number
  output_tokens: number
  cache_creation_tokens: number
  cache_read_tokens: number
  total_tokens: number
  cost: number
  actual_cost: number
}

/** The totals over the filtered usage logs. */
export interface UsageStats {
  total_requests: number
  total_input_tokens: number
  total_output_tokens: number
  total_cache_creation_tokens: number
  total_cache_read_tokens: number
  total_cache_tokens: number
  total_tokens: number
  total_cost: number
  total_actual_cost: number
  average_duration_ms: number
}
