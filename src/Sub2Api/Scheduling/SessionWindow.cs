namespace Sub2Api.Scheduling;

/// <summary>An account's usage window (e.g. a subscription's 5 hours) and the upstream's last word on it (UTC).</summary>
internal readonly record struct SessionWindow(DateTime Start, DateTime End, string Status);
