namespace Sub2Api.Providers.Anthropic;

/// <summary>The account's 5-hour usage window and the last <c>anthropic-ratelimit-unified-5h-status</c> (UTC).</summary>
internal readonly record struct SessionWindow(DateTime Start, DateTime End, string Status);
