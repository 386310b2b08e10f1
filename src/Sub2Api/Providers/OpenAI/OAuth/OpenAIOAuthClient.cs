using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Sub2Api.Accounts;
using Sub2Api.Infrastructure.Http;

namespace Sub2Api.Providers.OpenAI.OAuth;

/// <summary>
/// The ChatGPT token endpoint: the authorization-code exchange and the refresh grant, both form-encoded as Codex CLI
/// sends them, each through the chosen proxy (an account's proxy is also its egress IP, and the login must come from
/// there too). Failures are <see cref="OpenAIOAuthException"/>s that say whether retrying can help. Nothing secret is
/// logged: not the tokens, codes or verifiers, and an upstream error description is scrubbed of what was sent.
/// </summary>
internal sealed partial class OpenAIOAuthClient(
    UpstreamHttpClients clients,
    IOptionsMonitor<OpenAIOAuthOptions> options,
    TimeProvider time,
    ILogger<OpenAIOAuthClient> logger)
{
    private const int MaxAnswerBytes = 1 << 20;

    /// <summary>Exchanges an authorization code for tokens, with the verifier and redirect URI of its login.</summary>
    public async Task<OpenAITokenSet> ExchangeCodeAsync(string code, string verifier, string redirectUri, string? proxyUrl, CancellationToken ct)
    {
        var o = options.CurrentValue;
        var tokens = await PostTokenAsync("token exchange", new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = o.ClientId,
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = verifier,
        }, proxyUrl, [code, verifier], ct);
        Log.Exchanged(logger, tokens.ExpiresIn, tokens.Claims.PlanType ?? "-");
        return tokens;
    }

    /// <summary>
    /// Trades a refresh token for a new token set. The refresh token rotates: the old one is dead once this returns,
    /// so the caller must store the returned one (with the new access token) before anyone else refreshes.
    /// </summary>
    public Task<OpenAITokenSet> RefreshAsync(string refreshToken, string? proxyUrl, CancellationToken ct)
    {
        var o = options.CurrentValue;
        return PostTokenAsync("token refresh", new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = o.ClientId,
            ["scope"] = o.RefreshScope,
        }, proxyUrl, [refreshToken], ct);
    }

    private async Task<OpenAITokenSet> PostTokenAsync(string operation, Dictionary<string, string> form, string? proxyUrl, string[] secrets,
        CancellationToken ct)
    {
        var o = options.CurrentValue;
        using var request = new HttpRequestMessage(HttpMethod.Post, o.TokenUrl) { Content = new FormUrlEncodedContent(form) };
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        var (status, answer) = await SendAsync(operation, request, proxyUrl, ct);
        if (status is < 200 or >= 300)
        {
            throw Refusal(operation, status, answer, secrets);
        }
        if (OAuthAnswers.Parse(answer) is not JsonObject json || OAuthAnswers.Text(json, "access_token") is not { } accessToken)
        {
            throw new OpenAIOAuthException(OpenAIOAuthErrorKind.Rejected, operation, status, null, "the answer has no access_token");
        }
        var expiresIn = json["expires_in"] is JsonValue v && v.TryGetValue<long>(out var seconds) && seconds > 0 ? seconds : 0;
        var idToken = OAuthAnswers.Text(json, "id_token");
        return new OpenAITokenSet(
            accessToken,
            OAuthAnswers.Text(json, "refresh_token"),
            idToken,
            expiresIn,
            time.GetUtcNow().AddSeconds(expiresIn),
            OAuthAnswers.Text(json, "token_type"),
            OAuthAnswers.Text(json, "scope"),
            OpenAIIdTokenClaims.Parse(idToken));
    }

    /// <summary>Sends with the configured time limit; no answer at all is a transient failure.</summary>
    private async Task<(int Status, byte[] Answer)> SendAsync(string operation, HttpRequestMessage request, string? proxyUrl,
        CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, options.CurrentValue.RequestTimeoutSeconds)));
        try
        {
            using var response = await clients.For(proxyUrl).SendAsync(request, timeout.Token);
            var answer = await ReadCappedAsync(response.Content, timeout.Token);
            return ((int)response.StatusCode, answer);
        }
        catch (Exception e) when (e is HttpRequestException or IOException
            || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            var reason = e is OperationCanceledException ? "timed out" : "could not reach the server (" + e.GetType().Name + ")";
            Log.Unreachable(logger, operation, reason);
            throw new OpenAIOAuthException(OpenAIOAuthErrorKind.Transient, operation, 0, null, reason, e);
        }
    }

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length < MaxAnswerBytes && (read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// An HTTP refusal as an exception: the OAuth <c>error</c> / <c>error_description</c>, or OpenAI's nested
    /// <c>error.code</c> / <c>error.message</c>, with anything we sent cut out of the description.
    /// </summary>
    private OpenAIOAuthException Refusal(string operation, int status, byte[] answer, string[] secrets)
    {
        var (code, description) = OAuthAnswers.ReadRefusal(answer, secrets);
        var kind = OpenAIOAuthException.Classify(status, code, description);
        Log.Refused(logger, operation, status, code ?? "-", kind);
        var message = $"upstream answered {status}" + (code is null ? "" : $" {code}") + (description is null ? "" : $": {description}");
        return new OpenAIOAuthException(kind, operation, status, code, message);
    }

    private static partial class Log
    {
        [LoggerMessage(1150, LogLevel.Information, "OpenAI OAuth: code exchanged (expires in {ExpiresIn} s, plan {PlanType})")]
        public static partial void Exchanged(ILogger logger, long expiresIn, string planType);

        [LoggerMessage(1151, LogLevel.Warning, "OpenAI OAuth: {Operation} refused with {Status} {ErrorCode} ({Kind})")]
        public static partial void Refused(ILogger logger, string operation, int status, string errorCode, OpenAIOAuthErrorKind kind);

        [LoggerMessage(1152, LogLevel.Warning, "OpenAI OAuth: {Operation} failed: {Reason}")]
        public static partial void Unreachable(ILogger logger, string operation, string reason);
    }
}
