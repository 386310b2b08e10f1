using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Sub2Api.Configuration;
using Sub2Api.Infrastructure.Http;
using Sub2Api.Scheduling;

namespace Sub2Api.Providers.Anthropic.Usage;

/// <summary>One window of <c>/api/oauth/usage</c>: utilization in percent (0–100+) and when it resets.</summary>
internal sealed record ClaudeUsageWindow(double Utilization, DateTime? ResetsAt);

/// <summary>The windows a Claude subscription reports; a window the upstream leaves out is null.</summary>
internal sealed record ClaudeUsageReport(ClaudeUsageWindow? FiveHour, ClaudeUsageWindow? SevenDay, ClaudeUsageWindow? SevenDayOpus,
    ClaudeUsageWindow? SevenDaySonnet);

/// <summary>Why a usage read failed, in words an admin can act on (never with the token).</summary>
internal sealed class ClaudeUsageException(string message) : Exception(message);

/// <summary>
/// Reads a Claude OAuth account's usage windows: <c>GET {Gateway:Anthropic:BaseUrl}/api/oauth/usage</c> with the
/// account's bearer token and <c>anthropic-beta: oauth-2025-04-20</c>, through the account's proxy and with its
/// Claude Code user agent (the same identity its relayed requests carry).
/// </summary>
internal sealed class ClaudeUsageClient(UpstreamHttpClients clients, IOptionsMonitor<GatewayOptions> options, IFingerprintStore fingerprints)
{
    public const string OAuthBeta = "oauth-2025-04-20";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly IHeaderDictionary NoClientHeaders = new HeaderDictionary();

    public async Task<ClaudeUsageReport> FetchAsync(AccountModel account, string accessToken, CancellationToken cancellationToken)
    {
        var url = options.CurrentValue.Anthropic.BaseUrl.TrimEnd('/') + "/api/oauth/usage";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.TryAddWithoutValidation("anthropic-beta", OAuthBeta);
        request.Headers.TryAddWithoutValidation("accept", "application/json");
        request.Headers.TryAddWithoutValidation("user-agent", fingerprints.GetOrCreate(account.Id, NoClientHeaders).UserAgent);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        HttpResponseMessage response;
        try
        {
            response = await clients.For(account.ProxyUrl).SendAsync(request, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ClaudeUsageException("usage request timed out");
        }
        catch (HttpRequestException e)
        {
            throw new ClaudeUsageException($"usage request failed: {e.HttpRequestError}");
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                var message = AnthropicErrors.ExtractMessage(System.Text.Encoding.UTF8.GetBytes(body));
                throw new ClaudeUsageException($"usage API returned {(int)response.StatusCode}{(message.Length > 0 ? ": " + message : "")}");
            }
            try
            {
                return Parse(JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object"));
            }
            catch (JsonException)
            {
                throw new ClaudeUsageException("usage API answered something that is not a usage report");
            }
        }
    }

    internal static ClaudeUsageReport Parse(JsonObject json) => new(
        Window(json["five_hour"]), Window(json["seven_day"]), Window(json["seven_day_opus"]), Window(json["seven_day_sonnet"]));

    private static ClaudeUsageWindow? Window(JsonNode? node)
    {
        if (node is not JsonObject window)
        {
            return null;
        }
        var utilization = window["utilization"] is JsonValue u && u.TryGetValue<double>(out var value) ? value : 0d;
        DateTime? resetsAt = window["resets_at"] is JsonValue r && r.TryGetValue<string>(out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.UtcDateTime
            : null;
        return new ClaudeUsageWindow(utilization, resetsAt);
    }
}
